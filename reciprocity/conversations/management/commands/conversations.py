"""`reciprocity conversations send-digests|overdue-events [--json]`: the conversations' jobs.

`send-digests` sends the e-mails that batching held back (run every minute by the beat
schedule, or from cron); `overdue-events` writes a "step overdue" event in the thread of each
placement with an open procedure step past its due date (daily)."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from reciprocity.conversations.services import conversation_digests_send, overdue_step_events


class Command(BaseCommand):
    help = _("Conversations: send the e-mails due; write the overdue-step events.")
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        for name, text in (("send-digests", _("Send the conversation e-mails that are due.")),
                           ("overdue-events", _("Write an event for each overdue step."))):
            action = sub.add_parser(name, help=text)
            action.add_argument("--json", action="store_true", dest="as_json",
                                help=_("Print only a JSON object."))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "send-digests":
            count = conversation_digests_send(now=timezone.now())
            key, text = "sent", _("%(n)d conversation e-mail(s) sent.")
        else:
            count = overdue_step_events(today=timezone.localdate())
            key, text = "events", _("%(n)d overdue-step event(s) written.")
        if options["as_json"]:
            self.stdout.write(json.dumps({key: count}))
        else:
            self.stdout.write(text % {"n": count})
