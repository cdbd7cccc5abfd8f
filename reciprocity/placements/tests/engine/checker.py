"""An independent checker of a `placement solve --json` result.

Written from the issue's text only, over the raw JSON dicts, sharing no code
with the engine: it recomputes every rule, the ranks and the objective.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

REASONS = {
    "no_choice",
    "age_limit",
    "language_requirement",
    "choices_full",
    "nationality_cap",
    "gender_balance",
    "reciprocity_tolerance",
    "agreement_maximum",
    "outranked",
}


# CEFR ranks, and the VEF's 1-4 as the exchange import stores them (1 A1, 2 A2, 3 B2, 4 C1).
LEVEL = {"A1": 1, "A2": 2, "B1": 3, "B2": 4, "C1": 5, "C2": 6, 1: 1, 2: 2, 3: 4, 4: 5}


def _level(value: Any) -> int | None:
    return None if value is None else LEVEL[value.upper() if isinstance(value, str) else value]


def _spoken(entries: list[Any]) -> dict[str, int | None]:
    out: dict[str, int | None] = {}
    for e in entries:
        code, level = (e, None) if isinstance(e, str) else (e["code"], e.get("level"))
        out[code.lower()] = _level(level)
    return out


def requirement_broken(vol: dict[str, Any], mis: dict[str, Any]) -> str | None:
    """The mission's age or language rule the volunteer breaks, in words (None: none)."""
    lo, hi = mis.get("age_min"), mis.get("age_max")
    if lo is not None or hi is not None:
        if not vol.get("birth_date"):
            return f"{vol['id']} has no birth date for the age bounds of {mis['id']}"
        born, on = date.fromisoformat(vol["birth_date"]), date.fromisoformat(mis["start_date"])
        # Completed years: one less until the birthday (29 Feb: 1 Mar in a common year).
        age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
        if (lo is not None and age < lo) or (hi is not None and age > hi):
            return f"{vol['id']} is {age} on {on}, outside {lo}..{hi} of {mis['id']}"
    spoken = _spoken(vol.get("languages") or [])
    for need in _spoken(mis.get("languages") or []).items():
        code, level = need
        if code not in spoken:
            return f"{vol['id']} does not speak {code} ({mis['id']})"
        has = spoken[code]
        if level is not None and (has is None or has < level):
            return f"{vol['id']} speaks {code} at {has}, below {level} ({mis['id']})"
    return None


def check(instance: dict[str, Any], result: dict[str, Any]) -> list[str]:
    """Every violation of the contract found in `result` (empty list = all good)."""
    problems: list[str] = []
    keys = {
        "status",
        "objective",
        "bound",
        "gap",
        "bound_source",
        "seconds",
        "assignments",
        "unplaced",
    }
    if set(result) != keys:
        problems.append(f"keys {sorted(result)} != {sorted(keys)}")
        return problems
    missions = {m["id"]: m for m in instance["missions"]}
    vols = {v["id"]: v for v in instance["volunteers"]}
    penalty = instance.get("unplaced_penalty", 100)
    fixed = {f["volunteer"]: f["mission"] for f in instance.get("fixed", [])}

    placed: dict[str, str] = {}
    for a in result["assignments"]:
        v, m = a["volunteer"], a["mission"]
        if v in placed:
            problems.append(f"{v} placed twice")
        placed[v] = m
        if v not in vols or m not in missions:
            problems.append(f"unknown ids in {a}")
            continue
        broken = requirement_broken(vols[v], missions[m])
        if broken:
            problems.append(f"requirement broken: {broken}")
        choices = vols[v]["choices"]
        if m in choices:
            if a["rank"] != choices.index(m) + 1:
                problems.append(f"{v}: rank {a['rank']} but {m} is choice {choices.index(m) + 1}")
        elif fixed.get(v) != m:
            problems.append(f"{v} placed in {m}, not among its choices")
    for v, m in fixed.items():
        if placed.get(v) != m:
            problems.append(f"fixed placement {v}->{m} not kept")
    unplaced = [u["volunteer"] for u in result["unplaced"]]
    if sorted(unplaced) != sorted(set(vols) - set(placed)):
        problems.append("unplaced list does not match the volunteers not placed")
    for u in result["unplaced"]:
        if (
            u["reason"] not in REASONS
            or not isinstance(u["explanation"], str)
            or not u["explanation"]
        ):
            problems.append(f"bad unplaced entry {u}")

    count: Counter[str] = Counter()
    per_nat: Counter[tuple[str, str]] = Counter()
    women: Counter[str] = Counter()
    men: Counter[str] = Counter()
    flow: Counter[tuple[str, str]] = Counter()
    for v, m in placed.items():
        if v not in vols or m not in missions:
            continue
        vol = vols[v]
        count[m] += 1
        per_nat[(m, vol["nationality"])] += 1
        women[m] += vol["gender"] == "F"
        men[m] += vol["gender"] == "M"
        flow[(vol["nationality"], missions[m]["host_country"])] += 1
    for mid, mis in missions.items():
        if count[mid] > mis["capacity"]:
            problems.append(f"{mid}: {count[mid]} placed, capacity {mis['capacity']}")
        tol = mis.get("gender_tolerance")
        if tol is not None and abs(women[mid] - men[mid]) > tol:
            problems.append(f"{mid}: F {women[mid]} M {men[mid]} tolerance {tol}")
    for (mid, nat), n in per_nat.items():
        cap = missions[mid].get("max_per_nationality")
        cap = 2 if cap is None else cap
        if n > cap:
            problems.append(f"{mid}: {n} from {nat}, max {cap}")
    for ag in instance.get("agreements", []):
        a, b = ag["countries"]
        ab, ba = flow[(a, b)], flow[(b, a)]
        if abs(ab - ba) > ag["tolerance"]:
            problems.append(f"agreement {a}-{b}: {ab} vs {ba}, tolerance {ag['tolerance']}")
        mx = ag.get("max") or [None, None]
        if mx[0] is not None and ab > mx[0]:
            problems.append(f"agreement {a}-{b}: {a}->{b} {ab} > max {mx[0]}")
        if mx[1] is not None and ba > mx[1]:
            problems.append(f"agreement {a}-{b}: {b}->{a} {ba} > max {mx[1]}")

    objective = sum(a["rank"] for a in result["assignments"]) + penalty * (len(vols) - len(placed))
    if abs(result["objective"] - objective) > 1e-6:
        problems.append(f"objective {result['objective']} != recomputed {objective}")
    bound, gap = result["bound"], result["gap"]
    if result["status"] not in ("optimal", "feasible"):
        problems.append(f"status {result['status']}")
    if (bound is None) != (result["bound_source"] is None) or result["bound_source"] not in (
        None,
        "lp",
        "mip",
        "flow",
        "placed",
        "choices",
    ):
        problems.append(f"bound {bound} with bound_source {result['bound_source']!r}")
    if bound is None:
        if gap is not None or result["status"] == "optimal":
            problems.append("gap or optimal status without a bound")
    else:
        if bound > objective + 1e-6:
            problems.append(f"bound {bound} above objective {objective}")
        expected = 0.0 if objective == 0 else (objective - bound) / objective
        if gap is None or abs(gap - expected) > 1e-9:
            problems.append(f"gap {gap} != {expected}")
        if result["status"] == "optimal" and abs(objective - bound) > 1e-6:
            problems.append("status optimal but bound < objective")
    if not isinstance(result["seconds"], int | float) or result["seconds"] < 0:
        problems.append("seconds")
    return problems
