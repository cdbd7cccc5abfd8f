"""Writing notifications: an in-app row per user now, the e-mail only once the data are saved."""

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import translation

from reciprocity.accounts.models import User
from reciprocity.notifications.models import Notification

logger = logging.getLogger(__name__)


def _in_language(value: Any, language: str) -> str:
    # Lazy translations given by callers are rendered in each recipient's own language.
    with translation.override(language or settings.LANGUAGE_CODE):
        return str(value)


def notify(
    *, users: Iterable[User], subject: Any, body: Any = "", link: str = "", verb: str = ""
) -> list[Notification]:
    """Notify each distinct active user in the app and by e-mail.

    The e-mail leaves through `transaction.on_commit`: if the surrounding transaction rolls back,
    the rows disappear with it and nobody is told about something that did not happen.
    """
    recipients = {u.pk: u for u in users if u is not None and u.is_active}.values()
    rows = [
        Notification(
            user=user,
            verb=verb[:60],
            subject=_in_language(subject, user.preferred_language)[:200],
            text=_in_language(body, user.preferred_language),
            link=link[:500],
        )
        for user in recipients
    ]
    Notification.objects.bulk_create(rows)
    messages = [(row.subject, row.text, row.link, row.user.email) for row in rows if row.user.email]
    if messages:
        transaction.on_commit(lambda: _dispatch_emails(messages))
    return rows


def _dispatch_emails(messages: list[tuple[str, str, str, str]]) -> None:
    """After commit: through a Celery worker when one is configured (retried there with a
    growing pause while the mail server is down), else right here as before."""
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", True):
        _send_emails(messages)
        return
    from reciprocity.notifications.tasks import send_notification_emails

    send_notification_emails.delay([list(message) for message in messages])


def _send_emails(messages: list[tuple[str, str, str, str]], *, raise_errors: bool = False) -> None:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    emails = [
        EmailMessage(
            subject=subject,
            body=f"{text}\n\n{base}{link}" if link else text,
            to=[address],
        )
        for subject, text, link, address in messages
    ]
    try:
        get_connection().send_messages(emails)
    except OSError:
        if raise_errors:
            raise
        # The in-app copy exists; a mail server outage must not break the user's action.
        logger.exception("could not send %d notification e-mail(s)", len(emails))


def notification_mark_read(
    *, user: User, now: datetime, notification_id: int | None = None
) -> int:
    """Mark one of the user's notifications (or all of them) as read at `now`; returns how many
    changed."""
    qs = Notification.objects.filter(user=user).unread()
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=now)


def notifications_anonymise_for_volunteer(*, user_id: int) -> int:
    """At a volunteer's anonymisation (workflow/personal_data.py): the notifications of their
    own account go (they name missions and people); returns how many."""
    deleted, _by_model = Notification.objects.filter(user_id=user_id).delete()
    return deleted
