"""`reciprocity procedure-plan` as the console command runs it: the engine's command-line face
with the rules staff edited in the database (else the shipped files; `--no-db`: the files) and
the date in France. The output says which rules it applied (`rules` in the JSON, a last line
in the text).

The Django half of the command lives here so that `reciprocity.procedures.engine` imports no
Django and no app (import-linter checks it; docs/decisions/0005-layers-and-import-contracts.md).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TextIO
from zoneinfo import ZoneInfo

from reciprocity.procedures.engine import RuleBook, cli, rulebook_from_files
from reciprocity.procedures.engine.cli import RulesUsed

LOCAL_TIMEZONE = ZoneInfo("Europe/Paris")


def load_rules(use_database: bool = True) -> RulesUsed:
    """The rules the command applies: the rows staff edited when the database is set up and
    holds rule rows, else (or with `--no-db`) the files shipped with the package."""
    if not use_database:
        return RulesUsed(rulebook_from_files(), "files", "no_db")
    book = _rulebook_from_database()
    if book is not None:
        return RulesUsed(book, "database")
    return RulesUsed(rulebook_from_files(), "files", "no_database_rules")


def load_rulebook() -> RuleBook:
    """The rulebook alone (database, else files)."""
    return load_rules().rulebook


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
        argv, stdout, stderr, load_rules=load_rules, current_date=current_date
    )
