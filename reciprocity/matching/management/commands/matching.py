"""`reciprocity matching run ID [--json]`: execute a queued placement run now, in this process
(for `MATCHING_RUNNER = "manual"`, a cron job, or an operator); `reciprocity matching
fail-stale [--after SECONDS]`: mark failed the runs whose process died while running."""

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from reciprocity.core.exceptions import ApplicationError
from reciprocity.matching import services
from reciprocity.matching.models import PlacementRun, RunStatus


@contextmanager
def solver_output_to_stderr() -> Iterator[None]:
    """Native solvers may print banners on file descriptor 1; `--json` keeps stdout for JSON."""
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


class Command(BaseCommand):
    help = _("Placement runs: `matching run ID` executes a queued run; `matching fail-stale` "
             "marks failed the runs left running by a stopped process.")
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        run = sub.add_parser("run", help=_("Execute a queued run synchronously."))
        run.add_argument("run_id", type=int, help=_("The run's id."))
        run.add_argument("--json", action="store_true", dest="as_json",
                         help=_("Print only the run's figures as JSON."))
        stale = sub.add_parser("fail-stale", help=_("Mark failed the runs stuck in running."))
        stale.add_argument("--after", type=int, default=300,
                           help=_("Seconds past the run's time limit (default 300)."))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "fail-stale":
            failed = services.runs_fail_stale(older_than_seconds=options["after"], now=timezone.now())
            self.stdout.write(_("%(n)d run(s) marked failed.") % {"n": len(failed)})
            return
        run = PlacementRun.objects.filter(pk=options["run_id"]).first()
        if run is None:
            self.stderr.write(_("No placement run %(id)d.") % {"id": options["run_id"]})
            sys.exit(1)
        try:
            with solver_output_to_stderr():
                run = services.run_execute(run=run, clock=timezone.now)
        except ApplicationError as exc:
            self.stderr.write(exc.message)
            sys.exit(1)
        summary = {
            "id": run.pk, "status": run.status, "result": run.result_status,
            "volunteers": run.volunteers_count, "placed": run.placed_count,
            "kept": run.fixed_count, "placed_percent": run.placed_percent,
            "first_choice_percent": run.first_choice_percent, "mean_rank": run.mean_rank,
            "worst_nationality": run.worst_nationality,
            "worst_nationality_rate": run.worst_nationality_rate, "objective": run.objective,
            "bound": run.bound, "gap": run.gap, "seconds": run.seconds, "error": run.error,
        }
        if options["as_json"]:
            self.stdout.write(json.dumps(summary))
        elif run.status == RunStatus.SUCCEEDED:
            self.stdout.write(_(
                "Run %(id)d succeeded (%(result)s): %(placed)d of %(n)d volunteers placed, "
                "objective %(objective)g, %(seconds).2f s."
            ) % {"id": run.pk, "result": run.result_status, "placed": run.placed_count,
                 "n": run.volunteers_count, "objective": run.objective, "seconds": run.seconds})
        if run.status != RunStatus.SUCCEEDED:
            self.stderr.write(run.error)
            sys.exit(1)
