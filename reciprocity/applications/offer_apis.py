"""`/api/v1/offers` and the waiting lists: the same rules as the pages (applications/offers.py).

An offer is the place a host offers after accepting a choice; the volunteer, or an officer of
their sending organisation, accepts or declines it by its deadline. The waiting list of a
mission is its choices in status `reserve`, in the host's order.
"""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Field, Path, Router, Schema

from reciprocity.accounts.api_auth import SIGNED_IN
from reciprocity.accounts.http import AuthenticatedHttpRequest
from reciprocity.applications import offers
from reciprocity.applications.apis import WRITE_ERRORS, ChoiceOut
from reciprocity.applications.models import ApplicationChoice, Offer
from reciprocity.applications.permissions import can_see_mission_applications
from reciprocity.applications.selectors import choices_visible_to, offers_visible_to
from reciprocity.core.api_errors import ErrorOut
from reciprocity.core.api_types import Input
from reciprocity.core.bounds import Id
from reciprocity.core.exceptions import NotAllowed
from reciprocity.missions.models import Mission

router = Router(tags=["offers"], auth=SIGNED_IN)
waiting_lists = Router(tags=["offers"], auth=SIGNED_IN)

READ_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class OfferOut(Schema):
    id: int
    status: str = Field(..., description="pending, accepted, declined, expired or withdrawn")
    deadline: date = Field(..., description="The last day to answer (inclusive).")
    placement_id: int
    choice_id: int
    application_id: int
    volunteer_id: int
    mission_id: int
    mission_title: str
    responded_by_id: int | None
    responded_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_application_id(obj: Offer) -> int:
        return obj.choice.application_id

    @staticmethod
    def resolve_volunteer_id(obj: Offer) -> int:
        return obj.choice.application.volunteer_id

    @staticmethod
    def resolve_mission_id(obj: Offer) -> int:
        return obj.choice.mission_id

    @staticmethod
    def resolve_mission_title(obj: Offer) -> str:
        return obj.choice.mission.title


class ReserveOut(ChoiceOut):
    reserve_rank: int | None = Field(None, description="The host's order, 1 first (gaps possible).")


class RankIn(Input):
    choice_ids: list[Id] = Field(
        ..., max_length=500,
        description="Every choice of the mission's waiting list once, the next to be offered first.",
    )


def offer_or_404(request: HttpRequest, offer_id: int) -> Offer:
    """The offer if this user may see it (also for the workflow's decline, workflow/apis.py)."""
    return get_object_or_404(offers_visible_to(request.user), pk=offer_id)


@router.get("", response={200: list[OfferOut], 401: ErrorOut, 422: ErrorOut})
def list_offers(request: HttpRequest, pending: bool = False) -> list[Offer]:
    """Offers you may see (made to your volunteers, to you, or on your missions), newest first;
    `pending=true`: only those still waiting for an answer. At most 500."""
    qs = offers_visible_to(request.user)
    if pending:
        qs = qs.filter(status="pending")
    return list(qs.order_by("-created_at", "-pk")[:500])


@router.get("/{offer_id}", response={200: OfferOut, **READ_ERRORS})
def get_offer(request: HttpRequest, offer_id: Path[Id]) -> Offer:
    return offer_or_404(request, offer_id)


@router.post("/{offer_id}/accept", response={200: OfferOut, **WRITE_ERRORS})
def accept_offer(request: AuthenticatedHttpRequest, offer_id: Path[Id]) -> Offer:
    """The volunteer (or an officer of their sending organisation) accepts the place by the
    deadline; the host then confirms the placement. 403 for the host or a viewer, 409 once
    answered or past the deadline (`offer_expired`)."""
    return offers.offer_accept(
        actor=request.user, offer=offer_or_404(request, offer_id), today=timezone.localdate(),
        now=timezone.now(),
    )


def _mission(request: HttpRequest, mission_id: int) -> Mission:
    mission = get_object_or_404(Mission, pk=mission_id)
    if not can_see_mission_applications(request.user, mission):
        raise NotAllowed(gettext("Only the host of this mission sees its waiting list."))
    return mission


@waiting_lists.post("/choices/{choice_id}/reserve", response={200: ReserveOut, **WRITE_ERRORS})
def reserve_choice(request: AuthenticatedHttpRequest, choice_id: Path[Id]) -> ApplicationChoice:
    """Put a pending or shortlisted choice for your mission at the end of its waiting list."""
    choice = get_object_or_404(
        choices_visible_to(request.user).select_related("mission", "application"), pk=choice_id
    )
    return offers.application_choice_reserve(actor=request.user, choice=choice)


@waiting_lists.get("/missions/{mission_id}/reserves", response={200: list[ReserveOut], **READ_ERRORS})
def list_reserves(request: HttpRequest, mission_id: Path[Id]) -> list[ApplicationChoice]:
    """The mission's waiting list in the host's order (the host's members and staff)."""
    return offers.waiting_list(_mission(request, mission_id))


@waiting_lists.put("/missions/{mission_id}/reserves", response={200: list[ReserveOut], **WRITE_ERRORS})
def rank_reserves(
    request: AuthenticatedHttpRequest, mission_id: Path[Id], payload: RankIn
) -> list[ApplicationChoice]:
    """Order the waiting list: name every reserve once (400 `waiting_list_mismatch` otherwise)."""
    return offers.waiting_list_rank(
        actor=request.user, mission=_mission(request, mission_id),
        choice_ids=payload.choice_ids,
    )
