"""The volunteer's own documents (CV, passport scan): uploaded on their profile with the checks
procedure documents pass (core/uploads.py), served to few, every download logged.

Who may download (`can_download`): the volunteer; members of their sending organisation (any
role: they certify the record); members of a host that accepted one of their choices or holds
a placement of theirs that is not cancelled; platform staff. Nobody else, not even a host that
merely received an application.
"""

import uuid

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from reciprocity.accounts.models import User
from reciprocity.accounts.selectors import AnyUser, is_platform_staff, member_organisation_ids
from reciprocity.core import uploads
from reciprocity.core.exceptions import ApplicationError, NotAllowed
from reciprocity.volunteers.models import (
    VOLUNTEER_DOCUMENT_MAX_BYTES,
    Volunteer,
    VolunteerDocument,
    VolunteerDocumentKind,
)
from reciprocity.volunteers.signals import volunteer_documents_hosted_by


def can_upload(user: AnyUser, volunteer: Volunteer) -> bool:
    """The volunteer on their own profile (or platform staff for them)."""
    if is_platform_staff(user):
        return True
    return bool(user.is_authenticated and volunteer.user_id == user.pk)


def can_download(user: AnyUser, volunteer: Volunteer) -> bool:
    if is_platform_staff(user):
        return True
    if not user.is_authenticated:
        return False
    if volunteer.user_id == user.pk:
        return True
    orgs = member_organisation_ids(user)
    if not orgs:
        return False
    if volunteer.sending_organisation_id in orgs:
        return True
    # An accepted choice or a placement: applications and placements (above this app) answer.
    return any(hosted for _receiver, hosted in volunteer_documents_hosted_by.send(
        sender=Volunteer, volunteer=volunteer, organisation_ids=orgs
    ))


@transaction.atomic
def volunteer_document_upload(
    *, actor: User, volunteer: Volunteer, kind: str, upload: UploadedFile
) -> VolunteerDocument:
    """Store the file (PDF, PNG or JPEG, at most 10 MB) under MEDIA_ROOT with a random name,
    replacing the volunteer's previous file of that kind (deleted once the new one is saved)."""
    if not can_upload(actor, volunteer):
        raise NotAllowed(_("Only the volunteer adds documents to their profile."))
    if kind not in VolunteerDocumentKind.values:
        raise ApplicationError(
            _("Unknown document kind “%(kind)s”.") % {"kind": kind}, code="invalid_kind"
        )
    size = uploads.upload_check_size(upload, max_bytes=VOLUNTEER_DOCUMENT_MAX_BYTES)
    extension, content_type = uploads.upload_file_type(upload)
    document = (
        VolunteerDocument.objects.select_for_update().filter(volunteer=volunteer, kind=kind).first()
        or VolunteerDocument(volunteer=volunteer, kind=kind)
    )
    previous = document.file.name if document.pk else ""
    document.original_name = uploads.upload_original_name(upload)
    document.content_type, document.size, document.uploaded_by = content_type, size, actor
    document.file.save(f"{kind}-{uuid.uuid4().hex}.{extension}", upload, save=False)
    document.save()
    if previous:
        storage = document.file.storage
        # The replaced file goes only once the new row is committed (a rollback keeps it).
        transaction.on_commit(lambda: storage.delete(previous))
    return document


def volunteer_documents_for(*, user: AnyUser, volunteer: Volunteer) -> list[VolunteerDocument]:
    """The volunteer's documents, if the user may download them; else none."""
    if not can_download(user, volunteer):
        return []
    return list(volunteer.documents.order_by("kind"))
