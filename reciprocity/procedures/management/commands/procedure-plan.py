"""`reciprocity procedure-plan`: a thin wrapper handing the raw arguments to the engine's CLI.

It needs no database and no environment variable: without rule rows in a database it reads the
rule files shipped with the package (see `reciprocity.procedures.cli.load_rulebook`).
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from reciprocity.procedures import cli
from reciprocity.procedures.engine import cli as engine_cli


class Command(BaseCommand):
    help = (
        "Eligibility, entry document, dated steps and warnings for a volunteer, scheme, "
        "destination and dates (see --help)."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def run_from_argv(self, argv: list[str]) -> None:
        # argv = [program, "procedure-plan", *arguments]: the engine parses the arguments itself
        # so that the command-line contract (options, exit codes, stdout) is the engine's.
        sys.exit(cli.main(argv[2:]))

    def print_help(self, prog_name: str, subcommand: str) -> None:
        engine_cli.build_parser().print_help()

    def handle(
        self, *args: object, **options: object
    ) -> None:  # pragma: no cover - via call_command
        raise SystemExit(cli.main([str(a) for a in args]))
