"""`/api/v1/matching/pairing-runs`: pairing runs (binômes) for coordinators, as the pages.

Who may not run placements gets 403 on every operation; a run the user may not see is a 404.
"""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema

from reciprocity.accounts.api_auth import SIGNED_IN
from reciprocity.agreements.models import Programme
from reciprocity.core.api_errors import COMMON_ERRORS, ErrorOut
from reciprocity.core.api_types import Day, Input
from reciprocity.core.bounds import Id
from reciprocity.core.spreadsheets import table_response
from reciprocity.matching import pairing_services as services
from reciprocity.matching.models import PairDissolution, PairingRun, PairProposal, PairUnpaired
from reciprocity.matching.pairing_exports import PAIR_HEADINGS, pair_rows
from reciprocity.matching.pairing_selectors import (
    pairing_run_get_visible,
    pairing_run_list,
    pairing_run_pairs,
    pairing_run_unpaired,
)
from reciprocity.matching.permissions import acting_user, can_run_placements
from reciprocity.volunteers.access import api_list
from reciprocity.volunteers.models import AccessAction, AccessChannel
from reciprocity.volunteers.services import personal_data_bulk_access_record

router = Router(tags=["matching"], auth=SIGNED_IN)

ERRORS: dict[int, type[Schema]] = {**COMMON_ERRORS, 403: ErrorOut, 404: ErrorOut}


class PairingRunOut(Schema):
    id: int
    label: str
    organisation_id: int | None
    programme: str = Field(description="The programme's code.")
    season_start: date
    season_end: date
    min_overlap_days: int
    status: str = Field(description="queued, running, succeeded, failed or cancelled.")
    error: str
    french_count: int | None
    foreign_count: int | None
    pairs_count: int | None
    total_score: float | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @staticmethod
    def resolve_programme(obj: PairingRun) -> str:
        return obj.programme.code


class PairingRunIn(Input):
    label: str = Field("", max_length=200)
    programme: str = Field(max_length=40, description="The programme's code (e.g. weccee).")
    season_start: Day = Field(description="Placements starting from this day form the cohort.")
    season_end: Day = Field(description="... up to this day.")
    min_overlap_days: int = Field(14, ge=0, le=services.MAX_OVERLAP_DAYS)


class PairSideOut(Schema):
    placement_id: int
    volunteer_id: int
    volunteer: str
    mission: str
    nationality: str


class DissolutionOut(Schema):
    cause: str = Field(description="coordinator, placement_cancelled or placement_interrupted.")
    reason: str
    ended_placement_id: int | None = Field(description="The placement whose end dissolved it.")
    occurred_at: datetime
    dissolved_by: str | None = Field(
        description="The username of who dissolved it (or cancelled or interrupted the ended "
                    "placement); null when the system did it (an expired offer, for example) "
                    "or the account was removed since.")

    @staticmethod
    def resolve_dissolved_by(obj: PairDissolution) -> str | None:
        # The actor is read with the pairs (pairing_run_pairs selects it): no query per pair.
        return obj.actor.username if obj.actor is not None else None


class PairProposalOut(Schema):
    id: int
    french: PairSideOut
    foreign: PairSideOut
    score: float = Field(description="Compatibility out of 100.")
    shared_languages: list[str] = Field(description="ISO 639-1 codes.")
    shared_themes: list[str]
    overlap_days: int
    overlap_start: date
    overlap_end: date
    decision: str = Field(description="pending, accepted, rejected or dissolved.")
    pairing_id: int | None = Field(description="The binôme made when accepted.")
    dissolution: DissolutionOut | None = Field(
        None, description="When, why and by what the accepted pair was dissolved.")

    @staticmethod
    def resolve_french(obj: PairProposal) -> dict[str, Any]:
        return _side(obj.french)

    @staticmethod
    def resolve_dissolution(obj: PairProposal) -> PairDissolution | None:
        # Read with the pairs (pairing_run_pairs selects it): no query per pair.
        return getattr(obj.pairing, "dissolution", None) if obj.pairing is not None else None

    @staticmethod
    def resolve_foreign(obj: PairProposal) -> dict[str, Any]:
        return _side(obj.foreign)


def _side(placement: Any) -> dict[str, Any]:
    return {"placement_id": placement.pk, "volunteer_id": placement.volunteer_id,
            "volunteer": str(placement.volunteer), "mission": placement.mission.title,
            "nationality": str(placement.nationality)}


class UnpairedOut(Schema):
    placement_id: int
    volunteer: str
    side: str = Field(description="french or foreign.")
    reason: str = Field(description="no_compatible_partner or partners_taken.")
    candidates: int = Field(description="Compatible partners (all paired with others).")

    @staticmethod
    def resolve_volunteer(obj: PairUnpaired) -> str:
        return str(obj.placement.volunteer)


class PairingRunDetailOut(PairingRunOut):
    pairs: list[PairProposalOut]
    unpaired: list[UnpairedOut]

    @staticmethod
    def resolve_pairs(obj: PairingRun) -> list[PairProposal]:
        return list(pairing_run_pairs(run=obj))

    @staticmethod
    def resolve_unpaired(obj: PairingRun) -> list[PairUnpaired]:
        return list(pairing_run_unpaired(run=obj))


class PairsIn(Input):
    pairs: list[Id] | None = Field(
        None, max_length=10_000, description="Pair ids; omit (or null) for every pending pair."
    )


class AcceptedOut(Schema):
    accepted: int
    pairings: list[int]


class RejectedOut(Schema):
    rejected: int


class DissolveIn(Input):
    reason: str = Field(max_length=services.MAX_REASON, description="Why the pair is dissolved.")


class ExportFilters(Schema):
    format: str = Field("csv", pattern="^(csv|xlsx)$", description="csv or xlsx.")


def _require_runner(request: HttpRequest) -> None:
    if not can_run_placements(request.user):
        raise PermissionDenied(_("Only platform staff and coordinator officers run placements."))


def _run(request: HttpRequest, run_id: int) -> PairingRun:
    _require_runner(request)
    run = pairing_run_get_visible(user=request.user, pk=run_id)
    if run is None:
        raise Http404
    return run


@router.get("/pairing-runs", response={200: list[PairingRunOut], **ERRORS})
def pairing_runs_list(request: HttpRequest, status: str = "") -> Any:
    """The pairing runs the user may see, newest first (at most 200)."""
    _require_runner(request)
    return list(pairing_run_list(user=request.user, status=status)[:200])


@router.post("/pairing-runs", response={201: PairingRunOut, **ERRORS, 400: ErrorOut})
def pairing_runs_create(request: HttpRequest, payload: PairingRunIn) -> Any:
    """Queue a pairing run over the programme's cohort of the season; it executes in the
    background (at once, in this request, when no broker is configured)."""
    _require_runner(request)
    programme = get_object_or_404(Programme, code=payload.programme)
    run = services.pairing_run_create(
        created_by=acting_user(request.user), programme=programme, label=payload.label,
        season_start=payload.season_start, season_end=payload.season_end,
        min_overlap_days=payload.min_overlap_days,
    )
    return 201, run


@router.get("/pairing-runs/{pairing_run_id}", response={200: PairingRunDetailOut, **ERRORS})
def pairing_runs_detail(request: HttpRequest, pairing_run_id: Path[Id]) -> Any:
    """The run, its pairs (best first) and the placements it left unpaired."""
    run = _run(request, pairing_run_id)
    # The answer names the volunteers of every pair and unpaired placement: one log row.
    pairs = run.pairs.values_list("french__volunteer_id", "foreign__volunteer_id")
    api_list(request, [*(v for pair in pairs for v in pair),
                       *run.unpaired.values_list("placement__volunteer_id", flat=True)])
    return run


@router.post("/pairing-runs/{pairing_run_id}/accept",
             response={200: AcceptedOut, **ERRORS, 400: ErrorOut, 409: ErrorOut})
def pairing_runs_accept(request: HttpRequest, pairing_run_id: Path[Id], payload: PairsIn) -> Any:
    """Make a binôme of each pending pair (all, or those given), all or nothing. 409 when the
    run is not succeeded, or stale (`stale_run`: a placement changed or was paired since)."""
    made = services.pairing_run_accept(
        run=_run(request, pairing_run_id), actor=acting_user(request.user), pairs=payload.pairs,
        now=timezone.now(),
    )
    return {"accepted": len(made), "pairings": [p.pk for p in made]}


@router.post("/pairing-runs/{pairing_run_id}/reject",
             response={200: RejectedOut, **ERRORS, 400: ErrorOut, 409: ErrorOut})
def pairing_runs_reject(request: HttpRequest, pairing_run_id: Path[Id], payload: PairsIn) -> Any:
    """Set the given pending pairs aside."""
    count = services.pairing_run_reject(
        run=_run(request, pairing_run_id), actor=acting_user(request.user),
        pairs=payload.pairs or [], now=timezone.now(),
    )
    return {"rejected": count}


@router.post("/pairing-runs/{pairing_run_id}/cancel",
             response={200: PairingRunOut, **ERRORS, 409: ErrorOut})
def pairing_runs_cancel(request: HttpRequest, pairing_run_id: Path[Id]) -> Any:
    """Cancel a queued or running run; 409 for a finished one."""
    return services.pairing_run_cancel(run=_run(request, pairing_run_id),
                                       actor=acting_user(request.user), now=timezone.now())


@router.post("/pairing-runs/{pairing_run_id}/pairs/{pair_id}/dissolve",
             response={200: PairProposalOut, **ERRORS, 400: ErrorOut, 409: ErrorOut})
def pairing_runs_pair_dissolve(request: HttpRequest, pairing_run_id: Path[Id], pair_id: Path[Id],
                               payload: DissolveIn) -> Any:
    """Dissolve one accepted pair, with a reason: neither placement shows a current partner any
    more (both keep it as a former binôme), and a later run may pair both volunteers again.
    409 (`pair_not_accepted`) for a pair that is pending, set aside or already dissolved; 400
    without a reason."""
    run = _run(request, pairing_run_id)
    pair = get_object_or_404(pairing_run_pairs(run=run), pk=pair_id)
    services.pair_dissolve(pair=pair, actor=acting_user(request.user), reason=payload.reason,
                           now=timezone.now())
    return pairing_run_pairs(run=run).get(pk=pair.pk)


@router.get("/pairing-runs/{pairing_run_id}/export", response={200: None, **ERRORS},
            openapi_extra={"responses": {200: {
                "description": "The pairs as CSV or XLSX (labels, not codes).",
                "content": {"text/csv": {}, "application/vnd.openxmlformats-officedocument."
                                                            "spreadsheetml.sheet": {}}}}})
def pairing_runs_export(request: HttpRequest, pairing_run_id: Path[Id],
                        filters: Query[ExportFilters]) -> HttpResponse:
    """The run's pairs as a file; cells that a spreadsheet would run as formulas are written
    as text."""
    run = _run(request, pairing_run_id)
    pairs = list(pairing_run_pairs(run=run))
    personal_data_bulk_access_record(
        volunteer_ids=[v for p in pairs for v in (p.french.volunteer_id, p.foreign.volunteer_id)],
        actor=request.user, action=AccessAction.EXPORT, channel=AccessChannel.API,
        source=f"{request.method} {request.get_full_path()}",
    )
    return table_response(filters.format, f"pairing-run-{run.pk}", _("Pairs"), PAIR_HEADINGS,
                          pair_rows(pairs))
