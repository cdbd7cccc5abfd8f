"""The volunteer page's personal-data actions: the right-of-access export and the anonymisation.

They drive reciprocity.workflow.personal_data, which reaches every app holding a volunteer's
rows, so they are the workflow's faces (ADR 0005), served under the `volunteers` namespace by the
root urls.py after volunteers' own patterns (same paths and names as before)."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from reciprocity.accounts.http import AuthenticatedHttpRequest
from reciprocity.core.exceptions import ApplicationError
from reciprocity.volunteers import permissions, services
from reciprocity.volunteers.models import AccessAction, AccessChannel
from reciprocity.volunteers.views import volunteer_visible_or_404
from reciprocity.workflow import personal_data


@login_required
@require_GET
def volunteer_export_download(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = volunteer_visible_or_404(request, pk)
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
@require_http_methods(["GET", "POST"])
def volunteer_anonymise(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    volunteer = volunteer_visible_or_404(request, pk)
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
