"""Parsing and validation: every kind of problem is reported, all at once."""

from __future__ import annotations

import pytest

from reciprocity.placements.engine import InvalidInstance, parse_instance


def base() -> dict:
    return {
        "missions": [
            {"id": "m1", "capacity": 2, "host_country": "FR", "gender_tolerance": 0},
            {"id": "m2", "capacity": 1, "host_country": "SN"},
        ],
        "volunteers": [
            {"id": "v1", "nationality": "SN", "gender": "F", "choices": ["m1"]},
            {"id": "v2", "nationality": "DE", "gender": "M", "choices": ["m1", "m2"]},
        ],
        "agreements": [{"countries": ["SN", "FR"], "tolerance": 1, "max": [3, None]}],
    }


def errors_of(data: object) -> list[str]:
    with pytest.raises(InvalidInstance) as exc:
        parse_instance(data)
    return exc.value.errors


def test_defaults() -> None:
    inst = parse_instance(base())
    assert inst.missions[1].max_per_nationality == 2
    assert inst.missions[1].gender_tolerance is None
    assert inst.unplaced_penalty == 100
    assert inst.agreements[0].maximum == (3, None)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["volunteers"][0]["choices"].append("m7"), "unknown mission 'm7'"),
        (lambda d: d["volunteers"][1].update(id="v1"), "duplicate volunteer id 'v1'"),
        (lambda d: d["missions"][1].update(id="m1"), "duplicate mission id 'm1'"),
        (lambda d: d["volunteers"][1]["choices"].append("m1"), "chosen more than once"),
        (lambda d: d["missions"][0].update(capacity=-2), "capacity must not be negative"),
        (lambda d: d["missions"][0].update(capacity=1.5), "capacity must be a whole number"),
        (lambda d: d["missions"][0].update(capacity=True), "capacity must be a whole number"),
        (lambda d: d["missions"][0].pop("capacity"), "capacity is missing"),
        (lambda d: d["missions"][0].update(host_country="fr"), "'fr' is not an ISO 3166-1"),
        (lambda d: d["missions"][0].update(host_country="XX"), "'XX' is not an ISO 3166-1"),
        (lambda d: d["volunteers"][0].update(nationality="ZZ"), "'ZZ' is not an ISO 3166-1"),
        (lambda d: d["volunteers"][0].update(gender="W"), "gender must be one of F, M, X"),
        (lambda d: d["missions"][0].update(max_per_nationality=-1), "max_per_nationality must not"),
        (lambda d: d["missions"][0].update(gender_tolerance=-1), "gender_tolerance must not"),
        (
            lambda d: d["agreements"].append({"countries": ["DE", "DE"], "tolerance": 1}),
            "with itself",
        ),
        (
            lambda d: d["agreements"].append({"countries": ["FR", "SN"], "tolerance": 1}),
            "given 2 times",
        ),
        (lambda d: d["agreements"][0].update(tolerance=-1), "tolerance must not be negative"),
        (lambda d: d["agreements"][0].pop("tolerance"), "tolerance is missing"),
        (lambda d: d["agreements"][0].update(max=[1]), "max must be a list of two"),
        (lambda d: d["agreements"][0].update(countries=["SN"]), "countries must be a list of two"),
        (lambda d: d.update(unplaced_penalty=-5), "unplaced_penalty must be a non-negative"),
        (lambda d: d.pop("volunteers"), "'volunteers' is missing"),
        (lambda d: d.update(missions={}), "'missions' must be a list"),
        (lambda d: d["volunteers"][0].update(id=""), "id must be a non-empty string"),
        (lambda d: d["volunteers"][0].update(choices="m1"), "choices must be a list"),
        (
            lambda d: d.update(fixed=[{"volunteer": "v9", "mission": "m1"}]),
            "unknown volunteer 'v9'",
        ),
        (lambda d: d.update(fixed=[{"volunteer": "v1", "mission": "m9"}]), "unknown mission 'm9'"),
        (
            lambda d: d.update(fixed=[{"volunteer": "v1", "mission": "m2"}] * 2),
            "placed more than once",
        ),
        (lambda d: d.update(fixed=[{"volunteer": "v1"}]), "must be an object with string"),
    ],
)
def test_each_problem_is_reported(change, message: str) -> None:
    data = base()
    change(data)
    assert any(message in e for e in errors_of(data)), errors_of(data)


def test_all_problems_are_listed_together() -> None:
    data = base()
    data["missions"][0]["capacity"] = -1
    data["volunteers"][0]["gender"] = "?"
    data["volunteers"][1]["choices"] = ["nope"]
    assert len(errors_of(data)) == 3


def test_not_an_object() -> None:
    assert errors_of([1, 2]) == ["the instance must be a JSON object"]


@pytest.mark.parametrize(
    ("fixed", "message"),
    [
        ([("v1", "m2"), ("v2", "m2")], "(capacity 1)"),
        ([("v1", "m1")], "above its gender tolerance 0"),
        ([("a", "m3"), ("b", "m3"), ("c", "m3")], "max 2 per nationality"),
        ([("a", "m2"), ("b", "m2")], "beyond its tolerance"),
        ([("x1", "m4"), ("x2", "m4"), ("x3", "m4"), ("x4", "m4")], "above its maximum 3"),
    ],
)
def test_fixed_placements_breaking_a_rule_are_invalid(fixed, message: str) -> None:
    data = base()
    data["missions"] += [
        {"id": "m3", "capacity": 9, "host_country": "JP"},
        {"id": "m4", "capacity": 9, "host_country": "FR"},
        {"id": "m5", "capacity": 9, "host_country": "SN"},
    ]
    data["missions"][1]["capacity"] = 5 if fixed[0][0] == "a" else 1
    data["volunteers"] += [
        {"id": i, "nationality": "FR", "gender": "X", "choices": []} for i in "abc"
    ]
    data["volunteers"] += [
        {"id": f"x{i}", "nationality": "SN", "gender": "X", "choices": []} for i in range(1, 5)
    ]
    data["volunteers"] += [
        {"id": f"y{i}", "nationality": "FR", "gender": "X", "choices": []} for i in range(1, 5)
    ]
    data["fixed"] = [{"volunteer": v, "mission": m} for v, m in fixed]
    if fixed[0][0] == "x":  # balance the tolerance so only the maximum is broken
        data["agreements"][0]["tolerance"] = 9
        data["fixed"] += [{"volunteer": f"y{i}", "mission": "m5"} for i in range(1, 5)]
    assert any(message in e for e in errors_of(data)), errors_of(data)
