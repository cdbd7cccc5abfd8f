"""`reciprocity encryption check|rotate [--dry-run] [--batch-size N]`: the values encrypted at rest
and the rotation of FIELD_ENCRYPTION_KEY (core/encryption.py, docs/deploy.md "Rotating the
encryption key"). Exit 0 done, 1 a value no configured key reads, 2 usage."""

import argparse
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from reciprocity.core.encryption import (
    DEFAULT_BATCH_SIZE,
    KeyState,
    Report,
    encryption_check,
    encryption_rotate,
)


def _batch_size(value: str) -> int:
    try:
        size = int(value)
    except ValueError:
        size = 0
    if size < 1:
        raise argparse.ArgumentTypeError(
            _("%(value)s is not a positive whole number.") % {"value": value})
    return size


class Command(BaseCommand):
    help = _("Values encrypted at rest: `check` counts them by the key that reads them; `rotate` "
             "rewrites them under FIELD_ENCRYPTION_KEY.")
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        check = sub.add_parser("check", help=_(
            "Count the values readable with the current key, only with an old key, with none."))
        rotate = sub.add_parser("rotate", help=_(
            "Rewrite every value under the current key (FIELD_ENCRYPTION_KEY)."))
        rotate.add_argument("--dry-run", action="store_true",
                            help=_("Count what would be rewritten; write nothing."))
        for parser_ in (check, rotate):
            parser_.add_argument("--batch-size", type=_batch_size, default=DEFAULT_BATCH_SIZE,
                                 help=_("Rows per transaction (default %(default)s)."))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "check":
            self._check(encryption_check(batch_size=options["batch_size"]))
        else:
            self._rotate(encryption_rotate(dry_run=options["dry_run"],
                                           batch_size=options["batch_size"]),
                         dry_run=options["dry_run"])

    def _check(self, report: Report) -> None:
        for c in report.columns:
            self.stdout.write(_(
                "%(column)s: %(current)d readable with the current key, %(old)d only with an old "
                "key, %(none)d with no key, %(clear)d not encrypted.") % {
                "column": f"{c.model}.{c.field}", "current": c.states[KeyState.CURRENT],
                "old": c.states[KeyState.OLD], "none": c.states[KeyState.UNREADABLE],
                "clear": c.states[KeyState.CLEAR]})
        if report.unreadable:
            self.stderr.write(_(
                "%(n)d value(s) cannot be decrypted with any configured key: add the key they "
                "were written with to FIELD_ENCRYPTION_OLD_KEYS.") % {"n": report.unreadable})
            sys.exit(1)
        old = sum(c.states[KeyState.OLD] + c.states[KeyState.CLEAR] for c in report.columns)
        if old:
            self.stdout.write(_("%(n)d value(s) still need `reciprocity encryption rotate`.")
                              % {"n": old})
        else:
            self.stdout.write(_("Every value is readable with the current key: the old keys can "
                                "be removed from FIELD_ENCRYPTION_OLD_KEYS."))

    def _rotate(self, report: Report, *, dry_run: bool) -> None:
        line = (_("%(column)s: %(n)d value(s) would be rewritten, %(current)d already under the "
                  "current key.") if dry_run else
                _("%(column)s: %(n)d value(s) rewritten under the current key, %(current)d "
                  "already under it."))
        for c in report.columns:
            self.stdout.write(line % {"column": f"{c.model}.{c.field}", "n": c.rewritten,
                                      "current": c.states[KeyState.CURRENT]})
        if report.failed is not None:
            failed = report.failed
            self.stderr.write(_(
                "%(column)s, row %(pk)s: no configured key decrypts this value. Its batch was "
                "rolled back; the batches before it are written under the current key. Add the key "
                "it was written with to FIELD_ENCRYPTION_OLD_KEYS, then run the command again.")
                % {"column": f"{failed.model._meta.label if failed.model else '?'}."
                             f"{failed.field_name}", "pk": failed.pk})
            sys.exit(1)
        if dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
