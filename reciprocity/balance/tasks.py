"""Celery tasks of the balance: the annual report's PDF (balance/reports.py)."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import InterfaceError, OperationalError
from django.utils import translation

from reciprocity.celery import app


@app.task(acks_late=True, reject_on_worker_lost=True,
          autoretry_for=(OperationalError, InterfaceError), retry_backoff=True,
          retry_backoff_max=300, retry_jitter=True, max_retries=5)
def annual_pdf_render(token: str) -> str:
    """Make a queued PDF; idempotent (a finished job is left as it is, a job run again after a
    lost worker starts over and writes a new file). A database outage is retried; any other
    failure is recorded on the job with its reason, never left "running"."""
    from reciprocity.accounts.models import User
    from reciprocity.balance import reports

    job = reports.job_get(token)
    if job is None:
        return "missing"  # expired, or never started
    if job["status"] in ("done", "failed"):
        return str(job["status"])
    user = User.objects.filter(pk=job["user_id"], is_active=True).first()
    if user is None:
        reports.job_update(token, status="failed", error="the reader's account is gone")
        return "failed"
    reports.job_update(token, status="running", progress=10)
    try:
        with translation.override(job["language"]):
            report = reports.annual_report_for(user, job["args"])
            reports.job_update(token, progress=40)
            pdf = reports.annual_pdf(report, reports.annual_visas_for(user, job["args"]))
        reports.job_update(token, progress=90)
        path = default_storage.save(f"reports/annual/{token}.pdf", ContentFile(pdf))
    except (OperationalError, InterfaceError):
        reports.job_update(token, status="queued", progress=0)
        raise
    except Exception as exc:  # noqa: BLE001  # recorded for the reader, then reported by Celery
        reports.job_update(token, status="failed", error=str(exc)[:300])
        raise
    reports.job_update(token, status="done", progress=100, path=path,
                       filename=reports.pdf_filename(report))
    return "done"
