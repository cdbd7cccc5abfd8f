"""The checks every uploaded file passes (procedure documents, a volunteer's CV and passport
scan): a size between 1 byte and the caller's maximum, and a type recognised by the file's first
bytes, not by the name or the content type the browser sends; and their removal after commit."""

from collections.abc import Iterable

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from reciprocity.core.exceptions import ApplicationError

# Accepted uploads: extension -> (first bytes, content type served back).
FILE_SIGNATURES: dict[str, tuple[bytes, str]] = {
    "pdf": (b"%PDF-", "application/pdf"),
    "png": (b"\x89PNG\r\n\x1a\n", "image/png"),
    "jpg": (b"\xff\xd8\xff", "image/jpeg"),
    "jpeg": (b"\xff\xd8\xff", "image/jpeg"),
}


def upload_check_size(upload: UploadedFile, *, max_bytes: int) -> int:
    """The upload's size, or raise `file_empty` / `file_too_large`."""
    size = upload.size or 0
    if size <= 0 or size > max_bytes:
        raise ApplicationError(
            _("A document must hold between 1 byte and %(max)d MB.")
            % {"max": max_bytes // (1024 * 1024)},
            code="file_too_large" if size > 0 else "file_empty",
        )
    return size


def upload_file_type(upload: UploadedFile) -> tuple[str, str]:
    """(extension, content type) of an accepted file, or raise `file_type_refused`."""
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    signature = FILE_SIGNATURES.get(extension)
    if signature is None or not head.startswith(signature[0]):
        raise ApplicationError(
            _("Only PDF, PNG and JPEG files are accepted."), code="file_type_refused"
        )
    return extension, signature[1]


def upload_original_name(upload: UploadedFile) -> str:
    """The name the browser sent, without NUL characters (PostgreSQL text), at most 200."""
    return (upload.name or "").replace("\x00", "")[:200]


def files_delete_after_commit(files: Iterable[FieldFile]) -> int:
    """Delete the stored files of rows the caller deletes in this transaction, once it commits:
    a rollback must not leave rows pointing at deleted files. Returns how many are scheduled."""
    stored = [(f.storage, str(f.name)) for f in files if f and f.name]

    def remove() -> None:
        for storage, name in stored:
            storage.delete(name)

    transaction.on_commit(remove)
    return len(stored)
