from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from reciprocity.audit.forms import AuditFilterForm
from reciprocity.audit.selectors import (
    audit_entries,
    can_read_audit_log,
    entry_changes,
    type_name,
)
from reciprocity.core.pagination import paginate


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    if not can_read_audit_log(request.user):
        raise PermissionDenied
    form = AuditFilterForm(request.GET)
    page = paginate(request, audit_entries(user=request.user, filters=form.filters()))
    rows = [(entry, type_name(entry.content_type), entry_changes(entry)) for entry in page]
    return render(request, "audit/log.html", {"form": form, "page": page, "rows": rows})
