"""Imports of spreadsheets (missions, volunteers, past placements): one code path for the
upload pages and the command line (docs/import-format.md).

1. `import_check` reads the file and checks every row (nothing written).
2. `import_preview` also runs the write in a transaction that is rolled back, so that the
   counts (to create, update, leave unchanged) are those the import will give.
3. `batch_create` keeps the file (storage backend, SHA-256) as an ImportBatch, queued;
   `batch_execute` checks it again (the database may have moved since the preview) and writes
   all or nothing, in one transaction, with its progress in the cache (the transaction hides
   the batch row's own changes from the page until it commits).
"""

import hashlib
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import close_old_connections, connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from reciprocity.accounts.models import User
from reciprocity.balance import importer as placements_format
from reciprocity.balance.importer import FileUnreadable
from reciprocity.imports import missions as missions_format
from reciprocity.imports import volunteers as volunteers_format
from reciprocity.imports.cells import Checked
from reciprocity.imports.models import ImportBatch, ImportKind, ImportSource, ImportStatus
from reciprocity.imports.permissions import OPERATOR, Permit, import_permit
from reciprocity.imports.reading import read_table

logger = logging.getLogger(__name__)

REQUIRED_COLUMNS = {
    ImportKind.MISSIONS: missions_format.REQUIRED,
    ImportKind.VOLUNTEERS: volunteers_format.REQUIRED,
    ImportKind.PLACEMENTS: placements_format.REQUIRED,
}
Progress = Callable[[int], None]


@dataclass
class Report:
    """What a check, a preview or an import found; `file_error`: the file could not be read."""

    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)
    details: dict[str, int] = field(default_factory=dict)
    file_error: str = ""

    @property
    def valid(self) -> bool:
        return not self.errors and not self.file_error

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "errors": [list(e) for e in self.errors],
                "warnings": [list(w) for w in self.warnings]}


def import_check(*, kind: str, name: str, data: bytes, permit: Permit, today: date
                 ) -> tuple[Checked, Report]:
    report = Report(kind=kind)
    try:
        rows = read_table(name=name, data=data, required=REQUIRED_COLUMNS[ImportKind(kind)])
    except FileUnreadable as exc:
        report.file_error = (_("line %(line)d: %(reason)s") % {"line": exc.line, "reason": exc.reason}
                             if exc.line else exc.reason)
        return Checked(), report
    report.rows = len(rows)
    if kind == ImportKind.MISSIONS:
        checked = missions_format.check_missions(rows, allowed=permit, today=today)
    elif kind == ImportKind.VOLUNTEERS:
        checked = volunteers_format.check_volunteers(rows, allowed=permit, today=today)
    else:
        found = placements_format.check_rows(rows, today=today)
        checked = Checked(rows=list(found.rows), errors=found.errors, warnings=found.warnings)
    report.errors, report.warnings = checked.errors, checked.warnings
    return checked, report


def _write(*, kind: str, checked: Checked, actor: User | None, today: date, report: Report,
           progress: Progress) -> None:
    if kind == ImportKind.MISSIONS:
        counts = missions_format.missions_write(rows=checked.rows, actor=actor, progress=progress)
    elif kind == ImportKind.VOLUNTEERS:
        counts = volunteers_format.volunteers_write(rows=checked.rows, progress=progress)
    else:
        result = placements_format.placements_import(rows=checked.rows, today=today)
        progress(len(checked.rows))
        report.created, report.updated, report.unchanged = (
            result.created, result.updated, result.unchanged)
        report.details = {"organisations": result.organisations_created,
                          "missions": result.missions_created,
                          "volunteers": result.volunteers_created,
                          "ledger_entries": result.ledger_entries}
        return
    report.created, report.updated, report.unchanged = (
        counts.created, counts.updated, counts.unchanged)


class _RolledBack(Exception):
    pass


def import_preview(*, kind: str, name: str, data: bytes, permit: Permit, actor: User | None,
                   today: date) -> Report:
    """Check, then write and roll back: the counts of a real import, nothing kept (the audit
    log's rows and anything queued after commit go with the rollback)."""
    checked, report = import_check(kind=kind, name=name, data=data, permit=permit, today=today)
    if not report.valid:
        return report
    try:
        with transaction.atomic():
            _write(kind=kind, checked=checked, actor=actor, today=today, report=report,
                   progress=lambda done: None)
            raise _RolledBack
    except _RolledBack:
        pass
    return report


def batch_create(*, kind: str, name: str, data: bytes, actor: User | None, source: str
                 ) -> ImportBatch:
    """Keep the file and queue its import; started after commit (`batch_dispatch`)."""
    batch = ImportBatch(kind=kind, source=source, created_by=actor, file_name=name[:200],
                        sha256=hashlib.sha256(data).hexdigest())
    # The stored name is ours; the person's file name is kept apart (it may say anything).
    batch.file.save(f"{batch.sha256[:16]}.{_suffix(name)}", ContentFile(data), save=False)
    batch.save()
    return batch


def _suffix(name: str) -> str:
    return "xlsx" if name.lower().endswith((".xlsx", ".xlsm")) else "csv"


def progress_key(batch_id: int) -> str:
    return f"imports:progress:{batch_id}"


def batch_progress(*, batch: ImportBatch) -> int:
    """Rows written so far by a running import (0 when unknown)."""
    value = cache.get(progress_key(batch.pk))
    return value if isinstance(value, int) else 0


class _Interrupted(Exception):
    """The batch stopped being `running` during the write (failed by batches_fail_stale)."""


def batch_execute(*, batch_id: int, today: date, now: Callable[[], datetime]) -> ImportBatch:
    """Run a queued import; idempotent: a batch that is not waiting is left as it is (a task
    delivered twice writes once). `now` is the clock, read at the start and at the end.

    A successful import is marked done in the transaction of its write, after checking that it
    is still `running`: if the stale sweep failed it meanwhile (batches_fail_stale), the write
    is rolled back, so a batch marked failed never wrote anything."""
    claimed = ImportBatch.objects.filter(pk=batch_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, started_at=now())
    batch = ImportBatch.objects.select_related("created_by").get(pk=batch_id)
    if not claimed:
        return batch
    with batch.file.open("rb") as handle:
        data = handle.read()
    actor = batch.created_by
    permit = OPERATOR if batch.source == ImportSource.CLI else (
        import_permit(actor, batch.kind) if actor is not None else Permit())
    checked, report = import_check(kind=batch.kind, name=batch.file_name, data=data,
                                   permit=permit, today=today)
    if not report.valid:
        return _finish(batch, report, now=now(), failure=report.file_error or _(
            "Nothing imported: %(n)d invalid row(s).") % {"n": len(report.errors)})
    # Committed before the write, so that the page can show "n of rows".
    ImportBatch.objects.filter(pk=batch.pk).update(rows=report.rows)
    key = progress_key(batch.pk)
    try:
        with transaction.atomic():
            _write(kind=batch.kind, checked=checked, actor=actor, today=today,
                   report=report, progress=lambda done: cache.set(key, done, 3600))
            if not _still_running_locked(batch.pk):
                raise _Interrupted
            return _record(batch, report, now=now(), failure="")
    except _Interrupted:
        return ImportBatch.objects.select_related("created_by").get(pk=batch.pk)
    except Exception:  # noqa: BLE001 - recorded on the batch, and logged in full
        logger.exception("import %s failed", batch.pk)
        return _finish(batch, report, now=now(), failure=_(
            "The import stopped on an unexpected error; nothing was written."))


def _still_running_locked(batch_id: int) -> bool:
    return ImportBatch.objects.select_for_update().filter(
        pk=batch_id, status=ImportStatus.RUNNING).exists()


def _record(batch: ImportBatch, report: Report, *, now: datetime, failure: str) -> ImportBatch:
    batch.status = ImportStatus.FAILED if failure else ImportStatus.DONE
    batch.rows, batch.created, batch.updated, batch.unchanged = (
        report.rows, report.created, report.updated, report.unchanged)
    batch.report = {**report.as_json(), "failure": failure}
    batch.finished_at = now
    batch.save()
    return batch


def _finish(batch: ImportBatch, report: Report, *, now: datetime, failure: str) -> ImportBatch:
    """Record a failure on a batch still `running` (one failed by the sweep keeps its reason)."""
    with transaction.atomic():
        if _still_running_locked(batch.pk):
            return _record(batch, report, now=now, failure=failure)
    return ImportBatch.objects.select_related("created_by").get(pk=batch.pk)


# What the page of an import that will never finish says (report["failure"]).
def _stopped_reason(status: str) -> str:
    if status == ImportStatus.QUEUED:
        return _("The import never started: the process that was to run it stopped. Nothing "
                 "was written; upload the file again.")
    return _("The import stopped without finishing (its process or worker stopped). Nothing "
             "was written; upload the file again.")


def batch_fail_interrupted(*, batch_id: int, now: datetime) -> bool:
    """A batch found `running` when its task is delivered again: the worker that ran it died
    (the task is acknowledged only at its end, and its transaction rolled back). Mark it failed
    with that reason; True if it was."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().filter(pk=batch_id).first()
        if batch is None or batch.status != ImportStatus.RUNNING:
            return False
        _fail(batch, reason=_stopped_reason(ImportStatus.RUNNING), now=now)
    return True


def batches_fail_stale(*, older_than_seconds: int, now: datetime) -> list[ImportBatch]:
    """Mark failed, as of `now`, the imports that will never finish: `running` for longer than
    `older_than_seconds` since they started, or still `queued` that long after they were made
    (the thread or worker that was to run them is gone). Idempotent: a batch is failed once,
    and one that finishes meanwhile is left alone."""
    limit = now - timedelta(seconds=older_than_seconds)
    failed = []
    with transaction.atomic():
        stale = ImportBatch.objects.select_for_update().filter(
            Q(status=ImportStatus.RUNNING, started_at__lt=limit)
            | Q(status=ImportStatus.RUNNING, started_at__isnull=True, created_at__lt=limit)
            | Q(status=ImportStatus.QUEUED, created_at__lt=limit)).order_by("pk")
        for batch in stale:
            _fail(batch, reason=_stopped_reason(batch.status), now=now)
            failed.append(batch)
    return failed


def _fail(batch: ImportBatch, *, reason: str, now: datetime) -> None:
    logger.warning("import %s marked failed: %s", batch.pk, reason)
    batch.status, batch.finished_at = ImportStatus.FAILED, now
    batch.report = {**(batch.report or {}), "failure": reason}
    batch.save(update_fields=["status", "finished_at", "report", "updated_at"])


def batch_dispatch(*, batch_id: int) -> None:
    """Start the import according to `settings.IMPORTS_RUNNER`: "celery" (with Redis),
    "thread" (in the web process: the page shows its progress), or "inline" (tests, the
    command line)."""
    runner = getattr(settings, "IMPORTS_RUNNER", "celery" if settings.REDIS_URL else "thread")
    if runner == "celery":
        from reciprocity.imports.tasks import import_batch_execute

        import_batch_execute.delay(batch_id)
    elif runner == "inline":
        from reciprocity.imports.tasks import run_now

        run_now(batch_id)
    else:
        import threading

        threading.Thread(target=_execute_in_thread, args=(batch_id,), daemon=True,
                         name=f"import-{batch_id}").start()


def _execute_in_thread(batch_id: int) -> None:
    from reciprocity.imports.tasks import run_now

    close_old_connections()
    try:
        run_now(batch_id)
    except Exception:  # noqa: BLE001 - a background thread has nobody to raise to
        logger.exception("import %s crashed", batch_id)
    finally:
        connection.close()
