"""Mission requirements (age bounds on the start date, languages with levels) as hard rules."""

from __future__ import annotations

import importlib
from datetime import date
from typing import Any

import numpy as np
import pytest

from reciprocity.placements.engine import Language, parse_instance, solve
from reciprocity.placements.engine import heuristics as heur
from reciprocity.placements.engine.explain import render_explanation
from reciprocity.placements.engine.model import build_model
from reciprocity.placements.engine.stable import stable_matching

from .checker import check, requirement_broken
from .conftest import random_instance
from .test_instance import errors_of

MODES = ["optimal", "preview", "stable"]


def camp(mid: str = "m12", **kw: Any) -> dict[str, Any]:
    return {"id": mid, "capacity": 5, "host_country": "FR", "start_date": "2027-07-05", **kw}


def person(vid: str, **kw: Any) -> dict[str, Any]:
    return {"id": vid, "nationality": "SN", "gender": "F", "choices": ["m12"], **kw}


def outcome(data: dict[str, Any], mode: str = "optimal") -> dict[str, Any]:
    result = solve(parse_instance(data), mode=mode, time_limit=5).to_json()
    assert check(data, result) == []
    return result


def test_old_instances_stay_valid_and_have_no_requirement() -> None:
    inst = parse_instance({"missions": [{"id": "m1", "capacity": 1, "host_country": "FR"}],
                           "volunteers": [person("v1", choices=["m1"])]})
    assert inst.missions[0].start_date is None and inst.missions[0].languages == ()
    assert not inst.missions[0].has_requirements
    assert inst.volunteers[0].birth_date is None and inst.volunteers[0].languages == ()


def test_fields_are_parsed_with_levels_on_the_cefr_scale() -> None:
    inst = parse_instance({
        "missions": [camp(age_min=18, age_max=30, languages=[{"code": "FR", "level": "b1"}, "en"])],
        "volunteers": [person("v1", birth_date="2008-02-29",
                              languages=[{"code": "fr", "level": 3}, {"code": "en"}, "de"])],
    })
    m, v = inst.missions[0], inst.volunteers[0]
    assert (m.start_date, m.age_min, m.age_max) == (date(2027, 7, 5), 18, 30)
    assert m.languages == (Language("fr", 3), Language("en", None))
    assert v.birth_date == date(2008, 2, 29)
    # VEF 3 is stored as B2 (rank 4).
    assert v.languages == (Language("fr", 4), Language("en", None), Language("de", None))


@pytest.mark.parametrize(("mission", "volunteer", "message"), [
    ({"age_min": 18, "start_date": None}, {}, "start_date is missing"),
    ({"age_min": 30, "age_max": 18}, {}, "age_min 30 is above age_max 18"),
    ({"age_min": -1}, {}, "age_min must not be negative"),
    ({"start_date": "05/07/2027"}, {}, "start_date must be a date"),
    ({}, {"birth_date": "2008-02-30"}, "birth_date must be a date"),
    ({"languages": [{"code": "fr", "level": "D1"}]}, {}, "not a language level"),
    ({"languages": [{"code": "fr", "level": 5}]}, {}, "a VEF language level is 1 to 4"),
    ({"languages": [{"code": "fr", "level": True}]}, {}, "not a language level"),
    ({"languages": [{"code": "french"}]}, {}, "needs a code of two or three letters"),
    ({}, {"languages": ["fr", {"code": "FR", "level": "A1"}]}, "'fr' is given more than once"),
    ({}, {"languages": "fr"}, "languages must be a list"),
])
def test_each_requirement_problem_is_reported(mission: dict, volunteer: dict, message: str) -> None:
    data = {"missions": [camp(**mission)], "volunteers": [person("v1", **volunteer)]}
    assert any(message in e for e in errors_of(data)), errors_of(data)


def test_a_fixed_placement_breaking_a_requirement_makes_the_instance_invalid() -> None:
    data = {"missions": [camp(age_min=18)], "volunteers": [person("v1", birth_date="2010-01-01")],
            "fixed": [{"volunteer": "v1", "mission": "m12"}]}
    assert errors_of(data) == [
        "fixed placement of 'v1': too young for m12: 17 on 2027-07-05, minimum 18"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("start", "placed"), [("2026-02-28", False), ("2026-03-01", True)])
def test_a_29_february_birthday_counts_from_1_march(mode: str, start: str, placed: bool) -> None:
    data = {"missions": [camp(start_date=start, age_min=18)],
            "volunteers": [person("v1", birth_date="2008-02-29")]}
    result = outcome(data, mode)
    assert bool(result["assignments"]) is placed
    if not placed:
        assert result["unplaced"][0]["explanation"] == (
            f"Not placed: too young for m12: 17 on {start}, minimum 18.")


@pytest.mark.parametrize("mode", MODES)
def test_age_bounds_are_inclusive_and_an_unknown_age_meets_none(mode: str) -> None:
    data = {"missions": [camp(age_min=18, age_max=30)], "volunteers": [
        person("just18", birth_date="2009-07-05"), person("just30", birth_date="1996-07-06"),
        person("31", birth_date="1996-07-05"), person("unknown"),
    ]}
    result = outcome(data, mode)
    assert sorted(a["volunteer"] for a in result["assignments"]) == ["just18", "just30"]
    unplaced = {u["volunteer"]: u for u in result["unplaced"]}
    assert {u["reason"] for u in unplaced.values()} == {"age_limit"}
    assert unplaced["31"]["explanation"] == (
        "Not placed: too old for m12: 31 on 2027-07-05, maximum 30.")
    assert unplaced["unknown"]["explanation"] == (
        "Not placed: m12 has an age limit and the volunteer's birth date is not known.")


@pytest.mark.parametrize("mode", MODES)
def test_every_required_language_at_its_level(mode: str) -> None:
    need = [{"code": "fr", "level": "B1"}, {"code": "en"}]
    data = {"missions": [camp(capacity=9, languages=need)], "volunteers": [
        person("ok", languages=[{"code": "fr", "level": "B2"}, "en"]),
        person("vef3", languages=[{"code": "fr", "level": 3}, {"code": "en", "level": "A1"}]),
        person("vef2", languages=[{"code": "fr", "level": 2}, "en"]),
        person("no_en", languages=[{"code": "fr", "level": "C2"}]),
        person("no_level", languages=["fr", "en"]),
        person("no_fr", languages=["en"]),
    ]}
    result = outcome(data, mode)
    assert sorted(a["volunteer"] for a in result["assignments"]) == ["ok", "vef3"]
    words = {u["volunteer"]: u["explanation"] for u in result["unplaced"]}
    assert {u["reason"] for u in result["unplaced"]} == {"language_requirement"}
    assert words == {
        "vef2": "Not placed: m12 requires fr at level B1 or above; the volunteer has A2.",
        "no_en": "Not placed: m12 requires en, which the volunteer does not list.",
        "no_level": "Not placed: m12 requires fr at level B1 or above; the volunteer's level is "
                    "not stated.",
        "no_fr": "Not placed: m12 requires fr at level B1 or above, which the volunteer does not "
                 "list.",
    }


def test_a_rejected_choice_leaves_room_for_the_next_choice_with_its_own_rank() -> None:
    data = {"missions": [camp(age_max=25), camp("m2", start_date=None)],
            "volunteers": [person("v1", birth_date="1980-01-01", choices=["m12", "m2"])]}
    result = outcome(data, "stable")
    assert result["assignments"] == [{"volunteer": "v1", "mission": "m2", "rank": 2}]


def test_explanations_of_requirements_in_french() -> None:
    parts = [("too_young", {"mission": "m12", "age": 17, "on": "2027-07-05", "minimum": 18}),
             ("language_level", {"mission": "m3", "language": "fr", "level": "B1", "has": "A2"})]
    assert render_explanation(parts, "fr", {"m12": "Chantier des Vosges"}) == (
        "Non affecté : trop jeune pour Chantier des Vosges : 17 ans le 2027-07-05, minimum 18; "
        "m3 demande la langue fr au niveau B1 au moins ; le volontaire a le niveau A2.")


def test_the_checker_refuses_a_proposal_breaking_an_age_or_a_language_rule() -> None:
    data = {"missions": [camp(age_min=18), camp("m2", languages=[{"code": "fr", "level": "B2"}])],
            "volunteers": [person("young", birth_date="2010-01-01"),
                           person("weak", choices=["m2"], languages=[{"code": "fr", "level": 2}])]}
    forged = {"status": "feasible", "objective": 2, "bound": None, "gap": None,
              "bound_source": None, "seconds": 0.1,
              "assignments": [{"volunteer": "young", "mission": "m12", "rank": 1},
                              {"volunteer": "weak", "mission": "m2", "rank": 1}],
              "unplaced": []}
    problems = check(data, forged)
    assert len(problems) == 2
    assert "young is 17 on 2027-07-05, outside 18..None of m12" in problems[0]
    assert "weak speaks fr at 2, below 4 (m2)" in problems[1]


def _broken(data: dict[str, Any], pairs: list[tuple[str, str]]) -> list[str]:
    missions = {m["id"]: m for m in data["missions"]}
    vols = {v["id"]: v for v in data["volunteers"]}
    return [b for v, m in pairs if (b := requirement_broken(vols[v], missions[m]))]


@pytest.mark.parametrize("seed", range(6))
def test_baselines_and_stable_never_use_an_ineligible_choice(seed: int) -> None:
    data = random_instance(300 + seed, n_vol=80, n_mis=10, requirements=True)
    model = build_model(parse_instance(data))
    assert model.n_ineligible > 0
    for st in (heur.fcfs(model), heur.greedy_rank(model), stable_matching(model).state,
               heur.flow_insert(model, float("inf"), 0.2)[0]):
        arcs = st.arcs()
        pairs = [(model.volunteer_ids[v], model.mission_ids[m])
                 for v, m in zip(model.arc_v[arcs], model.arc_m[arcs], strict=True)]
        assert _broken(data, pairs) == []
    # The flow relaxation (the preview's bound) and LP rounding see the same arcs.
    chosen, _bound = heur.flow_relaxation(model)
    assert np.isin(chosen, np.arange(model.n_arcs)).all()


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("seed", range(5))
def test_every_mode_keeps_requirements_on_random_instances(mode: str, seed: int) -> None:
    outcome(random_instance(seed, n_vol=60, n_mis=10, requirements=True), mode)


def test_large_model_path_keeps_requirements(monkeypatch) -> None:
    """LP rounding, fix-and-optimise and LNS (the path above ~3k volunteers) on small data."""
    solve_module = importlib.import_module("reciprocity.placements.engine.solve")
    monkeypatch.setattr(solve_module, "FULL_MIP_MAX_ARCS", 0)
    monkeypatch.setattr(solve_module, "TINY_ARCS", 0)
    data = random_instance(77, n_vol=150, n_mis=20, requirements=True)
    result = solve(parse_instance(data), mode="optimal", time_limit=1.5)
    assert check(data, result.to_json()) == []
    assert result.stats["ineligible_choices"] > 0


def test_vef_levels_are_read_as_the_exchange_import_stores_them() -> None:
    from reciprocity.domain.languages import CEFR_OF_VEF
    from reciprocity.exchange.mapping import CEFR_OF_LEVEL

    assert CEFR_OF_LEVEL == CEFR_OF_VEF
