"""Placement engine (issue 6): pure Python, no Django, no clock but the solve's wall time.

A service builds an `Instance` from plain dataclasses (or `parse_instance` from
JSON data), calls `solve(instance, mode=..., time_limit=..., progress=...)` and
stores the `Result`.  See docs/placement-engine.md.
"""

from .explain import REASONS, Unplaced
from .instance import (
    Agreement,
    FixedPlacement,
    Instance,
    InvalidInstance,
    Language,
    Mission,
    Volunteer,
    parse_instance,
    validate,
)
from .pairing import Cohort, InvalidCohort, Person, pair_cohort, parse_cohort
from .solve import MODES, Assignment, Progress, Result, solve

__all__ = [
    "MODES",
    "REASONS",
    "Agreement",
    "Assignment",
    "Cohort",
    "FixedPlacement",
    "Instance",
    "InvalidCohort",
    "InvalidInstance",
    "Language",
    "Mission",
    "Person",
    "Progress",
    "Result",
    "Unplaced",
    "Volunteer",
    "pair_cohort",
    "parse_cohort",
    "parse_instance",
    "solve",
    "validate",
]
