"""`reciprocity webhooks deliver [--json]`: signal overdue procedure steps, then send every webhook
delivery that is due (first tries and retries). Run it every few minutes from cron."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from reciprocity.exchange.webhooks import webhooks_deliver, webhooks_signal_overdue_steps


class Command(BaseCommand):
    help = _("Webhooks for partners: `deliver` sends what is due and retries what failed.")
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        deliver = sub.add_parser("deliver", help=_("Signal overdue steps; send due deliveries."))
        deliver.add_argument("--json", action="store_true", dest="as_json",
                             help=_("Print only a JSON object."))

    def handle(self, *args: Any, **options: Any) -> None:
        signalled = webhooks_signal_overdue_steps(today=timezone.localdate(), now=timezone.now())
        tried = webhooks_deliver(now=timezone.now())
        if options["as_json"]:
            self.stdout.write(json.dumps({"overdue_signalled": signalled, "tried": tried}))
            return
        self.stdout.write(_("%(s)d overdue step delivery(ies) queued; %(n)d delivery(ies) tried.")
                          % {"s": signalled, "n": tried})
