"""Hypothesis: on tiny random instances the optimal mode matches an exhaustive search."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reciprocity.placements.engine import parse_instance, solve

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
