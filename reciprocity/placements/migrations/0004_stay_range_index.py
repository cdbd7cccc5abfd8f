"""A GiST index on each placement's stay, for "active during the year" questions on PostgreSQL.

A placement active in a year is a two-sided range condition (started before its end, ended
after its start) that no b-tree answers well; a range index does (`balance.annual`, basis
`active`). SQLite, the local default, has no range type: it keeps the plain filter.
"""

from django.db import migrations

FORWARD = """
CREATE INDEX IF NOT EXISTS placement_stay_gist ON placements_placement
USING gist (daterange(start_date, COALESCE(ended_on, end_date), '[]'));
"""
BACKWARD = "DROP INDEX IF EXISTS placement_stay_gist;"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("placements", "0003_snapshot_scheme_gender")]
    operations = [migrations.RunPython(forward, backward)]
