"""Hypothesis: on tiny random instances the optimal mode matches an exhaustive search."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reciprocity.placements.engine import mip, parse_instance, solve
from reciprocity.placements.engine.model import build_model

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
