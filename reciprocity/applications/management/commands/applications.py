"""`reciprocity applications flag-overdue`: tell hosts and senders about unanswered applications."""

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from reciprocity.applications.services import applications_flag_overdue


class Command(BaseCommand):
    help = "Operator tasks on applications."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        flag = sub.add_parser(
            "flag-overdue",
            help="Notify the host and the sending organisation of every choice left without a "
            "decision for too long (each choice is flagged once; safe to run daily).",
        )
        flag.add_argument(
            "--days", type=int, default=None,
            help="Days without a decision (default: settings.APPLICATION_DECISION_DAYS).",
        )
        flag.add_argument("--json", action="store_true", help="Machine-readable output.")

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"] if options["days"] is not None else settings.APPLICATION_DECISION_DAYS
        if days < 1:
            raise CommandError("--days must be at least 1.", returncode=2)
        flagged = applications_flag_overdue(days=days)
        if options["json"]:
            self.stdout.write(json.dumps({
                "days": days,
                "flagged": [
                    {"choice": c.pk, "application": c.application_id, "mission": c.mission_id,
                     "host": c.mission.host_id,
                     "sending_organisation": c.application.sending_organisation_id}
                    for c in flagged
                ],
            }))
            return
        if not flagged:
            self.stdout.write(f"No new application waiting more than {days} days.")
            return
        for c in flagged:
            self.stdout.write(
                f"application {c.application_id} · {c.application.volunteer} → {c.mission.title} "
                f"({c.mission.host.name}): flagged"
            )
        self.stdout.write(f"{len(flagged)} choice(s) flagged.")
