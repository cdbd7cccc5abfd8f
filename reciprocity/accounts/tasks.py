"""The account e-mails sent by a Celery worker (when REDIS_URL is set; see accounts/mail.py)."""

from reciprocity.celery import app


@app.task(acks_late=True, autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=3600,
          retry_jitter=True, max_retries=8)
def send_account_email(subject: str, body: str, to: str) -> None:
    """Send one account e-mail; a mail server outage (OSError) is retried with a growing pause."""
    from reciprocity.accounts.mail import _send

    _send(subject=subject, body=body, to=to, raise_errors=True)
