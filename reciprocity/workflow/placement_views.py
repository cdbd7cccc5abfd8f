"""The placement page's actions (ADR 0005, "faces"): confirm, start, complete, cancel and
interrupt drive workflow use-cases (each writes its ledger entry; confirming marks the
application placed and opens the procedure); the tutor, the evaluation and the follow-up share
the same route (`placements:action`, `<pk>/<action>/`), so the one view moved here from
placements/views.py, unchanged, and placements imports nothing of the workflow
(workflow/placement_urls.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from reciprocity.accounts.http import AuthenticatedHttpRequest
from reciprocity.accounts.selectors import is_platform_staff
from reciprocity.core.exceptions import ApplicationError
from reciprocity.placements import evaluations, services
from reciprocity.placements.forms import (
    CancelForm,
    ConfirmForm,
    DayForm,
    EvaluationForm,
    FollowUpForm,
    InterruptForm,
    TutorForm,
)
from reciprocity.placements.views import placement_or_404
from reciprocity.workflow import services as workflow


@login_required
@require_POST
def placement_action(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    placement = placement_or_404(request, pk)
    actor = request.user
    try:
        if action == "confirm":
            confirm_form = ConfirmForm(request.POST, staff=is_platform_staff(actor))
            reasons = confirm_form.cleaned_data if confirm_form.is_valid() else {}
            workflow.placement_confirm(
                placement=placement, actor=actor, today=timezone.localdate(), now=timezone.now(),
                override_reason=reasons.get("override_reason", ""),
                tolerance_reason=reasons.get("tolerance_reason", ""),
            )
        elif action in {"start", "complete"}:
            day_form = DayForm(request.POST)
            day = day_form.cleaned_data["on"] if day_form.is_valid() else None
            service = workflow.placement_start if action == "start" else workflow.placement_complete
            service(placement=placement, actor=actor, on=day)
        elif action == "cancel":
            cancel_form = CancelForm(request.POST)
            reason = cancel_form.cleaned_data["reason"] if cancel_form.is_valid() else ""
            workflow.placement_cancel(
                placement=placement, actor=actor, reason=reason, on=timezone.localdate()
            )
        elif action == "interrupt":
            interrupt_form = InterruptForm(request.POST)
            if not interrupt_form.is_valid():
                raise ApplicationError(" ".join(str(e) for e in interrupt_form.errors.values()))
            workflow.placement_interrupt(placement=placement, actor=actor, **interrupt_form.cleaned_data)
        elif action == "tutor":
            tutor_form = TutorForm(request.POST)
            if not tutor_form.is_valid():
                raise ApplicationError(" ".join(str(e) for e in tutor_form.errors.values()))
            services.placement_set_tutor(placement=placement, actor=actor, **tutor_form.cleaned_data)
        elif action == "evaluation":
            evaluation_form = EvaluationForm(request.POST)
            if not evaluation_form.is_valid():
                raise ApplicationError(" ".join(str(e) for e in evaluation_form.errors.values()))
            evaluations.evaluation_submit(placement=placement, actor=actor, **evaluation_form.cleaned_data)
        elif action == "follow-up":
            follow_up_form = FollowUpForm(request.POST)
            if not follow_up_form.is_valid():
                raise ApplicationError(" ".join(str(e) for e in follow_up_form.errors.values()))
            evaluations.follow_up_record(
                placement=placement, actor=actor, today=timezone.localdate(), **follow_up_form.cleaned_data
            )
        else:
            raise Http404
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("placements:detail", pk=placement.pk)
