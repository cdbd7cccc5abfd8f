"""Use-cases on volunteers' personal data: the access log, the export of one person's data and
the anonymisation after the retention period (docs/data-protection.md)."""

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reciprocity.accounts.models import Membership, User
from reciprocity.accounts.selectors import AnyUser
from reciprocity.applications.models import Application
from reciprocity.core.exceptions import ApplicationError
from reciprocity.notifications.models import Notification
from reciprocity.placements.models import Evaluation, FollowUp, Placement
from reciprocity.procedures.models import Procedure, ProcedureDocument
from reciprocity.volunteers import permissions
from reciprocity.volunteers.models import (
    AccessAction,
    AccessChannel,
    PersonalDataAccess,
    PersonalDataBulkAccess,
    Volunteer,
    VolunteerDocument,
)
from reciprocity.volunteers.selectors import (
    ACTIVE_PLACEMENT_STATUSES,
    OPEN_APPLICATION_STATUSES,
    anonymisation_candidates,
)
from reciprocity.volunteers.signals import personal_data_export

EXPORT_FORMAT = "reciprocity.personal-data/1"
ANONYMOUS_PREFIX = "ANON-"


def _check_kind(action: str, channel: str, actions: list[str]) -> None:
    if action not in actions or channel not in AccessChannel.values:
        raise ApplicationError(_("Unknown access kind."), code="invalid_access",
                               details={"action": action, "channel": channel})


def personal_data_access_record(
    *, volunteer: Volunteer, actor: AnyUser | None, action: str, channel: str, detail: str = ""
) -> PersonalDataAccess:
    """Write one row of the access log. `actor` None (or anonymous) means a command did it."""
    _check_kind(action, channel, AccessAction.values)
    user = actor if actor is not None and actor.is_authenticated else None
    return PersonalDataAccess.objects.create(
        volunteer=volunteer, actor=user, action=action, channel=channel, detail=detail[:300]
    )


def personal_data_bulk_access_record(
    *, volunteer_ids: Iterable[int], actor: AnyUser | None, action: str, channel: str,
    source: str,
) -> PersonalDataBulkAccess | None:
    """One row for a read of many people at once (an export, a page of a list), with how many
    people were in it and who. Nothing is written when nobody was in it."""
    _check_kind(action, channel, [AccessAction.LIST, AccessAction.EXPORT])
    ids = sorted({int(pk) for pk in volunteer_ids})
    if not ids:
        return None
    user = actor if actor is not None and actor.is_authenticated else None
    return PersonalDataBulkAccess.objects.create(
        actor=user, action=action, channel=channel, source=source[:500], persons=len(ids),
        volunteer_ids=ids,
    )


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


def volunteer_export(*, volunteer: Volunteer, viewer: AnyUser | None = None) -> dict[str, Any]:
    """Everything the platform holds about one person, as JSON-ready data.

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
        "generated_at": timezone.now().isoformat(),
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


def is_anonymised(volunteer: Volunteer) -> bool:
    return volunteer.anonymised_at is not None


def _new_reference() -> str:
    while True:
        reference = ANONYMOUS_PREFIX + secrets.token_hex(8).upper()
        if not Volunteer.objects.filter(reference=reference).exists():
            return reference


def anonymisation_refusals(volunteer: Volunteer) -> list[str]:
    """Why the volunteer may not be anonymised now (empty when they may)."""
    reasons = []
    if Placement.objects.filter(volunteer=volunteer, status__in=ACTIVE_PLACEMENT_STATUSES).exists():
        reasons.append(_("The volunteer has a placement that has not ended."))
    if Application.objects.filter(volunteer=volunteer, status__in=OPEN_APPLICATION_STATUSES).exists():
        reasons.append(_("The volunteer has an open application."))
    return reasons


def _retire_account(user: User, reference: str) -> None:
    """Deactivate the volunteer's own account and strip who it was. An account that also works
    for an organisation (or for the platform) stays usable: only the link to the record goes."""
    Notification.objects.filter(user=user).delete()
    if user.is_staff or user.is_superuser or Membership.objects.filter(user=user).exists():
        return
    user.is_active = False
    user.set_unusable_password()
    user.username = reference.lower()
    user.email = ""
    user.first_name = ""
    user.last_name = ""
    user.save(update_fields=["is_active", "password", "username", "email", "first_name",
                             "last_name"])


def _delete_documents(volunteer: Volunteer) -> int:
    documents = list(ProcedureDocument.objects.filter(procedure__placement__volunteer=volunteer))
    # The CV and passport scan the volunteer uploaded on their profile go too (documents.py).
    own = list(VolunteerDocument.objects.filter(volunteer=volunteer))
    fields = [d.file for d in documents] + [d.file for d in own]
    files = [(f.storage, f.name) for f in fields if f and f.name]

    def remove_files() -> None:
        # After commit: a rollback must not leave rows pointing at deleted files.
        for storage, name in files:
            storage.delete(str(name))

    ProcedureDocument.objects.filter(pk__in=[d.pk for d in documents]).delete()
    VolunteerDocument.objects.filter(pk__in=[d.pk for d in own]).delete()
    transaction.on_commit(remove_files)
    return len(documents) + len(own)


def _reduce_procedure_facts(volunteer: Volunteer, birth_date: date | None) -> None:
    """The engine's input copy holds the birth date and every nationality: reduce it the same
    way as the record, keeping what the verdict was computed from recognisable."""
    for procedure in Procedure.objects.filter(placement__volunteer=volunteer).select_for_update():
        facts = dict(procedure.facts or {})
        if "birth_date" in facts:
            facts["birth_date"] = birth_date.isoformat() if birth_date else None
        if facts.get("nationalities"):
            facts["nationalities"] = facts["nationalities"][:1]
        procedure.facts = facts
        procedure.save(update_fields=["facts", "updated_at"])


@transaction.atomic
def volunteer_anonymise(
    *, volunteer: Volunteer, actor: User | None, channel: str = AccessChannel.COMMAND
) -> bool:
    """Erase the volunteer's identity, keeping what statistics count (gender, nationality,
    country of residence, birth year, placements and their snapshots, the ledger).

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

    reference = _new_reference()
    birth_date = date(volunteer.birth_date.year, 7, 1) if volunteer.birth_date else None
    _delete_documents(volunteer)
    _reduce_procedure_facts(volunteer, birth_date)
    # Free texts written by or about the person; ratings and situations stay for the outcomes.
    Application.objects.filter(volunteer=volunteer).update(motivation="")
    Evaluation.objects.filter(placement__volunteer=volunteer).update(comments="")
    FollowUp.objects.filter(placement__volunteer=volunteer).update(details="")
    if volunteer.user is not None:
        _retire_account(volunteer.user, reference)

    volunteer.reference = reference
    volunteer.first_name = volunteer.last_name = volunteer.email = volunteer.phone = ""
    volunteer.birth_date = birth_date
    volunteer.other_nationalities = []
    volunteer.languages = []
    volunteer.id_document_kind = ""
    volunteer.id_document_number = ""
    volunteer.id_document_expiry = None
    volunteer.user = None
    volunteer.anonymised_at = timezone.now()
    volunteer.save()
    personal_data_access_record(
        volunteer=volunteer, actor=actor, action=AccessAction.ANONYMISE, channel=channel
    )
    return True


@dataclass
class AnonymisationRun:
    cutoff: date
    candidates: list[dict[str, Any]] = field(default_factory=list)
    anonymised: list[dict[str, Any]] = field(default_factory=list)
    refused: list[dict[str, Any]] = field(default_factory=list)


def volunteers_anonymise_due(
    *, today: date, ended_before: date | None = None, retention_months: int | None = None,
    dry_run: bool = False,
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
            done = volunteer_anonymise(volunteer=candidate.volunteer, actor=None)
        except ApplicationError as exc:
            run.refused.append({**row, "reasons": exc.details.get("reasons", [exc.message])})
            continue
        if done:
            candidate.volunteer.refresh_from_db(fields=["reference"])
            # Never the old reference next to the new one: that pair would undo the erasure.
            run.anonymised.append({"id": candidate.volunteer.pk,
                                   "reference": candidate.volunteer.reference})
    return run
