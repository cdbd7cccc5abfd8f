"""`reciprocity volunteers export REFERENCE [--output FILE]` and
`reciprocity volunteers anonymise [--ended-before YYYY-MM-DD] [--today YYYY-MM-DD] [--dry-run]
[--json]`: staff tools for one person's data and for the retention period.

The workflow's command: it drives workflow.personal_data, which reaches every app holding a
volunteer's rows (ADR 0005)."""

import json
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.translation import gettext as _

from reciprocity.core.arguments import iso_day
from reciprocity.volunteers.models import AccessAction, AccessChannel, Volunteer
from reciprocity.volunteers.services import personal_data_access_record
from reciprocity.workflow.personal_data import volunteer_export, volunteers_anonymise_due


class Command(BaseCommand):
    help = _("Volunteers' personal data: `export` one person's data as JSON; `anonymise` those "
             "past the retention period.")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="ACTION")
        export = sub.add_parser(
            "export", help=_("Everything held about one volunteer, as JSON (right of access)."))
        export.add_argument("reference", help=_("The volunteer's reference."))
        export.add_argument("--output", "-o", default=None,
                            help=_("Write to this file instead of the standard output."))
        anonymise = sub.add_parser(
            "anonymise",
            help=_("Anonymise the volunteers whose placements all ended, with no open "
                   "application, and whose last activity is older than the retention period "
                   "(settings.PERSONAL_DATA_RETENTION_MONTHS). Safe to run daily."))
        anonymise.add_argument("--ended-before", type=iso_day, default=None,
                               help=_("Use this cutoff instead of the retention period."))
        anonymise.add_argument("--today", type=iso_day, default=None,
                               help=_("The reference day (default: today)."))
        anonymise.add_argument("--dry-run", action="store_true",
                               help=_("List who would be anonymised; change nothing."))
        anonymise.add_argument("--json", action="store_true", dest="as_json",
                               help=_("Print only a JSON object."))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "export":
            self._export(options["reference"], options["output"])
        else:
            self._anonymise(options)

    def _refuse(self, message: str) -> None:
        self.stderr.write(message)
        sys.exit(1)

    def _export(self, reference: str, output: str | None) -> None:
        volunteer = Volunteer.objects.filter(reference=reference).first()
        if volunteer is None:
            self._refuse(_("No volunteer with the reference “%(ref)s”.") % {"ref": reference})
            return
        data = volunteer_export(volunteer=volunteer, now=timezone.now())
        text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        if output:
            try:
                with open(output, "w", encoding="utf-8") as handle:
                    handle.write(text + "\n")
            except OSError as exc:
                self._refuse(_("Cannot write %(file)s: %(error)s") % {"file": output,
                                                                     "error": exc.strerror})
                return
        else:
            self.stdout.write(text)
        personal_data_access_record(volunteer=volunteer, actor=None, action=AccessAction.EXPORT,
                                    channel=AccessChannel.COMMAND)
        if output:
            self.stdout.write(_("Personal data of %(ref)s written to %(file)s.")
                              % {"ref": reference, "file": output})

    def _anonymise(self, options: dict[str, Any]) -> None:
        today = options["today"] or timezone.localdate()
        run = volunteers_anonymise_due(
            today=today, now=timezone.now(), ended_before=options["ended_before"],
            dry_run=options["dry_run"])
        if options["as_json"]:
            self.stdout.write(json.dumps({
                "today": today.isoformat(), "cutoff": run.cutoff.isoformat(),
                "retention_months": None if options["ended_before"]
                else settings.PERSONAL_DATA_RETENTION_MONTHS,
                "dry_run": options["dry_run"],
                # A dry run lists who would go; a real run never prints old references.
                "candidates": run.candidates if options["dry_run"] else len(run.candidates),
                "anonymised": run.anonymised, "refused": run.refused,
            }))
            return
        self.stdout.write(_("Last activity before %(cutoff)s: %(n)d volunteer(s) to anonymise.")
                          % {"cutoff": run.cutoff.isoformat(), "n": len(run.candidates)})
        if options["dry_run"]:
            for row in run.candidates:
                self.stdout.write(_("would anonymise %(ref)s (last activity %(day)s)")
                                  % {"ref": row["reference"], "day": row["last_activity"]})
            return
        for row in run.refused:
            self.stdout.write(_("refused %(ref)s: %(why)s")
                              % {"ref": row["reference"], "why": " ".join(row["reasons"])})
        self.stdout.write(_("%(n)d volunteer(s) anonymised.") % {"n": len(run.anonymised)})
