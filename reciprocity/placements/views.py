"""The placements list, a placement's page and its documents. The form posts of the page
(`placements:action`: confirm, start, complete, cancel, interrupt, and the tutor, evaluation and
follow-up on the same route) are the workflow's face: workflow/placement_views.py, same URL and
name (the root urls.py puts both lists under the `placements` namespace)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from reciprocity.accounts.http import AuthenticatedHttpRequest
from reciprocity.accounts.selectors import is_platform_staff
from reciprocity.core.exceptions import ApplicationError
from reciprocity.core.pagination import paginate
from reciprocity.core.spreadsheets import export_format
from reciprocity.placements import documents, evaluations, permissions, services, signatures
from reciprocity.placements.exports import placement_list_export
from reciprocity.placements.forms import (
    CancelForm,
    ConfirmForm,
    DayForm,
    EvaluationForm,
    FollowUpForm,
    InterruptForm,
    TutorForm,
)
from reciprocity.placements.models import Placement, PlacementStatus
from reciprocity.placements.selectors import (
    follow_up_due_on,
    placement_history,
    placement_list,
    placement_partner,
    placements_visible_to,
)
from reciprocity.volunteers.models import AccessChannel


def placement_or_404(request: HttpRequest, pk: int) -> Placement:
    """The placement if this user may see it (also for the workflow's `placement_action`)."""
    return get_object_or_404(
        placements_visible_to(request.user).select_related(
            "volunteer", "mission", "mission__host", "mission__scheme", "sending_organisation",
            "agreement", "application",
        ),
        pk=pk,
    )


@login_required
def placement_index(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    qs = placement_list(
        user=request.user, status=status if status in PlacementStatus.values else ""
    )
    fmt = export_format(request.GET.get("format"))
    if fmt:
        # The whole list in one go: joined (a page prefetches its own rows' instead).
        return placement_list_export(
            request, qs.select_related("volunteer", "mission__host", "sending_organisation"), fmt
        )
    page = paginate(request, qs.prefetch_related("volunteer", "mission__host"))
    return render(
        request, "placements/placement_list.html",
        {"page": page, "statuses": PlacementStatus.choices, "status": status},
    )


@login_required
def placement_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    placement = placement_or_404(request, pk)
    status = placement.status
    context = {
        "placement": placement,
        "history": placement_history(placement=placement),
        "may_manage": permissions.can_manage(request.user, placement),
        "may_tutor": permissions.can_write_as_tutor(request.user, placement),
        "is_volunteer": permissions.is_the_volunteer(request.user, placement),
        "allowed": services.TRANSITIONS[status],
        "cancel_form": CancelForm(),
        "confirm_form": ConfirmForm(staff=is_platform_staff(request.user)),
        "day_form": DayForm(),
        "interrupt_form": InterruptForm(),
        "tutor_form": TutorForm(initial={"name": placement.tutor_name, "email": placement.tutor_email,
                                         "phone": placement.tutor_phone}),
        "evaluation_form": EvaluationForm(),
        "follow_up_form": FollowUpForm(),
        "evaluations": placement.evaluations.order_by("stage", "author_role"),
        "follow_up": getattr(placement, "follow_up", None),
        "follow_up_due_on": follow_up_due_on(placement),
        "documents": documents.documents_available(placement),
        "signed_documents": signatures.document_statuses(placement=placement, user=request.user),
        "may_follow_up": evaluations.can_record_follow_up(request.user, placement),
        # The binôme partner (pairing runs), named only to who may see its placement.
        "partner": placement_partner(placement=placement, user=request.user),
    }
    return render(request, "placements/placement_detail.html", context)


@login_required
def placement_document(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    placement = placement_or_404(request, pk)
    if kind not in documents.DOCUMENTS:
        raise Http404
    language = request.GET.get("lang", "fr")
    try:
        pdf = documents.document_download(
            placement=placement, kind=kind, language=language, reader=request.user,
            channel=AccessChannel.PAGE, today=timezone.localdate(),
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("placements:detail", pk=placement.pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{documents.filename(placement, kind, language)}"'
    return response
