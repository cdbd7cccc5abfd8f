"""`reciprocity procedures sync|remind|load-rules`: the procedure checklists for operators.

- `sync` opens the procedure of every confirmed or running placement that has none (demo data,
  imports, placements confirmed before procedures existed);
- `remind` e-mails each owner of a step due within N days or overdue, one message per person
  (run it daily);
- `load-rules` seeds the procedure rule documents (visa lists, step templates...) the database
  lacks; `reciprocity rules load` does it too.
"""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from reciprocity.core.arguments import iso_day
from reciprocity.procedures.reminders import procedures_remind
from reciprocity.procedures.rulebooks import rule_documents_load_from_files
from reciprocity.procedures.services import procedures_sync


class Command(BaseCommand):
    help = _(
        "Procedure checklists: `sync` opens the missing procedures of confirmed and running "
        "placements; `remind` e-mails owners of steps due soon or overdue; `load-rules` seeds "
        "the procedure rule documents."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        sync = sub.add_parser("sync", help=_("Open the procedures that confirmed or running "
                                             "placements lack."))
        remind = sub.add_parser("remind", help=_("E-mail the owners of steps due soon or "
                                                 "overdue, one e-mail per person."))
        remind.add_argument("--days", type=int, default=7,
                            help=_("Steps due within this many days (default 7)."))
        for command in (sync, remind):
            command.add_argument("--today", type=iso_day, default=None, metavar="YYYY-MM-DD",
                                 help=_("Reference date (default: today)."))
            command.add_argument("--json", action="store_true", dest="as_json",
                                 help=_("Print only a JSON object."))
        sub.add_parser("load-rules", help=_("Create the procedure rule documents the database "
                                            "lacks (staff edits are kept)."))

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "load-rules":
            created = rule_documents_load_from_files()
            self.stdout.write(_("Procedure rule documents: %(n)d new.") % {"n": created})
            return
        today = options["today"] or timezone.localdate()
        if action == "sync":
            result = procedures_sync(today=today, now=timezone.now())
            payload: dict[str, Any] = {
                "opened": result.opened, "rules_source": result.rules_source,
                "skipped": [{"placement": pk, "reason": why} for pk, why in result.skipped],
            }
            text = _("%(n)d procedure(s) opened (rules from the %(source)s), %(s)d skipped.") % {
                "n": result.opened, "source": result.rules_source, "s": len(result.skipped)}
            details = [f"  placement {pk}: {why}" for pk, why in result.skipped]
        else:
            if options["days"] < 0:
                raise CommandError(_("--days must not be negative."))
            reminded = procedures_remind(today=today, now=timezone.now(), days=options["days"])
            payload = {"people": reminded.people, "steps": reminded.steps, "today": str(today)}
            text = _("%(p)d person(s) reminded of %(s)d step(s).") % {
                "p": reminded.people, "s": reminded.steps}
            details = []
        if options["as_json"]:
            self.stdout.write(json.dumps(payload))
            return
        self.stdout.write(text)
        for line in details:
            self.stdout.write(line)
