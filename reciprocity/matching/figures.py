"""Figures of a placement (pure): how many placed, how well, and who is served worst.

They are computed over the volunteers the run places (those with open applications); the
placements it keeps are left out, so that two runs, or a run and first-come-first-served on the
same applications, compare like with like. The same figures as bench/placement/bench.py:
first choice is a share of the placed volunteers; the worst-served nationality is the one with
the lowest placement rate (every nationality counts, however few its volunteers).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Figures:
    volunteers: int
    placed: int
    placed_percent: float | None
    first_choice_percent: float | None
    mean_rank: float | None
    worst_nationality: str
    worst_nationality_rate: float | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def placement_figures(
    instance: dict[str, Any], assignments: Iterable[tuple[str, str, int]]
) -> Figures:
    """`instance` is INSTANCE.json data; `assignments` are (volunteer id, mission id, rank)."""
    fixed = {f["volunteer"] for f in instance.get("fixed", [])}
    nationality = {v["id"]: v["nationality"] for v in instance["volunteers"] if v["id"] not in fixed}
    ranks = {vid: rank for vid, _mission, rank in assignments if vid in nationality}
    n, placed = len(nationality), len(ranks)
    if not n:
        return Figures(0, 0, None, None, None, "", None)
    per_nat = Counter(nationality.values())
    placed_nat = Counter(nationality[vid] for vid in ranks)
    # Ties: the largest group, then the code, so the figure is stable between runs.
    worst = min(per_nat, key=lambda c: (placed_nat[c] / per_nat[c], -per_nat[c], c))
    return Figures(
        volunteers=n,
        placed=placed,
        placed_percent=100 * placed / n,
        first_choice_percent=100 * sum(r == 1 for r in ranks.values()) / placed if placed else None,
        mean_rank=sum(ranks.values()) / placed if placed else None,
        worst_nationality=worst,
        worst_nationality_rate=100 * placed_nat[worst] / per_nat[worst],
    )
