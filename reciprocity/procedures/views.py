"""Procedure pages: what is due, one procedure's checklist, ticking steps, documents."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reciprocity.accounts.http import AuthenticatedHttpRequest
from reciprocity.accounts.selectors import is_platform_staff, member_organisation_ids
from reciprocity.core.bounds import id_from
from reciprocity.core.exceptions import ApplicationError
from reciprocity.core.pagination import paginate
from reciprocity.core.spreadsheets import export_format
from reciprocity.partners.models import Organisation
from reciprocity.placements import permissions as placement_permissions
from reciprocity.procedures import permissions, services
from reciprocity.procedures.exports import steps_due_export
from reciprocity.procedures.forms import DocumentUploadForm, StepAdvanceForm
from reciprocity.procedures.models import ProcedureDocument, StepStatus
from reciprocity.procedures.selectors import (
    procedure_coverage,
    procedure_documents,
    procedure_get_visible,
    procedure_suspensions,
    procedures_visible_to,
    step_assignee_choices,
    step_history,
    steps_due,
    steps_visible_to,
)
from reciprocity.volunteers.services import personal_data_access_record

# Labels of the buttons that move a step, by target status.
ACTION_LABELS = {
    StepStatus.IN_PROGRESS: StepStatus.IN_PROGRESS.label,
    StepStatus.DONE: StepStatus.DONE.label,
    StepStatus.NOT_APPLICABLE: StepStatus.NOT_APPLICABLE.label,
    StepStatus.BLOCKED: StepStatus.BLOCKED.label,
    StepStatus.TO_DO: StepStatus.TO_DO.label,
}


def _organisation_filter(request: HttpRequest) -> tuple[int | None, list[Organisation]]:
    mine = member_organisation_ids(request.user)
    choices = list(Organisation.objects.filter(pk__in=mine).order_by("name"))
    organisation_id = id_from(request.GET.get("organisation"))
    if organisation_id is not None and (organisation_id in mine or is_platform_staff(request.user)):
        return organisation_id, choices
    return None, choices


@login_required
def procedure_due(request: HttpRequest) -> HttpResponse:
    """The open steps the user's organisations (or the volunteer) have to deal with."""
    today = timezone.localdate()
    organisation_id, organisations = _organisation_filter(request)
    mine = request.GET.get("mine") == "1"
    qs = steps_due(user=request.user, today=today, organisation_id=organisation_id, mine=mine)
    fmt = export_format(request.GET.get("format"))
    if fmt:
        return steps_due_export(request, qs, fmt)
    context = {
        "mine": mine,
        "page": paginate(request, qs, per_page=50),
        "today": today,
        "organisations": organisations,
        "organisation_id": organisation_id,
        "assignees": step_assignee_choices(request.user),
    }
    return render(request, "procedures/due.html", context)


@login_required
def procedure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    procedure = procedure_get_visible(user=request.user, pk=pk)
    if procedure is None:
        raise Http404
    placement = procedure.placement
    owners = permissions.owners_writable_by(request.user, placement)
    steps = list(procedure.steps.order_by("position", "pk"))
    # The template reads these per-row flags on the step itself (tests read context["steps"] as
    # steps): ad-hoc attributes on a model instance that mypy cannot know.
    for step in steps:
        step.can_tick = step.owner in owners  # type: ignore[attr-defined]
        step.actions = [  # type: ignore[attr-defined]
            (status, ACTION_LABELS[status]) for status in ACTION_LABELS
            if step.can_transition_to(status)
        ]
    can_upload = permissions.can_upload(request.user, procedure)
    can_recompute = placement_permissions.can_manage(request.user, placement)
    context = {
        "procedure": procedure,
        "placement": placement,
        "steps": steps,
        "today": timezone.localdate(),
        "coverage": procedure_coverage(procedure=procedure),
        "suspensions": procedure_suspensions(procedure=procedure),
        "documents": procedure_documents(procedure=procedure),
        "history": step_history(procedure=procedure)[:50],
        "can_upload": can_upload,
        "can_recompute": can_recompute,
        "upload_form": DocumentUploadForm() if can_upload else None,
    }
    return render(request, "procedures/detail.html", context)


@login_required
@require_POST
def step_advance(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    step = steps_visible_to(request.user).select_related("procedure").filter(pk=pk).first()
    if step is None:
        raise Http404
    form = StepAdvanceForm(request.POST)
    target = reverse("procedures:detail", args=[step.procedure_id]) + f"#step-{step.code}"
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(target)
    try:
        services.procedure_step_advance(
            step=step, to_status=form.cleaned_data["to_status"], actor=request.user,
            note=form.cleaned_data["note"], now=timezone.now(),
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{step.title}: {StepStatus(form.cleaned_data['to_status']).label}")
    return redirect(target)


@login_required
@require_POST
def procedure_recompute(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    procedure = procedure_get_visible(user=request.user, pk=pk)
    if procedure is None:
        raise Http404
    try:
        result = services.procedure_recompute(
            procedure=procedure, today=timezone.localdate(), now=timezone.now(), actor=request.user,
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _(
            "Recomputed: %(updated)d steps updated, %(added)d added, %(removed)d removed, "
            "%(kept)d already started kept as they are."
        ) % {"updated": result.updated, "added": result.added, "removed": result.removed,
             "kept": result.kept})
    return redirect("procedures:detail", pk=procedure.pk)


@login_required
@require_POST
def document_upload(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    procedure = procedure_get_visible(user=request.user, pk=pk)
    if procedure is None:
        raise Http404
    form = DocumentUploadForm(request.POST, request.FILES)
    target = reverse("procedures:detail", args=[procedure.pk]) + "#documents"
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(target)
    data = form.cleaned_data
    step = procedure.steps.filter(pk=data["step"]).first() if data.get("step") else None
    try:
        services.procedure_document_upload(
            procedure=procedure, kind=data["kind"], upload=data["file"],
            actor=request.user, valid_from=data["valid_from"],
            expires_on=data["expires_on"], step=step,
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, data["file"].name)
    return redirect(target)


@login_required
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    """Documents are served only to those who see the procedure (never from a public URL)."""
    document = (
        ProcedureDocument.objects.filter(procedure__in=procedures_visible_to(request.user), pk=pk)
        .select_related("procedure__placement__volunteer")
        .first()
    )
    if document is None:
        raise Http404
    # An identity document or a visa is personal data: every download goes to the access log.
    personal_data_access_record(
        volunteer=document.procedure.placement.volunteer, actor=request.user,
        action="document_download", channel="page",
    )
    return FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.original_name,
        content_type=document.content_type,
    )
