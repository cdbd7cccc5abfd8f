"""Use-cases that write missions: create, update, publish, close, cancel, duplicate.

Each one checks the actor's right first, locks the mission row it changes, validates the data
against the scheme's rules in force on the start date, and appends a MissionStatusChange row for
every status it sets.
"""

import dataclasses
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django_countries import countries

from reciprocity.accounts.models import User
from reciprocity.accounts.selectors import AnyUser
from reciprocity.agreements.models import Programme
from reciprocity.core.countries import country_code
from reciprocity.core.exceptions import InvalidTransition, NotAllowed
from reciprocity.core.l10n import format_day
from reciprocity.domain.dates import add_months
from reciprocity.domain.languages import CEFR_LEVELS
from reciprocity.missions import caching as catalogue_cache
from reciprocity.missions.exceptions import MissionInvalid
from reciprocity.missions.models import (
    MAX_CAPACITY,
    Mission,
    MissionStatus,
    MissionStatusChange,
    Theme,
)
from reciprocity.missions.permissions import can_host_for, can_manage_mission
from reciprocity.missions.places import places_taken
from reciprocity.partners.models import Organisation
from reciprocity.schemes.models import Scheme, SchemeRule

MAX_AGE = 120
MAX_WEEKLY_HOURS = 60  # also a database constraint
# Far enough for any real plan, near enough that date arithmetic cannot overflow.
LAST_DAY = date(2199, 12, 31)


@dataclass(frozen=True)
class MissionData:
    """Everything a host describes about a mission (the host itself is given separately)."""

    scheme_code: str
    title: str
    theme: str
    country: str
    city: str
    start_date: date
    end_date: date
    capacity: int
    description: str = ""
    reference: str = ""
    programme_code: str = ""
    weekly_hours: int | None = None
    languages: list[str] = field(default_factory=list)
    # [{"code": "fr", "level": "B1"}]: every volunteer must speak each, at the level or above
    # (a hard rule of placement runs); level "" asks only that the language is spoken.
    required_languages: list[dict[str, str]] = field(default_factory=list)
    age_min: int | None = None
    age_max: int | None = None
    max_per_nationality: int | None = None
    gender_tolerance: int | None = None

    @classmethod
    def from_mission(cls, mission: Mission) -> "MissionData":
        return cls(
            scheme_code=mission.scheme_id,
            title=mission.title,
            theme=mission.theme,
            country=country_code(mission.country),
            city=mission.city,
            start_date=mission.start_date,
            end_date=mission.end_date,
            capacity=mission.capacity,
            description=mission.description,
            reference=mission.reference,
            programme_code=mission.programme.code if mission.programme else "",
            weekly_hours=mission.weekly_hours,
            languages=list(mission.languages or []),
            required_languages=list(mission.required_languages or []),
            age_min=mission.age_min,
            age_max=mission.age_max,
            max_per_nationality=mission.max_per_nationality,
            gender_tolerance=mission.gender_tolerance,
        )

    def replace(self, **changes: Any) -> "MissionData":
        return dataclasses.replace(self, **changes)


# --- validation --------------------------------------------------------------------------------


def _number(rule: SchemeRule | None) -> int | float | None:
    """A rule's value if it is a number; rules arrive as data and may hold anything."""
    if rule is None or isinstance(rule.value, bool) or not isinstance(rule.value, int | float):
        return None
    return rule.value


class SchemeRules:
    """The schemes and their rules, read once: a file of thousands of missions (imports) checks
    every row against the same few schemes. Same answers as `SchemeRule.objects.in_force`."""

    def __init__(self) -> None:
        self._codes: set[str] | None = None
        self._rows: dict[str, list[SchemeRule]] = {}

    def exists(self, code: str) -> bool:
        if self._codes is None:
            self._codes = set(Scheme.objects.values_list("code", flat=True))
        return code in self._codes

    def in_force(self, *, scheme_code: str, on: date) -> dict[str, SchemeRule]:
        if scheme_code not in self._rows:
            self._rows[scheme_code] = list(
                SchemeRule.objects.filter(scheme_id=scheme_code).order_by("key", "effective_from"))
        rules: dict[str, SchemeRule] = {}
        for row in self._rows[scheme_code]:
            if row.effective_from <= on:
                rules[row.key] = row
        return rules


def _scheme_errors(data: MissionData, errors: dict[str, list[str]], schemes: SchemeRules) -> None:
    """Check the mission against the scheme's rules in force on its start date, when present."""
    rules = schemes.in_force(scheme_code=data.scheme_code, on=data.start_date)
    # Scheme durations count from the start to the day after the end (6 months: 1 Mar–31 Aug).
    end_exclusive = data.end_date + timedelta(days=1)
    min_months, max_months = _number(rules.get("duration_min_months")), _number(
        rules.get("duration_max_months")
    )
    min_days = _number(rules.get("duration_min_days"))
    if min_months is not None and end_exclusive < add_months(data.start_date, int(min_months)):
        errors["end_date"].append(
            _("This scheme requires a mission of at least %(n)s months.") % {"n": int(min_months)}
        )
    if max_months is not None and end_exclusive > add_months(data.start_date, int(max_months)):
        errors["end_date"].append(
            _("This scheme allows a mission of at most %(n)s months.") % {"n": int(max_months)}
        )
    if min_days is not None and (end_exclusive - data.start_date).days < min_days:
        errors["end_date"].append(
            _("This scheme requires a mission of at least %(n)s days.") % {"n": int(min_days)}
        )

    hours_min, hours_max = _number(rules.get("weekly_hours_min")), _number(
        rules.get("weekly_hours_max")
    )
    if data.weekly_hours is None:
        if hours_min is not None:
            errors["weekly_hours"].append(_("This scheme requires the weekly hours."))
    else:
        if hours_min is not None and data.weekly_hours < hours_min:
            errors["weekly_hours"].append(
                _("This scheme requires at least %(n)s hours a week.") % {"n": hours_min}
            )
        if hours_max is not None and data.weekly_hours > hours_max:
            errors["weekly_hours"].append(
                _("This scheme allows at most %(n)s hours a week.") % {"n": hours_max}
            )

    age_min = _number(rules.get("age_min"))
    # A young person with a disability may join up to a later age (Service Civique: 30).
    age_max = _number(rules.get("age_max_disability")) or _number(rules.get("age_max"))
    if age_min is not None and data.age_min is not None and data.age_min < age_min:
        errors["age_min"].append(
            _("This scheme does not accept volunteers younger than %(n)s.") % {"n": age_min}
        )
    if age_max is not None and data.age_max is not None and data.age_max > age_max:
        errors["age_max"].append(
            _("This scheme does not accept volunteers older than %(n)s.") % {"n": age_max}
        )


def mission_errors(
    data: MissionData, *, today: date, taken: int = 0, check_start: bool = True,
    schemes: SchemeRules | None = None,
) -> dict[str, list[str]]:
    """Every reason why `data` cannot describe a mission, by field (empty when valid).
    `schemes`: one SchemeRules shared by the checks of many missions (an import)."""
    schemes = schemes or SchemeRules()
    errors: dict[str, list[str]] = {
        name: [] for name in [f.name for f in dataclasses.fields(MissionData)]
    }
    _text_errors(data, errors)
    scheme_exists = schemes.exists(data.scheme_code)
    if not scheme_exists:
        errors["scheme_code"].append(_("Choose one of the schemes."))
    if data.programme_code and not Programme.objects.filter(code=data.programme_code).exists():
        errors["programme_code"].append(_("There is no programme with this code."))
    _date_errors(data, errors, today=today, check_start=check_start)
    _number_errors(data, errors, taken=taken)
    _language_errors(data, errors)
    _balance_errors(data, errors)
    dates_ok = not errors["end_date"] and data.start_date <= data.end_date
    if scheme_exists and dates_ok:
        _scheme_errors(data, errors, schemes)
    return {name: messages for name, messages in errors.items() if messages}


Errors = dict[str, list[str]]


def _text_errors(data: MissionData, errors: Errors) -> None:
    """The texts and codes: no NUL, lengths, a theme and a country from the lists."""
    # PostgreSQL cannot store NUL characters; refuse them rather than fail on save.
    for f in dataclasses.fields(MissionData):
        value = getattr(data, f.name)
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(t, str) and "\x00" in t for t in texts):
            errors[f.name].append(_("Null characters are not allowed."))
    if not data.title.strip():
        errors["title"].append(_("Give the mission a title."))
    if len(data.title) > 200:
        errors["title"].append(_("The title is at most 200 characters long."))
    if len(data.reference) > 40:
        errors["reference"].append(_("The reference is at most 40 characters long."))
    if not data.city.strip() or len(data.city) > 100:
        errors["city"].append(_("Give the city (at most 100 characters)."))
    if data.theme not in Theme.values:
        errors["theme"].append(_("Choose one of the themes."))
    if data.country.upper() not in countries:
        errors["country"].append(_("“%(code)s” is not a country code.") % {"code": data.country})


def _date_errors(data: MissionData, errors: Errors, *, today: date, check_start: bool) -> None:
    if data.start_date > data.end_date:
        errors["end_date"].append(_("The mission cannot end before it starts."))
    if data.end_date > LAST_DAY or data.start_date > LAST_DAY:
        errors["end_date"].append(
            _("The mission must end by %(day)s.") % {"day": format_day(LAST_DAY)}
        )
    if check_start and data.start_date < today:
        errors["start_date"].append(_("The mission cannot start in the past."))


def _number_errors(data: MissionData, errors: Errors, *, taken: int) -> None:
    """Places (never fewer than those taken), weekly hours and ages within their bounds."""
    if not 1 <= data.capacity <= MAX_CAPACITY:
        errors["capacity"].append(
            _("The number of places is between 1 and %(n)s.") % {"n": MAX_CAPACITY}
        )
    elif data.capacity < taken:
        errors["capacity"].append(
            _("%(n)s places are already taken: the mission cannot have fewer.") % {"n": taken}
        )
    if data.weekly_hours is not None and not 1 <= data.weekly_hours <= MAX_WEEKLY_HOURS:
        errors["weekly_hours"].append(
            _("Weekly hours are between 1 and %(n)s.") % {"n": MAX_WEEKLY_HOURS}
        )
    for name in ("age_min", "age_max"):
        value = getattr(data, name)
        if value is not None and not 0 <= value <= MAX_AGE:
            errors[name].append(_("An age is between 0 and %(n)s.") % {"n": MAX_AGE})
    if data.age_min is not None and data.age_max is not None and data.age_min > data.age_max:
        errors["age_max"].append(_("The maximum age cannot be below the minimum age."))


def _language_errors(data: MissionData, errors: Errors) -> None:
    """Languages spoken (ISO 639-1) and required ones (a code once, a CEFR level)."""
    for code in data.languages:
        if not (isinstance(code, str) and len(code) == 2 and code.isascii() and code.isalpha()):
            errors["languages"].append(
                _("“%(code)s” is not a two-letter language code (ISO 639-1).") % {"code": code}
            )
    seen: set[str] = set()
    for entry in data.required_languages:
        code = str(entry.get("code", "")) if isinstance(entry, dict) else ""
        level = str(entry.get("level") or "") if isinstance(entry, dict) else ""
        if not (len(code) == 2 and code.isascii() and code.isalpha()):
            errors["required_languages"].append(
                _("“%(code)s” is not a two-letter language code (ISO 639-1).") % {"code": code}
            )
        elif level and level.upper() not in CEFR_LEVELS:
            errors["required_languages"].append(
                _("“%(level)s” is not a level from A1 to C2.") % {"level": level}
            )
        elif code.lower() in seen:
            errors["required_languages"].append(
                _("“%(code)s” is required more than once.") % {"code": code}
            )
        seen.add(code.lower())


def _balance_errors(data: MissionData, errors: Errors) -> None:
    """The caps of the mix of volunteers: per nationality and the gender tolerance."""
    if data.max_per_nationality is not None and not (
        1 <= data.max_per_nationality <= max(data.capacity, 1)
    ):
        errors["max_per_nationality"].append(
            _("The cap per nationality is between 1 and the number of places.")
        )
    if data.gender_tolerance is not None and not 0 <= data.gender_tolerance <= MAX_CAPACITY:
        errors["gender_tolerance"].append(
            _("The gender balance tolerance is between 0 and %(n)s.") % {"n": MAX_CAPACITY}
        )


def _check(data: MissionData, *, today: date, taken: int = 0, check_start: bool = True) -> None:
    errors = mission_errors(data, today=today, taken=taken, check_start=check_start)
    if errors:
        raise MissionInvalid(_("The mission is not valid."), details=errors)


def _places_taken(mission: Mission) -> int:
    # Counted by placements, above this app: asked through missions/places.py.
    return places_taken(mission_id=mission.pk)


def _apply(mission: Mission, data: MissionData) -> None:
    mission.scheme_id = data.scheme_code
    mission.programme = (
        Programme.objects.get(code=data.programme_code) if data.programme_code else None
    )
    mission.title = data.title.strip()
    mission.reference = data.reference.strip()
    mission.description = data.description
    mission.theme = data.theme
    mission.country = data.country.upper()
    mission.city = data.city.strip()
    mission.start_date = data.start_date
    mission.end_date = data.end_date
    mission.capacity = data.capacity
    mission.weekly_hours = data.weekly_hours
    mission.languages = sorted({code.lower() for code in data.languages})
    mission.required_languages = [
        {"code": str(e["code"]).lower(), "level": str(e.get("level") or "").upper()}
        for e in data.required_languages
    ]
    mission.age_min = data.age_min
    mission.age_max = data.age_max
    mission.max_per_nationality = data.max_per_nationality
    mission.gender_tolerance = data.gender_tolerance


def _lock(mission: Mission) -> Mission:
    """Re-read the mission under a row lock, so checks and writes see one state."""
    return Mission.objects.select_for_update().get(pk=mission.pk)


def _require_manager(actor: AnyUser, mission: Mission) -> None:
    if not can_manage_mission(actor, mission):
        raise NotAllowed(_("Only the host organisation's officers may change this mission."))


def _record(mission: Mission, *, from_status: str, actor: AnyUser, note: str = "") -> None:
    MissionStatusChange.objects.create(
        mission=mission, from_status=from_status, to_status=mission.status,
        actor=actor if isinstance(actor, User) else None, note=note,
    )


def _transition(mission: Mission, *, to_status: str, actor: AnyUser, note: str = "") -> Mission:
    if not mission.can_transition_to(to_status):
        raise InvalidTransition(
            _("A %(from)s mission cannot become %(to)s.")
            % {
                "from": MissionStatus(mission.status).label.lower(),
                "to": MissionStatus(to_status).label.lower(),
            },
            details={"from": mission.status, "to": to_status},
        )
    from_status = mission.status
    mission.status = to_status
    mission.save(update_fields=["status", "updated_at"])
    _record(mission, from_status=from_status, actor=actor, note=note)
    catalogue_cache.bump_on_commit()  # published, closed or cancelled: listed or not at once
    return mission


# --- use-cases ---------------------------------------------------------------------------------


@transaction.atomic
def mission_create(
    *, actor: AnyUser, host: Organisation, data: MissionData, today: date
) -> Mission:
    """A new draft mission of `host`; only its officers and admins (or staff) may create one."""
    if not can_host_for(actor, host):
        raise NotAllowed(_("You may not create missions for this organisation."))
    _check(data, today=today)
    mission = Mission(host=host, status=MissionStatus.DRAFT)
    _apply(mission, data)
    mission.full_clean()
    mission.save()
    _record(mission, from_status="", actor=actor)
    return mission


@transaction.atomic
def mission_update(*, mission: Mission, actor: AnyUser, data: MissionData, today: date) -> Mission:
    """Change a draft or published mission; the places cannot drop below those already taken."""
    _require_manager(actor, mission)
    mission = _lock(mission)
    if not mission.is_editable:
        raise InvalidTransition(
            _("A %(status)s mission can no longer be edited.")
            % {"status": mission.get_status_display().lower()}
        )
    # A mission already running may still be corrected (a typo in its description); only a
    # changed start date must lie in the future.
    _check(
        data, today=today, taken=_places_taken(mission),
        check_start=data.start_date != mission.start_date,
    )
    _apply(mission, data)
    mission.full_clean()
    mission.save()
    catalogue_cache.bump_on_commit()  # the catalogue lists the edited mission on the next request
    return mission


@transaction.atomic
def mission_publish(*, mission: Mission, actor: AnyUser, today: date) -> Mission:
    """Show a draft in the public catalogue, after checking it again against today's rules.

    A scheme suspension does not block publication: it stops new contracts, not offers, and
    hosts keep advertising while a budget is awaited. The mission page warns about it instead.
    """
    _require_manager(actor, mission)
    mission = _lock(mission)
    if mission.can_transition_to(MissionStatus.PUBLISHED):
        _check(MissionData.from_mission(mission), today=today, taken=_places_taken(mission))
    return _transition(mission, to_status=MissionStatus.PUBLISHED, actor=actor)


@transaction.atomic
def mission_close(*, mission: Mission, actor: AnyUser) -> Mission:
    """Stop taking applications; placements already made go on."""
    _require_manager(actor, mission)
    mission = _lock(mission)
    return _transition(mission, to_status=MissionStatus.CLOSED, actor=actor)


@transaction.atomic
def mission_cancel(
    *, mission: Mission, actor: AnyUser, reason: str, check_permission: bool = True
) -> Mission:
    """Call off a mission that nobody holds a place in (with places taken, close it instead).

    `check_permission=False` is for the host's own word arriving another way (a PEF file
    marking the project cancelled, imported by an operator's command).
    """
    if check_permission:
        _require_manager(actor, mission)
    mission = _lock(mission)
    if not reason.strip() or "\x00" in reason:
        raise MissionInvalid(
            _("Give the reason for the cancellation."),
            details={"reason": [_("Give the reason for the cancellation (plain text).")]},
        )
    if mission.can_transition_to(MissionStatus.CANCELLED) and _places_taken(mission):
        raise InvalidTransition(
            _("Volunteers hold places in this mission: cancel their placements first."),
            code="places_taken",
        )
    return _transition(mission, to_status=MissionStatus.CANCELLED, actor=actor, note=reason.strip())


@transaction.atomic
def mission_duplicate(*, mission: Mission, actor: AnyUser) -> Mission:
    """A draft copy of any mission of the actor's host (next year's work camp, for example)."""
    _require_manager(actor, mission)
    copy = Mission(host_id=mission.host_id, status=MissionStatus.DRAFT)
    _apply(copy, MissionData.from_mission(mission))
    copy.agreement_id = mission.agreement_id
    copy.save()
    _record(
        copy, from_status="", actor=actor,
        note=_("Duplicated from mission %(id)s.") % {"id": mission.pk},
    )
    return copy
