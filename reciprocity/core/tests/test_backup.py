"""`reciprocity backup` / `restore`: a round trip on the test database's vendor (SQLite locally,
PostgreSQL in CI) into a separate empty database, corrupted archives, non-empty databases."""

import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from reciprocity.core.backup import MANIFEST, row_counts
from reciprocity.placements.tests.factories import PlacementFactory

RECIPROCITY = str(Path(sys.executable).with_name("reciprocity"))


def annual_report_json(env: dict | None = None) -> dict:
    args = ["report", "annual", "--year", "2027", "--host-country", "FR", "--json"]
    if env is None:
        out = io.StringIO()
        call_command(*args, stdout=out)
        return json.loads(out.getvalue())
    result = subprocess.run([RECIPROCITY, *args], env=env, capture_output=True, text=True,
                            check=True)
    return json.loads(result.stdout)


@pytest.fixture
def network(settings, tmp_path):
    import datetime

    for month in (2, 3, 5):
        PlacementFactory(mission__start_date=datetime.date(2027, month, 1),
                         mission__end_date=datetime.date(2027, month + 4, 28))
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "documents").mkdir(parents=True)
    (settings.MEDIA_ROOT / "documents" / "letter.pdf").write_bytes(b"%PDF-1.4 letter")


@pytest.fixture
def empty_database(tmp_path):
    """A DATABASE_URL for a separate, empty database of the test database's vendor."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    db = connection.settings_dict
    name = f"reciprocity_restore_{uuid.uuid4().hex[:10]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield (f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
               f"{db['PORT'] or 5432}/{name}")
    finally:
        connection.close()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_round_trip_restores_rows_files_and_the_annual_report(network, empty_database, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    before_counts = row_counts()
    before_report = annual_report_json()
    assert before_report["hosted"]["volunteers"] == 3

    with tarfile.open(archive) as opened:
        names = opened.getnames()
        manifest = json.load(opened.extractfile(MANIFEST))
    assert names[0] == MANIFEST
    assert "media/documents/letter.pdf" in names
    assert manifest["tables"] == before_counts

    env = {**os.environ, "DATABASE_URL": empty_database, "MEDIA_ROOT": str(tmp_path / "restored")}
    result = subprocess.run([RECIPROCITY, "restore", str(archive)], env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "counts verified" in result.stdout
    assert (tmp_path / "restored" / "documents" / "letter.pdf").read_bytes() == b"%PDF-1.4 letter"
    assert annual_report_json(env) == before_report
    counts = subprocess.run(
        [RECIPROCITY, "shell", "-c",
         "import json; from reciprocity.core.backup import row_counts; "
         "print(json.dumps(row_counts()))"],
        env=env, capture_output=True, text=True, check=True)
    assert json.loads(counts.stdout.strip().splitlines()[-1]) == before_counts

    # Restored once, the database is no longer empty: a second restore is refused...
    again = subprocess.run([RECIPROCITY, "restore", str(archive)], env=env,
                           capture_output=True, text=True)
    assert again.returncode == 1
    assert "not empty" in again.stderr
    # ...unless forced.
    forced = subprocess.run([RECIPROCITY, "restore", "--force", str(archive)], env=env,
                            capture_output=True, text=True)
    assert forced.returncode == 0, forced.stderr


def rewrite(archive: Path, target: Path, *, change: str | None = None,
            add: str | None = None) -> None:
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as out:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == change:
                data = data[:-1] + bytes([data[-1] ^ 0xFF])
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))
        if add:
            info = tarfile.TarInfo(add)
            info.size = 3
            out.addfile(info, io.BytesIO(b"bad"))


@pytest.mark.django_db(transaction=True)
def test_corrupted_archive_is_refused_with_every_reason(network, tmp_path, capsys):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    damaged = tmp_path / "damaged.tar.gz"
    rewrite(archive, damaged, change="media/documents/letter.pdf", add="../escape.txt")
    before = row_counts()
    with pytest.raises(SystemExit) as exit_info:
        call_command("restore", "--force", str(damaged))
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "media/documents/letter.pdf: checksum does not match the manifest." in err
    assert "../escape.txt: not listed in the manifest." in err
    assert row_counts() == before


@pytest.mark.django_db(transaction=True)
def test_truncated_or_foreign_file_is_refused(tmp_path, capsys):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    foreign = tmp_path / "notes.tar.gz"
    foreign.write_text("not an archive")
    for path in (truncated, foreign):
        with pytest.raises(SystemExit) as exit_info:
            call_command("restore", str(path))
        assert exit_info.value.code == 1, path
    err = capsys.readouterr().err
    assert "damaged" in err or "not a readable" in err
    assert "not a readable backup archive" in err


@pytest.mark.django_db(transaction=True)
def test_a_database_with_data_is_refused_without_force(network, tmp_path, capsys):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    with pytest.raises(SystemExit) as exit_info:
        call_command("restore", str(archive))
    assert exit_info.value.code == 1
    assert "not empty" in capsys.readouterr().err


def test_usage_errors_exit_2(tmp_path):
    for args in (["restore"], ["restore", str(tmp_path / "missing.tar.gz")], ["backup"],
                 ["backup", str(tmp_path / "no" / "such" / "folder.tar.gz")]):
        result = subprocess.run([RECIPROCITY, *args], capture_output=True, text=True)
        assert result.returncode == 2, (args, result.stderr)
