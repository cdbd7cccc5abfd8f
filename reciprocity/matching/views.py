"""Pages of placement runs for coordinators: list, create, progress and review, accept,
compare. Users who may not run placements get 403; runs they may not see, 404."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reciprocity.core.bounds import id_from, ids_from
from reciprocity.core.exceptions import ApplicationError
from reciprocity.core.pagination import paginate
from reciprocity.matching import services
from reciprocity.matching.comparison import runs_compare
from reciprocity.matching.forms import RunForm
from reciprocity.matching.models import AcceptanceStatus, PlacementRun, ProposalDecision, RunStatus
from reciprocity.matching.permissions import acting_user, can_manage_run, can_run_placements
from reciprocity.matching.selectors import (
    run_get_visible,
    run_history,
    run_last_acceptance,
    run_list,
    run_proposals,
    run_review,
    run_unplaced,
    runs_visible_to,
)

View = Callable[..., HttpResponse]
REVIEW_PAGE_SIZE = 200


def coordinators_only(view: View) -> View:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_run_placements(request.user):
            raise PermissionDenied(_("Only platform staff and coordinator officers run placements."))
        return view(request, *args, **kwargs)

    return wrapper


def _visible_run(request: HttpRequest, pk: int) -> PlacementRun:
    run = run_get_visible(user=request.user, pk=pk)
    if run is None:
        raise Http404
    return run


@coordinators_only
def run_index(request: HttpRequest) -> HttpResponse:
    page = paginate(request, run_list(user=request.user, status=request.GET.get("status", "")))
    return render(request, "matching/run_list.html", {"page": page, "statuses": RunStatus.choices})


@coordinators_only
def run_new(request: HttpRequest) -> HttpResponse:
    form = RunForm(request.POST or None, user=acting_user(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = services.run_create(
                created_by=acting_user(request.user), organisation=data["organisation"], label=data["label"],
                season_start=data["season_start"], season_end=data["season_end"],
                programme=data["programme"], missions=data["missions"], mode=data["mode"],
                time_limit=data["time_limit"], unplaced_penalty=data["unplaced_penalty"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The run is queued; this page follows its progress."))
            return redirect("matching:detail", pk=run.pk)
    return render(request, "matching/run_form.html", {"form": form})


@coordinators_only
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = _visible_run(request, pk)
    missions, agreements = run_review(run=run)
    mission_id = id_from(request.GET.get("mission"))
    proposals = run_proposals(run=run, mission_id=mission_id)
    can_manage = can_manage_run(request.user, run)
    acceptance = run_last_acceptance(run=run)
    context = {
        "run": run,
        "history": run_history(run=run),
        "missions": missions,
        "agreements": agreements,
        # Long seasons: proposals and unplaced volunteers come in pages (?page=, ?upage=).
        "page": Paginator(proposals, REVIEW_PAGE_SIZE).get_page(request.GET.get("page")),
        "unplaced": Paginator(run_unplaced(run=run), REVIEW_PAGE_SIZE).get_page(
            request.GET.get("upage")
        ),
        "mission_filter": next((m.mission for m in missions if m.mission.pk == mission_id), None),
        "can_review": run.status == RunStatus.SUCCEEDED and can_manage,
        "can_cancel": not run.is_final and can_manage,
        "acceptance": acceptance,
        "acceptance_done": services.acceptance_done(acceptance) if acceptance else 0,
        "pending": ProposalDecision.PENDING,
        "dropped": len(run.references.get("dropped", [])) if run.references else 0,
    }
    return render(request, "matching/run_detail.html", context)


def _selected_ids(request: HttpRequest) -> list[int] | None:
    if request.POST.get("all"):
        return None
    return ids_from(request.POST.getlist("proposal"))


@require_POST
@coordinators_only
def run_accept(request: HttpRequest, pk: int) -> HttpResponse:
    run = _visible_run(request, pk)
    ids = _selected_ids(request)
    if ids == []:
        messages.error(request, _("Select the proposals to accept."))
        return redirect("matching:detail", pk=run.pk)
    try:
        acceptance = services.acceptance_request(
            run=run, actor=acting_user(request.user), proposals=ids
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        # Without a broker the task has already run in this process.
        acceptance.refresh_from_db()
        if acceptance.status == AcceptanceStatus.SUCCEEDED:
            messages.success(request, _("%(n)d proposed placement(s) sent to the hosts to confirm.")
                             % {"n": acceptance.placements_count})
        elif acceptance.status == AcceptanceStatus.FAILED:
            messages.error(request, acceptance.error)
        else:
            messages.success(request, _("The %(n)d proposal(s) are being accepted; this page "
                                        "follows the progress.") % {"n": acceptance.total})
    return redirect("matching:detail", pk=run.pk)


@require_POST
@coordinators_only
def run_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    run = _visible_run(request, pk)
    try:
        run = services.run_cancel(run=run, actor=acting_user(request.user), now=timezone.now())
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The run is cancelled.") if run.is_final
                         else _("The run will stop at its next stage."))
    return redirect("matching:detail", pk=run.pk)


@require_POST
@coordinators_only
def run_reject(request: HttpRequest, pk: int) -> HttpResponse:
    run = _visible_run(request, pk)
    ids = _selected_ids(request) or []
    try:
        count = services.run_reject(run=run, actor=acting_user(request.user), proposals=ids,
                                     now=timezone.now())
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(n)d proposal(s) set aside.") % {"n": count})
    return redirect("matching:detail", pk=run.pk)


@coordinators_only
def run_compare(request: HttpRequest) -> HttpResponse:
    ids = ids_from(request.GET.getlist("run"), at_most=10)
    runs = list(runs_visible_to(request.user).filter(pk__in=ids).order_by("pk"))
    if len(runs) != len(set(ids)):
        raise Http404
    choices = runs_visible_to(request.user).filter(status=RunStatus.SUCCEEDED).order_by("-pk")[:50]
    return render(request, "matching/run_compare.html",
                  {"rows": runs_compare(runs=runs), "choices": choices, "selected": set(ids)})
