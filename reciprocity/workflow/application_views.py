"""The applications pages that drive a workflow use-case (ADR 0005, "faces"): apply and
nominate with each choice's eligibility verdict, the application's page, accept or refuse a
choice, withdraw, answer an offer. They moved here from applications/views.py and offer_views.py
so that applications imports nothing of the workflow; the root urls.py serves them under the
`applications` namespace with the same paths and names (workflow/application_urls.py)."""

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from reciprocity.accounts.http import AuthenticatedHttpRequest
from reciprocity.accounts.models import User
from reciprocity.applications import offers, permissions, services
from reciprocity.applications.forms import (
    AcceptForm,
    ApplicationForm,
    NominationForm,
    RefuseForm,
    WithdrawForm,
)
from reciprocity.applications.models import (
    Application,
    ApplicationChoice,
    ApplicationStatus,
    ChoiceStatus,
    Offer,
)
from reciprocity.applications.selectors import (
    application_choices_for,
    applications_visible_to,
    choices_visible_to,
    offers_visible_to,
)
from reciprocity.core.bounds import id_from
from reciprocity.core.exceptions import ApplicationError
from reciprocity.workflow import applying
from reciprocity.workflow import services as workflow


@login_required
def application_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if getattr(request.user, "email_verification_pending", False) and hasattr(
        request.user, "volunteer"
    ):
        # A self-registered volunteer confirms their address first (docs/accounts.md).
        return render(request, "applications/verify_first.html", status=403)
    initial = {}
    mission_id = id_from(request.GET.get("mission"))
    if mission_id is not None:
        initial["mission_1"] = str(mission_id)
    form = ApplicationForm(request.POST or None, user=request.user, initial=initial)
    preview = None
    if request.method == "GET" and mission_id is not None:
        preview = applying.eligibility_preview(
            user=request.user, mission_id=mission_id,
            volunteer_id=id_from(request.GET.get("volunteer")),
        )
    if request.method == "POST" and form.is_valid():
        try:
            application = applying.application_submit(
                actor=request.user,
                volunteer=form.cleaned_data["volunteer"], missions=form.missions(),
                motivation=form.cleaned_data["motivation"], now=timezone.now(),
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, gettext("Application submitted. The eligibility check is shown below.")
            )
            return redirect("applications:detail", pk=application.pk)
    return render(
        request, "applications/application_form.html", {"form": form, "preview": preview}
    )


@login_required
def application_nominate(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_nominate(request.user):
        raise PermissionDenied(gettext(
            "Only administrators and officers of a sending organisation nominate candidates."))
    form = NominationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            created = applying.application_nominate(
                actor=request.user, now=timezone.now(),
                organisation=form.cleaned_data["organisation"],
                volunteers=list(form.cleaned_data["volunteers"]),
                missions=list(form.cleaned_data["missions"]),
                programme=form.cleaned_data["programme"],
                motivation=form.cleaned_data["motivation"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            if len(created) == 1:
                return redirect("applications:detail", pk=created[0].pk)
            return redirect("applications:list")
    return render(request, "applications/nomination_form.html", {"form": form})


@dataclass(frozen=True)
class ChoiceOnPage:
    """A choice as the application page shows it to this user."""

    choice: ApplicationChoice
    may_decide: bool
    last_offer: Offer | None  # the latest offer made on the choice (offers.py)
    may_answer: bool  # the offer is open and this user answers it
    reserve_position: int | None  # on the waiting list: its place, 1 first


def _choice_on_page(choice: ApplicationChoice, *, application: Application,
                    user: User, today: date) -> ChoiceOnPage:
    made = sorted(choice.offers.all(), key=lambda o: o.pk)
    last_offer = made[-1] if made else None
    reserve_position = None
    if choice.status == ChoiceStatus.RESERVE:
        reserve_position = ApplicationChoice.objects.filter(
            mission_id=choice.mission_id, status=ChoiceStatus.RESERVE,
            reserve_rank__lte=choice.reserve_rank,
        ).count()
    # Choices imported or created before verdicts were kept: one computed to show.
    choice.eligibility = applying.choice_eligibility(choice, volunteer=application.volunteer)
    return ChoiceOnPage(
        choice=choice,
        may_decide=permissions.can_decide(user, choice),
        last_offer=last_offer,
        may_answer=bool(last_offer and last_offer.is_open_on(today)
                        and permissions.can_answer_offer(user, last_offer)),
        reserve_position=reserve_position,
    )


@login_required
def application_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(
        applications_visible_to(request.user).select_related(
            "volunteer", "sending_organisation", "programme"
        ),
        pk=pk,
    )
    choices = list(application_choices_for(user=request.user, application=application)
                   .prefetch_related("offers"))
    today = timezone.localdate()
    rows = [_choice_on_page(choice, application=application, user=request.user, today=today)
            for choice in choices]
    shown = {c.pk for c in choices}
    history = [
        h for h in application.history.select_related("changed_by").order_by("changed_at", "id")
        if h.choice_id is None or h.choice_id in shown
    ]
    context = {
        "application": application,
        "choices": rows,
        "history": history,
        "may_withdraw": permissions.can_withdraw(request.user, application)
        and application.status in services.APPLICATION_TRANSITIONS
        and ApplicationStatus.WITHDRAWN in services.APPLICATION_TRANSITIONS[application.status],
        "refuse_form": RefuseForm(),
        "withdraw_form": WithdrawForm(),
        "placements": application.placements.filter(mission_id__in=[c.mission_id for c in choices]),
    }
    return render(request, "applications/application_detail.html", context)


@login_required
@require_POST
def choice_decide(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    choice = get_object_or_404(
        choices_visible_to(request.user).select_related("mission", "application"), pk=pk
    )
    try:
        if action == "shortlist":
            services.application_choice_shortlist(actor=request.user, choice=choice)
        elif action == "accept":
            accept_form = AcceptForm(request.POST)
            override = accept_form.cleaned_data["override_reason"] if accept_form.is_valid() else ""
            workflow.application_choice_accept(
                actor=request.user, choice=choice, today=timezone.localdate(), now=timezone.now(),
                override_reason=override,
            )
        elif action == "refuse":
            form = RefuseForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            services.application_choice_refuse(
                actor=request.user, choice=choice, reason=reason, now=timezone.now()
            )
        else:
            return redirect("applications:detail", pk=choice.application_id)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("applications:detail", pk=choice.application_id)


@login_required
@require_POST
def application_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(applications_visible_to(request.user), pk=pk)
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        workflow.application_withdraw(
            actor=request.user, application=application,
            today=timezone.localdate(), reason=reason,
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("applications:detail", pk=application.pk)


@login_required
@require_POST
def offer_answer(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    offer = get_object_or_404(offers_visible_to(request.user), pk=pk)
    now = timezone.now()
    today = timezone.localdate(now)
    try:
        if action == "accept":
            offers.offer_accept(actor=request.user, offer=offer, today=today, now=now)
            messages.success(request, gettext("You accepted the offer; the host now confirms the placement."))
        elif action == "decline":
            form = WithdrawForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            workflow.offer_decline(
                actor=request.user, offer=offer, today=today, now=now, reason=reason
            )
            messages.success(request, gettext("You declined the offer."))
        else:
            return redirect("applications:detail", pk=offer.choice.application_id)
    except ApplicationError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
    return redirect("applications:detail", pk=offer.choice.application_id)
