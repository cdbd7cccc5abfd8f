import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from reciprocity.accounts.http import AuthenticatedHttpRequest
from reciprocity.core.exceptions import ApplicationError
from reciprocity.core.pagination import paginate
from reciprocity.core.spreadsheets import export_format
from reciprocity.volunteers import candidates, permissions, services
from reciprocity.volunteers.documents import volunteer_documents_for
from reciprocity.volunteers.exports import volunteer_list_export
from reciprocity.volunteers.models import AccessAction, AccessChannel, Volunteer
from reciprocity.volunteers.selectors import access_log, volunteer_list, volunteers_visible_to
from reciprocity.workflow import personal_data


def _visible(request: HttpRequest, pk: int) -> Volunteer:
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
    volunteer = _visible(request, pk)
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
def volunteer_export_download(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = _visible(request, pk)
    if not permissions.can_export(request.user, volunteer):
        raise PermissionDenied
    data = personal_data.volunteer_export(volunteer=volunteer, viewer=request.user,
                                          now=timezone.now())
    services.personal_data_access_record(
        volunteer=volunteer, actor=request.user, action=AccessAction.EXPORT,
        channel=AccessChannel.PAGE,
    )
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="personal-data-{volunteer.pk}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def volunteer_access_log(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = _visible(request, pk)
    if not permissions.can_see_access_log(request.user):
        raise PermissionDenied
    return render(request, "volunteers/access_log.html", {
        "volunteer": volunteer,
        "page": paginate(request, access_log(user=request.user, volunteer=volunteer)),
    })


@login_required
@require_http_methods(["GET", "POST"])
def volunteer_anonymise(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    volunteer = _visible(request, pk)
    if not permissions.can_anonymise(request.user):
        raise PermissionDenied
    if services.is_anonymised(volunteer):
        messages.info(request, _("This volunteer's personal data were already anonymised."))
        return redirect("volunteers:detail", pk=volunteer.pk)
    refusals = personal_data.anonymisation_refusals(volunteer)
    if request.method == "POST":
        if not request.POST.get("confirm"):
            messages.error(request, _("Tick the box to confirm the anonymisation."))
        else:
            try:
                personal_data.volunteer_anonymise(
                    volunteer=volunteer, actor=request.user, now=timezone.now(),
                    channel=AccessChannel.PAGE,
                )
            except ApplicationError as exc:
                messages.error(request, exc.message)
                return redirect("volunteers:detail", pk=volunteer.pk)
            messages.success(request, _("The volunteer's personal data were anonymised."))
            return redirect("volunteers:detail", pk=volunteer.pk)
    return render(request, "volunteers/anonymise_confirm.html",
                  {"volunteer": volunteer, "refusals": refusals},
                  status=409 if refusals else 200)
