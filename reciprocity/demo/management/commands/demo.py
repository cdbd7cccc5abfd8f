from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from reciprocity.core.arguments import iso_day
from reciprocity.core.exceptions import ApplicationError
from reciprocity.demo.services import demo_build, demo_is_loaded, demo_otp_code, demo_token_create


class Command(BaseCommand):
    help = (
        "Build the demo network (idempotent): a coordinator, national agencies, French hosts, "
        "agreements, programmes, missions, volunteers and placements since 2015."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")
        parser.add_argument("--today", type=iso_day, default=None,
                            help="Reference day for statuses, YYYY-MM-DD (default: today).")
        parser.add_argument("--token", action="store_true",
                            help="Print a new read-write API token (90 days) of a demo user.")
        parser.add_argument("--user", default="staff", metavar="NAME",
                            help="The demo user of --token (default: staff, platform-wide; a "
                            "member's token acts for their first organisation).")
        parser.add_argument("--otp", metavar="USER",
                            help="Print the current two-factor code of a demo user (staff, "
                            "coordinator): what their authenticator app would show.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["otp"]:
            try:
                self.stdout.write(demo_otp_code(username=options["otp"]))
            except ApplicationError as exc:
                raise CommandError(exc.message) from exc
            return
        if options["token"]:
            if not demo_is_loaded():
                raise CommandError(_("The demo data are not loaded: run `reciprocity demo` first."))
            try:
                key = demo_token_create(username=options["user"],
                                        today=options["today"] or timezone.localdate())
            except ApplicationError as exc:
                raise CommandError(exc.message) from exc
            self.stdout.write(key)
            return
        summary = demo_build(seed=options["seed"], today=options["today"] or timezone.localdate(),
                             now=timezone.now())
        if summary.created:
            counts = ", ".join(f"{n} {name}" for name, n in summary.counts.items())
            self.stdout.write(_("Demo network created: %(counts)s.") % {"counts": counts})
        else:
            self.stdout.write(_("Demo network already loaded; nothing changed."))
        self.stdout.write(_("Demo logins (password for all: %(pw)s):") % {"pw": summary.logins[0][1]})
        for username, _password, role in summary.logins:
            self.stdout.write(f"  {username:<12} {role}")
        self.stdout.write(_("The staff and coordinator logins also ask for a two-factor code "
                            "after the password: `reciprocity demo --otp staff` (or "
                            "coordinator) prints the current one."))
