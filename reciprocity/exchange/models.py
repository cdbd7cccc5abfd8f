"""What the exchange files carry beyond our own records, kept so that exports give it back.

A mission holds what the platform uses (title, dates, places, country, languages, ages); the
rest of a PEF project (work codes, fees, the description sections, coordinates…) lives in
`ProjectDetails`. An application holds the volunteer and the choices; the rest of the VEF
(addresses, emergency contact, passport details…) lives in `VefRecord`, the passport text
encrypted at rest like other identity-document numbers.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from reciprocity.core.fields import EncryptedTextField
from reciprocity.core.models import TimeStampedModel


class ProjectDetails(TimeStampedModel):
    mission = models.OneToOneField(
        "missions.Mission", on_delete=models.CASCADE, primary_key=True,
        related_name="exchange_details",
    )
    # The PEF project as last imported (formats.PefProject as JSON) and the mission values it
    # gave: an export writes the file's value while the mission still has the imported one,
    # and the mission's own value once somebody changed it here.
    project: models.JSONField = models.JSONField(_("project"), default=dict)
    derived: models.JSONField = models.JSONField(_("mission values"), default=dict)
    source = models.CharField(_("file"), max_length=255, blank=True)
    # The project's free places as PLATO last reported them (GetAllFreePlaces: an FPL record).
    free_places: models.JSONField = models.JSONField(_("free places"), default=dict, blank=True)
    free_places_at = models.DateTimeField(_("free places fetched at"), null=True, blank=True)

    class Meta:
        verbose_name = _("exchange project details")
        verbose_name_plural = _("exchange project details")

    def __str__(self) -> str:
        return f"{self.mission_id}: {self.project.get('project_id', '')}"


class VefRecord(TimeStampedModel):
    """One VEF as received: the application it became and the fields we have no column for."""

    application = models.OneToOneField(
        "applications.Application", on_delete=models.CASCADE, primary_key=True,
        related_name="vef_record",
    )
    volunteer = models.ForeignKey(
        "volunteers.Volunteer", on_delete=models.CASCADE, related_name="vef_records"
    )
    sender = models.ForeignKey(
        "partners.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    # The day the sending organisation first filed the VEF: with the volunteer and the
    # sender, it tells a re-sent VEF (update) from a new season's one (a new application).
    date_filed = models.DateField(_("date filed"), null=True, blank=True)
    details: models.JSONField = models.JSONField(_("details"), default=dict)
    passport = EncryptedTextField(_("passport details"), blank=True)
    source = models.CharField(_("file"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("VEF record")
        verbose_name_plural = _("VEF records")
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "sender", "date_filed"], name="vef_record_unique_filing"
            ),
        ]

    def __str__(self) -> str:
        return f"VEF {self.application_id}"


# --- webhooks ------------------------------------------------------------------------------------


class WebhookEvent(models.TextChoices):
    APPLICATION_SUBMITTED = "application.submitted", _("Application submitted")
    APPLICATION_DECIDED = "application.decided", _("Application decided (accepted or refused)")
    PLACEMENT_PROPOSED = "placement.proposed", _("Placement proposed")
    PLACEMENT_CONFIRMED = "placement.confirmed", _("Placement confirmed")
    PLACEMENT_CANCELLED = "placement.cancelled", _("Placement cancelled")
    STEP_OVERDUE = "procedure.step_overdue", _("Procedure step overdue")


class WebhookEndpoint(TimeStampedModel):
    """An HTTPS address of a partner's system, told about the events it chose."""

    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(_("address"), max_length=500)
    events: models.JSONField = models.JSONField(_("events"), default=list)
    # Kept to sign each delivery, so encrypted at rest rather than hashed.
    secret = EncryptedTextField(_("secret"))
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return self.url


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed (gave up)")


class WebhookDelivery(models.Model):
    """One event for one endpoint, with every attempt's outcome (the last one kept)."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(_("event"), max_length=40, choices=WebhookEvent.choices)
    payload: models.JSONField = models.JSONField(_("payload"), default=dict)
    # Events signalled by a periodic scan (an overdue step) carry a key, so they go out once.
    dedupe_key = models.CharField(max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True,
                                           db_index=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(_("answer"), null=True, blank=True)
    response_body = models.TextField(_("answer body"), blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "dedupe_key"], condition=~models.Q(dedupe_key=""),
                name="webhook_delivery_once",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=DeliveryStatus.values),
                name="webhook_delivery_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint_id} ({self.status})"
