"""Uploaded files kept between a preview and the import that follows it.

A person previews an import (nothing written), reads the report, then presses "Import": the
files they chose must not have to be chosen again. They are kept in the storage backend (not in
the session, not on the web server's disk: several web processes share the work), under a random
token, for one owner and one purpose, for `STAGED_UPLOAD_SECONDS`. A staged upload is read once:
the import that uses it discards it.
"""

import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from reciprocity.core.exceptions import ApplicationError

ROOT = "staging"
TOKEN_BYTES = 18


@dataclass(frozen=True)
class StagedUpload:
    token: str
    files: list[tuple[str, bytes]]
    options: dict[str, str]


def _folder(token: str) -> str:
    if not token or not all(c.isalnum() or c in "-_" for c in token) or len(token) > 64:
        raise _expired()
    return f"{ROOT}/{token}"


def _expired() -> ApplicationError:
    return ApplicationError(
        _("The previewed files are no longer kept (they expire after an hour and are used "
          "once). Choose them again."),
        code="staged_upload_expired",
    )


def upload_stage(
    *, owner_id: int, purpose: str, files: list[tuple[str, bytes]], options: dict[str, str],
    now: datetime,
) -> str:
    """Keep `files` for `owner_id`'s next step of `purpose`; returns the token to hand back."""
    _purge_expired(now)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    folder = _folder(token)
    for index, (_name, data) in enumerate(files):
        default_storage.save(f"{folder}/{index}", ContentFile(data))
    manifest = {
        "owner": owner_id, "purpose": purpose, "created": now.isoformat(),
        "names": [name for name, _data in files], "options": options,
    }
    default_storage.save(f"{folder}/manifest.json", ContentFile(json.dumps(manifest).encode()))
    return token


def upload_take(*, token: str, owner_id: int, purpose: str, now: datetime) -> StagedUpload:
    """The files staged under `token`, if they are `owner_id`'s, for `purpose`, and fresh.
    Anyone else's token reads as expired: a token names nothing to whoever does not own it."""
    folder = _folder(token)
    try:
        with default_storage.open(f"{folder}/manifest.json") as handle:
            manifest = json.loads(handle.read())
    except (OSError, ValueError) as exc:
        raise _expired() from exc
    created = datetime.fromisoformat(manifest["created"])
    fresh = now - created <= timedelta(seconds=settings.STAGED_UPLOAD_SECONDS)
    if manifest.get("owner") != owner_id or manifest.get("purpose") != purpose or not fresh:
        raise _expired()
    files = []
    for index, name in enumerate(manifest["names"]):
        with default_storage.open(f"{folder}/{index}") as handle:
            files.append((name, handle.read()))
    return StagedUpload(token=token, files=files, options=dict(manifest.get("options", {})))


def _purge_expired(now: datetime) -> None:
    """Forget previews nobody imported. Done whenever something is staged, so that no daily job
    is needed: what is left over is at most what was staged within the last hour."""
    try:
        folders, _files = default_storage.listdir(ROOT)
    except (OSError, NotImplementedError):
        return
    limit = timedelta(seconds=settings.STAGED_UPLOAD_SECONDS)
    for token in folders:
        try:
            with default_storage.open(f"{ROOT}/{token}/manifest.json") as handle:
                manifest = json.loads(handle.read())
            if now - datetime.fromisoformat(manifest["created"]) <= limit:
                continue
            upload_discard(token=token, file_count=len(manifest["names"]))
        except (OSError, ValueError, KeyError, ApplicationError):
            continue


def upload_discard(*, token: str, file_count: int) -> None:
    folder = _folder(token)
    for name in [*(str(i) for i in range(file_count)), "manifest.json"]:
        default_storage.delete(f"{folder}/{name}")
