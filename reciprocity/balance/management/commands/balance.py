"""`reciprocity balance alerts|backfill|rebuild-totals|reattach`: the reciprocity balance for
operators."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from reciprocity.balance.alerts import balance_alerts_send
from reciprocity.balance.services import (
    ledger_backfill,
    ledger_reattach_agreements,
    ledger_totals_rebuild,
)


class Command(BaseCommand):
    help = _("The reciprocity balance: `alerts` tells the parties of agreements outside their "
             "tolerance; `backfill` gives ledger events to placements written without them.")

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="ACTION")
        alerts = subcommands.add_parser(
            "alerts", help=_("Find agreements outside tolerance and e-mail both parties."))
        alerts.add_argument("--year", type=int, default=None, help=_("Default: this year."))
        alerts.add_argument("--dry-run", action="store_true",
                            help=_("List the agreements; send nothing, record nothing."))
        alerts.add_argument("--json", action="store_true", dest="as_json",
                            help=_("Print only a JSON object."))
        subcommands.add_parser("backfill", help=_("Write the ledger events of placements that "
                                                  "have none (imports, old data)."))
        subcommands.add_parser("rebuild-totals", help=_("Recompute the ledger's running totals "
                                                        "from its entries."))
        subcommands.add_parser("reattach", help=_(
            "Give placements the agreement that covers them (parties or affiliated "
            "organisations) and append the ledger corrections."))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "rebuild-totals":
            rows = ledger_totals_rebuild()
            self.stdout.write(_("%(n)d total row(s) rebuilt.") % {"n": rows})
            return
        if options["subcommand"] == "reattach":
            moved = ledger_reattach_agreements(
                occurred_on=timezone.localdate(),
                note="re-attached to the agreement that covers it (reciprocity balance reattach)")
            self.stdout.write(_("%(n)d placement(s) re-attached.") % {"n": len(moved)})
            return
        if options["subcommand"] == "backfill":
            written = ledger_backfill()
            self.stdout.write(_("%(n)d ledger entrie(s) written.") % {"n": written})
            return
        year = options["year"] or timezone.localdate().year
        outcomes = balance_alerts_send(year=year, notify=not options["dry_run"])
        if options["as_json"]:
            self.stdout.write(json.dumps({"year": year, "alerts": [
                {"agreement": o.balance.agreement.reference,
                 "position": str(o.balance.planned.position) if o.balance.planned else None,
                 "tolerance": str(o.balance.planned.tolerance) if o.balance.planned else None,
                 "recipients": len(o.recipients), "new": o.new}
                for o in outcomes]}))
            return
        if not outcomes:
            self.stdout.write(_("Every active agreement is within its tolerance in %(y)d.")
                              % {"y": year})
        for o in outcomes:
            planned = o.balance.planned
            assert planned is not None
            state = _("new, notified") if o.new and not options["dry_run"] else (
                _("would notify") if o.new else _("already notified"))
            self.stdout.write(_("%(ref)s: position %(pos)s, tolerance %(tol)s; %(n)d recipient(s) "
                                "(%(state)s)") % {
                "ref": o.balance.agreement.reference, "pos": planned.position,
                "tol": planned.tolerance, "n": len(o.recipients), "state": state})
