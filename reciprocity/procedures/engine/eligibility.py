"""Eligibility: every failing rule as a reason, plus warnings that do not refuse.

Each check reads the rule in force on the start date (`ctx.use(key)`); a scheme without that key,
or a request without the input the rule needs, is simply not checked.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from reciprocity.domain.dates import lasts_less_than_months, lasts_more_than_months

from .context import Context
from .types import Finding, Path

Check = Callable[[Context], list[Finding]]


def _fmt(number: float | Fraction) -> str:
    value = float(number)
    return str(int(value)) if value.is_integer() else f"{value:.2f}".rstrip("0").rstrip(".")


def check_age(ctx: Context) -> list[Finding]:
    if ctx.age is None:
        return []
    reasons = []
    minimum = ctx.use("age_min")
    if minimum is not None and ctx.age < minimum:
        reasons.append(
            Finding.of("age_below_minimum", age=ctx.age, minimum=minimum, scheme=ctx.scheme_label)
        )
    maximum = None
    if ctx.request.volunteer.disability:
        maximum = ctx.use("age_max_disability")
    if maximum is None:
        maximum = ctx.use("age_max")
    if maximum is not None and ctx.age > maximum:
        reasons.append(
            Finding.of("age_above_maximum", age=ctx.age, maximum=maximum, scheme=ctx.scheme_label)
        )
    return reasons


def check_duration(ctx: Context) -> list[Finding]:
    reasons = []
    length = {"months": ctx.span.months, "days": ctx.span.days, "total_days": ctx.days}
    min_months, min_days = ctx.use("duration_min_months"), ctx.use("duration_min_days")
    if min_months is not None and lasts_less_than_months(ctx.start, ctx.end, int(min_months)):
        reasons.append(
            Finding.of(
                "duration_too_short",
                **length,
                minimum=min_months,
                unit="unit.months",
                scheme=ctx.scheme_label,
            )
        )
    elif min_days is not None and ctx.days < int(min_days):
        reasons.append(
            Finding.of(
                "duration_too_short",
                **length,
                minimum=min_days,
                unit="unit.days",
                scheme=ctx.scheme_label,
            )
        )
    max_months, max_days = ctx.use("duration_max_months"), ctx.use("duration_max_days")
    if max_months is not None and lasts_more_than_months(ctx.start, ctx.end, int(max_months)):
        reasons.append(
            Finding.of(
                "duration_too_long",
                **length,
                maximum=max_months,
                unit="unit.months",
                scheme=ctx.scheme_label,
            )
        )
    elif max_days is not None and ctx.days > int(max_days):
        reasons.append(
            Finding.of(
                "duration_too_long",
                **length,
                maximum=max_days,
                unit="unit.days",
                scheme=ctx.scheme_label,
            )
        )
    return reasons


def check_weekly_hours(ctx: Context) -> list[Finding]:
    hours = ctx.request.mission.weekly_hours
    if hours is None:
        return []
    minimum = ctx.use("weekly_hours_min")
    maximum = ctx.use("weekly_hours_max_minor") if ctx.minor else None
    if maximum is None:
        maximum = ctx.use("weekly_hours_max")
    if (minimum is not None and hours < minimum) or (maximum is not None and hours > maximum):
        return [
            Finding.of(
                "weekly_hours_out_of_range",
                hours=_fmt(hours),
                minimum="-" if minimum is None else minimum,
                maximum="-" if maximum is None else maximum,
                scheme=ctx.scheme_label,
            )
        ]
    return []


def check_prior_service_civique(ctx: Context) -> list[Finding]:
    if ctx.request.volunteer.prior_service_civique and ctx.use("once_per_lifetime"):
        return [Finding.of("already_did_service_civique")]
    return []


def check_cumulative(ctx: Context) -> list[Finding]:
    prior = ctx.request.volunteer.prior_vsi_months
    if prior is None:
        return []
    maximum = ctx.use("cumulative_max_months")
    if maximum is None:
        return []
    total = Fraction(str(prior)) + ctx.span.exact
    if total > maximum:
        return [
            Finding.of(
                "cumulative_duration_exceeded",
                prior=_fmt(prior),
                months=ctx.span.months,
                days=ctx.span.days,
                maximum=maximum,
                scheme=ctx.scheme_label,
            )
        ]
    return []


def check_destination(ctx: Context) -> list[Finding]:
    volunteer = ctx.request.volunteer
    host = ctx.host_country
    reasons = []
    if ctx.use("own_country_excluded") and (
        host in volunteer.nationalities or host == volunteer.residence_country
    ):
        reasons.append(Finding.of("mission_in_own_country", country=host, scheme=ctx.scheme_label))
    eea = ctx.rulebook.countries.eea
    if host in eea and ctx.use("eea_destinations_excluded"):
        tied_to_eea = (
            any(n in eea for n in volunteer.nationalities) or volunteer.residence_country in eea
        )
        open_france = host == "FR" and bool(ctx.use("france_open_to_non_eea")) and not tied_to_eea
        if not open_france:
            reasons.append(
                Finding.of("destination_not_allowed", country=host, scheme=ctx.scheme_label)
            )
    return reasons


def check_reciprocity_country(ctx: Context) -> list[Finding]:
    """Service Civique reciprocity path only: non-EEA nationals not resident in France."""
    if ctx.host_country != "FR" or ctx.path is not Path.FOREIGN:
        return []
    if not ctx.use("reciprocity_country_required"):
        return []
    listed = ctx.rulebook.countries.reciprocity_countries
    if any(n in listed for n in ctx.request.volunteer.nationalities):
        return []
    return [
        Finding.of(
            "not_reciprocity_country", countries=", ".join(ctx.request.volunteer.nationalities)
        )
    ]


def check_suspensions(ctx: Context) -> list[Finding]:
    return [
        Finding.of(
            "scheme_suspended",
            scheme=ctx.scheme_label,
            start=s.start.isoformat(),
            end=s.end.isoformat(),
            mission_start=ctx.start.isoformat(),
        )
        for s in ctx.rulebook.suspensions_for(ctx.scheme)
        if s.end is not None and s.covers(ctx.start)
    ]


def check_host(ctx: Context) -> list[Finding]:
    host = ctx.request.mission.host
    reasons = []
    if host.accredited is False and ctx.use("host_accreditation_required"):
        reasons.append(Finding.of("host_not_accredited", scheme=ctx.scheme_label))
    if (
        host.authorised_places is not None
        and host.used_places is not None
        and host.used_places >= host.authorised_places
    ):
        reasons.append(
            Finding.of(
                "host_quota_exhausted", used=host.used_places, authorised=host.authorised_places
            )
        )
    return reasons


CHECKS: tuple[Check, ...] = (
    check_age,
    check_duration,
    check_weekly_hours,
    check_cumulative,
    check_prior_service_civique,
    check_destination,
    check_reciprocity_country,
    check_suspensions,
    check_host,
)


def eligibility_warnings(ctx: Context) -> list[Finding]:
    """Facts that do not refuse but must be acted on or confirmed."""
    warnings = []
    if ctx.minor and ctx.use("parental_authorisation_minor"):
        warnings.append(Finding.of("parental_authorisation_required", age=ctx.age))
    if ctx.age is not None and ctx.path is Path.FOREIGN and ctx.host_country == "FR":
        practice = ctx.use("age_min_reciprocity_practice")
        if practice is not None and ctx.age < practice:
            warnings.append(Finding.of("reciprocity_minor", age=ctx.age, minimum=practice))
    if (
        ctx.path is Path.FOREIGN
        and ctx.host_country == "FR"
        and ctx.row("reciprocity_country_required")
    ):
        listed = ctx.rulebook.countries.reciprocity_countries
        matches = [listed[n] for n in ctx.request.volunteer.nationalities if n in listed]
        if matches and all(c.confidence == "unverified" for c in matches):
            warnings.append(Finding.of("country_to_be_confirmed", country=matches[0].code))
    support = ctx.use("state_support_min_months")
    if support is not None and lasts_less_than_months(ctx.start, ctx.end, int(support)):
        warnings.append(Finding.of("vsi_not_state_supported", minimum=support))
    for s in ctx.rulebook.suspensions_for(ctx.scheme):
        if not s.covers(ctx.start):
            continue
        if s.end is None:
            warnings.append(
                Finding.of(
                    "scheme_suspension_open_ended",
                    scheme=ctx.scheme_label,
                    start=s.start.isoformat(),
                )
            )
        if s.confidence == "unverified":
            warnings.append(
                Finding.of(
                    "suspension_to_be_confirmed",
                    scheme=ctx.scheme_label,
                    start=s.start.isoformat(),
                    end=s.end.isoformat() if s.end else "?",
                )
            )
    return warnings


def evaluate(ctx: Context) -> tuple[list[Finding], list[Finding]]:
    """(reasons, warnings) for the request in `ctx`; unverified-rule warnings come last."""
    reasons = [finding for check in CHECKS for finding in check(ctx)]
    warnings = eligibility_warnings(ctx)
    return reasons, warnings
