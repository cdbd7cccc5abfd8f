"""`/api/v1/procedures`: what is due, a procedure's checklist, and ticking a step.

Same scope and permissions as the pages (see `permissions.py`); errors use the API's single
shape `{code, message, details}`.
"""

from datetime import date
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from reciprocity.accounts.api_auth import SIGNED_IN
from reciprocity.accounts.http import AuthenticatedHttpRequest
from reciprocity.core.api_errors import COMMON_ERRORS, ErrorOut
from reciprocity.core.api_types import Day, Input
from reciprocity.core.bounds import Id
from reciprocity.core.pagination import bounded_pagination
from reciprocity.procedures import services, visas
from reciprocity.procedures.models import (
    VISA_STEP_CODE,
    Procedure,
    ProcedureStep,
    VisaOutcome,
    engine_text,
)
from reciprocity.procedures.selectors import (
    procedure_coverage,
    procedure_get_visible,
    procedure_suspensions,
    steps_due,
    steps_visible_to,
)
from reciprocity.volunteers.access import api_read

router = Router(tags=["procedures"], auth=SIGNED_IN)
Pagination = bounded_pagination(default=50, maximum=200)


class FindingOut(Schema):
    code: str
    message: str


class StepOut(Schema):
    id: int
    procedure_id: int
    placement_id: int
    code: str
    title: str
    owner: str
    due_from: date | None
    due_by: date | None
    documents: list[str]
    status: str
    overdue: bool

    @staticmethod
    def resolve_placement_id(obj: ProcedureStep) -> int:
        return obj.procedure.placement_id

    @staticmethod
    def resolve_overdue(obj: ProcedureStep) -> bool:
        return obj.is_overdue(timezone.localdate())


class SuspensionOut(Schema):
    start: date
    end: date | None
    reason: str


class VisaOutcomeOut(Schema):
    placement_id: int
    step_id: int | None
    application_date: date | None
    appointment_date: date | None
    decision: str = Field(..., description="'' (not decided yet), granted, refused or withdrawn")
    decision_date: date | None
    refusal_ground: str | None = Field(
        None, description="Code of the stated ground (refusals only): see the grounds list")
    days_to_decision: int | None

    @staticmethod
    def resolve_refusal_ground(obj: VisaOutcome) -> str | None:
        return obj.refusal_ground.code if obj.refusal_ground is not None else None


class VisaOutcomeIn(Input):
    application_date: Day | None = None
    appointment_date: Day | None = None
    decision: str = Field("", max_length=12,
                          description="'' (not decided yet), granted, refused or withdrawn")
    decision_date: Day | None = None
    refusal_ground: str = Field("", max_length=40,
                                description="Code of the stated ground, with a refusal only")


class ProcedureOut(Schema):
    id: int
    placement_id: int
    scheme: str
    eligible: bool
    reasons: list[FindingOut]
    warnings: list[FindingOut]
    entry_document: FindingOut
    computed_at: Any
    rules_source: str
    rules_version: str
    coverage: list[FindingOut]
    suspensions: list[SuspensionOut]
    steps: list[StepOut]
    visa: VisaOutcomeOut | None = Field(None, description="The visa application's outcome")


class DueFilter(Schema):
    organisation: Id | None = Field(None,
                                    description="Only placements this organisation hosts or sends.")
    within_days: int | None = Field(None, ge=0, le=3650,
                                    description="Only steps overdue or due within this many days.")
    mine: bool = Field(False, description="Only the steps the caller may tick.")


class AdvanceIn(Input):
    to_status: str = Field(..., description="to_do, in_progress, done, not_applicable or blocked")
    note: str = Field("", max_length=1000)


def _rendered(findings: list[dict[str, Any]]) -> list[dict[str, str]]:
    # `params` keep the data (ISO dates, codes); `message` is the text for people.
    return [{"code": f["code"], "message": engine_text(f["code"], dict(f.get("params") or {}))}
            for f in findings]


def _procedure_out(procedure: Procedure) -> dict[str, Any]:
    return {
        "id": procedure.pk,
        "placement_id": procedure.placement_id,
        "scheme": procedure.scheme_id,
        "eligible": procedure.eligible,
        "reasons": _rendered(procedure.reasons),
        "warnings": _rendered(procedure.warnings),
        "entry_document": {"code": procedure.entry_document,
                           "message": procedure.entry_document_label},
        "computed_at": procedure.computed_at,
        "rules_source": procedure.rules_source,
        "rules_version": procedure.rules_version,
        "coverage": [{"code": c.code, "message": c.message}
                     for c in procedure_coverage(procedure=procedure)],
        "suspensions": procedure_suspensions(procedure=procedure),
        "steps": list(procedure.checklist().select_related("procedure")),
        "visa": VisaOutcome.objects.filter(placement_id=procedure.placement_id)
        .select_related("refusal_ground").first(),
    }


@router.get("/due", response={200: list[StepOut], **COMMON_ERRORS},
            summary="Open steps due, overdue first")
@paginate(Pagination)
def procedure_due_list(request: HttpRequest, filters: Query[DueFilter]) -> Any:
    return steps_due(user=request.user, today=timezone.localdate(),
                     organisation_id=filters.organisation, within_days=filters.within_days,
                     mine=filters.mine)


@router.get("/{procedure_id}", response={200: ProcedureOut, 404: ErrorOut, **COMMON_ERRORS},
            summary="A procedure: verdict, entry document, checks and steps")
def procedure_detail(request: HttpRequest, procedure_id: Path[Id]) -> Any:
    procedure = procedure_get_visible(user=request.user, pk=procedure_id)
    if procedure is None:
        raise Http404
    # The verdict and its reasons are computed from the person's age and nationalities.
    api_read(request, procedure.placement.volunteer, what="eligibility")
    return _procedure_out(procedure)


@router.post("/steps/{step_id}/advance",
             response={200: StepOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut,
                       **COMMON_ERRORS},
             summary="Change a step's status (owner's people only)")
def procedure_step_advance(
    request: AuthenticatedHttpRequest, payload: AdvanceIn, step_id: Path[Id]
) -> Any:
    step = steps_visible_to(request.user).filter(pk=step_id).first()
    if step is None:
        raise Http404
    return services.procedure_step_advance(
        step=step, to_status=payload.to_status, actor=request.user, note=payload.note,
        now=timezone.now(),
    )


@router.put("/steps/{step_id}/visa",
            response={200: VisaOutcomeOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                      **COMMON_ERRORS},
            summary="Record the visa step's outcome (the step's owner's people only)")
def procedure_visa_outcome_put(
    request: AuthenticatedHttpRequest, payload: VisaOutcomeIn, step_id: Path[Id]
) -> Any:
    """Dates in order (application, appointment, decision), a ground only with a refusal;
    400 `visa_outcome_invalid` lists every reason in `details.reasons`."""
    step = (steps_visible_to(request.user).select_related("procedure")
            .filter(pk=step_id, code=VISA_STEP_CODE).first())
    if step is None:
        raise Http404
    # A visa decision is personal data read and written through the API: logged like a read.
    api_read(request, step.procedure.placement.volunteer, what="visa outcome")
    return visas.visa_outcome_record(
        step=step, facts=visas.VisaFacts(**payload.model_dump()), actor=request.user,
        today=timezone.localdate(),
    )
