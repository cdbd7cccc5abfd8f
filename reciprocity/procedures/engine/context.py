"""Validation of a request and the facts every rule module derives from it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from reciprocity.domain.countries import is_country_code
from reciprocity.domain.dates import MonthSpan, age_on, inclusive_days, month_span

from .rulebook import RuleBook, RuleRow
from .types import Finding, Path, PlanRequest

ADULT_AGE = 18


class InvalidRequest(ValueError):
    """The request cannot be planned (unknown scheme or country, end before start...)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def validate_request(request: PlanRequest, rulebook: RuleBook) -> None:
    volunteer, mission = request.volunteer, request.mission
    if request.scheme not in rulebook.schemes:
        raise InvalidRequest("unknown_scheme", f"unknown scheme: {request.scheme!r}")
    if not volunteer.nationalities:
        raise InvalidRequest("no_nationality", "at least one nationality is required")
    countries = [*volunteer.nationalities, mission.host_country]
    if volunteer.residence is not None:
        countries.append(volunteer.residence)
    for code in countries:
        if not is_country_code(code):
            raise InvalidRequest("unknown_country", f"unknown country code: {code!r}")
    if mission.end < mission.start:
        raise InvalidRequest(
            "end_before_start", f"end {mission.end} is before start {mission.start}"
        )
    if volunteer.birth_date is not None and volunteer.birth_date > mission.start:
        raise InvalidRequest(
            "birth_after_start",
            f"birth date {volunteer.birth_date} is after the start {mission.start}",
        )
    if mission.weekly_hours is not None and not 0 <= mission.weekly_hours <= 168:
        raise InvalidRequest("bad_weekly_hours", "weekly hours must be between 0 and 168")
    if volunteer.prior_vsi_months is not None and volunteer.prior_vsi_months < 0:
        raise InvalidRequest("bad_prior_vsi_months", "prior VSI months must not be negative")
    host = mission.host
    for name in ("authorised_places", "used_places"):
        value = getattr(host, name)
        if value is not None and value < 0:
            raise InvalidRequest("bad_host_places", f"host {name} must not be negative")


@dataclass
class Context:
    """Derived facts, plus the rule rows actually used (to warn about unverified ones)."""

    request: PlanRequest
    rulebook: RuleBook
    age: int | None
    path: Path
    span: MonthSpan
    days: int
    used: list[RuleRow] = field(default_factory=list)

    @property
    def scheme(self) -> str:
        return self.request.scheme

    @property
    def start(self) -> date:
        return self.request.mission.start

    @property
    def end(self) -> date:
        return self.request.mission.end

    @property
    def host_country(self) -> str:
        return self.request.mission.host_country

    @property
    def minor(self) -> bool:
        return self.age is not None and self.age < ADULT_AGE

    @property
    def scheme_label(self) -> str:
        return f"scheme.{self.scheme}"

    def row(self, key: str) -> RuleRow | None:
        """The rule in force on the start date, without marking it as used."""
        return self.rulebook.rule(self.scheme, key, self.start)

    def use(self, key: str) -> Any:
        """The value in force on the start date (None if no row), recorded as used."""
        row = self.row(key)
        if row is None:
            return None
        if row not in self.used:
            self.used.append(row)
        return row.value

    def unverified_warnings(self) -> list[Finding]:
        return [
            Finding.of("value_to_be_confirmed", key=r.key, value=r.value, scheme=self.scheme_label)
            for r in self.used
            if r.confidence == "unverified"
        ]


def derive_path(request: PlanRequest, rulebook: RuleBook) -> Path:
    volunteer = request.volunteer
    if any(n in rulebook.countries.free_movement for n in volunteer.nationalities):
        return Path.FREE_MOVEMENT
    if volunteer.residence_country == request.mission.host_country:
        return Path.RESIDENT
    return Path.FOREIGN


def build_context(request: PlanRequest, rulebook: RuleBook) -> Context:
    validate_request(request, rulebook)
    volunteer, mission = request.volunteer, request.mission
    return Context(
        request=request,
        rulebook=rulebook,
        age=age_on(volunteer.birth_date, mission.start) if volunteer.birth_date else None,
        path=derive_path(request, rulebook),
        span=month_span(mission.start, mission.end),
        days=inclusive_days(mission.start, mission.end),
    )
