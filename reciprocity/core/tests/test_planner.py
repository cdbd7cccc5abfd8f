"""core/planner.py: statistics gathered right after a bulk load, inside its transaction too."""

import pytest
from django.db import connection

from reciprocity.core.planner import planner_statistics_refresh
from reciprocity.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def estimated_rows(table: str) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner statistics")
def test_the_rows_just_written_are_counted_before_autovacuum_sees_them():
    OrganisationFactory.create_batch(40)
    assert planner_statistics_refresh() is True
    assert estimated_rows("partners_organisation") == 40


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite's behaviour")
def test_nothing_is_done_on_sqlite():
    assert planner_statistics_refresh() is False
