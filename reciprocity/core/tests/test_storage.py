"""Uploaded files only through Django's storage API (so that an S3 bucket can replace the disk):
checked with a FileSystemStorage whose folder is not MEDIA_ROOT, which code writing to
MEDIA_ROOT directly would miss."""

import io
import json
import re
import tarfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from reciprocity.core.backup import MANIFEST, backup_create, backup_restore, storage_files
from reciprocity.procedures.models import ProcedureDocument

PACKAGE = Path(__file__).resolve().parents[2]


@pytest.fixture
def elsewhere(settings, tmp_path):  # type: ignore[no-untyped-def]
    """The default storage in a folder of its own; MEDIA_ROOT points at an empty one."""
    settings.MEDIA_ROOT = tmp_path / "media-root-unused"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": str(tmp_path / "bucket")}},
    }
    return tmp_path / "bucket"


def test_documents_are_stored_in_the_default_storage() -> None:
    assert ProcedureDocument._meta.get_field("file").storage is default_storage


def test_no_code_reads_or_writes_media_root_itself() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts or path.name == "settings.py":
            continue
        if re.search(r"settings\.MEDIA_ROOT\b", path.read_text(encoding="utf-8")):
            offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == []


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_go_through_the_storage(elsewhere, tmp_path) -> None:  # type: ignore[no-untyped-def]
    default_storage.save("procedures/2026/11/passport-1.pdf", ContentFile(b"%PDF-1.4 one"))
    default_storage.save("letter.pdf", ContentFile(b"%PDF-1.4 two"))
    assert storage_files(default_storage) == ["letter.pdf", "procedures/2026/11/passport-1.pdf"]
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as opened:
        manifest = json.load(opened.extractfile(MANIFEST))
    assert {"media/letter.pdf", "media/procedures/2026/11/passport-1.pdf"} <= set(manifest["files"])

    # The files come back into the storage under their own names, replacing what is there.
    default_storage.delete("letter.pdf")
    with default_storage.open("procedures/2026/11/passport-1.pdf", "wb") as handle:
        handle.write(b"changed")
    result = backup_restore(path=archive, force=True)
    assert result.files == 2
    assert default_storage.open("letter.pdf").read() == b"%PDF-1.4 two"
    assert default_storage.open("procedures/2026/11/passport-1.pdf").read() == b"%PDF-1.4 one"
    assert storage_files(default_storage) == ["letter.pdf", "procedures/2026/11/passport-1.pdf"]
    assert (elsewhere / "letter.pdf").exists()


def test_an_empty_or_missing_storage_backs_up_no_file(elsewhere) -> None:  # type: ignore[no-untyped-def]
    assert storage_files(default_storage) == []


def test_backup_create_is_importable_without_media_root() -> None:
    assert callable(backup_create)
