from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reciprocity.core.models import TimeStampedModel

MAX_CHOICES = 6


class ApplicationKind(models.TextChoices):
    APPLICATION = "application", _("Application")
    NOMINATION = "nomination", _("Nomination")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    PLACED = "placed", _("Placed")


class Application(TimeStampedModel):
    volunteer = models.ForeignKey(
        "volunteers.Volunteer", on_delete=models.CASCADE, related_name="applications"
    )
    sending_organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.PROTECT, null=True, blank=True,
        related_name="sent_applications",
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=ApplicationKind.choices,
        default=ApplicationKind.APPLICATION,
    )
    programme = models.ForeignKey(
        "agreements.Programme", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="applications",
    )
    motivation = models.TextField(_("motivation"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values), name="application_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ApplicationKind.values), name="application_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} #{self.pk}"


class ChoiceStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ApplicationChoice(TimeStampedModel):
    """One ranked mission of an application (rank 1 = first choice); the host decides on it."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="choices")
    mission = models.ForeignKey(
        "missions.Mission", on_delete=models.PROTECT, related_name="application_choices"
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    status = models.CharField(
        _("status"), max_length=12, choices=ChoiceStatus.choices, default=ChoiceStatus.PENDING
    )
    decision_reason = models.TextField(_("reason"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # The eligibility verdict computed when the choice was made ({"checked", "eligible",
    # "reasons", "warnings"}), kept so that the host sees what the applicant was told.
    eligibility = models.JSONField(_("eligibility"), default=dict, blank=True)
    # Set when the choice was flagged as waiting too long for a decision; flags go out once.
    overdue_flagged_at = models.DateTimeField(_("flagged overdue at"), null=True, blank=True)

    class Meta:
        verbose_name = _("application choice")
        verbose_name_plural = _("application choices")
        constraints = [
            models.UniqueConstraint(fields=["application", "rank"], name="choice_unique_rank"),
            models.UniqueConstraint(fields=["application", "mission"], name="choice_unique_mission"),
            models.CheckConstraint(
                condition=Q(rank__gte=1, rank__lte=MAX_CHOICES), name="choice_rank_range"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ChoiceStatus.values), name="choice_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.rank} → {self.mission_id}"


class ApplicationStatusChange(models.Model):
    """One change of status of an application or of one of its choices (`choice` set)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="history")
    choice = models.ForeignKey(
        ApplicationChoice, on_delete=models.CASCADE, null=True, blank=True, related_name="history"
    )
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("application status change")
        verbose_name_plural = _("application status changes")

    def __str__(self) -> str:
        target = f"choice {self.choice_id}" if self.choice_id else f"application {self.application_id}"
        return f"{target}: {self.from_status} → {self.to_status}"

    def _label(self, code: str) -> str:
        """The translated name of a status, from the choice's or the application's list."""
        labels = dict(ChoiceStatus.choices if self.choice_id else ApplicationStatus.choices)
        return str(labels.get(code, code))

    @property
    def from_label(self) -> str:
        return self._label(self.from_status) if self.from_status else ""

    @property
    def to_label(self) -> str:
        return self._label(self.to_status)
