"""The ledger is append-only in the database too: `save()` refuses edits, but a bulk `update()`
or raw SQL would not go through it. A trigger refuses them.

PostgreSQL refuses UPDATE and DELETE of an entry. SQLite (the local default) refuses UPDATE
only, because Django's `flush` (used between tests) empties tables with DELETE there, while on
PostgreSQL it uses TRUNCATE, which row triggers do not see.
"""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION balance_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ledger entries are append-only: record a correction instead';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER balance_ledger_append_only
    BEFORE UPDATE OR DELETE ON balance_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION balance_ledger_append_only();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS balance_ledger_append_only ON balance_ledgerentry;
DROP FUNCTION IF EXISTS balance_ledger_append_only();
"""
SQLITE_FORWARD = """
CREATE TRIGGER balance_ledger_append_only BEFORE UPDATE ON balance_ledgerentry
BEGIN
    SELECT RAISE(ABORT, 'ledger entries are append-only: record a correction instead');
END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS balance_ledger_append_only;"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("balance", "0004_ledger_total")]
    operations = [migrations.RunPython(forward, backward)]
