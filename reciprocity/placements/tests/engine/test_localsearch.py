"""Local moves keep every rule and only improve: the gender ejection chains (issue 17)."""

from __future__ import annotations

import time
from collections import defaultdict

import numpy as np
import pytest

from reciprocity.placements.engine import heuristics as heur
from reciprocity.placements.engine import parse_instance
from reciprocity.placements.engine.localsearch import (
    chain_index,
    eject,
    gender_chains,
    improve,
    try_move,
)
from reciprocity.placements.engine.model import build_model
from reciprocity.placements.engine.state import State, violations

from .conftest import random_instance


def _arc(model, vid: str, mid: str) -> int:
    v, m = model.volunteer_ids.index(vid), model.mission_ids.index(mid)
    return next(e for e in range(model.n_arcs) if model.arc_v[e] == v and model.arc_m[e] == m)


def test_a_chain_of_two_moves_places_a_woman_blocked_by_the_band() -> None:
    """w1 needs a man in m1 (tolerance 0); m1's only candidate man sits in m2 (tolerance 0,
    with a woman), which then needs the man of m3 (no gender rule): two moves, one more placed."""
    data = {
        "missions": [
            {"id": "m1", "capacity": 2, "host_country": "FR", "gender_tolerance": 0},
            {"id": "m2", "capacity": 2, "host_country": "FR", "gender_tolerance": 0},
            {"id": "m3", "capacity": 1, "host_country": "FR"},
        ],
        "volunteers": [
            {"id": "w1", "nationality": "SN", "gender": "F", "choices": ["m1"]},
            {"id": "a", "nationality": "DE", "gender": "M", "choices": ["m2", "m1"]},
            {"id": "w2", "nationality": "JP", "gender": "F", "choices": ["m2"]},
            {"id": "b", "nationality": "IT", "gender": "M", "choices": ["m3", "m2"]},
        ],
    }
    model = build_model(parse_instance(data))
    st = State(model)
    for vid, mid in (("a", "m2"), ("w2", "m2"), ("b", "m3")):
        st.add(_arc(model, vid, mid))
    before = st.objective()
    assert not st.can_add(_arc(model, "w1", "m1"))

    assert gender_chains(st, time.perf_counter() + 5) == 1

    placed = {model.volunteer_ids[model.arc_v[e]]: model.mission_ids[model.arc_m[e]] for e in st.arcs()}
    assert placed == {"w1": "m1", "a": "m1", "w2": "m2", "b": "m2"}
    assert st.objective() < before
    assert violations(model, st.arcs()) == []


@pytest.mark.parametrize("seed", range(40))
def test_improve_keeps_every_rule_and_never_worsens(seed: int) -> None:
    data = random_instance(900 + seed, n_vol=60, n_mis=8)
    model = build_model(parse_instance(data))
    st = heur.fcfs(model)
    before = st.objective()
    improve(st, time.perf_counter() + 2)
    assert violations(model, st.arcs()) == []
    assert st.objective() <= before


@pytest.mark.parametrize("seed", range(2))
def test_mid_size_path_lp_fix_and_optimise_keeps_every_rule(monkeypatch, seed: int) -> None:
    """Small models with little time left take LP, fix-and-optimise, then LNS; large ones
    (test_modes) local moves on the rounding instead."""
    import importlib

    from reciprocity.placements.engine import solve

    from .checker import check

    solve_module = importlib.import_module("reciprocity.placements.engine.solve")
    monkeypatch.setattr(solve_module, "TINY_ARCS", 0)
    monkeypatch.setattr(solve_module, "FULL_MIP_MIN_SECONDS", 1e9)
    data = random_instance(300 + seed, n_vol=150, n_mis=20)
    result = solve(parse_instance(data), mode="optimal", time_limit=1.5).to_json()
    assert check(data, result) == []
    assert result["bound"] is not None and result["bound"] <= result["objective"]


@pytest.mark.parametrize("mode", ["preview", "optimal"])
@pytest.mark.parametrize("seed", range(3))
def test_without_time_for_the_flow_the_greedy_start_keeps_every_rule(
    monkeypatch, mode: str, seed: int
) -> None:
    """When the min-cost flow would not fit in the time (it cannot be interrupted), the preview
    starts greedily (grown by a max flow) and reports the placed-count bound (session 8)."""
    import importlib

    from reciprocity.placements.engine import solve

    from .checker import check

    solve_module = importlib.import_module("reciprocity.placements.engine.solve")
    monkeypatch.setattr(solve_module, "FLOW_SHARE", 0.0)
    data = random_instance(500 + seed, n_vol=80, n_mis=10)
    result = solve(parse_instance(data), mode=mode, time_limit=2).to_json()
    assert check(data, result) == []
    if mode == "preview":
        assert result["bound_source"] == "placed"
    assert result["bound"] <= result["objective"]


def _eject_without_pruning(st: State) -> int:
    """`eject` as it was before session 8b: every placed member of the mission is tried."""
    model = st.model
    members: dict[int, set[int]] = defaultdict(set)
    for e in st.placed:
        if e >= 0:
            members[st.am[e]].add(e)
    starts = model.vol_start.tolist()
    pen, rank, gained = model.penalty, st.rank, 0
    useful = np.flatnonzero(model.arc_rank < pen)
    unplaced = useful[np.asarray(st.placed)[model.arc_v[useful]] < 0]
    for e in unplaced.tolist():
        if st.placed[st.av[e]] >= 0:
            continue
        m = st.am[e]
        nat_full = st.grp[st.ag[e]] <= 0
        for w_arc in list(members[m]):
            if nat_full and st.ag[w_arc] != st.ag[e]:
                continue
            w = st.av[w_arc]
            for f in range(starts[w], starts[w + 1]):
                if f == w_arc or rank[f] >= pen:
                    continue
                if st.cap[st.am[f]] <= 0 or st.grp[st.ag[f]] <= 0:
                    continue
                if pen - rank[e] - (rank[f] - rank[w_arc]) <= 0:
                    continue
                if try_move(st, [w_arc], [e, f]):
                    members[m].discard(w_arc)
                    members[m].add(e)
                    members[st.am[f]].add(f)
                    gained += 1
                    break
            if st.placed[st.av[e]] >= 0:
                break
    return gained


@pytest.mark.parametrize("seed", range(60))
def test_eject_skips_only_moves_the_rules_would_refuse(seed: int) -> None:
    """The gender and agreement shortcuts of `eject` (session 8b) change nothing it finds."""
    data = random_instance(3000 + seed, n_vol=80, n_mis=8, countries=("FR", "SN", "DE", "JP", "BR"))
    model = build_model(parse_instance(data))
    pruned, reference = heur.fcfs(model), heur.fcfs(model)
    gained = eject(pruned, time.perf_counter() + 60)
    assert gained == _eject_without_pruning(reference)
    assert pruned.placed == reference.placed
    assert violations(model, pruned.arcs()) == []


@pytest.mark.parametrize("seed", range(10))
def test_chain_index_lists_gendered_arcs_by_rank_then_arc_order(seed: int) -> None:
    model = build_model(parse_instance(random_instance(5000 + seed, n_vol=60, n_mis=6)))
    expected: dict[tuple[int, int], list[int]] = defaultdict(list)
    useful = np.flatnonzero((model.arc_rank < model.penalty) & (model.arc_gs != 0))
    for f in useful[np.argsort(model.arc_rank[useful], kind="stable")].tolist():
        expected[(int(model.arc_m[f]), int(model.arc_gs[f]))].append(f)
    assert chain_index(model) == dict(expected)
