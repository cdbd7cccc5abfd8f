"""`reciprocity restore PATH [--force]`: restore a `reciprocity backup` archive into the
configured database and the file storage. The archive is checked against its manifest first
(checksums, nothing unlisted), an existing database with data is refused unless --force, and the
row counts are compared with the manifest afterwards. Exit 0 restored, 1 refused or invalid
archive (every reason printed), 2 usage (e.g. no such file)."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from reciprocity.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = _("Restore a backup archive into an empty database (or any with --force).")
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, metavar="PATH", help=_("The archive to restore."))
        parser.add_argument("--force", action="store_true",
                            help=_("Overwrite a database that already holds data."))
        self._parser = parser

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_file():
            self._parser.error(_("cannot read %(path)s: no such file") % {"path": path})
        try:
            result = backup_restore(path=path, force=options["force"])
        except BackupError as exc:
            for reason in exc.reasons:
                self.stderr.write(reason)
            self.stderr.write(_("Restore refused or failed: see the reasons above."))
            sys.exit(1)
        self.stdout.write(_("Restored %(path)s: %(tables)d tables, %(rows)d rows (counts "
                            "verified), %(files)d uploaded files.") % {
            "path": path, "tables": result.tables, "rows": result.rows, "files": result.files})
