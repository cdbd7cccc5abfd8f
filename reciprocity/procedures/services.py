"""Procedures: opening the checklist of a placement, ticking steps, uploading documents.

Opening is idempotent: `procedure_open_for_placement` on a placement that already has a
procedure returns it untouched (steps, statuses and history stay as they are; the verdict is a
snapshot of the rules in force when the placement was confirmed). `procedures_sync` opens the
missing procedures of every confirmed or running placement in batches.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from reciprocity.accounts.models import User
from reciprocity.audit.services import audit_created
from reciprocity.core import uploads
from reciprocity.core.countries import country_code
from reciprocity.core.exceptions import ApplicationError, InvalidTransition, NotAllowed
from reciprocity.placements import permissions as placement_permissions
from reciprocity.placements.models import Placement, PlacementStatus
from reciprocity.procedures import permissions
from reciprocity.procedures.engine import (
    Finding,
    HostFacts,
    InvalidRequest,
    Plan,
    PlanRequest,
    plan_procedure,
)
from reciprocity.procedures.facts import HostIndex, mission_facts, volunteer_facts
from reciprocity.procedures.models import (
    MAX_UPLOAD_BYTES,
    NOTE_REQUIRED,
    DocumentKind,
    Procedure,
    ProcedureDocument,
    ProcedureStep,
    StepStatus,
    StepStatusChange,
)
from reciprocity.procedures.rulebooks import LoadedRules, rules_current

# Placements that get a procedure: a plan is useless once a placement is over or cancelled.
OPEN_FOR_STATUSES = (PlacementStatus.PROPOSED, PlacementStatus.CONFIRMED, PlacementStatus.IN_MISSION)
SYNC_STATUSES = (PlacementStatus.CONFIRMED, PlacementStatus.IN_MISSION)

# Accepted uploads, recognised by their first bytes (shared with volunteers' documents).
FILE_SIGNATURES = uploads.FILE_SIGNATURES


# --- building the engine request from a placement -------------------------------------------


def _findings(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    return [{"code": f.code, "params": dict(f.params)} for f in findings]


def _plan_request(placement: Placement, host: HostFacts) -> PlanRequest:
    """A placement is judged on its own snapshots: nationality, dates, host country."""
    volunteer, mission = placement.volunteer, placement.mission
    return PlanRequest(
        scheme=mission.scheme_id,
        volunteer=volunteer_facts(volunteer, first_nationality=country_code(placement.nationality)),
        mission=mission_facts(
            mission, host=host, start=placement.start_date, end=placement.end_date,
            host_country=country_code(placement.host_country),
        ),
    )


def _plan(request: PlanRequest, loaded: LoadedRules, today: date) -> Plan:
    try:
        return plan_procedure(request, loaded.rulebook, today=today)
    except InvalidRequest as exc:
        raise ApplicationError(
            _("The procedure cannot be computed from the placement's data: %(error)s")
            % {"error": exc},
            code="procedure_facts_invalid",
        ) from exc


def plan_request_for(placement: Placement) -> PlanRequest:
    """The engine request of one placement (volunteer, mission and host facts)."""
    return _plan_request(placement, HostIndex.load(host_ids=[placement.mission.host_id]).for_placement(placement))


def _facts(request: PlanRequest) -> dict[str, Any]:
    v, m = request.volunteer, request.mission
    return {
        "scheme": request.scheme,
        "nationalities": list(v.nationalities),
        "residence": v.residence_country,
        "birth_date": v.birth_date.isoformat() if v.birth_date else None,
        "disability": v.disability,
        "prior_service_civique": v.prior_service_civique,
        "prior_vsi_months": v.prior_vsi_months,
        "host_country": m.host_country,
        "start": m.start.isoformat(),
        "end": m.end.isoformat(),
        "weekly_hours": m.weekly_hours,
        "host": {
            "accredited": m.host.accredited,
            "authorised_places": m.host.authorised_places,
            "used_places": m.host.used_places,
        },
    }


def _procedure_row(
    placement: Placement, request: PlanRequest, plan: Plan, rules: LoadedRules, today: date,
    now: datetime,
) -> Procedure:
    return Procedure(
        placement=placement,
        scheme_id=request.scheme,
        entry_document=plan.entry_document.code,
        entry_document_confidence=plan.entry_document.confidence,
        eligible=plan.eligible,
        reasons=_findings(plan.reasons),
        warnings=_findings(plan.warnings),
        facts=_facts(request),
        computed_at=now,
        computed_for=today,
        rules_source=rules.source,
        rules_version=rules.version,
    )


def _step_rows(procedure: Procedure, plan: Plan) -> list[ProcedureStep]:
    return [
        ProcedureStep(
            procedure=procedure,
            position=position,
            code=step.code,
            title_key=step.title_key,
            title_params=dict(step.title_params),
            owner=step.owner.value,
            due_from=step.due_from,
            due_by=step.due_by,
            documents=list(step.documents),
            confidence=step.confidence,
            source=step.source,
        )
        for position, step in enumerate(plan.steps, start=1)
    ]


# --- opening -------------------------------------------------------------------------------------


@transaction.atomic
def procedure_open_for_placement(
    *, placement: Placement, today: date, now: datetime, rules: LoadedRules | None = None
) -> Procedure:
    """The procedure of the placement, computed at `now` (for `today`) from the rules in force
    if it has none.

    Idempotent: a placement that already has a procedure gets it back unchanged. Refuses a
    placement that is cancelled or over (`placement_not_active`) and facts the engine cannot
    evaluate (`procedure_facts_invalid`, e.g. a birth date after the start).
    """
    # The lock serialises two confirmations of the same placement racing to open its procedure.
    placement = (
        Placement.objects.select_for_update(of=("self",))
        .select_related("volunteer", "mission")
        .get(pk=placement.pk)
    )
    existing = Procedure.objects.filter(placement=placement).first()
    if existing is not None:
        return existing
    if placement.status not in OPEN_FOR_STATUSES:
        raise ApplicationError(
            _("A placement that is cancelled or over gets no procedure."),
            code="placement_not_active",
            details={"status": placement.status},
        )
    request = plan_request_for(placement)
    loaded = rules or rules_current()
    plan = _plan(request, loaded, today)
    procedure = _procedure_row(placement, request, plan, loaded, today, now)
    procedure.save()
    ProcedureStep.objects.bulk_create(_step_rows(procedure, plan))
    return procedure


@dataclass(frozen=True)
class SyncResult:
    opened: int
    skipped: list[tuple[int, str]]  # (placement id, why)
    rules_source: str


def procedures_sync(*, today: date, now: datetime, batch_size: int = 500) -> SyncResult:
    """Open the procedure of every confirmed or running placement that has none (computed at
    `now`, for `today`).

    Batched: hosts' accreditations and holding placements are read once per batch and rows are
    bulk-inserted, so the demo's few thousand placements take seconds. Each batch commits on its
    own; a placement whose facts the engine refuses is skipped and reported.
    """
    rules = rules_current()
    opened = 0
    skipped: list[tuple[int, str]] = []
    last_pk = 0
    while True:
        batch = list(
            Placement.objects.filter(
                status__in=SYNC_STATUSES, procedure__isnull=True, pk__gt=last_pk
            )
            .select_related("volunteer", "mission")
            .order_by("pk")[:batch_size]
        )
        if not batch:
            break
        last_pk = batch[-1].pk
        with transaction.atomic():
            index = HostIndex.load(host_ids={p.mission.host_id for p in batch})
            plans: list[tuple[Procedure, Plan]] = []
            for placement in batch:
                request = _plan_request(placement, index.for_placement(placement))
                try:
                    plan = plan_procedure(request, rules.rulebook, today=today)
                except InvalidRequest as exc:
                    skipped.append((placement.pk, str(exc)))
                    continue
                plans.append((_procedure_row(placement, request, plan, rules, today, now), plan))
            audit_created(Procedure.objects.bulk_create([p for p, _ in plans], batch_size=500))
            ProcedureStep.objects.bulk_create(
                [step for p, plan in plans for step in _step_rows(p, plan)], batch_size=1000
            )
            opened += len(plans)
    return SyncResult(opened, skipped, rules.source)


@dataclass(frozen=True)
class RecomputeResult:
    procedure: Procedure
    updated: int  # untouched steps given the new plan's window, owner and documents
    added: int
    removed: int  # untouched steps the new plan no longer has
    kept: int  # steps someone already moved: left as they are


@transaction.atomic
def procedure_recompute(
    *, procedure: Procedure, today: date, now: datetime, actor: User,
    rules: LoadedRules | None = None,
) -> RecomputeResult:
    """Recompute the verdict and the untouched steps with the rules in force at `now` (after a
    rule edit or a change of dates).

    A step is untouched while it is still "to do" and has no history: only those follow the new
    plan (updated, or removed when the plan drops them). Steps someone already moved keep their
    status, dates and history, so nobody's work is rewritten behind their back.
    """
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    placement = (
        Placement.objects.select_related("volunteer", "mission", "mission__host")
        .get(pk=procedure.placement_id)
    )
    if not placement_permissions.can_manage(actor, placement):
        raise NotAllowed(_("Only the host's or the sending organisation's officers may do this."))
    request = plan_request_for(placement)
    loaded = rules or rules_current()
    plan = _plan(request, loaded, today)
    fresh = _procedure_row(placement, request, plan, loaded, today, now)
    for name in ("scheme_id", "entry_document", "entry_document_confidence", "eligible",
                 "reasons", "warnings", "facts", "computed_at", "computed_for", "rules_source",
                 "rules_version"):
        setattr(procedure, name, getattr(fresh, name))
    procedure.save()
    existing = {step.code: step for step in procedure.steps.select_for_update()}
    touched = set(
        StepStatusChange.objects.filter(step__procedure=procedure).values_list("step__code", flat=True)
    )

    def untouched(step: ProcedureStep) -> bool:
        return step.status == StepStatus.TO_DO and step.code not in touched

    updated = added = 0
    planned = _step_rows(procedure, plan)
    for row in planned:
        current = existing.get(row.code)
        if current is None:
            row.save()
            added += 1
        elif untouched(current):
            for name in ("position", "title_key", "title_params", "owner", "due_from", "due_by",
                         "documents", "confidence", "source"):
                setattr(current, name, getattr(row, name))
            current.save()
            updated += 1
    codes = {row.code for row in planned}
    stale = [s.pk for s in existing.values() if s.code not in codes and untouched(s)]
    ProcedureStep.objects.filter(pk__in=stale).delete()
    kept = sum(1 for s in existing.values() if not untouched(s))
    return RecomputeResult(procedure, updated, added, len(stale), kept)


# --- ticking steps -------------------------------------------------------------------------------


@transaction.atomic
def procedure_step_advance(
    *, step: ProcedureStep, to_status: str, actor: User, now: datetime, note: str = ""
) -> ProcedureStep:
    """Move a step to `to_status` at `now` if its owner lets `actor` tick it and
    `STEP_TRANSITIONS` allows the move; writes a `StepStatusChange` row. Blocking a step or
    marking it not applicable needs a note saying why."""
    # Only the step row is locked (`of`): the agreement is an outer join PostgreSQL cannot lock.
    step = (
        ProcedureStep.objects.select_for_update(of=("self",))
        .select_related(
            "procedure__placement__mission", "procedure__placement__volunteer",
            "procedure__placement__agreement",
        )
        .get(pk=step.pk)
    )
    if not permissions.can_tick(actor, step):
        raise NotAllowed(_("You may not change the status of this step."))
    if step.procedure.placement.status == PlacementStatus.CANCELLED:
        raise InvalidTransition(
            _("The placement is cancelled: its procedure is closed."), code="procedure_closed"
        )
    if to_status not in StepStatus.values:
        raise ApplicationError(
            _("Unknown step status “%(status)s”.") % {"status": to_status},
            code="invalid_status", details={"allowed": StepStatus.values},
        )
    if not step.can_transition_to(to_status):
        allowed = sorted(s for s in StepStatus.values if step.can_transition_to(s))
        raise InvalidTransition(
            _("A step that is “%(current)s” cannot become “%(target)s”.")
            % {"current": StepStatus(step.status).label, "target": StepStatus(to_status).label},
            details={"from": step.status, "to": to_status, "allowed": allowed},
        )
    note = note.replace("\x00", "").strip()  # PostgreSQL text refuses NUL characters
    if to_status in NOTE_REQUIRED and not note:
        raise ApplicationError(
            _("Say why in a note when a step is blocked or does not apply."), code="note_required"
        )
    previous = step.status
    step.status = to_status
    step.status_changed_at = now
    step.save(update_fields=["status", "status_changed_at"])
    StepStatusChange.objects.create(
        step=step, from_status=previous, to_status=to_status, actor=actor, note=note
    )
    return step


@transaction.atomic
def procedure_step_assign(
    *, step: ProcedureStep, assignee: User | None, actor: User
) -> ProcedureStep:
    """Give a step to a person (or take it back with None). Whoever may tick the step may
    assign it, to someone who may tick it too: the volunteer, or an officer or administrator of
    the organisation that owns it. The audit log keeps who changed it, when, from whom to whom."""
    step = (
        ProcedureStep.objects.select_for_update(of=("self",))
        .select_related(
            "procedure__placement__mission", "procedure__placement__volunteer",
            "procedure__placement__agreement",
        )
        .get(pk=step.pk)
    )
    if not permissions.can_tick(actor, step):
        raise NotAllowed(_("You may not assign this step."))
    if step.procedure.placement.status == PlacementStatus.CANCELLED:
        raise InvalidTransition(
            _("The placement is cancelled: its procedure is closed."), code="procedure_closed"
        )
    if assignee is not None and (not assignee.is_active or not permissions.can_tick(assignee, step)):
        raise ApplicationError(
            _("%(person)s cannot act on this step: choose someone its owner lets tick it.")
            % {"person": assignee.get_full_name() or assignee.username},
            code="assignee_not_allowed",
        )
    step.assignee = assignee
    step.save(update_fields=["assignee"])
    return step


# --- documents -----------------------------------------------------------------------------------


def _file_type(upload: UploadedFile) -> tuple[str, str]:
    """(extension, content type) of an accepted file, or raise `file_type_refused`."""
    return uploads.upload_file_type(upload)


@transaction.atomic
def procedure_document_upload(
    *,
    procedure: Procedure,
    kind: str,
    upload: UploadedFile,
    actor: User,
    valid_from: date | None = None,
    expires_on: date | None = None,
    step: ProcedureStep | None = None,
) -> ProcedureDocument:
    """Store an uploaded document (PDF, PNG or JPEG, at most 10 MB) under MEDIA_ROOT.

    The stored name is random: the original name (often the volunteer's) stays in the database,
    which only people who may see the procedure can read.
    """
    procedure = Procedure.objects.select_related(
        "placement__mission", "placement__volunteer"
    ).get(pk=procedure.pk)
    if not permissions.can_upload(actor, procedure):
        raise NotAllowed(_("You may not add documents to this procedure."))
    if kind not in DocumentKind.values:
        raise ApplicationError(
            _("Unknown document kind “%(kind)s”.") % {"kind": kind}, code="invalid_kind"
        )
    if step is not None and step.procedure_id != procedure.pk:
        raise ApplicationError(_("The step belongs to another procedure."), code="invalid_step")
    size = upload.size or 0
    if size <= 0 or size > MAX_UPLOAD_BYTES:
        raise ApplicationError(
            _("A document must hold between 1 byte and %(max)d MB.")
            % {"max": MAX_UPLOAD_BYTES // (1024 * 1024)},
            code="file_too_large" if size > 0 else "file_empty",
        )
    if valid_from and expires_on and expires_on < valid_from:
        raise ApplicationError(
            _("The expiry date is before the start of validity."), code="invalid_validity"
        )
    extension, content_type = _file_type(upload)
    document = ProcedureDocument(
        procedure=procedure,
        step=step,
        kind=kind,
        original_name=(upload.name or "").replace("\x00", "")[:200],
        content_type=content_type,
        size=size,
        valid_from=valid_from,
        expires_on=expires_on,
        uploaded_by=actor,
    )
    # The file is written before the row; if the transaction rolls back the file stays
    # orphaned on disk but unreachable (no row points at it).
    document.file.save(f"{kind}-{uuid.uuid4().hex}.{extension}", upload, save=False)
    document.save()
    return document



# --- anonymisation -------------------------------------------------------------------------------


def procedures_anonymise_for_volunteer(*, volunteer_id: int, birth_date: date | None) -> int:
    """At a volunteer's anonymisation (workflow/personal_data.py): the documents of their
    procedures are deleted (rows now, files after commit, so that a rollback leaves no row
    pointing at a deleted file), and the engine's input copy is reduced the way the record is
    (birth date to `birth_date`, one nationality), keeping what the verdict was computed from
    recognisable. Returns how many documents went."""
    documents = list(ProcedureDocument.objects.filter(procedure__placement__volunteer_id=volunteer_id))
    ProcedureDocument.objects.filter(pk__in=[d.pk for d in documents]).delete()
    uploads.files_delete_after_commit(d.file for d in documents)
    for procedure in Procedure.objects.filter(placement__volunteer_id=volunteer_id).select_for_update():
        facts = dict(procedure.facts or {})
        if "birth_date" in facts:
            facts["birth_date"] = birth_date.isoformat() if birth_date else None
        if facts.get("nationalities"):
            facts["nationalities"] = facts["nationalities"][:1]
        procedure.facts = facts
        procedure.save(update_fields=["facts", "updated_at"])
    return len(documents)
