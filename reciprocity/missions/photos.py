"""A mission's photo: checked at upload, stored in the default storage, served only to those
who may see the mission (docs/catalogue.md, "Photos").

Stored files are never reachable by a public URL (MEDIA_URL is not served): the catalogue's
<img> points at missions:photo, which checks the mission's visibility like its page does.
"""

from __future__ import annotations

import uuid

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from reciprocity.accounts.selectors import AnyUser
from reciprocity.core import uploads
from reciprocity.core.exceptions import ApplicationError, NotAllowed
from reciprocity.missions import caching as catalogue_cache
from reciprocity.missions.models import Mission
from reciprocity.missions.permissions import can_manage_mission

MAX_PHOTO_BYTES = 2 * 1024 * 1024
# Extension -> the content type it is served with; the first bytes must match (core.uploads).
PHOTO_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg"}


def photo_check(upload: UploadedFile) -> str:
    """The photo's extension, or ApplicationError: between 1 byte and 2 MB, a PNG or JPEG by its
    first bytes (not by the name or the type the browser sends)."""
    size = upload.size or 0
    if size <= 0 or size > MAX_PHOTO_BYTES:
        raise ApplicationError(
            _("A photo must hold between 1 byte and %(max)d MB.")
            % {"max": MAX_PHOTO_BYTES // (1024 * 1024)}, code="photo_size")
    try:
        extension, _content_type = uploads.upload_file_type(upload)
    except ApplicationError:
        extension = ""
    if extension not in PHOTO_TYPES:
        raise ApplicationError(_("A photo must be a PNG or JPEG image."), code="photo_type")
    return extension


@transaction.atomic
def mission_photo_set(*, mission: Mission, actor: AnyUser, upload: UploadedFile | None) -> Mission:
    """Replace the mission's photo with `upload`, or remove it (None). The old file goes once the
    change commits; the catalogue shows the change at once (its cache version is bumped)."""
    if not can_manage_mission(actor, mission):
        raise NotAllowed(_("Only the host organisation's officers may change this mission."),
                         code="not_the_host")
    # The name, not the FieldFile: saving the new file renames that same object.
    old_name, storage = str(mission.photo.name or ""), mission.photo.storage
    if upload is None:
        if not old_name:
            return mission
        mission.photo = ""  # an empty name: no photo
    else:
        extension = photo_check(upload)
        # A name of ours: the browser's may be anything (and is personal sometimes).
        mission.photo.save(f"{uuid.uuid4().hex}.{extension}", upload, save=False)
    mission.save(update_fields=["photo", "updated_at"])
    if old_name:
        # After commit: a rollback must leave the row pointing at a file that still exists.
        transaction.on_commit(lambda: storage.delete(old_name))
    catalogue_cache.bump_on_commit()
    return mission


def photo_content_type(mission: Mission) -> str:
    name = str(mission.photo.name or "")
    return PHOTO_TYPES.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")
