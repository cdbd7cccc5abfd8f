"""The balance pages read through a real PostgreSQL streaming replica (marker `replica`).

Runs when DATABASE_REPLICA_URL points at a hot standby of the DATABASE_URL server (.ci/run
starts one with `pg_basebackup -R`); skipped without it, required in CI.

How it works under the test runner: the `replica` alias is a test mirror of `default`
(settings.py), i.e. Django creates no database for it and points it at the test database's
name, which physical replication has copied onto the standby too. The alias opens its own
connection, to the standby, so it sees only committed rows that have been replayed: these tests
are transactional (every row committed) and wait for the standby to replay up to the primary's
current WAL position before reading. Every other test reads the primary only (conftest.py
`_reads_on_primary`), whatever DATABASE_REPLICA_URL says.
"""

import os
import time

import pytest
from django.core.cache import cache
from django.db import connections
from django.test.utils import CaptureQueriesContext

from reciprocity.accounts.tests.factories import StaffFactory
from reciprocity.core.db_routing import STICKY_COOKIE
from reciprocity.notifications.models import Notification
from reciprocity.placements.tests.factories import PlacementFactory

CONFIGURED = bool(os.environ.get("DATABASE_REPLICA_URL"))
if (os.environ.get("CI") and os.environ.get("DATABASE_URL", "").startswith("postgres")
        and not CONFIGURED):
    pytest.fail("CI runs the replica tests on PostgreSQL: DATABASE_REPLICA_URL is not set",
                pytrace=False)

pytestmark = [
    pytest.mark.replica,
    pytest.mark.skipif(not CONFIGURED, reason="DATABASE_REPLICA_URL is not set: no replica"),
    pytest.mark.django_db(transaction=True,
                          databases=["default", "replica"] if CONFIGURED else ["default"]),
]

PRIMARY_ONLY_TABLES = ("django_session", "accounts_", "otp_", "axes_", "audit_")


def replica_caught_up(timeout: float = 60) -> None:
    """Wait until the standby has replayed everything the primary has written so far; empty the
    cache too, so that the next page computes its figures (from whichever database)."""
    cache.clear()
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        target = cursor.fetchone()[0]
    deadline = time.monotonic() + timeout
    with connections["replica"].cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cursor.fetchone()[0]:
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"the replica did not replay up to {target} in {timeout} s")
            time.sleep(0.1)


@pytest.fixture
def staff_client(client):  # type: ignore[no-untyped-def]
    import datetime

    for month in (2, 3, 5):
        PlacementFactory(mission__start_date=datetime.date(2026, month, 1),
                         mission__end_date=datetime.date(2026, month + 4, 28))
    staff = StaffFactory()
    client.force_login(staff)
    client.staff = staff
    replica_caught_up()
    return client


def test_the_replica_is_a_standby_of_the_test_database() -> None:
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), current_database()")
        in_recovery, name = cursor.fetchone()
    assert in_recovery is True
    assert name == connections["default"].settings_dict["NAME"]


def test_a_balance_page_reads_through_the_replica(staff_client) -> None:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connections["replica"]) as on_replica, \
            CaptureQueriesContext(connections["default"]) as on_primary:
        response = staff_client.get("/balance/?year=2026")
        annual = staff_client.get("/balance/report/?year=2026&host_country=FR&basis=start")
    assert response.status_code == 200 and annual.status_code == 200
    replica_sql = [q["sql"] for q in on_replica.captured_queries]
    # The dashboard's ledger totals and the annual report's placements.
    assert any("balance_" in sql for sql in replica_sql), replica_sql
    assert any("placements_placement" in sql for sql in replica_sql), replica_sql
    # Sessions, accounts and second factors never come from the replica.
    assert not [sql for sql in replica_sql if any(t in sql for t in PRIMARY_ONLY_TABLES)]
    assert any("django_session" in q["sql"] for q in on_primary.captured_queries)
    assert STICKY_COOKIE not in response.cookies


def test_after_a_write_the_next_pages_read_the_primary(staff_client) -> None:  # type: ignore[no-untyped-def]
    Notification.objects.create(user=staff_client.staff, subject="Run finished")
    written = staff_client.post("/notifications/read-all/")
    assert written.status_code == 302
    assert STICKY_COOKIE in written.cookies  # the test client keeps it for the next requests
    assert Notification.objects.get().read_at is not None
    cache.clear()
    with CaptureQueriesContext(connections["replica"]) as on_replica, \
            CaptureQueriesContext(connections["default"]) as on_primary:
        response = staff_client.get("/balance/?year=2026")
    assert response.status_code == 200
    assert on_replica.captured_queries == []
    assert any("balance_" in q["sql"] for q in on_primary.captured_queries)

    # Once the window has passed, the replica serves again.
    del staff_client.cookies[STICKY_COOKIE]
    replica_caught_up()
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        assert staff_client.get("/balance/?year=2026").status_code == 200
    assert on_replica.captured_queries
