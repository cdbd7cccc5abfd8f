"""Importing the work-camp exchange files: PEF projects into missions, VEFs into volunteers and
applications (docs/exchange.md).

A run is all or nothing: every file is read and every record mapped inside one transaction,
which is rolled back if anything is an error (or for a dry run). The outcome lists what was,
or would be, created, updated or left unchanged, with every warning and error naming the file
and element. Re-importing a file changes nothing: missions are keyed by their host and PEF
project ID, volunteers by name, birth date and sender, applications by volunteer, sender and
the VEF's filing date.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from reciprocity.accounts.models import User
from reciprocity.accounts.selectors import AnyUser
from reciprocity.applications.models import (
    MAX_CHOICES,
    Application,
    ApplicationChoice,
    ApplicationKind,
    ChoiceStatus,
)
from reciprocity.core.countries import country_code
from reciprocity.core.exceptions import ApplicationError
from reciprocity.exchange.formats import (
    FormatError,
    PefHeader,
    PefProject,
    Vef,
    parse_pef,
    parse_vef,
)
from reciprocity.exchange.formats.codes import alpha2_of_alpha3
from reciprocity.exchange.formats.serial import to_json
from reciprocity.exchange.mapping import mission_values, volunteer_values
from reciprocity.exchange.models import ProjectDetails, VefRecord
from reciprocity.exchange.permissions import Allowed
from reciprocity.missions.models import Mission, MissionStatus, MissionStatusChange
from reciprocity.missions.services import MissionData, mission_cancel, mission_errors
from reciprocity.partners.models import Organisation
from reciprocity.placements.selectors import places_taken
from reciprocity.schemes.models import SchemeCode
from reciprocity.volunteers.models import Volunteer

WORKCAMP = SchemeCode.WORKCAMP.value

# Mission field -> the PEF element it comes from, to name the element in an error.
MISSION_ELEMENTS = {
    "title": "name", "reference": "code", "theme": "work", "country": "country",
    "city": "location", "start_date": "start_date", "end_date": "end_date",
    "capacity": "numvol", "languages": "languages", "age_min": "min_age", "age_max": "max_age",
    "max_per_nationality": "max_vols_per_country", "description": "description",
    "scheme_code": "project_type",
}
OPEN_CHOICES = (ChoiceStatus.PENDING, ChoiceStatus.SHORTLISTED, ChoiceStatus.ACCEPTED)


@dataclass
class ImportObject:
    kind: str  # mission | volunteer | application
    id: int
    key: str
    state: str  # created | updated | unchanged


@dataclass
class ImportOutcome:
    dry_run: bool = False
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    objects: list[ImportObject] = field(default_factory=list)

    def count(self, state: str) -> int:
        return sum(1 for o in self.objects if o.state == state)

    @property
    def created(self) -> int:
        return self.count("created")

    @property
    def updated(self) -> int:
        return self.count("updated")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    def add(self, kind: str, pk: int, key: str, state: str) -> None:
        """Count an object once per run, however many files name it (the first state wins,
        except that a later change makes an unchanged object updated)."""
        for existing in self.objects:
            if existing.kind == kind and existing.id == pk:
                if existing.state == "unchanged" and state == "updated":
                    existing.state = "updated"
                return
        self.objects.append(ImportObject(kind=kind, id=pk, key=key, state=state))

    def as_dict(self) -> dict[str, Any]:
        """The `--json` object of `reciprocity exchange import` (docs/exchange.md)."""
        return {
            "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
            "warnings": list(self.warnings), "errors": list(self.errors),
            "objects": [{"kind": o.kind, "id": o.id, "key": o.key} for o in self.objects],
        }


class _Rollback(Exception):
    """Undo the whole run (errors found, or a dry run)."""


class _Place:
    """Where a problem is: `FILE: project 2 (XYZ 07) <element>: message`."""

    def __init__(self, outcome: ImportOutcome, file: str, where: str = "") -> None:
        self.outcome, self.file, self.where = outcome, file, where

    def _line(self, element: str, message: str) -> str:
        place = f"{self.where} " if self.where else ""
        tag = f"<{element}>: " if element else ""
        return f"{self.file}: {place}{tag}{message}"

    def warn(self, element: str, message: str) -> None:
        line = self._line(element, message)
        if line not in self.outcome.warnings:
            self.outcome.warnings.append(line)

    def error(self, element: str, message: str) -> None:
        line = self._line(element, message)
        if line not in self.outcome.errors:
            self.outcome.errors.append(line)


def _run(outcome: ImportOutcome, work: Callable[[], None]) -> ImportOutcome:
    """Do `work` in one transaction, kept only when there is no error and it is no dry run."""
    try:
        with transaction.atomic():
            work()
            if outcome.errors or outcome.dry_run:
                raise _Rollback
    except _Rollback:
        if outcome.errors:
            outcome.objects = []  # nothing was written
    return outcome


# --- organisations -----------------------------------------------------------------------------


def normal_code(code: str) -> str:
    return code.strip().upper()


def organisation_by_code(code: str) -> Organisation | None:
    code = normal_code(code)
    if not code:
        return None
    return Organisation.objects.filter(exchange_code__iexact=code).order_by("pk").first()


def _organisation(
    *, code: str, name: str, country: str, host: bool, place: _Place, element: str
) -> Organisation:
    """The organisation with this exchange code, created (with a warning) when unknown."""
    code = normal_code(code)
    found = organisation_by_code(code)
    if found is not None:
        if host and not found.is_host:
            found.is_host = True
            found.save(update_fields=["is_host", "updated_at"])
            place.warn(element, _("%(org)s now also hosts (it publishes projects).")
                       % {"org": found.name})
        if not host and not found.is_sending:
            found.is_sending = True
            found.save(update_fields=["is_sending", "updated_at"])
        return found
    name = name.strip()[:200] or code
    same_name = Organisation.objects.filter(name__iexact=name, country=country).first()
    if same_name is not None and not same_name.exchange_code:
        same_name.exchange_code = code
        same_name.is_host = same_name.is_host or host
        same_name.is_sending = same_name.is_sending or not host
        same_name.save(update_fields=["exchange_code", "is_host", "is_sending", "updated_at"])
        place.warn(element, _("unknown code %(code)s: given to the organisation “%(name)s”.")
                   % {"code": code, "name": same_name.name})
        return same_name
    if same_name is not None:
        name = f"{name} ({code})"[:200]
    organisation = Organisation(
        name=name, country=country, exchange_code=code, is_host=host, is_sending=not host
    )
    organisation.full_clean()
    organisation.save()
    place.warn(element, _("unknown code %(code)s: organisation “%(name)s” created.")
               % {"code": code, "name": organisation.name})
    return organisation


# --- PEF ---------------------------------------------------------------------------------------


def mission_current(mission: Mission) -> dict[str, Any]:
    """The mission's values in the shape `mapping.mission_values` gives them."""
    return {
        "title": mission.title, "reference": mission.reference, "theme": mission.theme,
        "country": country_code(mission.country), "city": mission.city,
        "start_date": mission.start_date.isoformat(), "end_date": mission.end_date.isoformat(),
        "capacity": mission.capacity, "languages": sorted(mission.languages or []),
        "age_min": mission.age_min, "age_max": mission.age_max,
        "max_per_nationality": mission.max_per_nationality, "description": mission.description,
    }


def _mission_data(values: dict[str, Any]) -> MissionData:
    return MissionData(
        scheme_code=WORKCAMP, title=values["title"], theme=values["theme"],
        country=values["country"], city=values["city"],
        start_date=date.fromisoformat(values["start_date"]),
        end_date=date.fromisoformat(values["end_date"]), capacity=values["capacity"],
        description=values["description"], reference=values["reference"],
        languages=list(values["languages"]), age_min=values["age_min"],
        age_max=values["age_max"], max_per_nationality=values["max_per_nationality"],
    )


def _assign(mission: Mission, values: dict[str, Any]) -> None:
    for name, value in values.items():
        if name in {"start_date", "end_date"}:
            value = date.fromisoformat(value)
        setattr(mission, name, value)


def _places_taken(mission: Mission | None) -> int:
    if mission is None or mission.pk is None:
        return 0
    return places_taken(mission_id=mission.pk)


def _checked_values(
    values: dict[str, Any], *, today: date, taken: int, place: _Place
) -> dict[str, Any] | None:
    """The values once the mission rules accept them, or None (errors reported).

    Partners' age limits follow their own country's rules, not our scheme's: when only the ages
    are refused, the mission is imported without them (the file's values go out again on export).
    """
    errors = mission_errors(_mission_data(values), today=today, taken=taken, check_start=False)
    if errors and set(errors) <= {"age_min", "age_max"}:
        for name, messages in errors.items():
            place.warn(MISSION_ELEMENTS[name], _("%(reason)s The mission has no such limit; the "
                                                 "file's value is kept for exports.")
                       % {"reason": " ".join(messages)})
            values = {**values, name: None}
        errors = mission_errors(_mission_data(values), today=today, taken=taken,
                                check_start=False)
    for name, messages in errors.items():
        for message in messages:
            place.error(MISSION_ELEMENTS.get(name, name), message)
    return None if errors else values


def _stored_project(project: PefProject) -> dict[str, Any]:
    data = to_json(project)
    data.pop("generated_id", None)
    return data


def _find_mission(host: Organisation, project: PefProject, place: _Place) -> Mission | None:
    mission = Mission.objects.select_for_update().filter(
        host=host, exchange_project_id=project.project_id
    ).first()
    if mission is not None:
        return mission
    # The handbook's fallback: code, dates and organisation identify a project too.
    candidates = list(Mission.objects.select_for_update().filter(
        host=host, reference__iexact=project.code.strip(), start_date=project.start_date,
        end_date=project.end_date,
    ).order_by("pk")[:2])
    if len(candidates) != 1:
        return None
    mission = candidates[0]
    if not mission.exchange_project_id:
        mission.exchange_project_id = project.project_id
        mission.save(update_fields=["exchange_project_id", "updated_at"])
    else:
        place.warn("project_id", _("no mission has this ID; matched on code and dates with "
                                   "mission %(id)s (project ID %(pid)s).")
                   % {"id": mission.pk, "pid": mission.exchange_project_id})
    return mission


def _cancel(mission: Mission, *, actor: User | None, file: str, place: _Place) -> bool:
    try:
        mission_cancel(
            mission=mission, actor=actor or AnonymousUser(), check_permission=False,
            reason=_("Cancelled by the host (PEF file %(file)s).") % {"file": file},
        )
    except ApplicationError as exc:
        place.warn("cancelled", _("the project is cancelled, but the mission cannot be: "
                                  "%(reason)s") % {"reason": exc.message})
        return False
    return True


def _import_project(
    header: PefHeader, project: PefProject, *, index: int, file: str, today: date,
    actor: User | None, outcome: ImportOutcome, allowed: Allowed | None = None,
) -> None:
    place = _Place(outcome, file, f"project {index} ({project.code})")
    if allowed is not None and not allowed(organisation_by_code(header.organization_code)):
        _Place(outcome, file).error("organization_code", _(
            "you may not import the projects of %(code)s (only its officers, or platform staff "
            "for an organisation not yet known).") % {"code": header.organization_code})
        return
    country = alpha2_of_alpha3(project.country) or ""
    host = _organisation(
        code=header.organization_code, name=header.organization, country=country, host=True,
        place=_Place(outcome, file), element="organization_code",
    )
    values = mission_values(project, warn=place.warn)
    mission = _find_mission(host, project, place)
    checked = _checked_values(values, today=today, taken=_places_taken(mission), place=place)
    if checked is None:
        return
    stored = _stored_project(project)
    if mission is None:
        _create_project_mission(host, project, checked, stored, today=today, actor=actor,
                                file=file, place=place, outcome=outcome)
    else:
        _update_project_mission(mission, project, checked, stored, actor=actor, file=file,
                                place=place, outcome=outcome)


def _create_project_mission(
    host: Organisation, project: PefProject, checked: dict[str, Any], stored: dict[str, Any],
    *, today: date, actor: User | None, file: str, place: _Place, outcome: ImportOutcome,
) -> None:
    """A project seen for the first time: its mission, published unless already over."""
    status = MissionStatus.PUBLISHED if (project.end_date >= today or project.cancelled) \
        else MissionStatus.CLOSED
    mission = Mission(host=host, scheme_id=WORKCAMP, exchange_project_id=project.project_id,
                      status=status)
    _assign(mission, checked)
    mission.full_clean()
    mission.save()
    MissionStatusChange.objects.create(
        mission=mission, from_status="", to_status=status, actor=actor,
        note=_("Imported from %(file)s.") % {"file": file},
    )
    ProjectDetails.objects.create(mission=mission, project=stored, derived=checked,
                                  source=file)
    if project.cancelled:
        _cancel(mission, actor=actor, file=file, place=place)
    outcome.add("mission", mission.pk, project.project_id, "created")


def _update_project_mission(
    mission: Mission, project: PefProject, checked: dict[str, Any], stored: dict[str, Any],
    *, actor: User | None, file: str, place: _Place, outcome: ImportOutcome,
) -> None:
    """A project already imported (or one of our own coming back): apply what changed."""
    details = ProjectDetails.objects.filter(mission=mission).first()
    if details is None and mission_current(mission) == checked:
        # One of our own missions coming back in our own export: nothing changes but the
        # file's extra fields, kept from now on.
        details = ProjectDetails.objects.create(mission=mission, project=stored,
                                                derived=checked, source=file)
    differs = (mission_current(mission) != checked or details is None
               or details.project != stored or details.derived != checked)
    state = "unchanged"
    if differs and mission.status == MissionStatus.CANCELLED:
        place.warn("cancelled", _("the mission is cancelled here; the file's changes are not "
                                  "applied."))
    elif differs:
        _assign(mission, checked)
        mission.full_clean()
        mission.save()
        ProjectDetails.objects.update_or_create(
            mission=mission, defaults={"project": stored, "derived": checked, "source": file}
        )
        state = "updated"
    if project.cancelled and mission.status != MissionStatus.CANCELLED:
        if _cancel(mission, actor=actor, file=file, place=place):
            state = "updated"
    elif not project.cancelled and mission.status == MissionStatus.CANCELLED and differs:
        place.warn("cancelled", _("the project is not cancelled in the file, but its mission is "
                                  "here; it stays cancelled."))
    outcome.add("mission", mission.pk, project.project_id, state)


def pef_import(
    *, files: Sequence[tuple[str, bytes]], today: date, dry_run: bool = False,
    actor: User | None = None, organisation_code: str = "", organisation: str = "",
    allowed: Allowed | None = None,
) -> ImportOutcome:
    """Import PEF files (every project of every file) into work-camp missions of their hosts.

    `organisation_code` and `organisation` name the host of header-less files (PLATO's
    GetPartnerProjects answer). `allowed` (pages and API: `permissions.import_permit`) says for
    which organisations the user may write; commands run as the operator, unchecked.
    """
    outcome = ImportOutcome(dry_run=dry_run)
    parsed = []
    for name, data in files:
        try:
            result = parse_pef(data, name=name, organisation_code=organisation_code,
                               organisation=organisation)
        except FormatError as exc:
            outcome.errors.extend(exc.problems)
            continue
        outcome.warnings.extend(result.report.warnings)
        outcome.errors.extend(result.report.errors)
        parsed.append((name, result))
    if outcome.errors:
        return outcome

    def work() -> None:
        for name, result in parsed:
            for index, (header, project) in enumerate(result.projects, start=1):
                _import_project(header, project, index=index, file=name, today=today,
                                actor=actor, outcome=outcome, allowed=allowed)

    return _run(outcome, work)


# --- VEF ---------------------------------------------------------------------------------------


def _volunteer_reference(sender: str, vef: Vef) -> str:
    digest = hashlib.sha256(vef.key.lower().encode()).hexdigest()[:10].upper()
    base = f"VEF-{normal_code(sender)[:20]}-{digest}"
    reference, n = base, 1
    while Volunteer.objects.filter(reference=reference).exists():
        n += 1
        reference = f"{base}-{n}"
    return reference


def volunteer_current(volunteer: Volunteer) -> dict[str, Any]:
    """The volunteer's values in the shape `mapping.volunteer_values` gives them."""
    return {
        "first_name": volunteer.first_name, "last_name": volunteer.last_name,
        "birth_date": volunteer.birth_date.isoformat() if volunteer.birth_date else None,
        "email": volunteer.email, "phone": volunteer.phone, "gender": volunteer.gender,
        "nationality": country_code(volunteer.nationality),
        "residence_country": country_code(volunteer.residence_country),
        "languages": list(volunteer.languages or []),
        "has_disability": volunteer.has_disability,
        "id_document_kind": volunteer.id_document_kind,
        "id_document_number": volunteer.id_document_number,
        "id_document_expiry": (volunteer.id_document_expiry.isoformat()
                               if volunteer.id_document_expiry else None),
    }


def _volunteer(
    vef: Vef, values: dict[str, Any], sender: Organisation, outcome: ImportOutcome,
    place: _Place,
) -> Volunteer | None:
    matches = list(Volunteer.objects.select_for_update().filter(
        last_name__iexact=vef.lastname.strip(), first_name__iexact=vef.firstname.strip(),
        birth_date=vef.birthdate, sending_organisation=sender, anonymised_at__isnull=True,
    ).order_by("pk")[:2])
    if len(matches) > 1:
        place.warn("lastname", _("several volunteers of %(sender)s have this name and birth "
                                 "date; the first one (%(ref)s) is used.")
                   % {"sender": sender.name, "ref": matches[0].reference})
    volunteer = matches[0] if matches else None
    if volunteer is None:
        volunteer = Volunteer(reference=_volunteer_reference(sender.exchange_code or "", vef),
                              sending_organisation=sender)
        _assign_volunteer(volunteer, values, only_given=False)
        volunteer.full_clean()
        volunteer.save()
        outcome.add("volunteer", volunteer.pk, vef.key, "created")
        return volunteer
    before = volunteer_current(volunteer)
    _assign_volunteer(volunteer, values, only_given=True)
    if volunteer_current(volunteer) != before:
        volunteer.full_clean()
        volunteer.save()
        outcome.add("volunteer", volunteer.pk, vef.key, "updated")
    else:
        outcome.add("volunteer", volunteer.pk, vef.key, "unchanged")
    return volunteer


def _assign_volunteer(volunteer: Volunteer, values: dict[str, Any], *, only_given: bool) -> None:
    """Set the VEF's values; on an update, a value the VEF leaves empty keeps ours."""
    for name, value in values.items():
        if only_given and value in ("", None, []) and not isinstance(value, bool):
            continue
        if name in {"birth_date", "id_document_expiry"} and value:
            value = date.fromisoformat(value)
        setattr(volunteer, name, value)


def _choices(
    vef: Vef, volunteer: Volunteer | None, application: Application | None, place: _Place
) -> list[Mission]:
    """The missions of the VEF's choices, in rank order; unknown, ambiguous, closed and
    already-applied codes are skipped with a warning."""
    missions: list[Mission] = []
    for rank, code in enumerate(vef.choices, start=1):
        element = f"choice{rank}"
        found = list(Mission.objects.filter(
            scheme_id=WORKCAMP, reference__iexact=code.strip()
        ).select_related("host").order_by("pk"))
        if not found:
            place.warn(element, _("no work camp has the code “%(code)s”; choice skipped.")
                       % {"code": code})
            continue
        # Codes come back every season ("XYZ 07" each summer): the open one is meant.
        open_ = [m for m in found if m.status == MissionStatus.PUBLISHED]
        candidates = found if len(found) == 1 else open_
        if len(candidates) != 1:
            hosts = ", ".join(sorted({m.host.name for m in (candidates or found)}))
            place.warn(element, _("the code “%(code)s” is ambiguous (%(n)d work camps: "
                                  "%(hosts)s); choice skipped.")
                       % {"code": code, "n": len(candidates or found), "hosts": hosts})
            continue
        mission = candidates[0]
        if mission.status != MissionStatus.PUBLISHED:
            place.warn(element, _("the work camp “%(code)s” is %(status)s: the choice is kept, "
                                  "but its host can no longer accept it.")
                       % {"code": code, "status": mission.get_status_display().lower()})
        if mission in missions:
            place.warn(element, _("“%(code)s” already chosen; kept once.") % {"code": code})
            continue
        if volunteer is not None and volunteer.pk and ApplicationChoice.objects.filter(
            application__volunteer=volunteer, mission=mission, status__in=OPEN_CHOICES,
        ).exclude(application=application).exists():
            place.warn(element, _("the volunteer already has an open application for "
                                  "“%(code)s”; choice skipped.") % {"code": code})
            continue
        missions.append(mission)
    if len(missions) > MAX_CHOICES:
        dropped = ", ".join(m.reference for m in missions[MAX_CHOICES:])
        place.warn(f"choice{MAX_CHOICES + 1}", _("an application holds at most %(n)d choices; "
                                                  "%(codes)s skipped.")
                   % {"n": MAX_CHOICES, "codes": dropped})
        missions = missions[:MAX_CHOICES]
    return missions


# VEF elements that our records hold, written from them on export: the passport (encrypted
# apart), the sender (the application's sending organisation), the choices (the application's)
# and the writing software's name and version (ours, on export).
VEF_NOT_STORED = ("passport", "sender", "choices", "application", "version")


def _stored_vef(vef: Vef, values: dict[str, Any]) -> dict[str, Any]:
    data = to_json(vef)
    for name in VEF_NOT_STORED:
        data.pop(name, None)
    return {"vef": data, "derived": {k: v for k, v in values.items()
                                     if k != "id_document_number"}}


def _may_import_vef(vef: Vef, allowed: Allowed) -> bool:
    """The sender's officers, or the officers of a host of one of the work camps chosen."""
    if allowed(organisation_by_code(vef.sender)):
        return True
    codes = [c.strip() for c in vef.choices if c.strip()]
    query = Q()
    for code in codes:
        query |= Q(reference__iexact=code)
    hosts = Organisation.objects.filter(
        pk__in=Mission.objects.filter(query, scheme_id=WORKCAMP).values("host_id")
    ) if codes else Organisation.objects.none()
    return any(allowed(host) for host in hosts)


def _import_vef(
    vef: Vef, *, file: str, actor: User | None, outcome: ImportOutcome, now: datetime,
    allowed: Allowed | None = None,
) -> None:
    place = _Place(outcome, file)
    if allowed is not None and not _may_import_vef(vef, allowed):
        place.error("sender", _("you may not import this application: it is neither sent by "
                                "your organisation nor for one of its work camps."))
        return
    values = _vef_volunteer_values(vef, place)
    if values is None:
        return
    sender = _organisation(code=vef.sender, name="", country=values["residence_country"],
                           host=False, place=place, element="sender")
    volunteer = _volunteer(vef, values, sender, outcome, place)
    if volunteer is None:
        return
    record = VefRecord.objects.select_for_update().filter(
        volunteer=volunteer, sender=sender, date_filed=vef.date_filed
    ).select_related("application").first()
    if vef.date_filed is None:
        place.warn("date_filed", _("missing; a VEF without it is matched with the volunteer's "
                                   "other undated VEF from this sender."))
    stored = _stored_vef(vef, values)
    if record is None:
        _create_vef_application(vef, volunteer, sender, stored, file=file, actor=actor,
                                place=place, outcome=outcome, now=now)
    else:
        _update_vef_record(vef, record, volunteer, stored, file=file, place=place,
                           outcome=outcome)


def _vef_volunteer_values(vef: Vef, place: _Place) -> dict[str, Any] | None:
    """The volunteer's fields read from the VEF, or None (a nationality is required)."""
    values = volunteer_values(vef, warn=place.warn)
    if not values["nationality"]:
        place.error("nationality", _("no nationality and no country of residence that we can "
                                     "read; one of them is required."))
        return None
    if vef.email:
        try:
            validate_email(vef.email)
        except ValidationError:
            place.warn("email", _("“%(email)s” is not an e-mail address; not recorded.")
                       % {"email": vef.email})
            values["email"] = ""
    return values


def _create_vef_application(
    vef: Vef, volunteer: Volunteer, sender: Organisation, stored: dict[str, Any], *, file: str,
    actor: User | None, place: _Place, outcome: ImportOutcome, now: datetime,
) -> None:
    """A VEF seen for the first time: the application for the chosen projects it can take,
    submitted at `now`, each choice with its eligibility verdict (the workflow's)."""
    missions = _choices(vef, volunteer, None, place)
    if not missions:
        place.error("choice1", _("none of the chosen projects can take the application."))
        return
    # Imported here: applications import placements, which import missions' services.
    from reciprocity.applications.services import _create
    from reciprocity.workflow.applying import verdict_of

    try:
        application = _create(
            actor=cast(User, actor), volunteer=volunteer, missions=missions,
            motivation=vef.motivation, kind=ApplicationKind.APPLICATION,
            sending_organisation=sender, programme=None, verdict_of=verdict_of, now=now,
        )
    except ApplicationError as exc:
        place.error("choice1", exc.message)
        return
    VefRecord.objects.create(
        application=application, volunteer=volunteer, sender=sender,
        date_filed=vef.date_filed, details=stored, passport=vef.passport, source=file,
    )
    outcome.add("application", application.pk, vef.key, "created")


def _update_vef_record(
    vef: Vef, record: VefRecord, volunteer: Volunteer, stored: dict[str, Any], *, file: str,
    place: _Place, outcome: ImportOutcome,
) -> None:
    """A VEF already imported: the application keeps its choices; details and motivation
    follow the file."""
    application = record.application
    wanted = _choices(vef, volunteer, application, place)
    current = [c.mission_id for c in application.choices.order_by("rank")]
    if [m.pk for m in wanted] != current:
        place.warn("choice1", _("the choices differ from those of application %(id)s, which "
                                "keeps its own (a decision may already have been taken).")
                   % {"id": application.pk})
    state = "unchanged"
    if record.details != stored or record.passport != vef.passport:
        record.details, record.passport, record.source = stored, vef.passport, file
        record.save()
        state = "updated"
    if application.motivation != vef.motivation:
        application.motivation = vef.motivation
        application.save(update_fields=["motivation", "updated_at"])
        state = "updated"
    outcome.add("application", application.pk, vef.key, state)


def vef_import(
    *, files: Sequence[tuple[str, bytes]], now: datetime, dry_run: bool = False,
    actor: User | None = None, allowed: Allowed | None = None,
) -> ImportOutcome:
    """Import VEF files: one volunteer (matched, never duplicated) and one application each,
    submitted at `now` (the edge's moment). `allowed`: as for `pef_import`."""
    outcome = ImportOutcome(dry_run=dry_run)
    parsed: list[tuple[str, Vef]] = []
    for name, data in files:
        try:
            result = parse_vef(data, name=name)
        except FormatError as exc:
            outcome.errors.extend(exc.problems)
            continue
        outcome.warnings.extend(result.report.warnings)
        outcome.errors.extend(result.report.errors)
        if result.vef is not None:
            parsed.append((name, result.vef))
    if outcome.errors:
        return outcome

    def work() -> None:
        for name, vef in parsed:
            _import_vef(vef, file=name, actor=actor, outcome=outcome, now=now, allowed=allowed)

    return _run(outcome, work)


def vef_records_erase(*, volunteer: Volunteer) -> int:
    """Forget what VEFs said about a volunteer (anonymisation): the addresses, contacts and
    passport details have no statistical use. Returns the number of records erased."""
    return VefRecord.objects.filter(volunteer=volunteer).update(details={}, passport="",
                                                                source="")


def vef_records_export(*, volunteer: Volunteer, clear_number: bool) -> list[dict[str, Any]]:
    """The VEFs received about a volunteer, for their personal-data export: every field kept,
    the passport details masked unless the reader may see identity numbers in clear."""
    from reciprocity.core.fields import mask

    return [{
        "application_id": record.application_id,
        "sender": {"id": record.sender_id, "name": record.sender.name,
                   "exchange_code": record.sender.exchange_code},
        "date_filed": record.date_filed.isoformat() if record.date_filed else None,
        "file": record.source,
        "passport": record.passport if clear_number else mask(record.passport),
        "details": record.details,
        "received_at": record.created_at.isoformat(),
    } for record in VefRecord.objects.filter(volunteer=volunteer).select_related("sender")
        .order_by("created_at", "pk")]


# --- organisation codes --------------------------------------------------------------------------

EXCHANGE_CODE_PATTERN = r"^[A-Z0-9][A-Z0-9 ._-]{0,19}$"


@transaction.atomic
def organisation_exchange_code_set(
    *, organisation: Organisation, code: str, actor: AnyUser
) -> Organisation:
    """Give an organisation its network code (or remove it with ""): its administrators or
    platform staff. Codes are unique, compared without regard to case, stored in capitals."""
    import re

    from reciprocity.core.exceptions import NotAllowed
    from reciprocity.exchange.permissions import can_set_exchange_code

    if not can_set_exchange_code(actor, organisation):
        raise NotAllowed(_("Only the organisation's administrators may change its code."))
    code = normal_code(code)
    if code and not re.match(EXCHANGE_CODE_PATTERN, code):
        raise ApplicationError(
            _("A code is 1 to 20 letters, digits, spaces, dots, hyphens or underscores."),
            code="invalid_exchange_code", details={"exchange_code": [code]},
        )
    taken = organisation_by_code(code) if code else None
    if taken is not None and taken.pk != organisation.pk:
        raise ApplicationError(
            _("The code %(code)s already belongs to %(org)s.") % {"code": code, "org": taken.name},
            code="exchange_code_taken", details={"exchange_code": [code]},
        )
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    organisation.exchange_code = code or None
    organisation.save(update_fields=["exchange_code", "updated_at"])
    return organisation
