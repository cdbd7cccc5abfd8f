"""Celery tasks of the platform as a whole: the daily jobs of the beat schedule (settings
CELERY_BEAT_SCHEDULE) and a ping for the readiness check and the tests.

Each daily job is the `reciprocity` command an operator would run by hand, so the schedule and a
manual run do exactly the same thing; every one of them is safe to run twice (each choice is
flagged once, each reminder and alert is recorded, anonymised volunteers are skipped, only
`running` runs and imports past their limit are failed, deliveries are sent once)."""

import io

from django.core.management import call_command
from django.db import InterfaceError, OperationalError

from reciprocity.celery import app

# Task argument -> the command line it runs. Only these can be scheduled.
DAILY_JOBS: dict[str, tuple[str, ...]] = {
    "procedures-remind": ("procedures", "remind"),
    "applications-flag-overdue": ("applications", "flag-overdue"),
    "applications-expire-offers": ("applications", "expire-offers"),
    "balance-alerts": ("balance", "alerts"),
    "volunteers-anonymise": ("volunteers", "anonymise"),
    "matching-fail-stale": ("matching", "fail-stale"),
    "imports-fail-stale": ("import", "fail-stale"),
    "webhooks-deliver": ("webhooks", "deliver"),
    "conversations-send-digests": ("conversations", "send-digests"),
    "conversations-overdue-events": ("conversations", "overdue-events"),
}


@app.task(acks_late=True, autoretry_for=(OperationalError, InterfaceError), retry_backoff=True,
          retry_backoff_max=600, retry_jitter=True, max_retries=5)
def run_job(name: str) -> str:
    """Run one of DAILY_JOBS; a database outage is retried with a growing pause."""
    if name not in DAILY_JOBS:
        raise ValueError(f"unknown job {name!r}")
    out = io.StringIO()
    call_command(*DAILY_JOBS[name], stdout=out, stderr=out)
    return out.getvalue()[-2000:]


@app.task
def ping() -> str:
    return "pong"
