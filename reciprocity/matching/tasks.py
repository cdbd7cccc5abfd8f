"""Celery tasks of placement runs (reciprocity/celery.py; docs/decisions/0009-celery.md)."""

from celery import Task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from reciprocity.celery import app
from reciprocity.matching.models import PlacementRun, RunStatus


@app.task(bind=True, acks_late=True, reject_on_worker_lost=True,
          autoretry_for=(OperationalError, InterfaceError), retry_backoff=True,
          retry_backoff_max=300, retry_jitter=True, max_retries=5)
def placement_run_execute(self: Task, run_id: int) -> str:
    """Execute a queued run; idempotent: a run already finished is left as it is, and a run
    found `running` was being executed by a worker that died, so it is marked failed. The task
    is the edge of this background work: it hands the clock to the services.

    A database outage before the run starts is retried with a growing pause; once started,
    run_execute records any failure on the run itself."""
    from reciprocity.matching.services import run_execute, run_fail_interrupted

    run = PlacementRun.objects.filter(pk=run_id).first()
    if run is None:
        return "missing"
    if run.status == RunStatus.RUNNING:
        run_fail_interrupted(run_id=run_id, now=timezone.now())
        return RunStatus.FAILED.value
    if run.status != RunStatus.QUEUED:
        return str(run.status)
    return str(run_execute(run=run, clock=timezone.now).status)


@app.task(acks_late=True, reject_on_worker_lost=True,
          autoretry_for=(OperationalError, InterfaceError), retry_backoff=True,
          retry_backoff_max=300, retry_jitter=True, max_retries=5)
def proposals_accept(acceptance_id: int) -> str:
    """Accept a run's proposals (matching.services.acceptance_execute); idempotent: the
    acceptance is one transaction, and a finished acceptance is left as it is."""
    from reciprocity.matching.services import acceptance_execute

    return str(acceptance_execute(acceptance_id=acceptance_id, clock=timezone.now).status)


@app.task(acks_late=True, reject_on_worker_lost=True,
          autoretry_for=(OperationalError, InterfaceError), retry_backoff=True,
          retry_backoff_max=300, retry_jitter=True, max_retries=5)
def pairing_run_execute(run_id: int) -> str:
    """Execute a queued pairing run (matching.pairing_services); idempotent: a run no longer
    queued is left as it is (the pairing takes milliseconds: a run found `running` is one
    whose worker died between two short transactions, and is marked failed)."""
    from reciprocity.matching.models import PairingRun
    from reciprocity.matching.pairing_services import pairing_run_execute as execute
    from reciprocity.matching.pairing_services import pairing_run_fail_interrupted

    run = PairingRun.objects.filter(pk=run_id).first()
    if run is None:
        return "missing"
    if run.status == RunStatus.RUNNING:
        pairing_run_fail_interrupted(run_id=run_id, now=timezone.now())
        return RunStatus.FAILED.value
    if run.status != RunStatus.QUEUED:
        return str(run.status)
    return str(execute(run_id=run_id, clock=timezone.now).status)
