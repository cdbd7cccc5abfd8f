"""Exact optimum by exhaustive search, for tiny instances (independent of the engine)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from .checker import requirement_broken


def brute_force_optimum(instance: dict[str, Any]) -> float:
    missions = {m["id"]: m for m in instance["missions"]}
    vols = instance["volunteers"]
    penalty = instance.get("unplaced_penalty", 100)
    agreements = instance.get("agreements", [])
    best = float("inf")
    current: list[str | None] = []

    def feasible() -> bool:
        count: Counter[str] = Counter()
        nat: Counter[tuple[str, str]] = Counter()
        bal: Counter[str] = Counter()
        flow: Counter[tuple[str, str]] = Counter()
        for v, m in zip(vols, current, strict=True):
            if m is None:
                continue
            count[m] += 1
            nat[(m, v["nationality"])] += 1
            bal[m] += {"F": 1, "M": -1}.get(v["gender"], 0)
            flow[(v["nationality"], missions[m]["host_country"])] += 1
        for mid, mis in missions.items():
            if count[mid] > mis["capacity"]:
                return False
            tol = mis.get("gender_tolerance")
            if tol is not None and abs(bal[mid]) > tol:
                return False
        for (mid, _), n in nat.items():
            if n > missions[mid].get("max_per_nationality", 2):
                return False
        for ag in agreements:
            a, b = ag["countries"]
            if abs(flow[(a, b)] - flow[(b, a)]) > ag["tolerance"]:
                return False
            mx = ag.get("max") or [None, None]
            if (mx[0] is not None and flow[(a, b)] > mx[0]) or (
                mx[1] is not None and flow[(b, a)] > mx[1]
            ):
                return False
        return True

    def value() -> float:
        return sum(
            penalty if m is None else v["choices"].index(m) + 1
            for v, m in zip(vols, current, strict=True)
        )

    def rec(i: int) -> None:
        nonlocal best
        if i == len(vols):
            if feasible():
                best = min(best, value())
            return
        open_choices = [
            m for m in vols[i]["choices"] if requirement_broken(vols[i], missions[m]) is None
        ]
        for m in [None, *open_choices]:
            current.append(m)
            rec(i + 1)
            current.pop()

    rec(0)
    return best
