"""`reciprocity import placements|missions|volunteers FILE [--dry-run] [--json]`: spreadsheets
(CSV or XLSX; format: docs/import-format.md), through the same code as the upload pages
(imports/services.py). `reciprocity import fail-stale [--after SECONDS]`: mark failed the imports
whose process died (a daily job).

Every row is checked first; if any is invalid, each invalid row is printed as `line N: reason`
on stderr, nothing is written and the exit code is 1. Warnings are printed as
`line N: warning: reason`. A real import keeps the file and its report (an ImportBatch, for the
audit log). Exit 2: usage errors, or a file that does not exist. `--json` prints the report as
one JSON object on stdout instead of the sentences.
"""

import json
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from reciprocity.imports.models import ImportKind, ImportSource, ImportStatus
from reciprocity.imports.permissions import OPERATOR
from reciprocity.imports.services import (
    Report,
    batch_create,
    batch_execute,
    batches_fail_stale,
    import_preview,
)

DESCRIPTIONS = {
    "placements": _("Import past placements. Columns: volunteer_ref, birth_date, gender, "
                    "nationality, residence_country, scheme, sending_org, sending_country, "
                    "host_org, host_country, mission_title, start_date, end_date, status, "
                    "end_reason (optional), agreement_ref (optional)."),
    "missions": _("Import missions of existing host organisations, matched on host_org and "
                  "mission_ref. Columns: docs/import-format.md."),
    "volunteers": _("Import volunteers of existing sending organisations, matched on "
                    "volunteer_ref. Columns: docs/import-format.md."),
}
HELPS = {
    "placements": _("Past placements from a CSV (comma or semicolon) or XLSX file."),
    "missions": _("Missions from a CSV (comma or semicolon) or XLSX file."),
    "volunteers": _("Volunteers from a CSV (comma or semicolon) or XLSX file."),
}


class Command(BaseCommand):
    help = _("Import data: `import placements|missions|volunteers FILE` loads a CSV or XLSX file.")
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="WHAT")
        self._parsers = {}
        for kind in ImportKind.values:
            sub = subcommands.add_parser(kind, help=HELPS[kind], description=DESCRIPTIONS[kind])
            sub.add_argument("file", type=Path, metavar="FILE", help=_("A .csv or .xlsx file."))
            sub.add_argument("--dry-run", action="store_true",
                             help=_("Validate and report without writing anything."))
            sub.add_argument("--json", action="store_true",
                             help=_("Print the report as JSON on stdout."))
            self._parsers[kind] = sub
        stale = subcommands.add_parser(
            "fail-stale", help=_("Mark failed the imports that will never finish."),
            description=_("Mark failed the imports left running (or waiting) by a process or "
                          "worker that stopped, with the reason shown on their page. Run by "
                          "the daily jobs every 15 minutes; safe to run twice."))
        stale.add_argument(
            "--after", type=int, default=300,
            help=_("Seconds past the task time limit (CELERY_TASK_TIME_LIMIT) after which an "
                   "import still running or waiting is failed (default 300)."))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "fail-stale":
            # No import outlives the task time limit: a worker kills it then, and an import in
            # a thread of the web process takes seconds to minutes.
            failed = batches_fail_stale(
                older_than_seconds=settings.CELERY_TASK_TIME_LIMIT + options["after"],
                now=timezone.now())
            self.stdout.write(_("%(n)d import(s) marked failed.") % {"n": len(failed)})
            return
        kind: str = options["subcommand"]
        path: Path = options["file"]
        if not path.is_file():
            self._parsers[kind].error(_("cannot read %(file)s: no such file") % {"file": path})
        data = path.read_bytes()
        today = timezone.localdate()
        if options["dry_run"]:
            report = import_preview(kind=kind, name=path.name, data=data, permit=OPERATOR,
                                    actor=None, today=today)
            batch_id = None
        else:
            batch = batch_create(kind=kind, name=path.name, data=data, actor=None,
                                 source=ImportSource.CLI)
            batch = batch_execute(batch_id=batch.pk, today=today, now=timezone.now)
            report = Report(**{k: v for k, v in batch.report.items() if k != "failure"})
            report.errors = [(line, reason) for line, reason in report.errors]
            report.warnings = [(line, reason) for line, reason in report.warnings]
            batch_id = batch.pk
            if batch.status != ImportStatus.DONE and report.valid:
                report.file_error = batch.report.get("failure", "")
        if options["json"]:
            self.stdout.write(json.dumps({**report.as_json(), "valid": report.valid,
                                          "dry_run": options["dry_run"], "import": batch_id},
                                         ensure_ascii=False))
        else:
            self._say(report, path=path, dry_run=options["dry_run"])
        if not report.valid:
            sys.exit(1)

    def _say(self, report: Report, *, path: Path, dry_run: bool) -> None:
        err = self.stderr
        if report.file_error:
            err.write(report.file_error if report.file_error.startswith("line ")
                      else f"{path}: {report.file_error}")
            err.write(_("Nothing imported: the file cannot be read."))
            return
        if report.errors:
            for line, reason in report.errors:
                err.write(f"line {line}: {reason}")
            err.write(_("Nothing imported: %(n)d invalid row(s) out of %(total)d.")
                      % {"n": len(report.errors), "total": report.rows})
            return
        for line, reason in report.warnings:
            err.write(f"line {line}: warning: {reason}")
        valid = report.created + report.updated + report.unchanged
        if dry_run:
            self.stdout.write(_("Dry run: %(n)d valid row(s), %(w)d warning(s); nothing written.")
                              % {"n": valid, "w": len(report.warnings)})
            self.stdout.write(_("Would create %(created)d, update %(updated)d, leave "
                                "%(unchanged)d unchanged.") % self._counts(report))
        elif report.kind == ImportKind.PLACEMENTS:
            self.stdout.write(_(
                "Imported %(n)d row(s): %(created)d placement(s) created, %(updated)d updated, "
                "%(unchanged)d unchanged; %(orgs)d organisation(s), %(missions)d mission(s) and "
                "%(volunteers)d volunteer(s) created; %(ledger)d ledger entrie(s) written."
            ) % {"n": valid, **self._counts(report), "orgs": report.details["organisations"],
                 "missions": report.details["missions"],
                 "volunteers": report.details["volunteers"],
                 "ledger": report.details["ledger_entries"]})
        else:
            self.stdout.write(_("Imported %(n)d row(s): %(created)d created, %(updated)d "
                                "updated, %(unchanged)d unchanged.")
                              % {"n": valid, **self._counts(report)})

    @staticmethod
    def _counts(report: Report) -> dict[str, int]:
        return {"created": report.created, "updated": report.updated,
                "unchanged": report.unchanged}
