"""Argument types shared by the management commands: one place for how a command reads a day,
so every command refuses a bad one with the same translated message and exit code 2 (argparse
turns ArgumentTypeError into a usage error)."""

import argparse
from datetime import date

from django.utils.translation import gettext as _


def iso_day(value: str) -> date:
    """A day written YYYY-MM-DD (`--today`, `--from`, `--ended-before`...)."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("%(value)s is not a date (YYYY-MM-DD).") % {"value": value}) from None
