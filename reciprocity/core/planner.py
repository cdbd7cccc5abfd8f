"""The query planner's statistics, refreshed after a bulk load.

PostgreSQL plans each query from the statistics of its tables. Autovacuum refreshes them about
a minute after many rows changed; a query planned in that minute uses the statistics of the
tables as they were before. After a bulk load (the demo, the bench data, a restore) those are
the statistics of empty or tiny tables, and a nested loop planned for one row then runs over
thousands: on CI (stop 22) the demo's first applications page, requested seconds after the
demo was written, ran one query for more than an hour. `ANALYZE` right after the load closes
that window. SQLite plans without gathered statistics unless told to, so nothing is done there.
"""

from django.db import DEFAULT_DB_ALIAS, connections


def planner_statistics_refresh(*, alias: str = DEFAULT_DB_ALIAS) -> bool:
    """Gather fresh statistics for every table of the database (PostgreSQL); True when done.

    Allowed inside a transaction: the rows the transaction wrote count, as they will for the
    queries it runs next."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return True
