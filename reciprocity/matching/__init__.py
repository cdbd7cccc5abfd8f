"""Placement runs: a season, programme or set of missions placed at once by the engine, its
proposals, their review by the coordinator, and comparisons between runs."""
