"""Two requests opening the same placement's procedure, or ticking the same step, at once.

Real threads with their own connections, released together; only PostgreSQL's row locks make
this meaningful (SQLite serialises whole-database writes).
"""

import datetime
import threading
from collections.abc import Callable

import pytest
from django.db import close_old_connections, connection

from reciprocity.core.exceptions import ApplicationError
from reciprocity.procedures.models import Procedure, ProcedureStep, StepStatusChange
from reciprocity.procedures.services import procedure_open_for_placement, procedure_step_advance
from reciprocity.procedures.tests.conftest import TODAY

THREADS = 6

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


def race(work: Callable[[], str]) -> list[str]:
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run() -> None:
        try:
            barrier.wait(timeout=30)
            try:
                outcome = work()
            except ApplicationError as exc:
                outcome = exc.code
            with lock:
                outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    close_old_connections()
    return sorted(outcomes)


def test_concurrent_opens_give_one_procedure(placement):
    outcomes = race(lambda: str(procedure_open_for_placement(placement=placement, today=TODAY, now=NOW).pk))

    assert len(outcomes) == THREADS and len(set(outcomes)) == 1
    assert Procedure.objects.filter(placement=placement).count() == 1


def test_concurrent_ticks_of_one_step_record_one_change(placement, host_officer):
    step = procedure_open_for_placement(placement=placement, today=TODAY, now=NOW).steps.get(code="insurance")

    outcomes = race(lambda: procedure_step_advance(
        step=ProcedureStep(pk=step.pk), to_status="done", actor=host_officer, now=NOW).status)

    assert outcomes.count("done") == 1
    assert outcomes.count("invalid_transition") == THREADS - 1
    assert StepStatusChange.objects.filter(step_id=step.pk).count() == 1
