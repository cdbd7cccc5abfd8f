"""Shared fixtures for the procedure engine tests (no database)."""

from __future__ import annotations

from datetime import date

import pytest

from reciprocity.procedures.engine import (
    HostFacts,
    MissionFacts,
    PlanRequest,
    RuleBook,
    VolunteerFacts,
    rulebook_from_files,
)

TODAY = date(2026, 11, 26)


@pytest.fixture(scope="session")
def rulebook() -> RuleBook:
    return rulebook_from_files()


def make_request(
    scheme: str = "service_civique",
    nationalities: tuple[str, ...] = ("SN",),
    start: date = date(2027, 3, 1),
    end: date = date(2027, 8, 31),
    *,
    residence: str | None = None,
    host_country: str = "FR",
    birth_date: date | None = None,
    disability: bool = False,
    weekly_hours: float | None = None,
    prior_service_civique: bool = False,
    prior_vsi_months: float | None = None,
    host: HostFacts | None = None,
) -> PlanRequest:
    return PlanRequest(
        scheme=scheme,
        volunteer=VolunteerFacts(
            nationalities=nationalities,
            residence=residence,
            birth_date=birth_date,
            disability=disability,
            prior_service_civique=prior_service_civique,
            prior_vsi_months=prior_vsi_months,
        ),
        mission=MissionFacts(
            start=start,
            end=end,
            host_country=host_country,
            weekly_hours=weekly_hours,
            host=host or HostFacts(),
        ),
    )
