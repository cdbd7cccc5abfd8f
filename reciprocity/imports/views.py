"""Pages: upload a spreadsheet → preview (nothing written) → confirm → progress → summary.

The previewed file is staged for its owner (core/staging.py: an hour, used once), so that
"Import" does not ask for it again; the import runs as a task (imports/services.py) and its
page refreshes itself until it is done (<meta http-equiv=refresh>: no script, CSP)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from reciprocity.accounts.http import AuthenticatedHttpRequest
from reciprocity.balance import importer as placements_format
from reciprocity.core.exceptions import ApplicationError
from reciprocity.core.staging import upload_discard, upload_stage, upload_take
from reciprocity.imports import missions as missions_format
from reciprocity.imports import volunteers as volunteers_format
from reciprocity.imports.forms import UploadForm
from reciprocity.imports.models import ImportKind, ImportSource
from reciprocity.imports.permissions import import_permit, kinds_for, may_import
from reciprocity.imports.selectors import batches_visible_to
from reciprocity.imports.services import (
    batch_create,
    batch_dispatch,
    batch_progress,
    import_preview,
)

COLUMNS = {
    ImportKind.MISSIONS: (missions_format.COLUMNS, missions_format.REQUIRED),
    ImportKind.VOLUNTEERS: (volunteers_format.COLUMNS, volunteers_format.REQUIRED),
    ImportKind.PLACEMENTS: (placements_format.COLUMNS, placements_format.REQUIRED),
}


def _purpose(kind: str) -> str:
    return f"imports-{kind}"


def _kind(request: AuthenticatedHttpRequest, kind: str) -> str:
    if kind not in ImportKind.values:
        raise Http404
    if not may_import(request.user, kind):
        raise PermissionDenied
    return kind


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    kinds = kinds_for(request.user)
    batches = list(batches_visible_to(request.user)[:50])
    if not kinds and not batches:
        raise PermissionDenied
    return render(request, "imports/index.html", {
        "kinds": [(kind, ImportKind(kind).label) for kind in kinds], "batches": batches})


@login_required
def upload(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    """GET: the form and the columns; POST: the preview, with the file staged when valid."""
    kind = _kind(request, kind)
    form = UploadForm(request.POST or None, request.FILES or None)
    report, staged = None, ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["upload"]
        data = upload.read()
        report = import_preview(kind=kind, name=upload.name, data=data,
                                permit=import_permit(request.user, kind), actor=request.user,
                                today=timezone.localdate())
        if report.valid:
            staged = upload_stage(owner_id=request.user.pk, purpose=_purpose(kind),
                                  files=[(upload.name, data)], options={}, now=timezone.now())
    columns, required = COLUMNS[ImportKind(kind)]
    return render(request, "imports/upload.html", {
        "kind": kind, "kind_label": ImportKind(kind).label, "form": form, "report": report,
        "staged": staged, "columns": [(c, c in required) for c in columns]})


@login_required
def confirm(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    """Import the file previewed (staged under the token): queued, then its progress page."""
    kind = _kind(request, kind)
    if request.method != "POST":
        return redirect("imports:upload", kind=kind)
    try:
        staged = upload_take(token=request.POST.get("staged", ""), owner_id=request.user.pk,
                             purpose=_purpose(kind), now=timezone.now())
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("imports:upload", kind=kind)
    upload_discard(token=staged.token, file_count=len(staged.files))
    name, data = staged.files[0]
    with transaction.atomic():
        batch = batch_create(kind=kind, name=name, data=data, actor=request.user,
                             source=ImportSource.WEB)
        batch_id = batch.pk
        transaction.on_commit(lambda: batch_dispatch(batch_id=batch_id))
    return redirect("imports:batch", batch_id=batch_id)


@login_required
def batch(request: AuthenticatedHttpRequest, batch_id: int) -> HttpResponse:
    found = get_object_or_404(batches_visible_to(request.user), pk=batch_id)
    done = batch_progress(batch=found) if not found.is_finished else found.rows
    report = found.report or {}
    return render(request, "imports/batch.html", {
        "batch": found, "done": done, "errors": report.get("errors", []),
        "warnings": report.get("warnings", []), "failure": report.get("failure", ""),
        "details": report.get("details", {}),
        "title": _("Import #%(id)d") % {"id": found.pk}})


@login_required
def batch_file(request: AuthenticatedHttpRequest, batch_id: int) -> HttpResponse:
    """The file as it was imported (for the audit: what exactly was loaded)."""
    found = get_object_or_404(batches_visible_to(request.user), pk=batch_id)
    with found.file.open("rb") as handle:
        content = handle.read()
    xlsx = str(found.file.name).endswith(".xlsx")
    response = HttpResponse(content, content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" if xlsx
        else "text/csv; charset=utf-8"))
    response["Content-Disposition"] = (
        f'attachment; filename="import-{found.pk}.{"xlsx" if xlsx else "csv"}"')
    return response
