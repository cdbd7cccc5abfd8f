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
    """Run a queued import; a batch already started or finished is left as it is."""
    return run_now(batch_id)
