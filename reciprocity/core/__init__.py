"""Shared base pieces: timestamps, domain errors, protected fields, navigation, home pages."""
