"""Writing the exchange files from our records: an organisation's projects (PEF 2.0), one
application (VEF 1.0), an organisation's free places (FPL). Strict output (formats/), file
names as in the handbook.

A mission that goes out in a PEF for the first time is given its project ID then (the
handbook's MD5 of `org:code:start:end`, stored and never changed), and a code if it had none.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from reciprocity.accounts.selectors import AnyUser
from reciprocity.applications.models import Application
from reciprocity.core.countries import country_code
from reciprocity.core.exceptions import ApplicationError
from reciprocity.domain.dates import age_on
from reciprocity.exchange.formats import (
    FplDocument,
    FplHeader,
    FplProject,
    PefForm,
    PefHeader,
    Vef,
    fpl_file_name,
    pef_file_name,
    project_id_for,
    vef_file_name,
    write_fpl,
    write_pef,
    write_vef,
)
from reciprocity.exchange.formats.codes import alpha3_of_alpha2
from reciprocity.exchange.formats.serial import project_from_json, vef_from_json
from reciprocity.exchange.mapping import (
    languages_for_export,
    project_for_export,
    vef_for_export,
)
from reciprocity.exchange.models import ProjectDetails, VefRecord
from reciprocity.exchange.services import (
    WORKCAMP,
    mission_current,
    normal_code,
    volunteer_current,
)
from reciprocity.missions.models import Mission, MissionStatus
from reciprocity.partners.models import Organisation
from reciprocity.placements.models import HOLDING_STATUSES, Placement, PlacementStatus
from reciprocity.volunteers.models import AccessAction, AccessChannel
from reciprocity.volunteers.services import personal_data_access_record


class ExportRefused(ApplicationError):
    code = "export_refused"
    status = 422


@dataclass
class ExportFile:
    name: str
    content: bytes
    warnings: list[str] = field(default_factory=list)


def _code_of(organisation: Organisation) -> str:
    if not organisation.exchange_code:
        raise ExportRefused(
            _("%(org)s has no exchange code: give it one (its organisation page or the admin "
              "site) before exporting.") % {"org": organisation.name},
            code="no_exchange_code",
        )
    return organisation.exchange_code


# --- PEF ---------------------------------------------------------------------------------------


def exported_missions(
    *, organisation: Organisation, date_from: date | None = None, date_to: date | None = None
) -> list[Mission]:
    """The organisation's work camps that a PEF gives out: every one but drafts, starting
    within [date_from, date_to] when given."""
    missions = Mission.objects.filter(host=organisation, scheme_id=WORKCAMP).exclude(
        status=MissionStatus.DRAFT
    )
    if date_from is not None:
        missions = missions.filter(start_date__gte=date_from)
    if date_to is not None:
        missions = missions.filter(start_date__lte=date_to)
    return list(missions.order_by("start_date", "reference", "pk"))


def _give_project_id(mission: Mission, org_code: str) -> None:
    """The handbook's ID, generated at the first export and stored for ever (and a code)."""
    if mission.exchange_project_id:
        return
    code = mission.reference or f"{org_code}-{mission.pk}"
    candidate = project_id_for(org_code, code, mission.start_date, mission.end_date)
    taken = Mission.objects.filter(host_id=mission.host_id, exchange_project_id=candidate)
    if taken.exclude(pk=mission.pk).exists():
        # Two missions with the same code and dates: the second one's ID also hashes its key.
        candidate = project_id_for(org_code, f"{code}:{mission.pk}", mission.start_date,
                                   mission.end_date)
    Mission.objects.filter(pk=mission.pk).update(exchange_project_id=candidate, reference=code)
    mission.exchange_project_id, mission.reference = candidate, code


@transaction.atomic
def pef_export(
    *, organisation: Organisation, today: date, date_from: date | None = None,
    date_to: date | None = None,
) -> ExportFile:
    org_code = _code_of(organisation)
    missions = exported_missions(organisation=organisation, date_from=date_from,
                                 date_to=date_to)
    details = {d.mission_id: d for d in ProjectDetails.objects.filter(mission__in=missions)}
    warnings = []
    if not missions:
        warnings.append(_("%(org)s has no work camp to export (drafts are not exported).")
                        % {"org": organisation.name})
    form = PefForm(header=PefHeader(
        date_filed=today, organization=organisation.name, organization_code=org_code,
        pef_sent_by=organisation.contact_name, pef_sender_email=organisation.email,
    ))
    for mission in missions:
        _give_project_id(mission, org_code)
        stored = details.get(mission.pk)
        form.projects.append(project_for_export(
            mission=mission_current(mission),
            stored=project_from_json(stored.project) if stored else None,
            derived=stored.derived if stored else {},
            project_id=mission.exchange_project_id,
            cancelled=mission.status == MissionStatus.CANCELLED,
            last_update=mission.updated_at.date(),
        ))
    return ExportFile(name=pef_file_name(form, today=today), content=write_pef(form),
                      warnings=warnings)


# --- VEF ---------------------------------------------------------------------------------------


def vef_export(
    *, application: Application, today: date, viewer: AnyUser | None = None,
    channel: str = AccessChannel.COMMAND,
) -> ExportFile:
    """The VEF of an application: as received (with what changed here since), or composed
    from our records for an application made here. The export is logged as an access to the
    volunteer's personal data."""
    application = Application.objects.select_related(
        "volunteer", "sending_organisation", "volunteer__sending_organisation"
    ).get(pk=application.pk)
    volunteer = application.volunteer
    warnings: list[str] = []
    sender = application.sending_organisation or volunteer.sending_organisation
    if sender is None:
        raise ExportRefused(_("The application has no sending organisation: a VEF names it."),
                            code="no_sender")
    sender_code = sender.exchange_code
    if not sender_code:
        sender_code = normal_code(sender.acronym or sender.name)[:20]
        warnings.append(_("%(org)s has no exchange code; “%(code)s” is written as the sender.")
                        % {"org": sender.name, "code": sender_code})
    if volunteer.birth_date is None or not volunteer.last_name:
        raise ExportRefused(_("A VEF needs the volunteer's last name and birth date."),
                            code="incomplete_volunteer")
    choices = []
    for choice in application.choices.select_related("mission").order_by("rank"):
        if choice.mission.reference:
            choices.append(choice.mission.reference)
        else:
            warnings.append(_("The mission “%(title)s” has no code; it is left out of the "
                              "choices.") % {"title": choice.mission.title})
    record = VefRecord.objects.filter(application=application).first()
    if record is not None and record.details.get("vef"):
        stored = vef_from_json({
            **record.details["vef"], "sender": sender_code, "choices": choices,
            "passport": record.passport,
        })
        vef = vef_for_export(stored=stored, volunteer=volunteer_current(volunteer),
                             derived=record.details.get("derived", {}))
    else:
        number = volunteer.id_document_number
        passport = number
        if number and volunteer.id_document_expiry:
            passport = f"{number}, , , {volunteer.id_document_expiry.isoformat()}"
        filed = application.submitted_at or application.created_at
        vef = Vef(
            sender=sender_code, lastname=volunteer.last_name, firstname=volunteer.first_name,
            birthdate=volunteer.birth_date, choices=choices, email=volunteer.email,
            telephone=volunteer.phone, sex=volunteer.gender if volunteer.gender in {"M", "F"}
            else "", country=alpha3_of_alpha2(country_code(volunteer.residence_country)) or "",
            nationality=alpha3_of_alpha2(country_code(volunteer.nationality)) or "",
            languages=languages_for_export(list(volunteer.languages or [])),
            disability=volunteer.has_disability, passport=passport,
            date_filed=filed.date() if filed else today, motivation=application.motivation,
            req_sent_by=sender.contact_name, req_sender_email=sender.email,
        )
    if not vef.choices:
        warnings.append(_("The VEF has no choice: partners will refuse it."))
    personal_data_access_record(volunteer=volunteer, actor=viewer, action=AccessAction.EXPORT,
                                channel=channel)
    return ExportFile(name=vef_file_name(vef), content=write_vef(vef), warnings=warnings)


# --- FPL ---------------------------------------------------------------------------------------


def fpl_export(*, organisation: Organisation, today: date) -> ExportFile:
    """Free places of the organisation's open work camps (published, not yet ended).

    Free places per gender: without a split of the places (numvol_m/numvol_f from a PEF), any
    free place may go to either, so both columns give the total free. Reserved: proposed
    placements not yet confirmed. No more from: the nationalities that reached the cap.
    """
    org_code = _code_of(organisation)
    missions = list(Mission.objects.filter(
        host=organisation, scheme_id=WORKCAMP, status=MissionStatus.PUBLISHED,
        end_date__gte=today,
    ).order_by("start_date", "reference", "pk"))
    details = {d.mission_id: d for d in ProjectDetails.objects.filter(mission__in=missions)}
    placements = Placement.objects.filter(mission__in=missions).filter(
        Q(status__in=HOLDING_STATUSES) | Q(status=PlacementStatus.PROPOSED)
    ).select_related("volunteer")
    by_mission: dict[int, list[Placement]] = {}
    for placement in placements:
        by_mission.setdefault(placement.mission_id, []).append(placement)
    document = FplDocument(header=FplHeader(
        date_filed=today, organization=organisation.name, organization_code=org_code,
        fpl_sent_by=organisation.contact_name, fpl_sender_email=organisation.email,
    ))
    for mission in missions:
        _give_project_id(mission, org_code)
        held = [p for p in by_mission.get(mission.pk, []) if p.status in HOLDING_STATUSES]
        reserved = [p for p in by_mission.get(mission.pk, [])
                    if p.status == PlacementStatus.PROPOSED]
        free = max(mission.capacity - len(held) - len(reserved), 0)
        project = details[mission.pk].project if mission.pk in details else {}
        free_m = free_f = free
        if project.get("numvol_m") is not None and project.get("numvol_f") is not None:
            free_m = min(free, max(project["numvol_m"] - sum(p.gender == "M" for p in held), 0))
            free_f = min(free, max(project["numvol_f"] - sum(p.gender == "F" for p in held), 0))
        teens = sum(1 for p in held if p.volunteer.birth_date is not None
                    and age_on(p.volunteer.birth_date, mission.start_date) < 18)
        max_teens = project.get("max_teenagers") or 0
        nationalities = Counter(country_code(p.nationality) for p in held + reserved)
        full = sorted(alpha3_of_alpha2(code) or code for code, n in nationalities.items()
                      if mission.max_per_nationality and n >= mission.max_per_nationality)
        document.projects.append(FplProject(
            project_id=mission.exchange_project_id, code=mission.reference,
            start_date=mission.start_date, end_date=mission.end_date, numvol=mission.capacity,
            free_m=free_m, free_f=free_f, free_teen=min(free, max(max_teens - teens, 0)),
            reserved=len(reserved), no_more_from=full,
            remarks="full" if free == 0 else "", last_update=mission.updated_at.date(),
        ))
    warnings = [] if missions else [
        _("%(org)s has no open work camp: the list is empty.") % {"org": organisation.name}
    ]
    return ExportFile(name=fpl_file_name(document, today=today), content=write_fpl(document),
                      warnings=warnings)


