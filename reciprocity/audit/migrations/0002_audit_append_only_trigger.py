"""The audit log is append-only in the database too: `AuditEntry.save()`/`delete()` refuse to
rewrite an entry, but a bulk `update()`, a queryset `delete()` or raw SQL would not go through
them. Triggers refuse UPDATE and DELETE of an entry, on PostgreSQL and on SQLite, as the ledger's
do (balance 0005, 0006).

Django's `flush` (between transactional tests, `reciprocity flush`) empties tables with TRUNCATE
on PostgreSQL, which row triggers do not see, and with DELETE on SQLite: there `flush` lifts the
append-only triggers for the length of its own transaction (balance/management/commands/flush.py).
"""

from django.db import migrations

MESSAGE = "audit entries are append-only"
PG_FORWARD = f"""
CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_entry_append_only
    BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry;
DROP FUNCTION IF EXISTS audit_entry_append_only();
"""
SQLITE_FORWARD = [
    f"""
CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry
BEGIN
    SELECT RAISE(ABORT, '{MESSAGE}');
END;
""",
    f"""
CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_auditentry
BEGIN
    SELECT RAISE(ABORT, '{MESSAGE}');
END;
""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_entry_no_update;",
    "DROP TRIGGER IF EXISTS audit_entry_no_delete;",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
