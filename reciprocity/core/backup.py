"""Backups that restore: one archive with the database, the uploaded files and a manifest.

Archive (`.tar.gz`): `manifest.json` first, then `database.sqlite3` (SQLite's online backup API:
a consistent copy while the site runs) or `database.pgdump` (`pg_dump --format=custom`), then
the uploaded files under `media/`, read from and restored into Django's default storage (the
MEDIA_ROOT folder, or the S3 bucket when one is configured: docs/deploy.md "Storage"). The manifest holds the database vendor, the row count of
every table and the SHA-256 of every other member: `restore` refuses an archive whose members do
not match it (or that holds anything else), before it touches the database, and checks the row
counts again once the data are back (docs/deploy.md "Backups").

PostgreSQL's client programs must be of the server's major version or newer: the ones of
/usr/lib/postgresql/<server major>/bin are used when present (Debian's layout), else the newest
installed there, else those on PATH.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone
from django.utils.translation import gettext as _

from reciprocity.core.planner import planner_statistics_refresh

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
DB_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# Tables that `migrate` fills by itself: rows there do not make a database "not empty".
BOOKKEEPING_TABLES = frozenset({"django_migrations", "django_content_type", "auth_permission"})


class BackupError(Exception):
    """The archive or the database refuses the operation; `reasons` lists every cause."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


@dataclass
class RestoreResult:
    tables: int
    rows: int
    files: int
    warnings: list[str] = field(default_factory=list)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def row_counts(alias: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    connection = connections[alias]
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = int(cursor.fetchone()[0])
    return counts


def postgres_program(name: str, alias: str = DEFAULT_DB_ALIAS) -> str:
    connection = connections[alias]
    connection.ensure_connection()
    major = int(getattr(connection, "pg_version", 0) or 0) // 10000
    candidates = [Path(f"/usr/lib/postgresql/{major}/bin/{name}")]
    root = Path("/usr/lib/postgresql")
    if root.is_dir():
        versions = sorted((p for p in root.iterdir() if p.name.isdigit()),
                          key=lambda p: int(p.name), reverse=True)
        candidates += [p / "bin" / name for p in versions if int(p.name) >= major]
    for candidate in candidates:
        if candidate.is_file():
            return str(candidate)
    return shutil.which(name) or name


def _postgres_env_and_args(alias: str = DEFAULT_DB_ALIAS) -> tuple[dict[str, str], list[str]]:
    db = connections[alias].settings_dict
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    args += ["--dbname", str(db["NAME"]), "--no-password"]
    return env, args


def _vendor(alias: str = DEFAULT_DB_ALIAS) -> str:
    vendor = connections[alias].vendor
    if vendor not in DB_MEMBER:
        raise BackupError([_("Unsupported database: %(vendor)s.") % {"vendor": vendor}])
    return vendor


def _dump_database(target: Path, vendor: str, alias: str = DEFAULT_DB_ALIAS) -> None:
    connection = connections[alias]
    if vendor == "sqlite":
        # Django's own connection: works for a file and for the tests' in-memory database. Inside
        # a write transaction SQLite's backup would wait on its own lock for ever.
        if connection.in_atomic_block:
            raise BackupError([_("A backup cannot be taken inside a transaction.")])
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
        return
    env, args = _postgres_env_and_args(alias)
    result = subprocess.run(
        [postgres_program("pg_dump", alias), "--format=custom", "--file", str(target), *args],
        env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError([_("pg_dump failed: %(error)s") % {"error": result.stderr.strip()}])


def storage_files(storage: Storage, folder: str = "") -> list[str]:
    """Every file's name in the storage, sorted (its folders walked through listdir)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a local MEDIA_ROOT that was never created
        return []
    prefix = f"{folder}/" if folder else ""
    names = [prefix + name for name in files]
    for sub in folders:
        names += storage_files(storage, prefix + sub)
    return sorted(names)


def backup_create(*, path: Path, alias: str = DEFAULT_DB_ALIAS) -> dict:
    """Write the archive to `path` (replaced atomically) and return its manifest."""
    vendor = _vendor(alias)
    with tempfile.TemporaryDirectory(prefix="reciprocity-backup-") as scratch:
        database = Path(scratch) / DB_MEMBER[vendor]
        counts = row_counts(alias)
        _dump_database(database, vendor, alias)
        members: dict[str, Path] = {DB_MEMBER[vendor]: database}
        # Through the storage API: the same code backs up a local folder and a bucket.
        for name in storage_files(default_storage):
            if not _safe_member(MEDIA_PREFIX + name):
                continue
            copy = Path(scratch) / "media" / name
            copy.parent.mkdir(parents=True, exist_ok=True)
            with default_storage.open(name, "rb") as source, copy.open("wb") as out:
                shutil.copyfileobj(source, out)
            members[MEDIA_PREFIX + name] = copy
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "vendor": vendor,
            "database": DB_MEMBER[vendor],
            "tables": counts,
            "files": {name: _sha256(file) for name, file in members.items()},
        }
        partial = path.with_name(f".{path.name}.partial")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(timezone.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
            for name, file in members.items():
                archive.add(file, arcname=name, recursive=False)
        partial.replace(path)
    return manifest


def _safe_member(name: str) -> bool:
    pure = PurePosixPath(name)
    return not pure.is_absolute() and ".." not in pure.parts and name == pure.as_posix()


def archive_verify(*, path: Path, scratch: Path) -> dict:
    """Extract the archive into `scratch` and check it against its manifest; every problem is
    collected before BackupError is raised."""
    try:
        archive = tarfile.open(path, "r:gz")  # noqa: SIM115 - closed by the `with` below
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError([_("%(path)s is not a readable backup archive (%(error)s).")
                           % {"path": path, "error": exc}]) from None
    reasons: list[str] = []
    with archive:
        try:
            entries = archive.getmembers()
            names = [entry.name for entry in entries]
            if MANIFEST not in names:
                raise BackupError([_("The archive has no %(name)s.") % {"name": MANIFEST}])
            manifest_file = archive.extractfile(MANIFEST)
            if manifest_file is None:
                raise BackupError([_("The archive's manifest is not a file.")])
            try:
                manifest = json.loads(manifest_file.read())
            except ValueError:
                raise BackupError([_("The archive's manifest is not valid JSON.")]) from None
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                raise BackupError([_("Unknown manifest format (expected %(n)d).") % {"n": FORMAT}])
            expected: dict[str, str] = manifest.get("files") or {}
            if manifest.get("database") not in expected:
                reasons.append(_("The manifest names no database dump."))
            for entry in entries:
                if entry.name == MANIFEST:
                    continue
                if entry.name not in expected:
                    reasons.append(_("%(name)s: not listed in the manifest.") % {"name": entry.name})
                elif not entry.isfile() or not _safe_member(entry.name):
                    reasons.append(_("%(name)s: not a plain file inside the archive.")
                                   % {"name": entry.name})
            for name, checksum in expected.items():
                if name not in names:
                    reasons.append(_("%(name)s: missing from the archive.") % {"name": name})
                    continue
                if not _safe_member(name):
                    continue
                source = archive.extractfile(name)
                if source is None:
                    continue
                target = scratch / name
                target.parent.mkdir(parents=True, exist_ok=True)
                with target.open("wb") as out:
                    shutil.copyfileobj(source, out)
                if _sha256(target) != checksum:
                    reasons.append(_("%(name)s: checksum does not match the manifest.")
                                   % {"name": name})
        except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
            reasons.append(_("The archive is damaged (%(error)s).") % {"error": exc})
    if reasons:
        raise BackupError(reasons)
    return manifest


def database_is_empty(alias: str = DEFAULT_DB_ALIAS) -> tuple[bool, list[str]]:
    """Empty: no table holds a row, bar the ones `migrate` fills by itself."""
    filled = [table for table, count in row_counts(alias).items()
              if count and table not in BOOKKEEPING_TABLES]
    return not filled, filled


def _restore_database(dump: Path, vendor: str, *, force: bool,
                      alias: str = DEFAULT_DB_ALIAS) -> None:
    connection = connections[alias]
    if vendor == "sqlite":
        # The online backup API in reverse: the live file (and its WAL) is replaced page by page
        # under SQLite's own lock, which a plain file copy over an open database would not do.
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        return
    env, args = _postgres_env_and_args(alias)
    command = [postgres_program("pg_restore", alias), "--no-owner", "--no-privileges",
               "--exit-on-error", "--single-transaction"]
    if force:
        command += ["--clean", "--if-exists"]
    connection.close()  # pg_restore --clean needs no lock held by this process
    result = subprocess.run([*command, *args, str(dump)], env=env, capture_output=True,
                            text=True, check=False)
    if result.returncode != 0:
        raise BackupError([_("pg_restore failed: %(error)s") % {"error": result.stderr.strip()}])
    # pg_restore leaves the statistics to autovacuum: the first queries would be planned on none.
    planner_statistics_refresh(alias=alias)


def _restore_file(name: str, source: Path) -> None:
    """Put the file back under its own name (the database points at it), replacing any file of
    that name: storages never overwrite, they pick another name."""
    if default_storage.exists(name):
        default_storage.delete(name)
    with source.open("rb") as handle:
        saved = default_storage.save(name, File(handle, name=name))
    if saved != name:
        raise BackupError([_("%(name)s: the storage saved it as %(saved)s.")
                           % {"name": name, "saved": saved}])


def backup_restore(*, path: Path, force: bool = False,
                   alias: str = DEFAULT_DB_ALIAS) -> RestoreResult:
    vendor = _vendor(alias)
    with tempfile.TemporaryDirectory(prefix="reciprocity-restore-") as scratch_dir:
        scratch = Path(scratch_dir)
        manifest = archive_verify(path=path, scratch=scratch)
        reasons = []
        if manifest.get("vendor") != vendor:
            reasons.append(_("The archive holds a %(archive)s database; this one is %(db)s.")
                           % {"archive": manifest.get("vendor"), "db": vendor})
        empty, filled = database_is_empty(alias)
        if not empty and not force:
            reasons.append(_("The database is not empty (%(tables)s have rows): restore refuses to "
                             "overwrite it without --force.")
                           % {"tables": ", ".join(filled[:5]) + ("…" if len(filled) > 5 else "")})
        if reasons:
            raise BackupError(reasons)
        _restore_database(scratch / manifest["database"], vendor, force=force, alias=alias)
        files = 0
        for name in manifest["files"]:
            if name.startswith(MEDIA_PREFIX):
                _restore_file(name[len(MEDIA_PREFIX):], scratch / name)
                files += 1
        connections[alias].close()
        after = row_counts(alias)
        expected: dict[str, int] = manifest.get("tables", {})
        mismatches = [
            _("%(table)s: %(got)s rows after restore, %(expected)s in the manifest.")
            % {"table": table, "got": after.get(table, _("no table")), "expected": count}
            for table, count in sorted(expected.items()) if after.get(table) != count
        ]
        if mismatches:
            raise BackupError(mismatches)
    return RestoreResult(tables=len(expected), rows=sum(expected.values()), files=files)
