"""The Celery task of an import (reciprocity/celery.py; docs/decisions/0009-celery.md). The
clock is read here, at the edge, and handed to the service."""

from django.db import InterfaceError, OperationalError
from django.utils import timezone

from reciprocity.celery import app


def run_now(batch_id: int) -> str:
    from reciprocity.imports.services import batch_execute

    return str(batch_execute(batch_id=batch_id, today=timezone.localdate(),
                             now=timezone.now).status)


@app.task(acks_late=True, reject_on_worker_lost=True,
          autoretry_for=(OperationalError, InterfaceError), retry_backoff=True,
          retry_backoff_max=300, retry_jitter=True, max_retries=5)
def import_batch_execute(batch_id: int) -> str:
    """Run a queued import; idempotent: a finished batch is left as it is, and a batch found
    `running` was being imported by a worker that died (the task is acknowledged only at its
    end, so it is delivered again), so it is marked failed: its transaction rolled back with
    the worker, nothing was written (imports/services.py)."""
    from reciprocity.imports.models import ImportBatch, ImportStatus
    from reciprocity.imports.services import batch_fail_interrupted

    status = ImportBatch.objects.filter(pk=batch_id).values_list("status", flat=True).first()
    if status is None:
        return "missing"
    if status == ImportStatus.RUNNING:
        batch_fail_interrupted(batch_id=batch_id, now=timezone.now())
        return ImportStatus.FAILED.value
    return run_now(batch_id)
