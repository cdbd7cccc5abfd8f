"""Conversations: one thread per placement and one per (application, host), their messages,
attachments and each reader's position (read up to, e-mailed up to).

An application thread is kept per host because a host sees only the choices made for its own
missions: a single thread shared by every host of an application would tell each of them where
else the volunteer applied, and let them read each other's messages.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024  # the same bound as procedure documents
MAX_ATTACHMENTS = 5
MAX_TEXT = 20000


class Thread(models.Model):
    placement = models.ForeignKey(
        "placements.Placement", on_delete=models.CASCADE, null=True, blank=True,
        related_name="threads",
    )
    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, null=True, blank=True,
        related_name="threads",
    )
    # The host this application thread is with (one of the hosts of the application's choices).
    host = models.ForeignKey(
        "partners.Organisation", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_message_at = models.DateTimeField(_("last message at"), null=True, blank=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(placement__isnull=False, application__isnull=True, host__isnull=True)
                    | Q(placement__isnull=True, application__isnull=False, host__isnull=False)
                ),
                name="thread_one_subject",
            ),
            models.UniqueConstraint(
                fields=["placement"], condition=Q(placement__isnull=False),
                name="thread_one_per_placement",
            ),
            models.UniqueConstraint(
                fields=["application", "host"], condition=Q(application__isnull=False),
                name="thread_one_per_application_host",
            ),
        ]

    def __str__(self) -> str:
        if self.placement_id:
            return f"placement {self.placement_id}"
        return f"application {self.application_id} / host {self.host_id}"


class MessageKind(models.TextChoices):
    MESSAGE = "message", _("Message")
    EVENT = "event", _("Event")


class EventCode(models.TextChoices):
    ACCEPTED = "accepted", _("The host accepted the application.")
    CONFIRMED = "confirmed", _("The placement was confirmed.")
    CANCELLED = "cancelled", _("The placement was cancelled.")
    WITHDRAWN = "withdrawn", _("The application was withdrawn.")
    STEP_OVERDUE = "step_overdue", _("A procedure step is overdue.")


class Message(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=10, choices=MessageKind.choices, default=MessageKind.MESSAGE)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    text = models.TextField(_("text"), blank=True)
    event = models.CharField(max_length=20, blank=True, choices=EventCode.choices)
    # What an event is about ("ProcedureStep 12 due 2026-11-20"): shown after its sentence.
    detail = models.CharField(max_length=200, blank=True)
    # An event is written once per cause (a status change row, a step and its due date).
    event_key = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=MessageKind.MESSAGE, event="")
                           | Q(kind=MessageKind.EVENT, event__in=EventCode.values)),
                name="message_kind_event",
            ),
            models.UniqueConstraint(
                fields=["thread", "event_key"], condition=~Q(event_key=""),
                name="message_event_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.thread_id}: {self.kind} {self.pk}"

    @property
    def is_event(self) -> bool:
        return self.kind == MessageKind.EVENT


class MessageAttachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="conversations/%Y/%m/", max_length=255)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        verbose_name = _("message attachment")
        verbose_name_plural = _("message attachments")
        constraints = [
            models.CheckConstraint(
                condition=Q(size__gt=0) & Q(size__lte=MAX_ATTACHMENT_BYTES),
                name="message_attachment_size",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.message_id}: {self.original_name}"


class ThreadRead(models.Model):
    """One person's position in one thread: read up to, e-mailed up to, and the e-mail batching
    (at most one e-mail per thread and person per NOTIFY_INTERVAL; see services.py)."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_message_id = models.BigIntegerField(default=0)
    last_emailed_message_id = models.BigIntegerField(default=0)
    last_notified_at = models.DateTimeField(null=True, blank=True)
    # When the next e-mail may leave (set when a message arrives, cleared when it is sent).
    notify_due_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("conversation read marker")
        verbose_name_plural = _("conversation read markers")
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="thread_read_once"),
        ]

    def __str__(self) -> str:
        return f"{self.thread_id}: user {self.user_id}"
