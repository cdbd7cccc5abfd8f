"""`/api/v1/placements`: list, read, tutor, documents, evaluations and follow-up; same rules as
the pages. The lifecycle's moves (confirm, start, complete, cancel, interrupt) drive workflow
use-cases and are the workflow's (workflow/apis.py), added to this router with the paths,
operation ids and place in the schema they always had."""

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


def placement_or_404(request: HttpRequest, placement_id: int) -> Placement:
    """The placement if this user may see it (also for the workflow's operations, workflow/apis.py)."""
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
    # A page's volunteers and missions by prefetch, not joined (placement_list says why).
    return placement_list(user=request.user, status=filters.status).prefetch_related(
        "volunteer", "mission"
    )


@router.get("/{placement_id}", response={200: PlacementDetailOut, **READ_ERRORS})
def get_placement(request: HttpRequest, placement_id: Path[Id]) -> Placement:
    placement = placement_or_404(request, placement_id)
    api_read(request, placement.volunteer)
    return _detail(placement)


@router.post("/{placement_id}/tutor", response={200: PlacementDetailOut, **WRITE_ERRORS})
def set_tutor(request: AuthenticatedHttpRequest, placement_id: Path[Id], payload: TutorIn) -> Placement:
    return _detail(services.placement_set_tutor(
        placement=placement_or_404(request, placement_id), actor=request.user,
        name=payload.name, email=payload.email, phone=payload.phone,
    ))


@router.get("/{placement_id}/evaluations", response={200: list[EvaluationOut], **READ_ERRORS})
def list_evaluations(request: HttpRequest, placement_id: Path[Id]) -> list[Evaluation]:
    return list(placement_or_404(request, placement_id).evaluations.order_by("stage", "author_role"))


@router.post("/{placement_id}/evaluations", response={201: EvaluationOut, **WRITE_ERRORS})
def add_evaluation(request: AuthenticatedHttpRequest, placement_id: Path[Id], payload: EvaluationIn) -> tuple[int, Evaluation]:
    """Mid-term (while in mission) or final evaluation, by the volunteer or the host's tutor."""
    evaluation: Evaluation = evaluations.evaluation_submit(
        actor=request.user, placement=placement_or_404(request, placement_id), **payload.model_dump()
    )
    return 201, evaluation


@router.put("/{placement_id}/follow-up", response={200: FollowUpOut, **WRITE_ERRORS})
def record_follow_up(request: AuthenticatedHttpRequest, placement_id: Path[Id], payload: FollowUpIn) -> FollowUp:
    """Where the volunteer stands six months after the end (409 before it is due)."""
    return evaluations.follow_up_record(
        actor=request.user, placement=placement_or_404(request, placement_id),
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
    placement = placement_or_404(request, placement_id)
    pdf = documents.document_download(
        placement=placement, kind=kind, language=query.lang, reader=request.user,
        channel=AccessChannel.API, today=timezone.localdate(),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{documents.filename(placement, kind, query.lang)}"'
    )
    return response
