"""The volunteer's documents: uploads on their profile, downloads for those allowed (logged)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from reciprocity.accounts.models import User
from reciprocity.core.exceptions import ApplicationError
from reciprocity.volunteers.documents import can_download, volunteer_document_upload
from reciprocity.volunteers.models import (
    AccessAction,
    AccessChannel,
    Volunteer,
    VolunteerDocument,
    VolunteerDocumentKind,
)
from reciprocity.volunteers.services import personal_data_access_record


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=VolunteerDocumentKind.choices)
    file = forms.FileField(label=_("File (PDF, PNG or JPEG, at most 10 MB)"))


@login_required
@require_POST
def document_upload(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)  # @login_required ran first
    volunteer = Volunteer.objects.filter(user_id=request.user.pk).first()
    if volunteer is None:
        raise Http404
    form = DocumentUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, gettext("Choose the kind of document and a file."))
        return redirect("volunteers:profile")
    try:
        volunteer_document_upload(actor=request.user, volunteer=volunteer,
                                  kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"])
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("Your document is saved."))
    return redirect("volunteers:profile")


@login_required
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    """Served only to those allowed (a 404 for anyone else: not even its existence leaks)."""
    document = VolunteerDocument.objects.select_related("volunteer").filter(pk=pk).first()
    if document is None or not can_download(request.user, document.volunteer):
        raise Http404
    # A CV or a passport scan is personal data: every download goes to the access log.
    personal_data_access_record(
        volunteer=document.volunteer, actor=request.user, action=AccessAction.DOCUMENT_DOWNLOAD,
        channel=AccessChannel.PAGE, detail=document.kind,
    )
    return FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.original_name,
        content_type=document.content_type,
    )
