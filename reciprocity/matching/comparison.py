"""Compare runs with each other and with first-come-first-served on the same applications.

First-come-first-served (FCFS) is the engine's own baseline (`heuristics.fcfs`): volunteers in
application order, each to their best-ranked choice that still keeps every rule (capacity,
nationality cap, gender balance, agreement tolerance and maxima). It reads the instance stored
by the run, so both sides see exactly the same applications, choices and kept placements.
"""

from __future__ import annotations

from typing import Any

from reciprocity.matching.figures import Figures, placement_figures
from reciprocity.matching.models import PlacementRun
from reciprocity.placements.engine import parse_instance
from reciprocity.placements.engine.heuristics import fcfs
from reciprocity.placements.engine.model import build_model


def fcfs_outcome(instance: dict[str, Any]) -> tuple[Figures, float]:
    """Figures and objective of first-come-first-served on an INSTANCE.json object."""
    model = build_model(parse_instance(instance))
    arcs = fcfs(model).arcs()
    assignments = [
        (model.volunteer_ids[v], model.mission_ids[m], int(r))
        for v, m, r in zip(
            model.arc_v[arcs].tolist(), model.arc_m[arcs].tolist(), model.arc_rank[arcs].tolist(),
            strict=True,
        )
    ]
    return placement_figures(instance, assignments), float(model.objective(arcs))


def run_figures(run: PlacementRun) -> dict[str, Any]:
    return {
        "volunteers": run.volunteers_count,
        "placed": run.placed_count,
        "placed_percent": run.placed_percent,
        "first_choice_percent": run.first_choice_percent,
        "mean_rank": run.mean_rank,
        "worst_nationality": run.worst_nationality,
        "worst_nationality_rate": run.worst_nationality_rate,
    }


def runs_compare(*, runs: list[PlacementRun]) -> list[dict[str, Any]]:
    """One row per succeeded run: its figures, and FCFS's on the same applications."""
    rows = []
    for run in runs:
        row: dict[str, Any] = {"run": run, "engine": run_figures(run), "objective": run.objective,
                               "fcfs": None, "fcfs_objective": None}
        if run.instance.get("volunteers") is not None and run.status == "succeeded":
            figures, objective = fcfs_outcome(run.instance)
            row["fcfs"], row["fcfs_objective"] = figures.as_dict(), objective
        rows.append(row)
    return rows
