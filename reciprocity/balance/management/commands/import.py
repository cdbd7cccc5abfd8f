"""`reciprocity import placements FILE.csv|FILE.xlsx [--dry-run]`: past exchanges from a
spreadsheet (format: docs/import-format.md).

Every row is checked first; if any is invalid, each invalid row is printed as `line N: reason`
on stderr, nothing is written and the exit code is 1. Rows that break today's scheme rules are
imported with a warning. Exit 2: usage errors, or a file that does not exist.
"""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from reciprocity.balance.importer import FileUnreadable, check_rows, placements_import, read_file


class Command(BaseCommand):
    help = _("Import data: `import placements FILE` loads past exchanges from CSV or XLSX.")
    requires_system_checks: list[str] = []  # type: ignore[assignment]

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="WHAT")
        placements = subcommands.add_parser(
            "placements", help=_("Past placements from a CSV (comma or semicolon) or XLSX file."),
            description=_("Import past placements. Columns: volunteer_ref, birth_date, gender, "
                          "nationality, residence_country, scheme, sending_org, sending_country, "
                          "host_org, host_country, mission_title, start_date, end_date, status, "
                          "end_reason (optional), agreement_ref (optional)."),
        )
        placements.add_argument("file", type=Path, metavar="FILE", help=_("A .csv or .xlsx file."))
        placements.add_argument("--dry-run", action="store_true",
                                help=_("Validate and report without writing anything."))
        self._parser = placements

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            self._parser.error(_("cannot read %(file)s: no such file") % {"file": path})
        err = self.stderr
        try:
            rows = read_file(path)
        except FileUnreadable as exc:
            err.write(f"line {exc.line}: {exc.reason}" if exc.line else f"{path}: {exc.reason}")
            err.write(_("Nothing imported: the file cannot be read."))
            sys.exit(1)
        checked = check_rows(rows)
        if checked.errors:
            for line, reason in checked.errors:
                err.write(f"line {line}: {reason}")
            err.write(_("Nothing imported: %(n)d invalid row(s) out of %(total)d.")
                      % {"n": len(checked.errors), "total": len(rows)})
            sys.exit(1)
        for line, reason in checked.warnings:
            err.write(f"line {line}: warning: {reason}")
        if options["dry_run"]:
            self.stdout.write(_("Dry run: %(n)d valid row(s), %(w)d warning(s); nothing written.")
                              % {"n": len(checked.rows), "w": len(checked.warnings)})
            return
        result = placements_import(rows=checked.rows, today=timezone.localdate())
        self.stdout.write(_(
            "Imported %(n)d row(s): %(created)d placement(s) created, %(updated)d updated, "
            "%(unchanged)d unchanged; %(orgs)d organisation(s), %(missions)d mission(s) and "
            "%(volunteers)d volunteer(s) created; %(ledger)d ledger entrie(s) written."
        ) % {"n": len(checked.rows), "created": result.created, "updated": result.updated,
             "unchanged": result.unchanged, "orgs": result.organisations_created,
             "missions": result.missions_created, "volunteers": result.volunteers_created,
             "ledger": result.ledger_entries})
