"""Volunteers: identity, nationalities, residence, languages, sending organisation and their
identity document (number encrypted at rest, shown masked)."""
