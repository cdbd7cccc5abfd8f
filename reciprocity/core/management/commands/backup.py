"""`reciprocity backup PATH`: one .tar.gz archive with the database, the uploaded files and a
manifest (row counts per table, SHA-256 of every member). See reciprocity/core/backup.py and
docs/deploy.md "Backups". Exit 0 written, 1 the dump failed, 2 usage (e.g. no such folder)."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from reciprocity.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = _("Write a backup archive (database, uploaded files, manifest) to PATH.")
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, metavar="PATH",
                            help=_("The archive to write, e.g. reciprocity-2026-12-06.tar.gz."))
        self._parser = parser

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.parent.is_dir():
            self._parser.error(_("cannot write %(path)s: no such folder") % {"path": path})
        if path.is_dir():
            self._parser.error(_("%(path)s is a folder: give a file name") % {"path": path})
        try:
            manifest = backup_create(path=path)
        except BackupError as exc:
            for reason in exc.reasons:
                self.stderr.write(reason)
            sys.exit(1)
        self.stdout.write(_("Backup written to %(path)s: %(tables)d tables, %(rows)d rows, "
                            "%(files)d uploaded files.") % {
            "path": path, "tables": len(manifest["tables"]),
            "rows": sum(manifest["tables"].values()),
            "files": len(manifest["files"]) - 1})
