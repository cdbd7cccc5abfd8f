"""`reciprocity exchange`: the work-camp networks' files in and out (docs/exchange.md).

    reciprocity exchange import pef FILE [--dry-run] [--json]
    reciprocity exchange import vef FILE [FILE ...] [--dry-run] [--json]
    reciprocity exchange export pef --organisation CODE [--from YYYY-MM-DD] [--to YYYY-MM-DD] [-o FILE]
    reciprocity exchange export vef APPLICATION_ID [-o FILE]
    reciprocity exchange export fpl --organisation CODE [-o FILE]

Exit codes: 0 done (warnings allowed); 1 invalid input or refused export (nothing written,
every problem printed with its file and element); 2 usage (argparse, a file that does not
exist, an impossible date range).
"""

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from reciprocity.applications.models import Application
from reciprocity.core.arguments import iso_day
from reciprocity.exchange.exports import (
    ExportFile,
    ExportRefused,
    fpl_export,
    pef_export,
    vef_export,
)
from reciprocity.exchange.formats import FormatError, read_bytes
from reciprocity.exchange.services import (
    ImportOutcome,
    organisation_by_code,
    pef_import,
    vef_import,
)


def positive_id(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(_("%(value)s is not an application ID.")
                                         % {"value": value})
    return int(value)


class Command(BaseCommand):
    help = _("Work-camp exchange files (VEF, PEF, free places): import partners' files, "
             "export ours.")
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        direction = parser.add_subparsers(dest="direction", required=True, metavar="DIRECTION")
        importing = direction.add_parser(
            "import", help=_("Read partners' files into the platform (all or nothing)."))
        kinds = importing.add_subparsers(dest="kind", required=True, metavar="FORMAT")
        pef = kinds.add_parser(
            "pef", help=_("A PEF (projects of an organisation) into work-camp missions."))
        pef.add_argument("files", nargs=1, type=Path, metavar="FILE", help=_("A PEF XML file."))
        vef = kinds.add_parser(
            "vef", help=_("VEFs (one volunteer's application each) into volunteers and "
                          "applications."))
        vef.add_argument("files", nargs="+", type=Path, metavar="FILE",
                         help=_("One or more VEF XML files."))
        for sub in (pef, vef):
            sub.add_argument("--dry-run", action="store_true",
                             help=_("Check and report what would change; write nothing."))
            sub.add_argument("--json", action="store_true", dest="as_json",
                             help=_("Print only one JSON object: created, updated, unchanged, "
                                    "warnings, errors, objects."))
        self._import_parsers = {"pef": pef, "vef": vef}

        exporting = direction.add_parser("export", help=_("Write our records as exchange files."))
        kinds = exporting.add_subparsers(dest="kind", required=True, metavar="FORMAT")
        pef_out = kinds.add_parser("pef", help=_("An organisation's work camps as a PEF 2.0."))
        pef_out.add_argument("--organisation", required=True, metavar="CODE",
                             help=_("The organisation's exchange code."))
        pef_out.add_argument("--from", dest="date_from", type=iso_day, default=None,
                             metavar="YYYY-MM-DD", help=_("Only work camps starting on or after "
                                                          "this day."))
        pef_out.add_argument("--to", dest="date_to", type=iso_day, default=None,
                             metavar="YYYY-MM-DD", help=_("Only work camps starting on or before "
                                                          "this day."))
        vef_out = kinds.add_parser("vef", help=_("One application as a VEF 1.0."))
        vef_out.add_argument("application_id", type=positive_id, metavar="APPLICATION_ID")
        fpl_out = kinds.add_parser("fpl", help=_("An organisation's free places (FPL)."))
        fpl_out.add_argument("--organisation", required=True, metavar="CODE",
                             help=_("The organisation's exchange code."))
        for sub in (pef_out, vef_out, fpl_out):
            sub.add_argument("-o", "--output", type=Path, default=None, metavar="FILE",
                             help=_("Write to this file (or into this directory, under the "
                                    "handbook's file name) instead of the standard output."))
        self._export_parsers = {"pef": pef_out, "vef": vef_out, "fpl": fpl_out}

    def handle(self, *args: Any, **options: Any) -> None:
        if options["direction"] == "import":
            self._import(options)
        else:
            self._export(options)

    # --- import ----------------------------------------------------------------------------

    def _import(self, options: dict[str, Any]) -> None:
        kind = options["kind"]
        parser = self._import_parsers[kind]
        paths: list[Path] = options["files"]
        for path in paths:
            if not path.is_file():
                parser.error(_("cannot read %(file)s: no such file") % {"file": path})
        outcome = ImportOutcome(dry_run=options["dry_run"])
        files: list[tuple[str, bytes]] = []
        for path in paths:
            try:
                files.append((path.name, read_bytes(path)))
            except FormatError as exc:
                outcome.errors.extend(exc.problems)
        if not outcome.errors:
            today = timezone.localdate()
            if kind == "pef":
                outcome = pef_import(files=files, today=today, dry_run=options["dry_run"])
            else:
                outcome = vef_import(files=files, now=timezone.now(), dry_run=options["dry_run"])
        self._report(outcome, as_json=options["as_json"])
        if outcome.errors:
            sys.exit(1)

    def _report(self, outcome: ImportOutcome, *, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(outcome.as_dict(), ensure_ascii=False))
            return
        for warning in outcome.warnings:
            self.stderr.write(_("warning: %(message)s") % {"message": warning})
        if outcome.errors:
            for error in outcome.errors:
                self.stderr.write(error)
            self.stderr.write(_("Nothing imported: %(n)d error(s).") % {"n": len(outcome.errors)})
            return
        for obj in outcome.objects:
            self.stdout.write(f"{obj.state} {obj.kind} {obj.id} {obj.key}")
        summary = _("%(created)d created, %(updated)d updated, %(unchanged)d unchanged, "
                    "%(warnings)d warning(s).") % {
            "created": outcome.created, "updated": outcome.updated,
            "unchanged": outcome.unchanged, "warnings": len(outcome.warnings)}
        if outcome.dry_run:
            summary = _("Dry run, nothing written: %(summary)s") % {"summary": summary}
        self.stdout.write(summary)

    # --- export ----------------------------------------------------------------------------

    def _refuse(self, message: str) -> None:
        self.stderr.write(message)
        sys.exit(1)

    def _export(self, options: dict[str, Any]) -> None:
        kind = options["kind"]
        today = timezone.localdate()
        try:
            if kind == "vef":
                application = Application.objects.filter(pk=options["application_id"]).first()
                if application is None:
                    self._refuse(_("No application with the ID %(id)s.")
                                 % {"id": options["application_id"]})
                    return
                result = vef_export(application=application, today=today)
            else:
                organisation = organisation_by_code(options["organisation"])
                if organisation is None:
                    self._refuse(_("No organisation has the exchange code “%(code)s”.")
                                 % {"code": options["organisation"]})
                    return
                if kind == "pef":
                    if (options["date_from"] and options["date_to"]
                            and options["date_from"] > options["date_to"]):
                        self._export_parsers["pef"].error(_("--from is after --to"))
                    result = pef_export(organisation=organisation, today=today,
                                        date_from=options["date_from"],
                                        date_to=options["date_to"])
                else:
                    result = fpl_export(organisation=organisation, today=today)
        except ExportRefused as exc:
            self._refuse(exc.message)
            return
        for warning in result.warnings:
            self.stderr.write(_("warning: %(message)s") % {"message": warning})
        self._write(result, options["output"])

    def _write(self, result: ExportFile, output: Path | None) -> None:
        if output is None:
            # The stream OutputWrapper wraps (stdout, or call_command's stdout=): a private
            # attribute the stubs read through __getattr__ as a callable; its .buffer takes
            # the raw bytes.
            out = cast(TextIO, self.stdout._out)
            buffer = getattr(out, "buffer", None)
            if buffer is not None:  # a real stream: the bytes as written, whatever the locale
                out.flush()
                buffer.write(result.content)
                buffer.flush()
            else:
                out.write(result.content.decode("utf-8"))
            return
        target = output / result.name if output.is_dir() else output
        try:
            target.write_bytes(result.content)
        except OSError as exc:
            self._refuse(_("Cannot write %(file)s: %(error)s")
                         % {"file": target, "error": exc.strerror or exc})
            return
        self.stderr.write(_("Written: %(file)s") % {"file": target})
