"""Conversations: opening a thread, posting a message with attachments, reading, system events,
and the e-mail that tells the other parties (batched).

E-mail batching: at most one e-mail per thread and person per NOTIFY_INTERVAL. Each person's
`ThreadRead` row keeps when they were last e-mailed about the thread and when the next e-mail
may leave (`notify_due_at`). A new message sets `notify_due_at` to now (nobody e-mailed
recently) or to the end of the interval (someone e-mailed less than NOTIFY_INTERVAL ago), unless
an e-mail is already due. After commit, the e-mails due now leave; the ones due later are sent
by `conversation_digests_send` run every minute (`reciprocity conversations send-digests`, a
beat job). Each e-mail holds every message by others not yet read nor e-mailed, and is claimed
with a conditional UPDATE so that two senders never both send it.
"""

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from reciprocity.accounts.models import User
from reciprocity.applications.models import Application
from reciprocity.conversations import permissions
from reciprocity.conversations.models import (
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS,
    MAX_TEXT,
    EventCode,
    Message,
    MessageAttachment,
    MessageKind,
    Thread,
    ThreadRead,
)
from reciprocity.conversations.selectors import application_host_ids, threads_of_volunteer
from reciprocity.conversations.signals import thread_read
from reciprocity.core import uploads
from reciprocity.core.exceptions import ApplicationError, NotAllowed
from reciprocity.core.l10n import format_day, format_moment
from reciprocity.notifications.selectors import organisation_officers
from reciprocity.partners.timezones import organisation_time_zone
from reciprocity.placements.models import Placement

logger = logging.getLogger(__name__)

NOTIFY_INTERVAL = timedelta(minutes=15)


# --- threads ---------------------------------------------------------------------------------


def thread_for_placement(*, placement: Placement) -> Thread:
    """The placement's thread, created on first use (a message or an event)."""
    thread, _created = Thread.objects.get_or_create(placement=placement)
    return thread


def thread_for_application(*, application: Application, host_id: int) -> Thread:
    """The thread between an application's side and one of the hosts of its choices."""
    if host_id not in application_host_ids(application=application):
        raise ApplicationError(_("This organisation hosts none of the application's choices."),
                               code="invalid_host")
    thread, _created = Thread.objects.get_or_create(application=application, host_id=host_id)
    return thread


# --- messages --------------------------------------------------------------------------------


def _checked_uploads(files: Sequence[UploadedFile]) -> list[tuple[UploadedFile, int, str, str]]:
    if len(files) > MAX_ATTACHMENTS:
        raise ApplicationError(
            _("At most %(n)d files per message.") % {"n": MAX_ATTACHMENTS},
            code="too_many_files")
    checked = []
    for upload in files:
        size = uploads.upload_check_size(upload, max_bytes=MAX_ATTACHMENT_BYTES)
        extension, content_type = uploads.upload_file_type(upload)
        checked.append((upload, size, extension, content_type))
    return checked


@transaction.atomic
def message_post(
    *, thread: Thread, author: User, text: str, files: Sequence[UploadedFile] = (), now: datetime
) -> Message:
    """Post a message (text and/or PDF, PNG or JPEG files) in a thread the author may write in;
    the other parties are e-mailed after commit (batched, see the module's docstring)."""
    if not permissions.can_write(author, thread):
        raise NotAllowed(_("You may not write in this conversation."))
    text = text.replace("\x00", "").strip()
    if not text and not files:
        raise ApplicationError(_("Write a message or attach a file."), code="empty_message")
    if len(text) > MAX_TEXT:
        raise ApplicationError(_("A message holds at most %(n)d characters.") % {"n": MAX_TEXT},
                               code="message_too_long")
    checked = _checked_uploads(files)
    message = Message.objects.create(thread=thread, author=author, text=text)
    for upload, size, extension, content_type in checked:
        attachment = MessageAttachment(
            message=message, original_name=uploads.upload_original_name(upload),
            content_type=content_type, size=size,
        )
        # A random stored name: the original one (often the volunteer's) stays in the database.
        attachment.file.save(f"{uuid.uuid4().hex}.{extension}", upload, save=False)
        attachment.save()
    Thread.objects.filter(pk=thread.pk).update(last_message_at=now)
    _mark_read(thread=thread, user=author, up_to=message.pk)
    _schedule_emails(thread=thread, author=author, now=now)
    thread_id = thread.pk
    transaction.on_commit(lambda: _after_commit(thread_id=thread_id, now=now))
    return message


def _mark_read(*, thread: Thread, user: User, up_to: int) -> None:
    marker, _created = ThreadRead.objects.get_or_create(thread=thread, user=user)
    if marker.last_read_message_id < up_to:
        ThreadRead.objects.filter(pk=marker.pk, last_read_message_id__lt=up_to).update(
            last_read_message_id=up_to)
        thread_read.send(sender=ThreadRead, user_id=user.pk)


def thread_mark_read(*, thread: Thread, user: User) -> None:
    """The user has seen every message of the thread (opening it marks it read)."""
    last = thread.messages.order_by("-pk").values_list("pk", flat=True).first()
    if last is not None and permissions.can_read(user, thread):
        _mark_read(thread=thread, user=user, up_to=last)


# --- events ----------------------------------------------------------------------------------


def thread_event_add(*, thread: Thread, event: str, key: str, detail: str = "") -> Message | None:
    """A system event in the thread, once per `key` (the same cause never writes it twice).
    Events are shown in the thread but neither counted as unread nor e-mailed: each of them
    already has its own notification."""
    if thread.messages.filter(event_key=key).exists():
        return None
    try:
        with transaction.atomic():
            return Message.objects.create(thread=thread, kind=MessageKind.EVENT, event=event,
                                          event_key=key[:80], detail=detail[:200])
    except IntegrityError:  # written meanwhile by a concurrent run
        return None


def overdue_step_events(*, today: date) -> int:
    """An event in the placement's thread for each open procedure step past its due date, once
    per step and due date (a new due date is a new event)."""
    from reciprocity.procedures.models import OPEN_STATUSES, ProcedureStep

    steps = ProcedureStep.objects.filter(status__in=OPEN_STATUSES, due_by__lt=today).select_related(
        "procedure__placement")
    made = 0
    for step in steps.order_by("pk").iterator(chunk_size=500):
        assert step.due_by is not None
        thread = thread_for_placement(placement=step.procedure.placement)
        key = f"step:{step.pk}:{step.due_by.isoformat()}"
        if thread_event_add(thread=thread, event=EventCode.STEP_OVERDUE, key=key,
                            detail=f"{step.title} ({format_day(step.due_by)})"):
            made += 1
    return made


# --- e-mails ---------------------------------------------------------------------------------


def _recipients(thread: Thread, author: User) -> list[User]:
    """The volunteer, the parties' administrators and officers, and whoever wrote in the thread
    (staff who joined it), if they still may read it; never the author."""
    volunteer_user_id, orgs = permissions.thread_parties(thread)
    people = {u.pk: u for u in organisation_officers(orgs)}
    ids = set(thread.messages.exclude(author=None).values_list("author_id", flat=True))
    if volunteer_user_id:
        ids.add(volunteer_user_id)
    for user in User.objects.filter(pk__in=ids - set(people), is_active=True):
        people[user.pk] = user
    people.pop(author.pk, None)
    return [u for u in people.values() if permissions.can_read(u, thread)]


def _schedule_emails(*, thread: Thread, author: User, now: datetime) -> None:
    for user in _recipients(thread, author):
        marker, _created = ThreadRead.objects.get_or_create(thread=thread, user=user)
        if marker.notify_due_at is not None:
            continue  # an e-mail is already due: this message joins it
        due = now
        if marker.last_notified_at is not None:
            due = max(now, marker.last_notified_at + NOTIFY_INTERVAL)
        ThreadRead.objects.filter(pk=marker.pk, notify_due_at=None).update(notify_due_at=due)


def _after_commit(*, thread_id: int, now: datetime) -> None:
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", True):
        conversation_digests_send(now=now, thread_id=thread_id)
        return
    from reciprocity.conversations.tasks import send_conversation_digests

    send_conversation_digests.delay(thread_id)


@dataclass(frozen=True)
class _Digest:
    subject: str
    body: str
    address: str


def _thread_title(thread: Thread) -> str:
    if thread.placement_id is not None:
        placement = thread.placement
        assert placement is not None
        return _("Placement: %(volunteer)s, %(mission)s") % {
            "volunteer": placement.volunteer, "mission": placement.mission.title}
    application = thread.application
    assert application is not None
    return _("Application #%(pk)d: %(volunteer)s") % {
        "pk": application.pk, "volunteer": application.volunteer}


def _digest(marker: ThreadRead, messages: list[Message]) -> _Digest:
    user = marker.user
    # The reader's language, and times in their organisation's zone (the platform's otherwise).
    zone = organisation_time_zone(user) or timezone.get_default_timezone()
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE), \
            timezone.override(zone):
        title = _thread_title(marker.thread)
        parts = []
        for message in messages:
            who = message.author.get_full_name() or message.author.username if message.author else ""
            files = ", ".join(a.original_name for a in message.attachments.all())
            line = f"{who}, {format_moment(message.created_at)} ({zone}):\n{message.text}"
            parts.append(line + (f"\n[{_('Attached')}: {files}]" if files else ""))
        link = getattr(settings, "SITE_URL", "").rstrip("/") + reverse(
            "conversations:thread", args=[marker.thread_id])
        body = "\n\n".join(parts) + "\n\n" + _("Reply on the platform:") + f" {link}\n"
        subject = _("New messages: %(title)s") % {"title": title}
    return _Digest(subject=subject[:200], body=body, address=user.email)


def conversation_digests_send(*, now: datetime, thread_id: int | None = None) -> int:
    """Send every e-mail due by `now` (of one thread, or all); returns how many left."""
    due = ThreadRead.objects.filter(notify_due_at__lte=now).select_related(
        "user", "thread__placement__volunteer", "thread__placement__mission",
        "thread__application__volunteer")
    if thread_id is not None:
        due = due.filter(thread_id=thread_id)
    digests = []
    for marker in due.order_by("pk"):
        after = max(marker.last_read_message_id, marker.last_emailed_message_id)
        messages = list(
            marker.thread.messages.filter(kind=MessageKind.MESSAGE, pk__gt=after)
            .exclude(author_id=marker.user_id).select_related("author")
            .prefetch_related("attachments").order_by("pk"))
        wanted = bool(messages) and marker.user.is_active and bool(marker.user.email) and (
            permissions.can_read(marker.user, marker.thread))
        claim = ThreadRead.objects.filter(pk=marker.pk, notify_due_at=marker.notify_due_at)
        if not wanted:
            # Read meanwhile (or nobody to write to): nothing to send, and the interval is not
            # spent, so the next message is e-mailed at once.
            claim.update(notify_due_at=None)
            continue
        # Claimed by whoever clears the due time first: a second sender finds nothing to do.
        if claim.update(notify_due_at=None, last_notified_at=now,
                        last_emailed_message_id=messages[-1].pk):
            digests.append(_digest(marker, messages))
    if digests:
        _send(digests)
    return len(digests)


def _send(digests: list[_Digest]) -> None:
    emails = [EmailMessage(subject=d.subject, body=d.body, to=[d.address]) for d in digests]
    try:
        get_connection().send_messages(emails)
    except OSError:
        # The messages are on the platform; a mail server outage must not break the writer.
        logger.exception("could not send %d conversation e-mail(s)", len(emails))


# --- personal data ---------------------------------------------------------------------------


def conversations_export_for_volunteer(*, volunteer_id: int) -> list[dict[str, Any]]:
    """The volunteer's threads and their messages, for the export of their personal data."""
    threads = threads_of_volunteer(volunteer_id=volunteer_id).order_by("pk")
    out = []
    for thread in threads:
        out.append({
            "thread": thread.pk,
            "placement": thread.placement_id,
            "application": thread.application_id,
            "host": thread.host_id,
            "messages": [
                {"at": m.created_at.isoformat(), "kind": m.kind, "event": m.event,
                 "author": (m.author.get_full_name() or m.author.username) if m.author else "",
                 "text": m.text, "files": [a.original_name for a in m.attachments.all()]}
                for m in thread.messages.select_related("author").prefetch_related(
                    "attachments").order_by("pk")
            ],
        })
    return out


@transaction.atomic
def conversations_erase_for_volunteer(*, volunteer_id: int, now: datetime) -> int:
    """At anonymisation: the texts and files of every message about the volunteer are erased
    (the thread and its events stay, so the placement's history keeps its shape)."""
    messages = Message.objects.filter(
        thread__in=threads_of_volunteer(volunteer_id=volunteer_id), kind=MessageKind.MESSAGE,
    ).filter(Q(erased_at=None))
    for attachment in MessageAttachment.objects.filter(message__in=messages):
        attachment.file.delete(save=False)
    MessageAttachment.objects.filter(message__in=messages).delete()
    return messages.update(text="", erased_at=now)
