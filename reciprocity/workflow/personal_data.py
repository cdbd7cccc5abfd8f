"""A volunteer's personal data across every app: the export (right of access and portability)
and the anonymisation after the retention period (docs/data-protection.md).

One orchestrator above the apps that hold rows about the person (ADR 0005, issue 11): each app
owns its `*_anonymise_for_volunteer` service and erases its own rows; this module checks that
the volunteer may be anonymised, locks what it checked and calls them in one transaction. Apps
above this layer (exchange, conversations) erase their copies on the volunteer's post_save and
add their sections to the export through `volunteers.signals.personal_data_export`.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from reciprocity.accounts.models import User
from reciprocity.accounts.selectors import AnyUser
from reciprocity.applications.models import Application, ApplicationStatus
from reciprocity.applications.services import applications_anonymise_for_volunteer
from reciprocity.core.exceptions import ApplicationError
from reciprocity.domain.dates import add_months
from reciprocity.notifications.models import Notification
from reciprocity.notifications.services import notifications_anonymise_for_volunteer
from reciprocity.placements.models import Placement, PlacementStatus
from reciprocity.placements.services import placements_anonymise_for_volunteer
from reciprocity.procedures.models import Procedure
from reciprocity.procedures.services import procedures_anonymise_for_volunteer
from reciprocity.volunteers import permissions
from reciprocity.volunteers.models import AccessChannel, Volunteer
from reciprocity.volunteers.services import (
    is_anonymised,
    volunteer_anonymisation_birth_date,
    volunteer_anonymise_record,
    volunteer_documents_anonymise,
)
from reciprocity.volunteers.signals import personal_data_export

EXPORT_FORMAT = "reciprocity.personal-data/1"


# --- Export (right of access and portability) ------------------------------------------------


def _day(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _organisation(org: Any) -> dict[str, Any] | None:
    return {"id": org.pk, "name": org.name} if org is not None else None


def _volunteer_part(volunteer: Volunteer, *, clear_number: bool) -> dict[str, Any]:
    number = volunteer.id_document_number
    user = volunteer.user
    return {
        "reference": volunteer.reference,
        "first_name": volunteer.first_name,
        "last_name": volunteer.last_name,
        "email": volunteer.email,
        "phone": volunteer.phone,
        "birth_date": _day(volunteer.birth_date),
        "gender": volunteer.gender,
        "nationality": str(volunteer.nationality),
        "other_nationalities": list(volunteer.other_nationalities),
        "residence_country": str(volunteer.residence_country),
        "languages": list(volunteer.languages),
        "has_disability": volunteer.has_disability,
        "prior_service_civique": volunteer.prior_service_civique,
        "prior_vsi_months": volunteer.prior_vsi_months,
        "sending_organisation": _organisation(volunteer.sending_organisation),
        "identity_document": {
            "kind": volunteer.id_document_kind,
            "number": number if clear_number else volunteer.id_document_number_masked,
            "number_masked": not clear_number and bool(number),
            "expiry": _day(volunteer.id_document_expiry),
        },
        "account": None if user is None else {
            "username": user.username, "email": user.email, "first_name": user.first_name,
            "last_name": user.last_name, "date_joined": _day(user.date_joined),
            "last_login": _day(user.last_login),
        },
        "created_at": _day(volunteer.created_at),
        "updated_at": _day(volunteer.updated_at),
        "anonymised_at": _day(volunteer.anonymised_at),
    }


def _applications_part(volunteer: Volunteer) -> list[dict[str, Any]]:
    applications = (
        Application.objects.filter(volunteer=volunteer)
        .select_related("sending_organisation", "programme")
        .prefetch_related("choices__mission__host", "history")
        .order_by("created_at", "pk")
    )
    return [{
        "id": a.pk,
        "kind": a.kind,
        "status": a.status,
        "programme": str(a.programme) if a.programme else None,
        "sending_organisation": _organisation(a.sending_organisation),
        "motivation": a.motivation,
        "created_at": _day(a.created_at),
        "submitted_at": _day(a.submitted_at),
        "choices": [{
            "rank": c.rank,
            "mission": {"id": c.mission_id, "title": c.mission.title,
                        "host": _organisation(c.mission.host)},
            "status": c.status,
            "decision_reason": c.decision_reason,
            "decided_at": _day(c.decided_at),
        } for c in sorted(a.choices.all(), key=lambda c: c.rank)],
        "history": [{
            "choice_rank": next((c.rank for c in a.choices.all() if c.pk == h.choice_id), None),
            "from": h.from_status, "to": h.to_status, "at": _day(h.changed_at),
            "reason": h.reason,
        } for h in sorted(a.history.all(), key=lambda h: (h.changed_at, h.pk))],
    } for a in applications]


def _procedure_part(procedure: Procedure | None) -> dict[str, Any] | None:
    if procedure is None:
        return None
    return {
        "entry_document": procedure.entry_document,
        "eligible": procedure.eligible,
        "computed_for": _day(procedure.computed_for),
        "steps": [{
            "code": s.code, "title": s.title, "owner": s.owner, "status": s.status,
            "due_from": _day(s.due_from), "due_by": _day(s.due_by),
        } for s in procedure.checklist()],
        # The list only: the files themselves are handed over on request (docs/data-protection.md).
        "documents": [{
            "kind": d.kind, "file_name": d.original_name, "content_type": d.content_type,
            "size": d.size, "valid_from": _day(d.valid_from), "expires_on": _day(d.expires_on),
            "uploaded_at": _day(d.uploaded_at),
        } for d in procedure.documents.order_by("uploaded_at", "pk")],
    }


def _placements_part(volunteer: Volunteer) -> list[dict[str, Any]]:
    placements = (
        Placement.objects.filter(volunteer=volunteer)
        .select_related("mission__host", "sending_organisation", "procedure", "follow_up")
        .prefetch_related("history", "evaluations")
        .order_by("start_date", "pk")
    )
    rows = []
    for p in placements:
        follow_up = getattr(p, "follow_up", None)
        rows.append({
            "id": p.pk,
            "mission": {"id": p.mission_id, "title": p.mission.title,
                        "host": _organisation(p.mission.host)},
            "sending_organisation": _organisation(p.sending_organisation),
            "host_country": str(p.host_country),
            "scheme": p.scheme_id,
            "start_date": _day(p.start_date),
            "end_date": _day(p.end_date),
            "status": p.status,
            "ended_on": _day(p.ended_on),
            "end_reason": p.end_reason,
            "termination_reason": p.termination_reason,
            "tutor": p.tutor_name,
            "status_history": [{
                "from": h.from_status, "to": h.to_status, "at": _day(h.changed_at),
                "reason": h.reason,
            } for h in sorted(p.history.all(), key=lambda h: (h.changed_at, h.pk))],
            "evaluations": [{
                "stage": e.stage, "written_by": e.author_role, "mission": e.mission_rating,
                "integration": e.integration_rating, "support": e.support_rating,
                "comments": e.comments, "at": _day(e.created_at),
            } for e in sorted(p.evaluations.all(), key=lambda e: (e.stage, e.author_role))],
            "follow_up": None if follow_up is None else {
                "situation": follow_up.situation, "details": follow_up.details,
                "recorded_on": _day(follow_up.recorded_on),
            },
            "procedure": _procedure_part(getattr(p, "procedure", None)),
        })
    return rows


def volunteer_export(
    *, volunteer: Volunteer, now: datetime, viewer: AnyUser | None = None
) -> dict[str, Any]:
    """Everything the platform holds about one person, as JSON-ready data, generated at `now`.

    `viewer` None is an operator's command on the server (staff tool): the document number is
    given in clear, as it is to staff and to the volunteer themself; anyone else gets it masked.
    Recording the access is the caller's job (it knows the channel).
    """
    volunteer = Volunteer.objects.select_related("sending_organisation", "user").get(
        pk=volunteer.pk
    )
    clear = viewer is None or permissions.can_read_document_number(viewer, volunteer)
    notifications = (
        Notification.objects.filter(user_id=volunteer.user_id).order_by("created_at", "pk")
        if volunteer.user_id else Notification.objects.none()
    )
    export: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "generated_at": now.isoformat(),
        "volunteer": _volunteer_part(volunteer, clear_number=clear),
        "applications": _applications_part(volunteer),
        "placements": _placements_part(volunteer),
        "notifications": [{
            "kind": n.verb, "subject": n.subject, "text": n.text, "link": n.link,
            "created_at": _day(n.created_at), "read_at": _day(n.read_at),
        } for n in notifications],
        "access_log": [{
            "action": a.action, "channel": a.channel, "detail": a.detail,
            "at": _day(a.occurred_at),
        } for a in volunteer.data_accesses.order_by("occurred_at", "pk")],
    }
    for _receiver, sections in personal_data_export.send(
        sender=Volunteer, volunteer=volunteer, clear_number=clear
    ):
        # A receiver answers a dict of sections (see volunteers/signals.py).
        export.update(cast(dict[str, Any], sections) or {})
    return export


# --- Anonymisation after the retention period ------------------------------------------------

# A placement in these statuses has not ended: the person is still in the flow.
ACTIVE_PLACEMENT_STATUSES = (
    PlacementStatus.PROPOSED, PlacementStatus.CONFIRMED, PlacementStatus.IN_MISSION,
)
# An application in these statuses still waits for someone's decision or action.
OPEN_APPLICATION_STATUSES = (
    ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, ApplicationStatus.SHORTLISTED,
    ApplicationStatus.ACCEPTED,
)


@dataclass(frozen=True)
class Candidate:
    volunteer: Volunteer
    last_activity: date


def _as_day(value: date | datetime | None) -> date | None:
    if isinstance(value, datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def anonymisation_candidates(
    *, today: date, retention_months: int, ended_before: date | None = None
) -> tuple[list[Candidate], date]:
    """Volunteers to anonymise, with the cutoff used: not yet anonymised, every placement ended
    (completed, interrupted or cancelled; someone never placed qualifies too), no open
    application, and a last activity before the cutoff. The last activity is the latest of:
    a placement's end (the day it ended, else its planned end), an application's last change
    and the account's last sign-in; the record's creation only when there is none of these (a
    bare record), so that old missions imported recently are not kept for another full period.
    Edits of the record by staff do not count: they are not the person's activity.

    An operator's read (the `volunteers anonymise` command), hence not scoped to a user.
    """
    cutoff = ended_before or add_months(today, -retention_months)
    rows = (
        Volunteer.objects.filter(anonymised_at__isnull=True)
        .exclude(placements__status__in=ACTIVE_PLACEMENT_STATUSES)
        .exclude(applications__status__in=OPEN_APPLICATION_STATUSES)
        .annotate(
            last_ended=Max("placements__ended_on"),
            last_planned_end=Max("placements__end_date"),
            last_application=Max("applications__updated_at"),
            last_login=Max("user__last_login"),
        )
        .order_by("pk")
    )
    found = []
    for volunteer in rows:
        days = [d for d in (
            _as_day(volunteer.last_ended), _as_day(volunteer.last_planned_end),
            _as_day(volunteer.last_application), _as_day(volunteer.last_login),
        ) if d is not None]
        last = max(days) if days else _as_day(volunteer.created_at)
        assert last is not None
        if last < cutoff:
            found.append(Candidate(volunteer=volunteer, last_activity=last))
    return found, cutoff


def anonymisation_refusals(volunteer: Volunteer) -> list[str]:
    """Why the volunteer may not be anonymised now (empty when they may)."""
    reasons = []
    if Placement.objects.filter(volunteer=volunteer, status__in=ACTIVE_PLACEMENT_STATUSES).exists():
        reasons.append(_("The volunteer has a placement that has not ended."))
    if Application.objects.filter(volunteer=volunteer, status__in=OPEN_APPLICATION_STATUSES).exists():
        reasons.append(_("The volunteer has an open application."))
    return reasons


@transaction.atomic
def volunteer_anonymise(
    *, volunteer: Volunteer, actor: User | None, now: datetime,
    channel: str = AccessChannel.COMMAND,
) -> bool:
    """Erase the volunteer's identity, keeping what statistics count (gender, nationality,
    country of residence, birth year, placements and their snapshots, the ledger), as of `now`
    (the record's anonymised_at).

    Returns False when the volunteer was already anonymised (nothing is done twice). Raises
    ApplicationError while a placement has not ended or an application is open.
    """
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    if is_anonymised(volunteer):
        return False
    # Lock the rows checked, so no placement or application moves under our feet.
    list(Placement.objects.select_for_update().filter(volunteer=volunteer).values_list("pk"))
    list(Application.objects.select_for_update().filter(volunteer=volunteer).values_list("pk"))
    reasons = anonymisation_refusals(volunteer)
    if reasons:
        raise ApplicationError(" ".join(reasons), code="anonymisation_refused",
                               details={"reasons": reasons})

    birth_date = volunteer_anonymisation_birth_date(volunteer)
    # Each app erases its own rows (documents, the engine's input copy, free texts written by
    # or about the person; ratings and situations stay for the outcomes), then the record.
    procedures_anonymise_for_volunteer(volunteer_id=volunteer.pk, birth_date=birth_date)
    volunteer_documents_anonymise(volunteer_id=volunteer.pk)
    applications_anonymise_for_volunteer(volunteer_id=volunteer.pk)
    placements_anonymise_for_volunteer(volunteer_id=volunteer.pk)
    if volunteer.user_id is not None:
        notifications_anonymise_for_volunteer(user_id=volunteer.user_id)
    volunteer_anonymise_record(volunteer=volunteer, actor=actor, channel=channel,
                               birth_date=birth_date, now=now)
    return True


@dataclass
class AnonymisationRun:
    cutoff: date
    candidates: list[dict[str, Any]] = field(default_factory=list)
    anonymised: list[dict[str, Any]] = field(default_factory=list)
    refused: list[dict[str, Any]] = field(default_factory=list)


def volunteers_anonymise_due(
    *, today: date, now: datetime, ended_before: date | None = None,
    retention_months: int | None = None, dry_run: bool = False,
) -> AnonymisationRun:
    """Anonymise everyone past the retention period (or whose last activity is before
    `ended_before`). Each volunteer in their own transaction: one refusal (an application
    filed meanwhile) does not undo the others. Safe to run daily."""
    months = settings.PERSONAL_DATA_RETENTION_MONTHS if retention_months is None else retention_months
    candidates, cutoff = anonymisation_candidates(
        today=today, retention_months=months, ended_before=ended_before
    )
    run = AnonymisationRun(cutoff=cutoff)
    for candidate in candidates:
        row = {"id": candidate.volunteer.pk, "reference": candidate.volunteer.reference,
               "last_activity": candidate.last_activity.isoformat()}
        run.candidates.append(row)
        if dry_run:
            continue
        try:
            done = volunteer_anonymise(volunteer=candidate.volunteer, actor=None, now=now)
        except ApplicationError as exc:
            run.refused.append({**row, "reasons": exc.details.get("reasons", [exc.message])})
            continue
        if done:
            candidate.volunteer.refresh_from_db(fields=["reference"])
            # Never the old reference next to the new one: that pair would undo the erasure.
            run.anonymised.append({"id": candidate.volunteer.pk,
                                   "reference": candidate.volunteer.reference})
    return run
