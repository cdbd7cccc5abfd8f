"""Bulk decisions on the host's inbox (the applications page): shortlist, accept or refuse (one
reason for all) many choices at once. Each choice goes through the same service and permission
checks as on the application's page, in its own transaction (core/bulk.py); the answer is a
per-line summary. In home because accepting is the workflow's use-case (it crosses applications
and placements) and a page that drives it from applications would be an arrow up."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reciprocity.accounts.http import AuthenticatedHttpRequest
from reciprocity.applications import services
from reciprocity.applications.models import ApplicationChoice, ChoiceStatus
from reciprocity.applications.selectors import choices_visible_to
from reciprocity.core.bulk import ids_from, run_each, summary_counts
from reciprocity.workflow import services as workflow

BULK_ACTIONS = ("shortlist", "accept", "refuse")


@login_required
@require_POST
def choices_bulk_decide(request: AuthenticatedHttpRequest) -> HttpResponse:
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "").strip()[:2000]
    ids = ids_from(request.POST.getlist("choice"))
    if action not in BULK_ACTIONS or not ids:
        return render(request, "bulk_result.html", {
            "title": _("Decide on several applications"), "results": [],
            "error": _("Tick at least one line and choose an action."),
            "back": "applications:list",
        }, status=400)
    found = {c.pk: c for c in choices_visible_to(request.user).filter(pk__in=ids)
             .select_related("mission", "application__volunteer")}
    now = timezone.now()
    today = timezone.localdate(now)

    def act(choice: ApplicationChoice) -> str:
        if action == "shortlist":
            services.application_choice_shortlist(actor=request.user, choice=choice)
        elif action == "accept":
            workflow.application_choice_accept(actor=request.user, choice=choice, today=today,
                                               now=now)
        else:
            services.application_choice_refuse(actor=request.user, choice=choice, reason=reason,
                                               now=now)
        choice.refresh_from_db(fields=["status"])
        return str(ChoiceStatus(choice.status).label)

    results = run_each(
        ids, found, act=act,
        label=lambda c: f"{c.application.volunteer} — {c.mission.title}",
        link=lambda c: reverse("applications:detail", args=[c.application_id]),
    )
    done, failed = summary_counts(results)
    return render(request, "bulk_result.html", {
        "title": _("Decide on several applications"), "results": results, "done": done,
        "failed": failed, "back": "applications:list",
    })
