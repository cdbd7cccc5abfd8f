"""End to end: a Celery worker killed in the middle of a placement run (marker `redis`).

A real Redis (REDIS_URL) and real worker processes started here, on the test's PostgreSQL
database (the worker is another process: it must see committed rows, hence a transactional test,
and SQLite's in-memory test database is out of its reach). A run is submitted through the API;
the test holds an exclusive lock on the applications' choices table, so the worker, once it has
marked the run `running`, waits inside the run (building its instance) for as long as the test
wants: the kill lands mid-run every time, whatever the machine's speed. Then:

- the worker is killed with SIGKILL (no chance to clean up or hand the task back);
- /readyz answers 503 naming the missing worker, and the run is still `running`;
- the lock is released, and a new worker started: Redis hands it the unacknowledged task once
  the visibility timeout has passed (`CELERY_VISIBILITY_TIMEOUT`, a few seconds here; about an
  hour in production, where `matching fail-stale` every 15 minutes comes first), and the task,
  finding its run `running`, marks it failed with its reason (matching/tasks.py). Never
  "running" for ever; nothing half-written (no proposal).
The worker logs JSON lines, under the id of the request that submitted the run.
"""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from reciprocity.accounts.tests.factories import api_token_for
from reciprocity.celery import app
from reciprocity.core.health import check_worker
from reciprocity.matching.models import PlacementRun, RunProposal, RunStatus
from reciprocity.matching.tests.conftest import SEASON, Season

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres_only,
    pytest.mark.worker_e2e,
    pytest.mark.django_db(transaction=True),
]

VISIBILITY_TIMEOUT = 6  # seconds before Redis hands an unacknowledged task to another worker
LOCKED_TABLE = "applications_applicationchoice"


def wait_for(condition, *, timeout: float, what: str, every: float = 0.25):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def database_url() -> str:
    db = connection.settings_dict
    return (f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}")


class Worker:
    def __init__(self, queue: str, name: str, log: Path) -> None:
        celery = str(Path(sys.executable).with_name("celery"))
        env = {**os.environ, "DATABASE_URL": database_url(), "LOG_FORMAT": "json",
               "LOG_LEVEL": "INFO", "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT)}
        env.pop("DATABASE_REPLICA_URL", None)
        self.log = log
        self.process = subprocess.Popen(
            [celery, "-A", "reciprocity", "worker", "--pool=solo", "--concurrency=1",
             "--without-gossip", "--without-mingle", "--loglevel=INFO", "-Q", queue,
             "--hostname", f"{name}-{os.getpid()}@%h"],
            env=env, stdout=subprocess.DEVNULL, stderr=log.open("w"))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def run_status(run_id: int) -> str:
    return PlacementRun.objects.values_list("status", flat=True).get(pk=run_id)


def waiting_on_the_lock(lock_conn: psycopg.Connection) -> bool:
    with lock_conn.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "WHERE c.relname = %s AND NOT l.granted", [LOCKED_TABLE])
        return cursor.fetchone()[0] > 0


def test_a_worker_killed_mid_run_leaves_the_run_failed_with_its_reason(
        client, season: Season, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is not set: no Redis to test against")
    if connection.vendor != "postgresql":
        pytest.skip("the worker process must reach the test database: PostgreSQL only")
    settings.MATCHING_RUNNER = "celery"
    # A queue of this test's own: no other worker on the same Redis takes its task.
    queue = f"test-kill-{uuid.uuid4().hex[:8]}"
    routes = app.conf.task_routes
    app.conf.task_routes = {"reciprocity.matching.tasks.placement_run_execute": {"queue": queue}}
    app.amqp.flush_routes()
    db = connection.settings_dict
    lock_conn = psycopg.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432,
                                user=db["USER"], password=db["PASSWORD"], dbname=db["NAME"])
    workers: list[Worker] = []
    try:
        with lock_conn.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {LOCKED_TABLE} IN ACCESS EXCLUSIVE MODE")
        first = Worker(queue, "first", tmp_path / "first.log")
        workers.append(first)
        wait_for(lambda: check_worker() is None, timeout=90, what="the first worker")

        with connection.cursor() as cursor:  # never wait on our own lock: fail instead
            cursor.execute("SET lock_timeout = '30s'")
        response = client.post(
            "/api/v1/matching/runs",
            json.dumps({"season_start": SEASON[0].isoformat(), "season_end": SEASON[1].isoformat(),
                        "time_limit": 5, "label": "killed"}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {api_token_for(season.staff)}",
            HTTP_X_REQUEST_ID="req-kill-worker-test-0001")
        assert response.status_code == 201, response.content
        run_id = response.json()["id"]

        # Generous: on a loaded 2-core CI machine a fresh worker can take minutes to fetch.
        wait_for(lambda: run_status(run_id) == RunStatus.RUNNING, timeout=240,
                 what="the worker to start the run")
        wait_for(lambda: waiting_on_the_lock(lock_conn), timeout=60,
                 what="the worker to reach the locked table")
        first.process.send_signal(signal.SIGKILL)
        first.process.wait(timeout=30)

        ready = client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["failing"] == ["worker"]
        assert ready.json()["checks"]["worker"] == "no worker replied"
        assert run_status(run_id) == RunStatus.RUNNING
        killed_at = time.monotonic()

        lock_conn.rollback()  # the dead worker's statement may now end; nobody reads its answer
        time.sleep(max(0.0, VISIBILITY_TIMEOUT + 1 - (time.monotonic() - killed_at)))
        second = Worker(queue, "second", tmp_path / "second.log")
        workers.append(second)
        wait_for(lambda: run_status(run_id) in (RunStatus.SUCCEEDED, RunStatus.FAILED),
                 timeout=180, what="the run to finish or fail after the restart")

        run = PlacementRun.objects.get(pk=run_id)
        assert run.status == RunStatus.FAILED
        assert "worker stopped" in run.error and run.finished_at is not None
        assert not RunProposal.objects.filter(run=run).exists()
        assert list(run.history.values_list("to_status", flat=True).order_by("pk")) == [
            RunStatus.QUEUED, RunStatus.RUNNING, RunStatus.FAILED]
        ready = client.get("/readyz")
        assert ready.status_code == 200, ready.content

        # The second worker's log: JSON lines, the task's under the submitting request's id.
        second.stop()
        records = [json.loads(line) for line in second.log.read_text().splitlines()
                   if line.startswith("{")]
        assert any(r.get("request_id") == "req-kill-worker-test-0001" and r.get("task_id")
                   for r in records), second.log.read_text()[-3000:]
    finally:
        lock_conn.close()
        for worker in workers:
            worker.stop()
        app.conf.task_routes = routes
        app.amqp.flush_routes()
