"""Pages of the waiting lists: the host sees a mission's applications, puts candidates on its
waiting list and orders it (offers.py). The volunteer's answer to an offer, which may let the
placement lapse, is the workflow's page (workflow/application_views.py, `offer_answer`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from reciprocity.accounts.models import User
from reciprocity.applications import offers, permissions
from reciprocity.applications.models import ApplicationChoice, ChoiceStatus, Offer, OfferStatus
from reciprocity.applications.selectors import mission_choices
from reciprocity.core.bounds import id_from
from reciprocity.core.exceptions import ApplicationError
from reciprocity.missions.models import Mission


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # @login_required ran first
    return request.user


def _mission_for_host(request: HttpRequest, mission_id: int) -> Mission:
    mission = get_object_or_404(Mission.objects.select_related("host"), pk=mission_id)
    if not permissions.can_see_mission_applications(request.user, mission):
        raise PermissionDenied(gettext("Only the host of this mission sees its applications."))
    return mission


def _last_offer(choice: ApplicationChoice) -> Offer | None:
    made = sorted(choice.offers.all(), key=lambda o: o.pk)
    return made[-1] if made else None


@login_required
def mission_applications(request: HttpRequest, mission_id: int) -> HttpResponse:
    """Every choice made for the mission, the offers made and the waiting list in its order."""
    mission = _mission_for_host(request, mission_id)
    choices = list(mission_choices(mission=mission))
    reserves = [c for c in choices if c.status == ChoiceStatus.RESERVE]
    return render(request, "applications/mission_applications.html", {
        "mission": mission,
        # Each choice with the latest offer made on it (None before any).
        "choices": [(choice, _last_offer(choice)) for choice in choices],
        "reserves": reserves,
        "may_manage": permissions.can_manage_waiting_list(request.user, mission),
        "open_statuses": {ChoiceStatus.PENDING, ChoiceStatus.SHORTLISTED},
        "pending": OfferStatus.PENDING,
    })


@login_required
@require_POST
def waiting_list_order(request: HttpRequest, mission_id: int) -> HttpResponse:
    """The host's new order: one number per reserve (`position-<choice id>`), smallest first;
    ties keep the current order."""
    mission = _mission_for_host(request, mission_id)
    current = offers.waiting_list(mission)
    positions = []
    for index, choice in enumerate(current):
        wanted = id_from(request.POST.get(f"position-{choice.pk}"))
        positions.append((wanted if wanted is not None else index + 1, index, choice.pk))
    try:
        offers.waiting_list_rank(
            actor=_user(request), mission=mission, choice_ids=[pk for _w, _i, pk in sorted(positions)]
        )
    except ApplicationError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("The waiting list is saved in its new order."))
    return redirect("applications:mission", mission_id=mission.pk)


@login_required
@require_POST
def choice_reserve(request: HttpRequest, pk: int) -> HttpResponse:
    """Put a choice on the waiting list (from the mission's page or the application's)."""
    from reciprocity.applications.selectors import choices_visible_to

    choice = get_object_or_404(
        choices_visible_to(request.user).select_related("mission", "application"), pk=pk
    )
    try:
        offers.application_choice_reserve(actor=_user(request), choice=choice)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    if request.POST.get("back") == "mission":
        return redirect("applications:mission", mission_id=choice.mission_id)
    return redirect("applications:detail", pk=choice.application_id)
