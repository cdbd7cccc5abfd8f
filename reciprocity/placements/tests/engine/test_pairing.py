"""Cohort pairing: most pairs first, then compatibility; explanations; validation."""

from __future__ import annotations

import pytest

from reciprocity.placements.engine import InvalidCohort, pair_cohort, parse_cohort


def person(
    pid: str,
    langs: list[str],
    themes: list[str],
    start: str = "2026-06-01",
    end: str = "2026-08-31",
    **kw,
) -> dict:
    return {
        "id": pid,
        "languages": langs,
        "themes": themes,
        "available_from": start,
        "available_to": end,
        **kw,
    }


def test_maximises_pairs_before_scores() -> None:
    # f1 fits g1 best, but g2 can only go with f1: two pairs beat one great pair.
    cohort = parse_cohort(
        {
            "french": [person("f1", ["fr", "en"], ["env"]), person("f2", ["fr"], ["art"])],
            "foreign": [
                person("g1", ["fr", "en"], ["env"], nationality="SN"),
                person("g2", ["en"], ["env"], nationality="DE"),
            ],
        }
    )
    result = pair_cohort(cohort).to_json()
    assert sorted((p["french"], p["foreign"]) for p in result["pairs"]) == [
        ("f1", "g2"),
        ("f2", "g1"),
    ]
    assert all("both speak" in p["explanation"] for p in result["pairs"])


def test_incompatible_people_stay_unpaired_with_a_reason() -> None:
    cohort = parse_cohort(
        {
            "french": [person("f1", ["fr"], [])],
            "foreign": [
                person("g1", ["es"], []),
                person("g2", ["fr"], [], "2027-01-01", "2027-02-01"),
            ],
        }
    )
    result = pair_cohort(cohort).to_json()
    assert result["pairs"] == []
    assert {u["reason"] for u in result["unpaired"]} == {"no_compatible_partner"}


def test_score_rewards_themes_and_dates() -> None:
    cohort = parse_cohort(
        {
            "french": [person("f1", ["fr"], ["env", "art"])],
            "foreign": [person("g1", ["fr"], ["env", "art"]), person("g2", ["fr"], ["sport"])],
        }
    )
    result = pair_cohort(cohort).to_json()
    assert result["pairs"][0]["foreign"] == "g1"
    assert result["pairs"][0]["score"] == 90.0  # 40 language + 30 themes + 20 dates
    assert result["unpaired"][0]["reason"] == "partners_taken"


def test_invalid_cohort_lists_every_problem() -> None:
    with pytest.raises(InvalidCohort) as exc:
        parse_cohort(
            {
                "french": [person("f1", [], [], "2026-13-01")],
                "foreign": [person("f1", ["fr"], [], nationality="XX")],
                "min_overlap_days": -1,
            }
        )
    text = "\n".join(exc.value.errors)
    for needle in (
        "languages must not be empty",
        "must be a date",
        "duplicate volunteer id",
        "not an ISO 3166-1",
        "min_overlap_days",
    ):
        assert needle in text
