"""Pages of pairing runs (binômes) for coordinators: list, create, review and accept, cancel,
export. Who may not run placements gets 403; runs they may not see, 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reciprocity.core.bounds import ids_from
from reciprocity.core.exceptions import ApplicationError
from reciprocity.core.pagination import paginate
from reciprocity.core.spreadsheets import table_response
from reciprocity.matching import pairing_services as services
from reciprocity.matching.forms import PairDissolveForm, PairingRunForm
from reciprocity.matching.models import PairDecision, PairingRun, RunStatus
from reciprocity.matching.pairing_exports import PAIR_HEADINGS, pair_rows
from reciprocity.matching.pairing_selectors import (
    pairing_run_get_visible,
    pairing_run_history,
    pairing_run_list,
    pairing_run_pairs,
    pairing_run_unpaired,
)
from reciprocity.matching.permissions import acting_user, can_manage_pairing_run
from reciprocity.matching.views import coordinators_only
from reciprocity.volunteers.exports import export_logged


def _visible_run(request: HttpRequest, pk: int) -> PairingRun:
    run = pairing_run_get_visible(user=request.user, pk=pk)
    if run is None:
        raise Http404
    return run


@coordinators_only
def pairing_index(request: HttpRequest) -> HttpResponse:
    page = paginate(request, pairing_run_list(user=request.user, status=request.GET.get("status", "")))
    return render(request, "matching/pairing_list.html", {"page": page})


@coordinators_only
def pairing_new(request: HttpRequest) -> HttpResponse:
    form = PairingRunForm(request.POST or None, user=acting_user(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = services.pairing_run_create(
                created_by=acting_user(request.user), programme=data["programme"],
                label=data["label"], season_start=data["season_start"],
                season_end=data["season_end"], min_overlap_days=data["min_overlap_days"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The pairing run is queued; this page shows its result."))
            return redirect("matching:pairing_detail", pk=run.pk)
    return render(request, "matching/pairing_form.html", {"form": form})


@coordinators_only
def pairing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = _visible_run(request, pk)
    can_manage = can_manage_pairing_run(request.user, run)
    context = {
        "run": run,
        "history": pairing_run_history(run=run),
        "pairs": pairing_run_pairs(run=run),
        "unpaired": pairing_run_unpaired(run=run),
        "can_review": run.status == RunStatus.SUCCEEDED and can_manage,
        "can_cancel": not run.is_final and can_manage,
        "can_dissolve": can_manage,
        "pending": PairDecision.PENDING,
        "accepted": PairDecision.ACCEPTED,
    }
    return render(request, "matching/pairing_detail.html", context)


def _selected(request: HttpRequest) -> list[int] | None:
    if request.POST.get("all"):
        return None
    return ids_from(request.POST.getlist("pair"))


@require_POST
@coordinators_only
def pairing_accept(request: HttpRequest, pk: int) -> HttpResponse:
    run = _visible_run(request, pk)
    ids = _selected(request)
    if ids == []:
        messages.error(request, _("Select the pairs to accept."))
        return redirect("matching:pairing_detail", pk=run.pk)
    try:
        made = services.pairing_run_accept(run=run, actor=acting_user(request.user), pairs=ids,
                                           now=timezone.now())
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(n)d pair(s) accepted: each placement now shows its partner.")
                         % {"n": len(made)})
    return redirect("matching:pairing_detail", pk=run.pk)


@require_POST
@coordinators_only
def pairing_reject(request: HttpRequest, pk: int) -> HttpResponse:
    run = _visible_run(request, pk)
    try:
        count = services.pairing_run_reject(run=run, actor=acting_user(request.user),
                                            pairs=_selected(request) or [], now=timezone.now())
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(n)d pair(s) set aside.") % {"n": count})
    return redirect("matching:pairing_detail", pk=run.pk)


@require_POST
@coordinators_only
def pairing_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    run = _visible_run(request, pk)
    try:
        services.pairing_run_cancel(run=run, actor=acting_user(request.user), now=timezone.now())
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The run is cancelled."))
    return redirect("matching:pairing_detail", pk=run.pk)


@coordinators_only
def pair_dissolve(request: HttpRequest, pk: int, pair_id: int) -> HttpResponse:
    """GET: the confirmation, with the reason to give; POST: dissolve the accepted pair."""
    run = _visible_run(request, pk)
    pair = get_object_or_404(pairing_run_pairs(run=run), pk=pair_id)
    if not can_manage_pairing_run(request.user, run):
        raise PermissionDenied(_("Only the run's coordinator officers may dissolve its pairs."))
    form = PairDissolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.pair_dissolve(pair=pair, actor=acting_user(request.user),
                                   reason=form.cleaned_data["reason"], now=timezone.now())
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The pair is dissolved: both placements are free to be "
                                        "paired again by a later run."))
            return redirect("matching:pairing_detail", pk=run.pk)
    status = 400 if form.errors else 200
    return render(request, "matching/pair_dissolve.html",
                  {"run": run, "pair": pair, "form": form,
                   "can_dissolve": pair.decision == PairDecision.ACCEPTED}, status=status)


@coordinators_only
def pairing_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    run = _visible_run(request, pk)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    pairs = list(pairing_run_pairs(run=run))
    # The file names volunteers: one row in the personal-data access log for all of them.
    export_logged(request, [pk for p in pairs for pk in (p.french.volunteer_id, p.foreign.volunteer_id)])
    return table_response(fmt, f"pairing-run-{run.pk}", _("Pairs"), PAIR_HEADINGS, pair_rows(pairs))
