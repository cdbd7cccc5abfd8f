"""Reciprocity: an open-source platform for reciprocal international volunteering."""
