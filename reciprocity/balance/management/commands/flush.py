"""`reciprocity flush`, Django's command, taught that the ledger (and the audit log) refuse
DELETE on SQLite.

On SQLite, `flush` empties tables with DELETE (PostgreSQL uses TRUNCATE, which row triggers do
not see), and the ledger's trigger refuses DELETE (migration balance 0006). Emptying the whole
database is the one deletion the ledger allows: the command lifts the ledger's triggers inside
its own transaction and puts them back before it commits, so no other connection ever sees the
ledger unguarded, and a failed flush leaves the triggers as they were. Django's test cases that
reset the database between tests call this command by name, so they go through it too.
The audit log's table (migration audit 0002) is append-only the same way and lifted the same way.
"""

from typing import Any

from django.core.management.commands import flush
from django.db import connections, transaction

APPEND_ONLY_TABLES = ("balance_ledgerentry", "audit_auditentry")


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        database = options["database"]
        connection = connections[database]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (%s, %s) "
                "ORDER BY name",
                list(APPEND_ONLY_TABLES),
            )
            triggers = cursor.fetchall()
        if not triggers:
            return super().handle(**options)
        if options["interactive"]:
            # Asked before the transaction starts: no write lock held while a person reads.
            answer = input(
                f'This will IRREVERSIBLY DESTROY all data in the "{connection.settings_dict["NAME"]}" '
                "database, the balance ledger and the audit log included.\nType 'yes' to continue, or 'no' to cancel: "
            )
            if answer != "yes":
                self.stdout.write("Flush cancelled.")
                return None
        with transaction.atomic(using=database), connection.cursor() as cursor:
            for name, _sql in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
            super().handle(**{**options, "interactive": False})
            for _name, sql in triggers:
                cursor.execute(sql)
        return None
