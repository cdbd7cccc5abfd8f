"""`/api/v1/matching`: placement runs for coordinators (staff and coordinator officers).

Who may not run placements gets 403 on every endpoint; a run the user may not see is a 404.
"""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema

from reciprocity.accounts.api_auth import SIGNED_IN
from reciprocity.agreements.models import Programme
from reciprocity.core.api_errors import COMMON_ERRORS, ErrorOut
from reciprocity.core.api_types import Day, Input
from reciprocity.core.bounds import Id
from reciprocity.matching import services
from reciprocity.matching.comparison import runs_compare
from reciprocity.matching.models import (
    MAX_TIME_LIMIT,
    AcceptanceStatus,
    PlacementRun,
    RunAcceptance,
    RunMode,
    RunProposal,
)
from reciprocity.matching.permissions import acting_user, can_run_placements
from reciprocity.matching.selectors import (
    run_get_visible,
    run_list,
    run_proposals,
    run_review,
    run_unplaced,
    runs_visible_to,
)
from reciprocity.missions.models import Mission
from reciprocity.partners.models import Organisation
from reciprocity.volunteers.access import api_list

router = Router(tags=["matching"], auth=SIGNED_IN)

ERRORS: dict[int, type[Schema]] = {**COMMON_ERRORS, 403: ErrorOut, 404: ErrorOut}


class FiguresOut(Schema):
    volunteers: int | None
    placed: int | None
    placed_percent: float | None
    first_choice_percent: float | None
    mean_rank: float | None
    worst_nationality: str
    worst_nationality_rate: float | None


class RunOut(Schema):
    id: int
    label: str
    organisation_id: int | None
    season_start: date | None
    season_end: date | None
    programme: str | None
    missions: list[int]
    mode: str
    time_limit: int
    unplaced_penalty: int
    status: str
    stage: str
    progress: int
    best_objective: float | None
    result_status: str
    figures: FiguresOut
    fixed_count: int | None
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float | None
    error: str
    warnings: list[dict[str, str]]
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    cancel_requested: bool = Field(description="A cancel was asked; the run stops at its next stage.")

    @staticmethod
    def resolve_cancel_requested(obj: PlacementRun) -> bool:
        return obj.cancel_requested_at is not None

    @staticmethod
    def resolve_programme(obj: PlacementRun) -> str | None:
        return obj.programme.code if obj.programme is not None else None

    @staticmethod
    def resolve_missions(obj: PlacementRun) -> list[int]:
        return sorted(m.pk for m in obj.missions.all())

    @staticmethod
    def resolve_figures(obj: PlacementRun) -> dict[str, Any]:
        return {
            "volunteers": obj.volunteers_count, "placed": obj.placed_count,
            "placed_percent": obj.placed_percent, "first_choice_percent": obj.first_choice_percent,
            "mean_rank": obj.mean_rank, "worst_nationality": obj.worst_nationality,
            "worst_nationality_rate": obj.worst_nationality_rate,
        }


class RunIn(Input):
    label: str = Field("", max_length=200)
    organisation_id: Id | None = None
    season_start: Day | None = None
    season_end: Day | None = None
    programme: str = Field("", max_length=40, description="Programme code, or empty.")
    missions: list[Id] = Field(default_factory=list, max_length=5000)
    mode: str = Field(RunMode.OPTIMAL, description="optimal, preview or stable.")
    time_limit: int = Field(60, ge=1, le=MAX_TIME_LIMIT)
    unplaced_penalty: int = Field(100, ge=1, le=1_000_000)


class ProposalOut(Schema):
    id: int
    volunteer_id: int
    volunteer: str
    mission_id: int
    mission: str
    rank: int
    choice_id: int | None
    nationality: str
    gender: str
    decision: str
    placement_id: int | None

    @staticmethod
    def resolve_volunteer(obj: Any) -> str:
        return str(obj.volunteer)

    @staticmethod
    def resolve_mission(obj: Any) -> str:
        return obj.mission.title


class UnplacedOut(Schema):
    volunteer_id: int
    volunteer: str
    nationality: str
    gender: str
    reason: str
    explanation: str

    @staticmethod
    def resolve_volunteer(obj: Any) -> str:
        return str(obj.volunteer)

    @staticmethod
    def resolve_explanation(obj: Any) -> str:
        # In the request's language (Accept-Language, as the pages).
        return str(obj.explanation_localised)


class MissionReviewOut(Schema):
    mission_id: int
    title: str
    country: str
    capacity: int
    kept: int
    proposed: int
    places_left: int
    nationalities: dict[str, int]
    genders: dict[str, int]
    ranks: dict[str, int]


class AgreementReviewOut(Schema):
    countries: list[str]
    agreements: list[str]
    tolerance: int
    max: list[int | None]
    kept: list[int]
    proposed: list[int]
    totals: list[int]
    balance: int
    within_tolerance: bool


class ReviewOut(Schema):
    missions: list[MissionReviewOut]
    agreements: list[AgreementReviewOut]


class DecisionIn(Input):
    proposals: list[Id] | None = Field(
        None, max_length=100_000, description="Proposal ids; omit (or null) to accept all pending."
    )


class AcceptanceOut(Schema):
    id: int
    run_id: int
    status: str = Field(description="queued, running, succeeded or failed.")
    total: int
    done: int = Field(description="Proposals written so far.")
    percent: int
    placements: list[int] = Field(description="The proposed placements, once succeeded.")
    error: str
    problems: list[dict[str, Any]]
    created_at: datetime
    finished_at: datetime | None

    @staticmethod
    def resolve_done(obj: RunAcceptance) -> int:
        return services.acceptance_done(obj)

    @staticmethod
    def resolve_percent(obj: RunAcceptance) -> int:
        return 100 if not obj.total else int(100 * services.acceptance_done(obj) / obj.total)

    @staticmethod
    def resolve_placements(obj: RunAcceptance) -> list[int]:
        if obj.status != AcceptanceStatus.SUCCEEDED:
            return []
        return sorted(
            RunProposal.objects.filter(pk__in=obj.proposals or [], placement__isnull=False)
            .values_list("placement_id", flat=True)
        )


class RejectOut(Schema):
    rejected: int


class CompareFilters(Schema):
    runs: list[Id] = Field(default_factory=list, max_length=10)


class CompareRowOut(Schema):
    run_id: int
    mode: str
    engine: FiguresOut
    objective: float | None
    fcfs: FiguresOut | None
    fcfs_objective: float | None


def _require_runner(request: HttpRequest) -> None:
    if not can_run_placements(request.user):
        raise PermissionDenied(_("Only platform staff and coordinator officers run placements."))


def _run(request: HttpRequest, run_id: int) -> PlacementRun:
    _require_runner(request)
    run = run_get_visible(user=request.user, pk=run_id)
    if run is None:
        raise Http404
    return run


@router.get("/runs", response={200: list[RunOut], **ERRORS})
def runs_list(request: HttpRequest, status: str = "") -> Any:
    _require_runner(request)
    return list(run_list(user=request.user, status=status).prefetch_related("missions")[:200])


@router.post("/runs", response={201: RunOut, **ERRORS, 400: ErrorOut})
def runs_create(request: HttpRequest, payload: RunIn) -> Any:
    _require_runner(request)
    organisation = (
        get_object_or_404(Organisation, pk=payload.organisation_id)
        if payload.organisation_id else None
    )
    programme = get_object_or_404(Programme, code=payload.programme) if payload.programme else None
    missions = list(Mission.objects.filter(pk__in=payload.missions))
    if len(missions) != len(set(payload.missions)):
        raise Http404
    run = services.run_create(
        created_by=acting_user(request.user), organisation=organisation, label=payload.label,
        season_start=payload.season_start, season_end=payload.season_end, programme=programme,
        missions=missions, mode=payload.mode, time_limit=payload.time_limit,
        unplaced_penalty=payload.unplaced_penalty,
    )
    return 201, run


@router.get("/runs/{run_id}", response={200: RunOut, **ERRORS})
def runs_detail(request: HttpRequest, run_id: Path[Id]) -> Any:
    return _run(request, run_id)


@router.get("/runs/{run_id}/proposals", response={200: list[ProposalOut], **ERRORS})
def runs_proposals(request: HttpRequest, run_id: Path[Id], decision: str = "") -> Any:
    proposals = list(run_proposals(run=_run(request, run_id), decision=decision))
    api_list(request, (p.volunteer_id for p in proposals))
    return proposals


@router.get("/runs/{run_id}/unplaced", response={200: list[UnplacedOut], **ERRORS})
def runs_unplaced(request: HttpRequest, run_id: Path[Id]) -> Any:
    unplaced = list(run_unplaced(run=_run(request, run_id)))
    api_list(request, (u.volunteer_id for u in unplaced))
    return unplaced


@router.get("/runs/{run_id}/review", response={200: ReviewOut, **ERRORS})
def runs_review(request: HttpRequest, run_id: Path[Id]) -> Any:
    missions, agreements = run_review(run=_run(request, run_id))
    return {"missions": [m.as_dict() for m in missions],
            "agreements": [a.as_dict() for a in agreements]}


@router.post("/runs/{run_id}/accept",
             response={200: AcceptanceOut, 202: AcceptanceOut, **ERRORS, 400: ErrorOut, 409: ErrorOut})
def runs_accept(request: HttpRequest, run_id: Path[Id], payload: DecisionIn) -> Any:
    """Accept pending proposals as a background task. The refusals that can be seen at once
    (room, closed applications, another acceptance running) answer 409 here; then 202 with the
    acceptance to follow at `/runs/{run_id}/acceptances/{id}`, or 200 when it already finished
    (no broker configured: the task ran in this request)."""
    acceptance = services.acceptance_request(
        run=_run(request, run_id), actor=acting_user(request.user), proposals=payload.proposals
    )
    acceptance.refresh_from_db()
    return (202 if acceptance.is_active else 200), acceptance


@router.get("/runs/{run_id}/acceptances/{acceptance_id}", response={200: AcceptanceOut, **ERRORS})
def runs_acceptance(request: HttpRequest, run_id: Path[Id], acceptance_id: Path[Id]) -> Any:
    """Progress and outcome of a request to accept proposals."""
    return get_object_or_404(RunAcceptance, run=_run(request, run_id), pk=acceptance_id)


@router.post("/runs/{run_id}/cancel", response={200: RunOut, **ERRORS, 409: ErrorOut})
def runs_cancel(request: HttpRequest, run_id: Path[Id]) -> Any:
    """Cancel a queued run at once, or ask a running one to stop at its next stage (the answer
    then says `cancel_requested`); 409 for a finished run."""
    return services.run_cancel(run=_run(request, run_id), actor=acting_user(request.user),
                               now=timezone.now())


@router.post("/runs/{run_id}/reject", response={200: RejectOut, **ERRORS, 400: ErrorOut, 409: ErrorOut})
def runs_reject(request: HttpRequest, run_id: Path[Id], payload: DecisionIn) -> Any:
    count = services.run_reject(
        run=_run(request, run_id), actor=acting_user(request.user), proposals=payload.proposals or [],
        now=timezone.now(),
    )
    return {"rejected": count}


@router.get("/compare", response={200: list[CompareRowOut], **ERRORS})
def runs_comparison(request: HttpRequest, filters: Query[CompareFilters]) -> Any:
    """Each run's figures beside first-come-first-served on the same applications."""
    _require_runner(request)
    ids = set(filters.runs)
    runs = list(runs_visible_to(request.user).filter(pk__in=ids).order_by("pk"))
    if len(runs) != len(ids):
        raise Http404
    return [
        {"run_id": row["run"].pk, "mode": row["run"].mode, "engine": row["engine"],
         "objective": row["objective"], "fcfs": row["fcfs"], "fcfs_objective": row["fcfs_objective"]}
        for row in runs_compare(runs=runs)
    ]
