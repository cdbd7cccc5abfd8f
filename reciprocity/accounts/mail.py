"""E-mails of the account pages anyone may use (the password reset link, the sign-up's
confirmation link), handed to a Celery worker when one is configured.

Sent in the request, a message to an existing account would make the answer slower than the one
for an unknown address (the mail server's round trip): a visitor could time the page to learn
whether an address has an account. Queued, every answer takes the same time; the owner notice
of a sign-up with a known address goes through the notifications' worker the same way. Without
a broker (`make run`, the tests, a single-process install) the message is sent in the request,
as before.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage

logger = logging.getLogger(__name__)


def account_email_send(*, subject: str, body: str, to: str) -> None:
    """Send now, or queue when a worker is configured (CELERY_TASK_ALWAYS_EAGER off)."""
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", True):
        _send(subject=subject, body=body, to=to)
        return
    from reciprocity.accounts.tasks import send_account_email

    send_account_email.delay(subject, body, to)


def _send(*, subject: str, body: str, to: str, raise_errors: bool = False) -> None:
    try:
        EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL,
                     to=[to]).send()
    except OSError:
        if raise_errors:
            raise
        # As Django's password reset does: the page answers the same; the failure is logged.
        logger.exception("could not send an account e-mail")
