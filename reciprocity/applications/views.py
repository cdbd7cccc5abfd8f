"""The applications list. The pages that drive a use-case across apps (apply, nominate, the
application's page with each choice's eligibility, decide, withdraw, answer an offer) are the
workflow's faces: reciprocity/workflow/application_views.py, same URLs and names (the root
urls.py puts both lists under the `applications` namespace)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from reciprocity.applications.exports import application_list_export
from reciprocity.applications.models import ApplicationKind, ApplicationStatus
from reciprocity.applications.selectors import (
    application_list,
    host_inbox,
    host_offers,
    offers_to_answer,
    overdue_for,
)
from reciprocity.core.pagination import paginate
from reciprocity.core.spreadsheets import export_format


@login_required
def application_index(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    qs = application_list(
        user=request.user,
        status=status if status in ApplicationStatus.values else "",
        kind=kind if kind in ApplicationKind.values else "",
    )
    fmt = export_format(request.GET.get("format"))
    if fmt:
        return application_list_export(request, qs, fmt)
    context = {
        "page": paginate(request, qs),
        "inbox": host_inbox(user=request.user)[:50],
        "offers_to_answer": list(offers_to_answer(user=request.user)[:50]),
        "host_offers": list(host_offers(user=request.user)[:50]),
        "overdue": overdue_for(
            user=request.user, days=settings.APPLICATION_DECISION_DAYS, now=timezone.now()
        ).order_by("application__submitted_at", "id")[:50],
        "decision_days": settings.APPLICATION_DECISION_DAYS,
        "statuses": ApplicationStatus.choices,
        "kinds": ApplicationKind.choices,
        "status": status,
        "kind": kind,
    }
    return render(request, "applications/application_list.html", context)
