"""`reciprocity plato pull --organisation CODE [--technical-key KEY] [--dry-run] [--json]` and
`reciprocity plato push APPLICATION_ID [--json]`: synchronisation with PLATO (docs/exchange.md).

Exit codes: 0 done; 1 PLATO unreachable or refusing, or invalid projects (nothing written);
2 usage.
"""

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from reciprocity.applications.models import Application
from reciprocity.core.exceptions import ApplicationError
from reciprocity.exchange.management.commands.exchange import positive_id
from reciprocity.exchange.plato import plato_pull, plato_push


class Command(BaseCommand):
    help = _("PLATO synchronisation: `pull` an organisation's projects and free places, `push` "
             "an application as a VEF.")
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        pull = sub.add_parser("pull", help=_("Projects (GetAllProjects or GetPartnerProjects) "
                                             "and free places (GetAllFreePlaces) into missions."))
        pull.add_argument("--organisation", required=True, metavar="CODE",
                          help=_("The exchange code of the organisation whose projects to "
                                 "pull."))
        pull.add_argument("--technical-key", default="", metavar="KEY",
                          help=_("Its PLATO technical key: use GetPartnerProjects."))
        pull.add_argument("--dry-run", action="store_true",
                          help=_("Report what would change; write nothing."))
        pull.add_argument("--json", action="store_true", dest="as_json",
                          help=_("Print only one JSON object."))
        push = sub.add_parser("push", help=_("Send one application to PLATO (ImportVolunteer)."))
        push.add_argument("application_id", type=positive_id, metavar="APPLICATION_ID")
        push.add_argument("--json", action="store_true", dest="as_json",
                          help=_("Print only one JSON object."))

    def _fail(self, message: str, *, as_json: bool, payload: dict[str, Any] | None = None) -> None:
        if as_json:
            self.stdout.write(json.dumps({**(payload or {}), "errors": [message]},
                                         ensure_ascii=False))
        else:
            self.stderr.write(message)
        sys.exit(1)

    def handle(self, *args: Any, **options: Any) -> None:
        as_json = options["as_json"]
        today = timezone.localdate()
        if options["action"] == "push":
            application = Application.objects.filter(pk=options["application_id"]).first()
            if application is None:
                self._fail(_("No application with the ID %(id)s.")
                           % {"id": options["application_id"]}, as_json=as_json)
                return
            try:
                pushed = plato_push(application=application, today=today)
            except ApplicationError as exc:
                self._fail(exc.message, as_json=as_json)
                return
            if as_json:
                self.stdout.write(json.dumps({"imported_ids": pushed.imported_ids,
                                              "file": pushed.file_name,
                                              "warnings": pushed.warnings, "errors": []}))
                return
            for warning in pushed.warnings:
                self.stderr.write(_("warning: %(message)s") % {"message": warning})
            self.stdout.write(_("Sent %(file)s; PLATO's ID: %(ids)s")
                              % {"file": pushed.file_name,
                                 "ids": ", ".join(pushed.imported_ids) or "—"})
            return

        try:
            pulled = plato_pull(organisation_code=options["organisation"], today=today,
                                now=timezone.now(), dry_run=options["dry_run"],
                                technical_key=options["technical_key"])
        except ApplicationError as exc:
            self._fail(exc.message, as_json=as_json)
            return
        report = {**pulled.projects.as_dict(), "free_places": pulled.free_places}
        report["warnings"] = report["warnings"] + pulled.warnings
        if as_json:
            self.stdout.write(json.dumps(report, ensure_ascii=False))
        else:
            for warning in report["warnings"]:
                self.stderr.write(_("warning: %(message)s") % {"message": warning})
            for error in report["errors"]:
                self.stderr.write(error)
            if not report["errors"]:
                self.stdout.write(_("%(created)d created, %(updated)d updated, %(unchanged)d "
                                    "unchanged; free places of %(places)d project(s) recorded.")
                                  % {"created": report["created"], "updated": report["updated"],
                                     "unchanged": report["unchanged"],
                                     "places": pulled.free_places})
        if report["errors"]:
            sys.exit(1)
