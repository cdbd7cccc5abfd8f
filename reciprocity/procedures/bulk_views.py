"""Bulk moves on "What is due": mark many steps in progress or done at once. Each step goes
through `procedure_step_advance` (the owner's permission, the allowed transitions, the history
row) in its own transaction (core/bulk.py); the answer is a per-line summary."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reciprocity.accounts.http import AuthenticatedHttpRequest
from reciprocity.core.bulk import ids_from, run_each, summary_counts
from reciprocity.procedures import services
from reciprocity.procedures.models import ProcedureStep, StepStatus
from reciprocity.procedures.selectors import step_assignee_choices, steps_visible_to

# Moves that need no note (blocking or "does not apply" say why, one step at a time).
BULK_STATUSES = (StepStatus.IN_PROGRESS, StepStatus.DONE)


@login_required
@require_POST
def steps_bulk_advance(request: AuthenticatedHttpRequest) -> HttpResponse:
    to_status = request.POST.get("to_status", "")
    ids = ids_from(request.POST.getlist("step"))
    title = _("Move several steps")
    if to_status not in BULK_STATUSES or not ids:
        return render(request, "bulk_result.html", {
            "title": title, "results": [], "back": "procedures:due",
            "error": _("Tick at least one step and choose a status."),
        }, status=400)
    found = {s.pk: s for s in steps_visible_to(request.user).filter(pk__in=ids)
             .select_related("procedure__placement__volunteer")}
    label = str(StepStatus(to_status).label)
    note = request.POST.get("note", "").strip()[:2000]
    now = timezone.now()

    def act(step: ProcedureStep) -> str:
        services.procedure_step_advance(step=step, to_status=to_status, actor=request.user,
                                        note=note, now=now)
        return label

    results = run_each(
        ids, found, act=act,
        label=lambda s: f"{s.title} — {s.procedure.placement.volunteer}",
        link=lambda s: reverse("procedures:detail", args=[s.procedure_id]) + f"#step-{s.code}",
    )
    done, failed = summary_counts(results)
    return render(request, "bulk_result.html", {
        "title": title, "results": results, "done": done, "failed": failed,
        "back": "procedures:due",
    })


@login_required
@require_POST
def steps_bulk_assign(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Give the ticked steps to one person ("reassign"), or take them back ("nobody"); each
    step through `procedure_step_assign` (the actor and the assignee must both be allowed to
    tick it), in its own transaction."""
    ids = ids_from(request.POST.getlist("step"))
    title = _("Assign several steps")
    raw = request.POST.get("assignee", "")
    choices = step_assignee_choices(request.user)
    assignee = None if raw == "nobody" else choices.filter(pk__in=ids_from([raw])).first()
    if not ids or (raw != "nobody" and assignee is None):
        return render(request, "bulk_result.html", {
            "title": title, "results": [], "back": "procedures:due",
            "error": _("Tick at least one step and choose the person to give them to."),
        }, status=400)
    found = {s.pk: s for s in steps_visible_to(request.user).filter(pk__in=ids)
             .select_related("procedure__placement__volunteer")}
    done_label = (_("Assigned to %(person)s") % {"person": assignee.get_full_name() or assignee.username}
                  if assignee is not None else _("Assigned to nobody"))

    def act(step: ProcedureStep) -> str:
        services.procedure_step_assign(step=step, assignee=assignee, actor=request.user)
        return str(done_label)

    results = run_each(
        ids, found, act=act,
        label=lambda s: f"{s.title} — {s.procedure.placement.volunteer}",
        link=lambda s: reverse("procedures:detail", args=[s.procedure_id]) + f"#step-{s.code}",
    )
    done, failed = summary_counts(results)
    return render(request, "bulk_result.html", {
        "title": title, "results": results, "done": done, "failed": failed,
        "back": "procedures:due",
    })
