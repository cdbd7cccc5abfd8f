"""Unplaced volunteers get a reason code and words naming missions and agreements."""

from __future__ import annotations

from reciprocity.placements.engine import REASONS, parse_instance, solve

from .conftest import random_instance


def unplaced(data: dict, mode: str = "optimal") -> dict[str, dict]:
    result = solve(parse_instance(data), mode=mode, time_limit=10).to_json()
    return {u["volunteer"]: u for u in result["unplaced"]}


def m(mid: str, cap: int = 3, host: str = "FR", **kw) -> dict:
    return {"id": mid, "capacity": cap, "host_country": host, **kw}


def v(vid: str, nat: str = "SN", gender: str = "F", choices: tuple[str, ...] = ("m1",)) -> dict:
    return {"id": vid, "nationality": nat, "gender": gender, "choices": list(choices)}


def test_no_choice() -> None:
    u = unplaced({"missions": [m("m1")], "volunteers": [v("a", choices=())]})["a"]
    assert u["reason"] == "no_choice" and "no eligible mission" in u["explanation"]


def test_choices_full_names_the_missions() -> None:
    data = {
        "missions": [m("m1", cap=1), m("m2", cap=0)],
        "volunteers": [v("a", choices=("m1",)), v("b", nat="DE", choices=("m1", "m2"))],
        "fixed": [{"volunteer": "a", "mission": "m1"}],
    }
    u = unplaced(data)["b"]
    assert u["reason"] == "choices_full"
    assert "m1 is full" in u["explanation"] and "m2 is full" in u["explanation"]


def test_nationality_cap() -> None:
    data = {
        "missions": [m("m1", max_per_nationality=1)],
        "volunteers": [v("a"), v("b", gender="M")],
    }
    u = next(iter(unplaced(data).values()))
    assert u["reason"] == "nationality_cap" and "from SN" in u["explanation"]


def test_gender_balance() -> None:
    data = {
        "missions": [m("m1", gender_tolerance=1)],
        "volunteers": [v("a", nat="SN"), v("b", nat="DE"), v("c", nat="JP")],
    }
    u = next(iter(unplaced(data).values()))
    assert u["reason"] == "gender_balance" and "gender tolerance of 1" in u["explanation"]


def test_reciprocity_tolerance_names_the_agreement() -> None:
    data = {
        "missions": [m("m1")],
        "volunteers": [v("a"), v("b", gender="M")],
        "agreements": [{"countries": ["FR", "SN"], "tolerance": 1}],
    }
    u = next(iter(unplaced(data).values()))
    assert u["reason"] == "reciprocity_tolerance"
    assert "FR-SN agreement" in u["explanation"] and "m1" in u["explanation"]


def test_agreement_maximum() -> None:
    data = {
        "missions": [m("m1")],
        "volunteers": [v("a"), v("b", gender="M")],
        "agreements": [{"countries": ["SN", "FR"], "tolerance": 5, "max": [1, 0]}],
    }
    u = next(iter(unplaced(data).values()))
    assert u["reason"] == "agreement_maximum" and "SN-FR agreement" in u["explanation"]


def test_outranked_when_the_penalty_is_below_the_rank() -> None:
    data = {"missions": [m("m1")], "volunteers": [v("a", choices=("m1",))], "unplaced_penalty": 1}
    u = unplaced(data)["a"]
    assert u["reason"] == "outranked" and "penalty 1" in u["explanation"]


def test_stable_mode_explains_held_back_places() -> None:
    # Three women then one man apply, tolerance 0: the man is placed, one woman
    # with him; the other women are held back for the balance.
    data = {
        "missions": [m("m1", cap=4, gender_tolerance=0)],
        "volunteers": [
            v("a", nat="SN"),
            v("b", nat="DE"),
            v("c", nat="JP"),
            v("d", nat="IT", gender="M"),
        ],
    }
    out = unplaced(data, "stable")
    assert {u["reason"] for u in out.values()} == {"gender_balance"}


def test_every_reason_is_a_known_code() -> None:
    for seed in range(10):
        for mode in ("optimal", "preview", "stable"):
            for u in unplaced(random_instance(seed), mode).values():
                assert u["reason"] in REASONS
                assert u["explanation"].startswith("Not placed")


def test_every_explanation_has_a_french_version_with_the_same_placeholders():
    import string

    from reciprocity.placements.engine.explain import MESSAGES

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    assert MESSAGES["en"].keys() == MESSAGES["fr"].keys()
    for key, english in MESSAGES["en"].items():
        assert fields(english) == fields(MESSAGES["fr"][key]), key


def test_explanations_render_in_french_with_mission_names():
    from reciprocity.placements.engine import parse_instance, solve
    from reciprocity.placements.engine.explain import render_explanation

    instance = parse_instance({
        "missions": [{"id": "m1", "capacity": 1, "host_country": "FR"}],
        "volunteers": [
            {"id": "v1", "nationality": "SN", "gender": "F", "choices": ["m1"]},
            {"id": "v2", "nationality": "TG", "gender": "M", "choices": ["m1"]},
            {"id": "v3", "nationality": "TG", "gender": "M", "choices": []},
        ],
    })
    result = solve(instance, mode="optimal", time_limit=5)
    by_volunteer = {u.volunteer: u for u in result.unplaced}
    full = by_volunteer["v2"]
    assert render_explanation(full.parts) == full.explanation
    assert render_explanation(full.parts, "fr", {"m1": "Jardins partagés"}) == (
        "Non affecté : Jardins partagés est complète (places prises : 1 sur 1).")
    assert render_explanation(by_volunteer["v3"].parts, "fr") == (
        "Non affecté : aucune mission éligible n'a été choisie.")


def test_countries_render_by_name_when_the_caller_gives_names() -> None:
    """The engine stores codes; the platform passes its country list's names (translated)."""
    from reciprocity.placements.engine.explain import country_codes, render_explanation

    data = {
        "missions": [m("m1")],
        "volunteers": [v("a"), v("b", gender="M")],
        "agreements": [{"countries": ["FR", "SN"], "tolerance": 1}],
    }
    result = solve(parse_instance(data), mode="optimal", time_limit=5)
    parts = result.unplaced[0].parts
    assert country_codes(parts) == {"FR", "SN"}
    english = render_explanation(parts, "en", country_names={"FR": "France", "SN": "Senegal"})
    assert "the France-Senegal agreement" in english
    assert "one more volunteer from Senegal in France" in english
    assert "SN" not in english and "FR" not in english
    french = render_explanation(parts, "fr", country_names={"FR": "France", "SN": "Sénégal"})
    assert "(pays d'accueil : France) : l'accord France-Sénégal" in french
    assert "dans le sens Sénégal->France" in french
    # Without names the codes stay (the stored English explanation).
    assert render_explanation(parts) == result.unplaced[0].explanation
    assert "FR-SN agreement" in result.unplaced[0].explanation


def test_nationality_cap_in_french_reads_with_a_country_name() -> None:
    from reciprocity.placements.engine.explain import render_explanation

    data = {"missions": [m("m1", max_per_nationality=1)], "volunteers": [v("a"), v("b", gender="M")]}
    result = solve(parse_instance(data), mode="optimal", time_limit=5)
    text = render_explanation(result.unplaced[0].parts, "fr", country_names={"SN": "Sénégal"})
    assert "1 volontaire(s) de cette nationalité (Sénégal ; au plus 1 par nationalité)" in text
