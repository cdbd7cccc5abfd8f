"""Notifications answering the events of lower apps that cannot call `notify` themselves."""

from typing import Any

from reciprocity.accounts.models import User
from reciprocity.notifications.services import notify


def notify_account_security_event(
    sender: Any, *, user: User, verb: str, subject: Any, body: Any, **kwargs: Any
) -> None:
    notify(users=[user], verb=verb, subject=subject, body=body)
