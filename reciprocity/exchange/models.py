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
