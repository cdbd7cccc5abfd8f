from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from reciprocity.core.models import TimeStampedModel


class PlacementStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")
    IN_MISSION = "in_mission", _("In mission")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    INTERRUPTED = "interrupted", _("Interrupted")


# Statuses that hold a place in the mission, the quota and the accreditation.
HOLDING_STATUSES = (
    PlacementStatus.CONFIRMED,
    PlacementStatus.IN_MISSION,
    PlacementStatus.COMPLETED,
    PlacementStatus.INTERRUPTED,
)


class Placement(TimeStampedModel):
    volunteer = models.ForeignKey(
        "volunteers.Volunteer", on_delete=models.PROTECT, related_name="placements"
    )
    mission = models.ForeignKey(
        "missions.Mission", on_delete=models.PROTECT, related_name="placements"
    )
    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.PROTECT, null=True, blank=True,
        related_name="placements",
    )
    application = models.ForeignKey(
        "applications.Application", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="placements",
    )
    sending_organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.PROTECT, null=True, blank=True,
        related_name="sent_placements",
    )
    # Snapshots taken when the placement is made: balances must not move if a record is edited.
    nationality = CountryField(_("nationality"))
    host_country = CountryField(_("host country"))
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    status = models.CharField(
        _("status"), max_length=12, choices=PlacementStatus.choices,
        default=PlacementStatus.PROPOSED,
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.TextField(_("end reason"), blank=True)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__lte=F("end_date")), name="placement_period"
            ),
            models.CheckConstraint(
                condition=Q(status__in=PlacementStatus.values), name="placement_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("start_date")),
                name="placement_ended_after_start",
            ),
            # The same volunteer cannot hold the same mission twice at once.
            models.UniqueConstraint(
                fields=["volunteer", "mission"],
                condition=~Q(status="cancelled"),
                name="placement_unique_active_per_mission",
            ),
        ]
        indexes = [
            models.Index(fields=["host_country", "start_date"]),
            models.Index(fields=["nationality", "start_date"]),
            models.Index(fields=["status"]),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} → {self.mission}"


class PlacementStatusChange(models.Model):
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("placement status change")
        verbose_name_plural = _("placement status changes")

    def __str__(self) -> str:
        return f"{self.placement_id}: {self.from_status} → {self.to_status}"
