"""Two coordinators accepting runs at the same moment never over-fill a mission.

Real threads with their own connections, released together by a barrier, accept two runs that
both propose someone for the last place. Only PostgreSQL's row locks make this meaningful.
"""

import datetime
import threading

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from reciprocity.accounts.tests.factories import StaffFactory
from reciprocity.applications.tests.factories import ApplicationChoiceFactory
from reciprocity.core.exceptions import CapacityExceeded
from reciprocity.matching import services
from reciprocity.matching.models import PlacementRun
from reciprocity.matching.tests.conftest import workcamp
from reciprocity.partners.tests.factories import OrganisationFactory
from reciprocity.placements.models import Placement, PlacementStatus

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks (SELECT … FOR UPDATE) need PostgreSQL; SQLite locks the whole file",
    ),
    pytest.mark.django_db(transaction=True),
]

# The suite's frozen moment (root conftest), passed in as the edges would.
NOW = datetime.datetime(2026, 11, 26, 9, tzinfo=datetime.UTC)


def test_last_place_is_accepted_once() -> None:
    mission = workcamp(OrganisationFactory(country="FR"), capacity=1, max_per_nationality=None,
                       gender_tolerance=None)
    staff = StaffFactory()
    runs = []
    for _ in range(2):
        ApplicationChoiceFactory(mission=mission, application__submitted_at="2026-01-01T00:00Z")
    for _ in range(2):
        run = services.run_create(created_by=staff, missions=[mission], time_limit=2, start=False)
        runs.append(services.run_execute(run=run, clock=timezone.now))
    assert all(r.proposals.count() == 1 for r in runs)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    lock = threading.Lock()

    def accept(run_id: int) -> None:
        try:
            run = PlacementRun.objects.get(pk=run_id)
            barrier.wait(timeout=30)
            try:
                services.run_accept(run=run, actor=staff, now=NOW)
                outcome = "accepted"
            except CapacityExceeded as exc:
                outcome = exc.code
            with lock:
                outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(r.pk,)) for r in runs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    close_old_connections()
    assert sorted(outcomes) == ["accepted", "proposals_refused"]
    assert Placement.objects.filter(mission=mission, status=PlacementStatus.PROPOSED).count() == 1
