"""Each mode on random and corner instances: every result passes the independent checker."""

from __future__ import annotations

import json

import pytest

from reciprocity.placements.engine import parse_instance, solve

from .checker import check
from .conftest import random_instance

MODES = ["optimal", "preview", "stable"]


def solved(data: dict, mode: str, time_limit: float = 10.0) -> dict:
    result = solve(parse_instance(data), mode=mode, time_limit=time_limit).to_json()
    json.dumps(result)  # must be JSON-serialisable
    assert check(data, result) == []
    return result


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("seed", range(8))
def test_every_mode_keeps_every_rule_on_random_instances(mode: str, seed: int) -> None:
    solved(random_instance(seed, n_vol=60, n_mis=10), mode)


def test_optimal_is_no_worse_than_the_other_modes() -> None:
    for seed in range(5):
        data = random_instance(100 + seed, n_vol=80, n_mis=12)
        opt = solved(data, "optimal")
        assert opt["status"] == "optimal"
        for mode in ("preview", "stable"):
            assert opt["objective"] <= solved(data, mode)["objective"]


def mission(mid: str, cap: int = 2, host: str = "FR", **kw) -> dict:
    return {"id": mid, "capacity": cap, "host_country": host, **kw}


def vol(vid: str, nat: str = "SN", gender: str = "F", choices: tuple[str, ...] = ("m1",)) -> dict:
    return {"id": vid, "nationality": nat, "gender": gender, "choices": list(choices)}


@pytest.mark.parametrize("mode", MODES)
def test_a_mission_nobody_can_fill(mode: str) -> None:
    data = {
        "missions": [mission("m1", cap=0), mission("m2", cap=3)],
        "volunteers": [vol("v1", choices=("m1",)), vol("v2", gender="M", choices=("m1", "m2"))],
    }
    r = solved(data, mode)
    assert [(a["volunteer"], a["mission"], a["rank"]) for a in r["assignments"]] == [
        ("v2", "m2", 2)
    ]
    assert r["unplaced"][0]["reason"] == "choices_full"


@pytest.mark.parametrize("mode", MODES)
def test_an_agreement_forcing_zero_flow(mode: str) -> None:
    # Tolerance 0 and nobody can go the other way: SN->FR must stay at 0.
    data = {
        "missions": [mission("m1", cap=5, host="FR"), mission("m2", cap=5, host="DE")],
        "volunteers": [vol(f"v{i}", choices=("m1",)) for i in range(3)]
        + [vol("w", nat="DE", gender="M", choices=("m2",))],
        "agreements": [{"countries": ["SN", "FR"], "tolerance": 0}],
    }
    r = solved(data, mode)
    assert [a["volunteer"] for a in r["assignments"]] == ["w"]
    assert {u["reason"] for u in r["unplaced"]} == {"reciprocity_tolerance"}


@pytest.mark.parametrize("mode", MODES)
def test_gender_tolerance_zero_needs_pairs(mode: str) -> None:
    data = {
        "missions": [mission("m1", cap=4, gender_tolerance=0)],
        "volunteers": [
            vol("a", nat="SN"),
            vol("b", nat="DE"),
            vol("c", nat="JP", gender="M"),
            vol("d", nat="IT", gender="X"),
        ],
    }
    r = solved(data, mode)
    assert {a["volunteer"] for a in r["assignments"]} == {"a", "c", "d"}
    assert r["unplaced"][0]["reason"] == "gender_balance"


def test_fixed_placements_are_kept_and_counted() -> None:
    data = {
        "missions": [mission("m1", cap=2), mission("m2", cap=2)],
        "volunteers": [
            vol("v1", choices=("m1", "m2")),
            vol("v2", nat="DE", choices=("m1",)),
            vol("v3", nat="JP", choices=("m1",)),
        ],
        "fixed": [{"volunteer": "v1", "mission": "m2"}, {"volunteer": "v2", "mission": "m1"}],
    }
    for mode in MODES:
        r = solved(data, mode)
        got = {a["volunteer"]: (a["mission"], a["rank"]) for a in r["assignments"]}
        assert got == {"v1": ("m2", 2), "v2": ("m1", 1), "v3": ("m1", 1)}


def test_fixed_outside_choices_ranks_after_them() -> None:
    data = {
        "missions": [mission("m1"), mission("m2")],
        "volunteers": [vol("v1", choices=("m1",))],
        "fixed": [{"volunteer": "v1", "mission": "m2"}],
    }
    r = solved(data, "optimal")
    assert r["assignments"] == [{"volunteer": "v1", "mission": "m2", "rank": 2}]


def test_objective_zero_and_empty_instance() -> None:
    r = solved({"missions": [], "volunteers": []}, "optimal")
    assert (r["objective"], r["bound"], r["gap"], r["status"]) == (0, 0, 0.0, "optimal")
    r = solved(
        {"missions": [mission("m1")], "volunteers": [vol("v")], "unplaced_penalty": 0}, "optimal"
    )
    assert r["objective"] in (0, 1)


def test_agreement_maximum_blocks() -> None:
    data = {
        "missions": [mission("m1", cap=5, host="FR"), mission("m2", cap=5, host="SN")],
        "volunteers": [
            vol("a", choices=("m1",)),
            vol("b", nat="SN", gender="M", choices=("m1",)),
            vol("c", nat="FR", choices=("m2",)),
        ],
        "agreements": [{"countries": ["SN", "FR"], "tolerance": 3, "max": [1, None]}],
    }
    r = solved(data, "optimal")
    assert len(r["assignments"]) == 2
    assert r["unplaced"][0]["reason"] == "agreement_maximum"
    assert "SN-FR" in r["unplaced"][0]["explanation"]


def test_stable_respects_application_order() -> None:
    data = {
        "missions": [mission("m1", cap=1), mission("m2", cap=1)],
        "volunteers": [vol("early", choices=("m1", "m2")), vol("late", nat="DE", choices=("m1",))],
    }
    r = solved(data, "stable")
    assert {a["volunteer"]: a["mission"] for a in r["assignments"]} == {"early": "m1"}
    assert r["unplaced"][0]["reason"] == "choices_full"
    # The optimiser places both instead.
    assert len(solved(data, "optimal")["assignments"]) == 2


def test_progress_callback_reports_stages() -> None:
    seen: list[tuple[str, float | None]] = []
    solve(parse_instance(random_instance(3)), progress=lambda s, v: seen.append((s, v)))
    assert seen and seen[0][0] == "preview"
    assert all(v is not None for _, v in seen)


@pytest.mark.parametrize("seed", range(3))
def test_large_model_path_lp_fix_and_lns_keeps_every_rule(monkeypatch, seed: int) -> None:
    """Force the path used above ~3k volunteers (LP, fix-and-optimise, LNS) on small data."""
    import importlib

    solve_module = importlib.import_module("reciprocity.placements.engine.solve")

    monkeypatch.setattr(solve_module, "FULL_MIP_MAX_ARCS", 0)
    monkeypatch.setattr(solve_module, "TINY_ARCS", 0)
    data = random_instance(200 + seed, n_vol=150, n_mis=20)
    result = solved(data, "optimal", time_limit=1.5)
    preview = solved(data, "preview")
    assert result["objective"] <= preview["objective"]
