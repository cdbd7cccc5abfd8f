from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from reciprocity.core.pagination import paginate
from reciprocity.core.spreadsheets import export_format
from reciprocity.volunteers import candidates, permissions, services
from reciprocity.volunteers.documents import volunteer_documents_for
from reciprocity.volunteers.exports import volunteer_list_export
from reciprocity.volunteers.models import AccessAction, AccessChannel, Volunteer
from reciprocity.volunteers.selectors import access_log, volunteer_list, volunteers_visible_to


def volunteer_visible_or_404(request: HttpRequest, pk: int) -> Volunteer:
    """The volunteer of the URL among those the user may see (404 otherwise): also used by the
    workflow's export and anonymisation pages (workflow/personal_data_views.py)."""
    return get_object_or_404(
        volunteers_visible_to(request.user).select_related("sending_organisation"), pk=pk
    )


@login_required
def volunteer_index(request: HttpRequest) -> HttpResponse:
    qs = volunteer_list(user=request.user, search=request.GET.get("q", "").strip())
    fmt = export_format(request.GET.get("format"))
    if fmt:
        return volunteer_list_export(request, qs, fmt)
    return render(request, "volunteers/volunteer_list.html", {
        "page": paginate(request, qs),
        "may_register": candidates.can_register_candidates(request.user),
    })


@login_required
def volunteer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = volunteer_visible_or_404(request, pk)
    services.personal_data_access_record(
        volunteer=volunteer, actor=request.user, action=AccessAction.VIEW,
        channel=AccessChannel.PAGE,
    )
    placements = volunteer.placements.select_related("mission", "mission__host").order_by("-start_date")
    return render(request, "volunteers/volunteer_detail.html", {
        "volunteer": volunteer, "placements": placements,
        "may_export": permissions.can_export(request.user, volunteer),
        "is_the_volunteer": permissions.is_the_volunteer(request.user, volunteer),
        "may_edit": candidates.can_edit_candidate(request.user, volunteer),
        # The CV and passport scan, to those who may download them (volunteers/documents.py).
        "documents": volunteer_documents_for(user=request.user, volunteer=volunteer),
        "may_see_access_log": permissions.can_see_access_log(request.user),
        "may_anonymise": permissions.can_anonymise(request.user)
        and not services.is_anonymised(volunteer),
    })


@login_required
@require_GET
def volunteer_access_log(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = volunteer_visible_or_404(request, pk)
    if not permissions.can_see_access_log(request.user):
        raise PermissionDenied
    return render(request, "volunteers/access_log.html", {
        "volunteer": volunteer,
        "page": paginate(request, access_log(user=request.user, volunteer=volunteer)),
    })
