"""Placements (a volunteer in a mission) with their lifecycle, and the placement engine."""
