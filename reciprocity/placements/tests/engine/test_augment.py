"""The large-model start (issue 17, session 8): a maximum flow grown on the residual network of a
feasible assignment, made feasible again, then local moves.

`augment` is checked against an exhaustive maximum (capacities and nationality caps only, where it
is exact) and for what it keeps (nobody placed is unplaced, per-gender seat caps); `project` and
`augmented_insert` for every rule (the independent checker's and `violations`).
"""

from __future__ import annotations

import importlib
import time
from collections import Counter
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reciprocity.placements.engine import heuristics as heur
from reciprocity.placements.engine import parse_instance, solve
from reciprocity.placements.engine.augment import (
    _split,
    augment,
    max_placed,
    placed_bound,
    project,
    refused,
    regrow,
)
from reciprocity.placements.engine.model import build_model
from reciprocity.placements.engine.state import State, violations

from .brute import brute_force_optimum
from .checker import check
from .conftest import random_instance


def _max_placed(data: dict[str, Any]) -> int:
    """Most volunteers placeable under capacities and nationality caps alone (exhaustive)."""
    missions = {m["id"]: m for m in data["missions"]}
    vols = data["volunteers"]
    seats: Counter[str] = Counter()
    nat: Counter[tuple[str, str]] = Counter()
    best = 0

    def go(i: int, placed: int) -> None:
        nonlocal best
        if placed + len(vols) - i <= best:
            return
        if i == len(vols):
            best = placed
            return
        v = vols[i]
        for c in v["choices"]:
            m = missions[c]
            key = (c, v["nationality"])
            if seats[c] < m["capacity"] and nat[key] < m.get("max_per_nationality", 2):
                seats[c] += 1
                nat[key] += 1
                go(i + 1, placed + 1)
                seats[c] -= 1
                nat[key] -= 1
        go(i + 1, placed)

    go(0, 0)
    return best


def _without_side_rules(data: dict[str, Any]) -> dict[str, Any]:
    for m in data["missions"]:
        m["gender_tolerance"] = None
    data["agreements"] = []
    data["unplaced_penalty"] = 100  # every choice useful
    return data


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), n_vol=st.integers(0, 9), n_mis=st.integers(1, 4))
def test_augment_reaches_the_exhaustive_maximum_without_side_rules(
    seed: int, n_vol: int, n_mis: int
) -> None:
    """Without gender bands, reciprocity and direction rows the network is exact: grown from FCFS
    (or from nothing), the flow places as many as the exhaustive maximum, and feasibly."""
    data = _without_side_rules(random_instance(seed, n_vol=n_vol, n_mis=n_mis))
    model = build_model(parse_instance(data))
    best = _max_placed(data)
    start = heur.fcfs(model).arcs()
    for grown in (augment(model, start), augment(model, np.zeros(0, np.int64))):
        assert len(grown) == best
        assert violations(model, grown) == []
    # Nobody placed at the start is unplaced by the paths.
    assert set(model.arc_v[start].tolist()) <= set(model.arc_v[augment(model, start)].tolist())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), n_vol=st.integers(0, 30), n_mis=st.integers(1, 6))
def test_augment_keeps_the_placed_capacities_nationality_and_gender_seat_caps(
    seed: int, n_vol: int, n_mis: int
) -> None:
    data = random_instance(seed, n_vol=n_vol, n_mis=n_mis)
    data["unplaced_penalty"] = 100
    model = build_model(parse_instance(data))
    start = heur.fcfs(model)
    grown = augment(model, start.arcs())
    vols = model.arc_v[grown]
    assert len(np.unique(vols)) == len(grown)  # one place each
    assert set(model.arc_v[start.arcs()].tolist()) <= set(vols.tolist())
    if n_vol <= 9:  # the exhaustive search is exponential
        assert len(grown) <= _max_placed(_without_side_rules(data))
    n_m = len(model.cap_left)
    assert (np.bincount(model.arc_m[grown], minlength=n_m) <= model.cap_left).all()
    assert (
        np.bincount(model.arc_grp[grown], minlength=len(model.grp_left)) <= model.grp_left
    ).all()
    women = np.bincount(model.arc_m[grown], weights=model.arc_gs[grown] > 0, minlength=n_m)
    men = np.bincount(model.arc_m[grown], weights=model.arc_gs[grown] < 0, minlength=n_m)
    rule = model.mis_tol >= 0
    tol, cap, g0 = model.mis_tol, model.cap_left, model.g0
    assert (women[rule] <= ((cap + tol - g0) // 2)[rule]).all()
    assert (men[rule] <= ((cap + tol + g0) // 2)[rule]).all()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), n_vol=st.integers(0, 30), n_mis=st.integers(1, 6))
def test_band_slack_caps_each_genders_net_arrivals_at_its_bands_slack(
    seed: int, n_vol: int, n_mis: int
) -> None:
    """With `band_slack` the flow still unplaces nobody and keeps capacities and nationality
    caps; in a mission with a gender rule each gender's net arrivals stay within what its
    band takes of that gender alone at the start (F - M + g0 <= t, M - F - g0 <= t)."""
    data = random_instance(seed, n_vol=n_vol, n_mis=n_mis)
    data["unplaced_penalty"] = 100
    model = build_model(parse_instance(data))
    start = heur.fcfs(model).arcs()
    grown = augment(model, start, band_slack=True)
    vols = model.arc_v[grown]
    assert len(np.unique(vols)) == len(grown)
    assert set(model.arc_v[start].tolist()) <= set(vols.tolist())
    n_m = len(model.cap_left)
    assert (np.bincount(model.arc_m[grown], minlength=n_m) <= model.cap_left).all()
    assert (
        np.bincount(model.arc_grp[grown], minlength=len(model.grp_left)) <= model.grp_left
    ).all()

    def by_gender(arcs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        m, gs = model.arc_m[arcs], model.arc_gs[arcs]
        return (
            np.bincount(m, weights=gs > 0, minlength=n_m),
            np.bincount(m, weights=gs < 0, minlength=n_m),
        )

    (f0, m0), (f1, m1) = by_gender(start), by_gender(grown)
    gd = model.g0 + f0 - m0
    rule = model.mis_tol >= 0
    tol = model.mis_tol
    assert (f1 - f0 <= np.maximum(tol - gd, 0))[rule].all()
    assert (m1 - m0 <= np.maximum(tol + gd, 0))[rule].all()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), n_vol=st.integers(0, 30), n_mis=st.integers(1, 6))
def test_project_and_the_augmented_start_keep_every_rule(seed: int, n_vol: int, n_mis: int) -> None:
    data = random_instance(seed, n_vol=n_vol, n_mis=n_mis)
    model = build_model(parse_instance(data))
    grown = augment(model, heur.fcfs(model).arcs())
    projected = project(model, grown).arcs()
    assert violations(model, projected) == []
    assert set(projected.tolist()) <= set(grown.tolist())

    greedy = State(model)
    greedy.insert_passes(heur.interleaved(model, heur.useful_arcs(model)), max_passes=3)
    st_ = heur.augmented_insert(model, time.perf_counter() + 2, 1.0)
    assert violations(model, st_.arcs()) == []
    assert st_.objective() <= greedy.objective()  # never worse than the greedy start


@settings(max_examples=200, deadline=None)
@given(
    groups=st.lists(
        st.tuples(
            st.integers(0, 6),
            st.lists(st.tuples(st.integers(0, 3), st.integers(0, 5)), min_size=1, max_size=3),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_split_hands_each_group_its_total(groups: list[tuple[int, list[tuple[int, int]]]]) -> None:
    """Each sub-group keeps what it uses; the rest goes to those with choices waiting, all of it
    when some wait; a sub-group with nothing waiting gets nothing more."""
    total, used, want, key = [], [], [], []
    for g, (extra, subs) in enumerate(groups):
        total.append(extra + sum(u for u, _ in subs))
        for u, w in subs:
            used.append(u)
            want.append(w)
            key.append(g)
    parts = _split(
        np.array(total, np.int64),
        np.array(used, np.int64),
        np.array(want, np.int64),
        np.array(key, np.int64),
    )
    u, w, k = np.array(used), np.array(want), np.array(key)
    assert (parts >= u).all()
    assert (parts[w == 0] == u[w == 0]).all()
    sums = np.bincount(k, weights=parts, minlength=len(total))
    for g, t in enumerate(total):
        waiting = (w[k == g] > 0).any()
        assert sums[g] == (t if waiting else u[k == g].sum())


def test_optimal_mode_without_time_for_the_lp_starts_from_the_augmented_flow(monkeypatch) -> None:
    """50k in 10 s: the LP cannot run, so the start is the augmented flow (whatever the min-cost
    flow's estimate); with time for the LP (10k in 60 s) the min-cost flow's start stays."""
    solve_module = importlib.import_module("reciprocity.placements.engine.solve")
    data = random_instance(77, n_vol=120, n_mis=12)
    inst = parse_instance(data)
    with_lp = solve(inst, mode="optimal", time_limit=3)
    assert with_lp.stats["start"] == "flow"
    monkeypatch.setattr(solve_module, "lp_seconds_estimate", lambda n_arcs: 1e9)
    for mode in ("optimal", "preview"):
        result = solve(inst, mode=mode, time_limit=3)
        assert result.stats["start"] == ("augmented" if mode == "optimal" else "flow")
        assert check(data, result.to_json()) == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), n_vol=st.integers(0, 7), n_mis=st.integers(1, 4))
def test_the_placed_bound_never_exceeds_the_exhaustive_optimum(
    seed: int, n_vol: int, n_mis: int
) -> None:
    """Every rule, penalties 100 or 3 (choices ranked past the penalty): `max_placed` is at most
    the exhaustive maximum without side rules, and the bound it gives is at most the
    exhaustive optimum and at least the best-choice bound."""
    data = random_instance(
        seed, n_vol=n_vol, n_mis=n_mis, countries=("FR", "SN", "DE"), max_choices=3
    )
    model = build_model(parse_instance(data))
    placeable = max_placed(model)
    copy = {**data, "missions": [dict(m) for m in data["missions"]]}
    # At most: the model leaves out arcs no rule can ever allow (a direction maximum of 0).
    assert placeable <= _max_placed(_without_side_rules(copy))
    bound = placed_bound(model, placeable)
    assert heur.choice_bound(model) <= bound <= brute_force_optimum(data) + 1e-9


def test_without_time_left_the_augmented_start_is_the_greedy_one_and_feasible() -> None:
    """Past its deadline (a machine too loaded), the flow and its projection are skipped."""
    data = random_instance(41, n_vol=60, n_mis=8)
    model = build_model(parse_instance(data))
    greedy = State(model)
    greedy.insert_passes(heur.interleaved(model, heur.useful_arcs(model)), max_passes=3)
    late = heur.augmented_insert(model, time.perf_counter() - 1.0, 1.0)
    assert violations(model, late.arcs()) == []
    # The moves may still make the one they were trying when they saw the clock.
    assert late.objective() <= greedy.objective()
    assert len(late.arcs()) <= len(greedy.arcs()) + 2


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), n_vol=st.integers(0, 30), n_mis=st.integers(1, 6))
def test_regrow_and_the_cycled_start_keep_every_rule(seed: int, n_vol: int, n_mis: int) -> None:
    """The flow's next round from an improved state (session 8b) stays feasible; the start
    with such rounds is never worse than the greedy one."""
    data = random_instance(seed, n_vol=n_vol, n_mis=n_mis)
    model = build_model(parse_instance(data))
    start = heur.fcfs(model).arcs()
    grown = augment(model, start)
    first = project(model, grown, first=start).arcs()
    assert violations(model, first) == []
    assert set(first.tolist()) <= set(grown.tolist())
    fcfs = heur.fcfs(model)
    assert violations(model, regrow(fcfs).arcs()) == []
    assert violations(model, regrow(fcfs, guarded=False).arcs()) == []
    # Refused arcs are those that one insertion alone could not make for a band.
    refused_arcs = np.flatnonzero(refused(fcfs))
    for e in refused_arcs.tolist():
        assert fcfs.placed[fcfs.av[e]] >= 0 or not fcfs.can_add(e)

    greedy = State(model)
    greedy.insert_passes(heur.interleaved(model, heur.useful_arcs(model)), max_passes=3)
    st_ = heur.augmented_insert(model, time.perf_counter() + 2, 1.0, second_round=True)
    assert violations(model, st_.arcs()) == []
    assert st_.objective() <= greedy.objective()
