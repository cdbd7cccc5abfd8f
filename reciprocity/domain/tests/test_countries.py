"""One country list for both engines: the official ISO codes plus XK, and nothing else."""

from __future__ import annotations

from datetime import date

import pycountry
import pytest
from django_countries.data import COUNTRIES

from reciprocity.domain.countries import (
    COUNTRY_CODES,
    ISO_3166_ALPHA2,
    USER_ASSIGNED,
    is_country_code,
)
from reciprocity.placements.engine import InvalidInstance, parse_instance
from reciprocity.procedures.engine import (
    InvalidRequest,
    MissionFacts,
    PlanRequest,
    VolunteerFacts,
    plan_procedure,
    rulebook_from_files,
)


def test_the_official_codes_are_pycountrys_and_django_countries():
    assert {c.alpha_2 for c in pycountry.countries} == ISO_3166_ALPHA2
    assert set(COUNTRIES) == ISO_3166_ALPHA2
    assert len(ISO_3166_ALPHA2) == 249


def test_xk_is_the_only_user_assigned_code_accepted():
    # shared/domain/schengen-visa.md: codes are ISO 3166-1 alpha-2, with XK (Kosovo) as the
    # exception the EU visa lists use; pycountry and django-countries leave it out.
    assert set(USER_ASSIGNED) == {"XK"}
    assert "XK" not in ISO_3166_ALPHA2
    assert set(COUNTRY_CODES) == ISO_3166_ALPHA2 | {"XK"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [("FR", True), ("SN", True), ("XK", True), ("PS", True), ("fr", False), ("XX", False),
     ("ZZ", False), ("EL", False), ("UK", False), ("", False), (None, False), (33, False)],
)
def test_is_country_code(value: object, expected: bool):
    assert is_country_code(value) is expected


def _instance(nationality: str, host_country: str) -> dict[str, object]:
    return {
        "missions": [{"id": "m1", "capacity": 1, "host_country": host_country}],
        "volunteers": [
            {"id": "v1", "nationality": nationality, "gender": "F", "choices": ["m1"]}
        ],
    }


def _placement_engine_accepts(code: str) -> bool:
    try:
        parse_instance(_instance(code, "FR"))
        parse_instance(_instance("FR", code))
    except InvalidInstance:
        return False
    return True


def _procedure_engine_accepts(code: str) -> bool:
    request = PlanRequest(
        scheme="workcamp",
        volunteer=VolunteerFacts(nationalities=(code,)),
        mission=MissionFacts(start=date(2027, 7, 1), end=date(2027, 7, 21)),
    )
    try:
        plan_procedure(request, rulebook_from_files(), today=date(2026, 11, 26))
    except InvalidRequest:
        return False
    return True


@pytest.mark.parametrize("code", ["XK", "SN", "FR", "XX", "fr", "ZZ"])
def test_both_engines_agree_on_every_code(code: str):
    # The bug this module fixes: the procedure engine planned a Kosovar volunteer whom the
    # placement engine then refused.
    assert _placement_engine_accepts(code) is _procedure_engine_accepts(code) is (
        code in COUNTRY_CODES
    )
