"""`/api/v1/placements`: the lifecycle, documents, evaluations and follow-up; same rules as pages."""

from datetime import date, datetime
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from reciprocity.accounts.api_auth import SIGNED_IN
from reciprocity.accounts.http import AuthenticatedHttpRequest
from reciprocity.core.api_errors import ErrorOut
from reciprocity.core.api_types import Day, Input, LongText, ShortText
from reciprocity.core.bounds import Id
from reciprocity.core.countries import country_code
from reciprocity.core.pagination import bounded_pagination
from reciprocity.placements import documents, evaluations, services
from reciprocity.placements.models import (
    Evaluation,
    FollowUp,
    Placement,
    PlacementStatusChange,
)
from reciprocity.placements.selectors import (
    placement_history,
    placement_list,
    placements_visible_to,
)
from reciprocity.volunteers.access import api_read, logs_listed_volunteers
from reciprocity.volunteers.models import AccessChannel
from reciprocity.workflow import services as workflow

router = Router(tags=["placements"], auth=SIGNED_IN)

READ_ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {
    400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut
}
Status = Literal["proposed", "confirmed", "in_mission", "completed", "cancelled", "interrupted"]
Termination = Literal[
    "volunteer_initiative", "mutual_agreement", "host_initiative", "serious_misconduct",
    "force_majeure", "health", "job_or_training", "security", "other",
]


class PlacementOut(Schema):
    id: int
    status: str
    volunteer_id: int
    volunteer_name: str
    mission_id: int
    mission_title: str
    host_id: int
    sending_organisation_id: int | None
    agreement_id: int | None
    application_id: int | None
    nationality: str
    host_country: str
    start_date: date
    end_date: date
    ended_on: date | None
    end_reason: str
    termination_reason: str
    tutor_name: str
    tutor_email: str
    tutor_phone: str

    @staticmethod
    def resolve_volunteer_name(obj: Placement) -> str:
        return str(obj.volunteer)

    @staticmethod
    def resolve_mission_title(obj: Placement) -> str:
        return obj.mission.title

    @staticmethod
    def resolve_host_id(obj: Placement) -> int:
        return obj.mission.host_id

    @staticmethod
    def resolve_nationality(obj: Placement) -> str:
        return country_code(obj.nationality)

    @staticmethod
    def resolve_host_country(obj: Placement) -> str:
        return country_code(obj.host_country)


class ChangeOut(Schema):
    from_status: str
    to_status: str
    changed_by: str | None
    changed_at: datetime
    reason: str

    @staticmethod
    def resolve_changed_by(obj: PlacementStatusChange) -> str | None:
        return obj.changed_by.username if obj.changed_by is not None else None


class PlacementDetailOut(PlacementOut):
    history: list[ChangeOut]
    allowed_transitions: list[str]

    @staticmethod
    def resolve_history(obj: Placement) -> list[PlacementStatusChange]:
        return list(placement_history(placement=obj))

    @staticmethod
    def resolve_allowed_transitions(obj: Placement) -> list[str]:
        return sorted(services.TRANSITIONS[obj.status])


class EvaluationOut(Schema):
    id: int
    stage: str
    author_role: str
    mission_rating: int
    integration_rating: int
    support_rating: int
    comments: str
    created_at: datetime


class FollowUpOut(Schema):
    situation: str
    details: str
    recorded_on: date


class DayIn(Input):
    on: Day | None = None


class CancelIn(Input):
    reason: ShortText


class InterruptIn(Input):
    on: Day
    reason: ShortText
    termination_reason: Termination = "other"


class ConfirmIn(Input):
    """Both optional: `override_reason` (platform staff only) confirms a volunteer the
    eligibility engine refuses; `tolerance_reason` confirms beyond the agreement's tolerance
    (not when the agreement's tolerance is strict). Each is kept in the placement's history."""

    override_reason: LongText = ""
    tolerance_reason: LongText = ""


class TutorIn(Input):
    name: ShortText = Field(..., max_length=150)
    email: ShortText = ""
    phone: ShortText = Field("", max_length=40)


class EvaluationIn(Input):
    stage: Literal["midterm", "final"]
    author_role: Literal["volunteer", "tutor"]
    mission_rating: int = Field(..., ge=1, le=5)
    integration_rating: int = Field(..., ge=1, le=5)
    support_rating: int = Field(..., ge=1, le=5)
    comments: LongText = ""


class FollowUpIn(Input):
    situation: Literal["work", "studies", "volunteering", "other"]
    details: LongText = ""


class PlacementFilters(Schema):
    status: Status | Literal[""] = ""


class DocumentQuery(Schema):
    lang: Literal["fr", "en"] = "fr"


def _placement(request: HttpRequest, placement_id: int) -> Placement:
    return get_object_or_404(
        placements_visible_to(request.user).select_related("volunteer", "mission"), pk=placement_id
    )


def _detail(placement: Placement) -> Placement:
    return placement


@router.get("", response={200: list[PlacementOut], 401: ErrorOut, 422: ErrorOut})
@logs_listed_volunteers
@paginate(bounded_pagination(default=100))
def list_placements(request: HttpRequest, filters: Query[PlacementFilters]) -> QuerySet[Placement]:
    """Placements of the volunteers your organisations send or host (yours, for a volunteer)."""
    return placement_list(user=request.user, status=filters.status)


@router.get("/{placement_id}", response={200: PlacementDetailOut, **READ_ERRORS})
def get_placement(request: HttpRequest, placement_id: Path[Id]) -> Placement:
    placement = _placement(request, placement_id)
    api_read(request, placement.volunteer)
    return _detail(placement)


@router.post("/{placement_id}/confirm", response={200: PlacementDetailOut, **WRITE_ERRORS})
def confirm(
    request: AuthenticatedHttpRequest, placement_id: Path[Id], payload: ConfirmIn
) -> Placement:
    """Take a place in the mission, the agreement's yearly quota and the host's accreditation;
    409 `mission_full`, `quota_exceeded`, `host_not_accredited` or `accreditation_full` if not.

    The volunteer must be eligible: 409 `not_eligible` with the engine's reasons in
    `details.reasons`, unless platform staff send an `override_reason` (403
    `override_staff_only` for anyone else). Beyond the agreement's tolerance: 400
    `tolerance_reason_required` without a `tolerance_reason`, 409 `tolerance_strict` when the
    agreement refuses it whatever the reason. Both fields may be left out (`{}`)."""
    body = payload
    placement = workflow.placement_confirm(
        placement=_placement(request, placement_id), actor=request.user, today=timezone.localdate(),
        override_reason=body.override_reason, tolerance_reason=body.tolerance_reason,
    )
    return _detail(placement)


@router.post("/{placement_id}/start", response={200: PlacementDetailOut, **WRITE_ERRORS})
def start(request: AuthenticatedHttpRequest, placement_id: Path[Id], payload: DayIn) -> Placement:
    return _detail(workflow.placement_start(
        placement=_placement(request, placement_id), actor=request.user, on=payload.on
    ))


@router.post("/{placement_id}/complete", response={200: PlacementDetailOut, **WRITE_ERRORS})
def complete(request: AuthenticatedHttpRequest, placement_id: Path[Id], payload: DayIn) -> Placement:
    return _detail(workflow.placement_complete(
        placement=_placement(request, placement_id), actor=request.user, on=payload.on
    ))


@router.post("/{placement_id}/cancel", response={200: PlacementDetailOut, **WRITE_ERRORS})
def cancel(request: AuthenticatedHttpRequest, placement_id: Path[Id], payload: CancelIn) -> Placement:
    """Cancel before the start (proposed or confirmed), with a reason."""
    return _detail(workflow.placement_cancel(
        placement=_placement(request, placement_id), actor=request.user, reason=payload.reason,
        on=timezone.localdate(),
    ))


@router.post("/{placement_id}/interrupt", response={200: PlacementDetailOut, **WRITE_ERRORS})
def interrupt(request: AuthenticatedHttpRequest, placement_id: Path[Id], payload: InterruptIn) -> Placement:
    """Early termination after the start: last day, ground and explanation."""
    return _detail(workflow.placement_interrupt(
        placement=_placement(request, placement_id), actor=request.user,
        on=payload.on, reason=payload.reason, termination_reason=payload.termination_reason,
    ))


@router.post("/{placement_id}/tutor", response={200: PlacementDetailOut, **WRITE_ERRORS})
def set_tutor(request: AuthenticatedHttpRequest, placement_id: Path[Id], payload: TutorIn) -> Placement:
    return _detail(services.placement_set_tutor(
        placement=_placement(request, placement_id), actor=request.user,
        name=payload.name, email=payload.email, phone=payload.phone,
    ))


@router.get("/{placement_id}/evaluations", response={200: list[EvaluationOut], **READ_ERRORS})
def list_evaluations(request: HttpRequest, placement_id: Path[Id]) -> list[Evaluation]:
    return list(_placement(request, placement_id).evaluations.order_by("stage", "author_role"))


@router.post("/{placement_id}/evaluations", response={201: EvaluationOut, **WRITE_ERRORS})
def add_evaluation(request: AuthenticatedHttpRequest, placement_id: Path[Id], payload: EvaluationIn) -> tuple[int, Evaluation]:
    """Mid-term (while in mission) or final evaluation, by the volunteer or the host's tutor."""
    evaluation: Evaluation = evaluations.evaluation_submit(
        actor=request.user, placement=_placement(request, placement_id), **payload.model_dump()
    )
    return 201, evaluation


@router.put("/{placement_id}/follow-up", response={200: FollowUpOut, **WRITE_ERRORS})
def record_follow_up(request: AuthenticatedHttpRequest, placement_id: Path[Id], payload: FollowUpIn) -> FollowUp:
    """Where the volunteer stands six months after the end (409 before it is due)."""
    return evaluations.follow_up_record(
        actor=request.user, placement=_placement(request, placement_id),
        situation=payload.situation, details=payload.details, today=timezone.localdate(),
    )


@router.get(
    "/{placement_id}/documents/{kind}",
    response={200: None, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    openapi_extra={"responses": {200: {
        "description": "The document as PDF.",
        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
    }}},
)
def get_document(
    request: HttpRequest, placement_id: Path[Id],
    kind: Path[Literal["invitation", "attestation", "contract", "vsi_contract", "esc_agreement",
                       "workcamp_letter", "certificate"]],
    query: Query[DocumentQuery],
) -> HttpResponse:
    """Invitation letter (visa), attestation of care, the scheme's contract or agreement (Service
    Civique or VSI contract, ESC volunteering agreement, work-camp confirmation letter) or
    end-of-mission certificate, in French or English (400 `document_not_available` when the
    placement's scheme or status has none)."""
    placement = _placement(request, placement_id)
    pdf = documents.document_download(
        placement=placement, kind=kind, language=query.lang, reader=request.user,
        channel=AccessChannel.API,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{documents.filename(placement, kind, query.lang)}"'
    )
    return response
