"""Conversation e-mails sent by a Celery worker (when REDIS_URL is set; see services.py)."""

from django.utils import timezone

from reciprocity.celery import app


@app.task(acks_late=True)
def send_conversation_digests(thread_id: int | None = None) -> int:
    """Send the conversation e-mails due now (of one thread, or of all)."""
    from reciprocity.conversations.services import conversation_digests_send

    return conversation_digests_send(now=timezone.now(), thread_id=thread_id)
