"""`reciprocity placement solve|pair ...`: a thin shell over the pure engine's CLI.

Django's own option parsing is bypassed (`run_from_argv`): the engine's argparse
receives the raw arguments, so the command-line contract of issue 6 holds
exactly, and no database or environment variable is needed.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from reciprocity.placements.engine.cli import main


class Command(BaseCommand):
    help = "Place volunteers in missions (solve) or pair a cohort (pair); see --help."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def run_from_argv(self, argv: list[str]) -> None:
        # argv = [prog, "placement", *args]
        sys.exit(main(argv[2:], prog=f"{argv[0].rsplit('/', 1)[-1]} placement"))

    def handle(self, *args: str, **options: object) -> None:  # pragma: no cover
        # Reached only through call_command(); the console script uses run_from_argv.
        code = main(list(args))
        if code:
            sys.exit(code)
