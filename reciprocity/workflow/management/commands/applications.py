"""`reciprocity applications flag-overdue`: tell hosts and senders about unanswered applications.
`reciprocity applications expire-offers`: expire unanswered offers past their deadline and move
the waiting lists (applications/offers.py).

The workflow's command (ADR 0005, "faces"): expiring an offer lets its placement lapse and moves
the waiting list (workflow.services.offers_expire); it moved here from applications, same name
and options, so that applications imports nothing of the workflow."""

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from reciprocity.applications.services import applications_flag_overdue
from reciprocity.workflow.services import offers_expire


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
        expire = sub.add_parser(
            "expire-offers",
            help="Expire every offer left unanswered past its deadline; each frees its place and "
            "offers it to the first of the mission's waiting list (safe to run daily).",
        )
        expire.add_argument("--json", action="store_true", help="Machine-readable output.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "expire-offers":
            self._expire(json_output=options["json"])
            return
        days = options["days"] if options["days"] is not None else settings.APPLICATION_DECISION_DAYS
        if days < 1:
            raise CommandError("--days must be at least 1.", returncode=2)
        flagged = applications_flag_overdue(days=days, now=timezone.now())
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

    def _expire(self, *, json_output: bool) -> None:
        now = timezone.now()
        expired = offers_expire(today=timezone.localdate(now), now=now)
        if json_output:
            self.stdout.write(json.dumps({"expired": [
                {"offer": o.pk, "placement": o.placement_id, "choice": o.choice_id,
                 "deadline": o.deadline.isoformat()} for o in expired
            ]}))
            return
        for o in expired:
            self.stdout.write(f"offer {o.pk} (placement {o.placement_id}, answer by "
                              f"{o.deadline.isoformat()}): expired")
        self.stdout.write(f"{len(expired)} offer(s) expired.")
