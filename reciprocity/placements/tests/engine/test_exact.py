"""Hypothesis: on tiny random instances the optimal mode matches an exhaustive search."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reciprocity.placements.engine import mip, parse_instance, solve
from reciprocity.placements.engine.model import Model, build_model

from .brute import brute_force_optimum
from .checker import check
from .conftest import random_instance


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), n_vol=st.integers(0, 7), n_mis=st.integers(1, 4))
def test_optimal_mode_matches_brute_force(seed: int, n_vol: int, n_mis: int) -> None:
    data = random_instance(
        seed, n_vol=n_vol, n_mis=n_mis, countries=("FR", "SN", "DE"), max_choices=3
    )
    result = solve(parse_instance(data), mode="optimal", time_limit=10).to_json()
    assert check(data, result) == []
    assert result["status"] == "optimal"
    assert result["objective"] == brute_force_optimum(data)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10**6), mode=st.sampled_from(["preview", "stable"]))
def test_heuristic_modes_are_feasible_and_bounded_by_the_optimum(seed: int, mode: str) -> None:
    data = random_instance(seed, n_vol=6, n_mis=3, countries=("FR", "SN", "DE"), max_choices=3)
    result = solve(parse_instance(data), mode=mode, time_limit=5).to_json()
    assert check(data, result) == []
    assert result["objective"] >= brute_force_optimum(data)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), n_vol=st.integers(0, 7), n_mis=st.integers(1, 4))
def test_optimal_mode_matches_brute_force_with_ages_and_languages(
    seed: int, n_vol: int, n_mis: int
) -> None:
    data = random_instance(
        seed, n_vol=n_vol, n_mis=n_mis, countries=("FR", "SN", "DE"), max_choices=3,
        requirements=True,
    )
    result = solve(parse_instance(data), mode="optimal", time_limit=10).to_json()
    assert check(data, result) == []
    assert result["status"] == "optimal"
    assert result["objective"] == brute_force_optimum(data)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10**6), mode=st.sampled_from(["preview", "stable"]))
def test_heuristic_modes_keep_ages_and_languages(seed: int, mode: str) -> None:
    data = random_instance(
        seed, n_vol=6, n_mis=3, countries=("FR", "SN", "DE"), max_choices=3, requirements=True
    )
    result = solve(parse_instance(data), mode=mode, time_limit=5).to_json()
    assert check(data, result) == []
    assert result["objective"] >= brute_force_optimum(data)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), n_vol=st.integers(0, 7), n_mis=st.integers(1, 4))
def test_every_reported_bound_is_at_most_the_optimum(seed: int, n_vol: int, n_mis: int) -> None:
    """Issue 17: the bound is valid whatever its source (minimisation: bound <= optimum).

    The LP bound is also checked straight from `solve_lp` (loose interior-point
    tolerance, bound from the duals by weak duality), before any rounding.
    """
    data = random_instance(
        seed, n_vol=n_vol, n_mis=n_mis, countries=("FR", "SN", "DE"), max_choices=3
    )
    optimum = brute_force_optimum(data)
    for mode in ("optimal", "preview"):
        result = solve(parse_instance(data), mode=mode, time_limit=5).to_json()
        assert check(data, result) == []
        assert result["bound"] is not None and result["bound_source"] in ("lp", "mip", "flow")
        assert result["bound"] <= optimum
    model = build_model(parse_instance(data))
    lp = mip.solve_lp(mip.build_matrix(model), 10)
    assert lp.bound is not None and lp.bound <= optimum + 1e-6


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6))
def test_lp_bound_at_loose_tolerance_is_valid_and_close_to_the_lp_optimum(seed: int) -> None:
    """Weak duality keeps the bound below the LP optimum (simplex, exact) at any tolerance,
    and the loose interior point loses at most 0.1 % of it."""
    data = random_instance(seed, n_vol=120, n_mis=12, max_choices=5)
    mat = mip.build_matrix(build_model(parse_instance(data)))
    lp = mip.solve_lp(mat, 30)
    h = mip._highs(mat, integer=False)
    h.setOptionValue("solver", "simplex")
    h.run()
    exact = h.getInfo().objective_function_value + mat.constant
    assert lp.bound is not None
    assert lp.bound <= exact + 1e-6
    assert lp.bound >= exact - 1e-3 * max(1.0, abs(exact))


def _integer_points(model: Model) -> list[np.ndarray]:
    """Every 0/1 vector over the free arcs with at most one arc per volunteer."""
    points = [np.zeros(model.n_arcs)]
    for v in range(model.n_vol):
        arcs = range(model.vol_start[v], model.vol_start[v + 1])
        grown = []
        for p in points:
            grown.append(p)
            for e in arcs:
                q = p.copy()
                q[e] = 1.0
                grown.append(q)
        points = grown
    return points


def _feasible(mat: mip.Matrix, x: np.ndarray) -> bool:
    ax = mat.a @ x
    return bool(np.all(ax >= mat.row_lo - 1e-9) and np.all(ax <= mat.row_hi + 1e-9))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), n_new=st.integers(0, 5))
def test_gender_parity_cuts_keep_every_integer_assignment(seed: int, n_new: int) -> None:
    """Session 7: the cuts only remove fractional points. Every integer assignment that
    keeps the plain rows keeps the cut rows too, also with fixed placements (whose gender
    balance g0 shifts the cuts): the first volunteers' optimal placements are fixed and
    new volunteers added, as in an incremental run."""
    data = random_instance(seed, n_vol=6, n_mis=3, countries=("FR", "SN", "DE"), max_choices=3)
    first = solve(parse_instance(data), mode="optimal", time_limit=5).to_json()
    more = random_instance(seed + 1, n_vol=n_new, n_mis=3, countries=("FR", "SN", "DE"))
    new = [dict(v, id=f"n{v['id']}") for v in more["volunteers"]]
    data = dict(
        data,
        volunteers=data["volunteers"] + new,
        fixed=[
            {"volunteer": a["volunteer"], "mission": a["mission"]} for a in first["assignments"]
        ],
    )
    model = build_model(parse_instance(data))
    plain, cut = mip.build_matrix(model, cuts=False), mip.build_matrix(model)
    for x in _integer_points(model):
        if _feasible(plain, x):
            assert _feasible(cut, x)


def test_gender_parity_cut_lifts_the_lp_bound() -> None:
    """Three places, band 0, two women and two men: the plain LP places 1.5 of each, an
    integer solution at most one of each; the cut F <= floor(3 / 2) closes that gap."""
    data = {
        "missions": [
            {
                "id": "m",
                "capacity": 3,
                "host_country": "FR",
                "max_per_nationality": 4,
                "gender_tolerance": 0,
            }
        ],
        "volunteers": [
            {"id": f"{g}{i}", "nationality": "SN", "gender": g, "choices": ["m"]}
            for g in "FM"
            for i in range(2)
        ],
    }
    model = build_model(parse_instance(data))
    plain = mip.solve_lp(mip.build_matrix(model, cuts=False), 10).bound
    cut = mip.solve_lp(mip.build_matrix(model), 10).bound
    assert plain is not None and cut is not None
    assert round(plain) == 100 + 3  # three placed at rank 1 (1.5 + 1.5), one unplaced
    assert round(cut) == brute_force_optimum(data) == 2 * 100 + 2


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6))
def test_lp_with_crossover_gives_a_valid_bound_and_a_vertex(seed: int) -> None:
    """Session 7: the crossover (an LP with time to spare) changes neither the bound's
    validity nor, beyond the interior point's tolerance, its value; its answer is a vertex,
    so it keeps the rows like any LP solution."""
    data = random_instance(seed, n_vol=120, n_mis=12, max_choices=5)
    mat = mip.build_matrix(build_model(parse_instance(data)))
    loose = mip.solve_lp(mat, 30)
    vertex = mip.solve_lp(mat, 30, crossover=True)
    assert loose.bound is not None and vertex.bound is not None and vertex.x is not None
    assert abs(vertex.bound - loose.bound) <= 1e-3 * max(1.0, abs(loose.bound))
    ax = mat.a @ vertex.x
    assert np.all(ax <= mat.row_hi + 1e-6) and np.all(ax >= mat.row_lo - 1e-6)
