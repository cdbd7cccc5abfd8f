"""The ledger refuses DELETE on SQLite too, as it does on PostgreSQL (0005).

0005 left DELETE open on SQLite because Django's `flush` (used between transactional tests and
by `reciprocity flush`) empties tables with DELETE there. `flush` now lifts the ledger's
triggers for the length of its own transaction and puts them back
(`balance/management/commands/flush.py`), so nothing else may delete an entry: not a bulk
`delete()`, not raw SQL, not the admin. Anonymisation never deletes entries (the ledger holds
no personal data beyond the placement it points at).
"""

from django.db import migrations

SQLITE_FORWARD = """
CREATE TRIGGER balance_ledger_no_delete BEFORE DELETE ON balance_ledgerentry
BEGIN
    SELECT RAISE(ABORT, 'ledger entries are append-only: record a correction instead');
END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS balance_ledger_no_delete;"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("balance", "0005_ledger_append_only_trigger")]
    operations = [migrations.RunPython(forward, backward)]
