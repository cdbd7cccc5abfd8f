"""`reciprocity procedure-plan` as the console command runs it: the engine's command-line face
with the rules staff edited in the database (else the shipped files) and the date in France.

The Django half of the command lives here so that `reciprocity.procedures.engine` imports no
Django and no app (import-linter checks it; docs/decisions/0005-layers-and-import-contracts.md).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TextIO
from zoneinfo import ZoneInfo

from reciprocity.procedures.engine import RuleBook, cli, rulebook_from_files

LOCAL_TIMEZONE = ZoneInfo("Europe/Paris")


def load_rulebook() -> RuleBook:
    """The rules the command applies: the rows staff edited when the database is set up and
    holds rule rows, else the files shipped with the package."""
    return _rulebook_from_database() or rulebook_from_files()


def _rulebook_from_database() -> RuleBook | None:
    # Imported lazily and only when Django is ready (the `reciprocity` console script), so that
    # importing this module needs no setting and the command runs from a fresh clone.
    from django.apps import apps
    from django.conf import settings

    if not settings.configured or not apps.ready:
        return None
    from reciprocity.procedures.rulebooks import rules_from_database

    loaded = rules_from_database()
    return loaded.rulebook if loaded else None


def current_date() -> date:
    """The default for --today: the date in France (the command's only clock read, at its edge)."""
    return datetime.now(LOCAL_TIMEZONE).date()


def main(
    argv: list[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run the command; returns the exit code (0 computed, 2 invalid arguments)."""
    return cli.main(
        argv, stdout, stderr, load_rulebook=load_rulebook, current_date=current_date
    )
