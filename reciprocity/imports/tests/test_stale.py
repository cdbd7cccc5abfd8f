"""Imports whose process died: failed with their reason by the stale sweep (the command and the
daily job) and by the task delivered again after its worker died; idempotent; the page says so."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from reciprocity.accounts.tests.factories import StaffFactory
from reciprocity.core.tasks import DAILY_JOBS, run_job
from reciprocity.imports.models import ImportBatch, ImportStatus
from reciprocity.imports.services import batch_create, batch_execute, batches_fail_stale
from reciprocity.imports.tasks import import_batch_execute
from reciprocity.imports.tests.helpers import MISSION_HEADER, csv_bytes, mission_line
from reciprocity.missions.models import Mission
from reciprocity.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def batch(*, status: str, started_ago: datetime.timedelta | None = None, **fields) -> ImportBatch:  # type: ignore[no-untyped-def]
    started = timezone.now() - started_ago if started_ago is not None else None
    return ImportBatch.objects.create(kind="missions", file="imports/x.csv", file_name="x.csv",
                                      sha256="0" * 64, status=status, started_at=started,
                                      **fields)


class TestBatchesFailStale:
    def test_fails_running_and_waiting_imports_past_the_limit_with_their_reason(self):
        now = timezone.now() + 2 * HOUR
        running = batch(status="running", started_ago=datetime.timedelta(0))
        waiting = batch(status="queued")
        recent = batch(status="running", started_ago=-2 * HOUR + datetime.timedelta(minutes=10))
        done = batch(status="done", started_ago=datetime.timedelta(0), finished_at=timezone.now())

        failed = batches_fail_stale(older_than_seconds=3600, now=now)

        assert {b.pk for b in failed} == {running.pk, waiting.pk}
        running.refresh_from_db()
        waiting.refresh_from_db()
        assert (running.status, running.finished_at) == (ImportStatus.FAILED, now)
        assert "stopped without finishing" in running.report["failure"]
        assert "never started" in waiting.report["failure"]
        recent.refresh_from_db()
        done.refresh_from_db()
        assert (recent.status, done.status) == (ImportStatus.RUNNING, ImportStatus.DONE)

    def test_is_idempotent(self):
        now = timezone.now() + 2 * HOUR
        stale = batch(status="running", started_ago=datetime.timedelta(0))
        batches_fail_stale(older_than_seconds=3600, now=now)

        again = batches_fail_stale(older_than_seconds=3600, now=now + HOUR)

        assert again == []
        stale.refresh_from_db()
        assert stale.finished_at == now

    def test_an_import_failed_while_waiting_never_runs(self):
        host = OrganisationFactory(name="Maison des Solidarités", country="FR", is_host=True)
        queued = batch_create(kind="missions", name="m.csv", actor=StaffFactory(), source="cli",
                              data=csv_bytes(MISSION_HEADER, [mission_line("WC-1")]))

        def clock() -> datetime.datetime:
            # The sweep passes just as the import would start.
            batches_fail_stale(older_than_seconds=0, now=timezone.now() + HOUR)
            return timezone.now()

        result = batch_execute(batch_id=queued.pk, today=timezone.localdate(), now=clock)

        assert result.status == ImportStatus.FAILED
        assert "never started" in result.report["failure"]
        assert not Mission.objects.filter(host=host).exists()


def test_the_command_and_the_daily_job_fail_what_a_dead_process_left():
    # The frozen clock reads 09:00; the limit is CELERY_TASK_TIME_LIMIT (3600) + 300 seconds.
    old = batch(status="running", started_ago=2 * HOUR)
    young = batch(status="running", started_ago=datetime.timedelta(minutes=30))
    out = io.StringIO()

    call_command("import", "fail-stale", stdout=out)

    assert "1 import(s) marked failed." in out.getvalue()
    old.refresh_from_db()
    young.refresh_from_db()
    assert (old.status, young.status) == (ImportStatus.FAILED, ImportStatus.RUNNING)
    assert DAILY_JOBS["imports-fail-stale"] == ("import", "fail-stale")
    assert "0 import(s) marked failed." in run_job("imports-fail-stale")


def test_a_task_delivered_again_after_its_worker_died_fails_the_import_once():
    interrupted = batch(status="running", started_ago=datetime.timedelta(minutes=5))

    assert import_batch_execute(interrupted.pk) == "failed"
    interrupted.refresh_from_db()
    finished_at = interrupted.finished_at
    assert interrupted.status == ImportStatus.FAILED
    assert "stopped without finishing" in interrupted.report["failure"]
    # A third delivery changes nothing.
    assert import_batch_execute(interrupted.pk) == "failed"
    interrupted.refresh_from_db()
    assert interrupted.finished_at == finished_at
    assert import_batch_execute(987654) == "missing"


def test_the_page_of_a_failed_stale_import_says_why_and_stops_refreshing(client):
    staff = StaffFactory()
    stale = batch(status="running", started_ago=2 * HOUR, created_by=staff, rows=10)
    call_command("import", "fail-stale", stdout=io.StringIO())
    client.force_login(staff)

    body = client.get(reverse("imports:batch", args=[stale.pk])).content.decode()

    assert 'data-status="failed"' in body and 'id="import-failure"' in body
    assert "stopped without finishing" in body and "upload the file again" in body
    assert '<meta http-equiv="refresh"' not in body
