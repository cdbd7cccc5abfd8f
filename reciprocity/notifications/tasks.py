"""Notification e-mails sent by a Celery worker (when REDIS_URL is set; see services.py)."""

from reciprocity.celery import app


@app.task(acks_late=True, autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=3600,
          retry_jitter=True, max_retries=8)
def send_notification_emails(messages: list[list[str]]) -> int:
    """Send (subject, text, link, address) e-mails; a mail server outage (OSError) is retried
    with a growing pause. At least once: a retry after a partly sent batch may repeat some."""
    from reciprocity.notifications.services import _send_emails

    _send_emails([(s, t, link, a) for s, t, link, a in messages], raise_errors=True)
    return len(messages)
