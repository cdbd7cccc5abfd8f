from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from reciprocity.core.models import StatusChange, TimeStampedModel

MAX_CHOICES = 6


class ApplicationKind(models.TextChoices):
    APPLICATION = "application", _("Application")
    NOMINATION = "nomination", _("Nomination")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    ACCEPTED = "accepted", pgettext_lazy("application status", "Accepted")
    REFUSED = "refused", pgettext_lazy("application status", "Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    PLACED = "placed", pgettext_lazy("application status", "Placed")


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
    ACCEPTED = "accepted", pgettext_lazy("choice status", "Accepted")
    REFUSED = "refused", pgettext_lazy("choice status", "Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    # On the host's waiting list for the mission, at `reserve_rank` (1 = next to be offered).
    RESERVE = "reserve", _("On the waiting list")


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
    # The host's order of its waiting list for the mission; set exactly while the choice is a
    # reserve (constraint), so a choice that leaves the list leaves no stale number behind.
    reserve_rank = models.PositiveSmallIntegerField(_("waiting list rank"), null=True, blank=True)

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
            models.CheckConstraint(
                condition=(Q(status=ChoiceStatus.RESERVE) & Q(reserve_rank__gte=1))
                | (~Q(status=ChoiceStatus.RESERVE) & Q(reserve_rank__isnull=True)),
                name="choice_reserve_rank_iff_reserve",
            ),
            # One candidate per place in the line of a mission's waiting list.
            models.UniqueConstraint(
                fields=["mission", "reserve_rank"], condition=Q(status=ChoiceStatus.RESERVE),
                name="choice_unique_reserve_rank",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.rank} → {self.mission_id}"


class ApplicationStatusChange(StatusChange):
    """One change of status of an application or of one of its choices (`choice` set)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="history")
    choice = models.ForeignKey(
        ApplicationChoice, on_delete=models.CASCADE, null=True, blank=True, related_name="history"
    )

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


class OfferStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the volunteer's answer")
    ACCEPTED = "accepted", pgettext_lazy("offer status", "Accepted")
    DECLINED = "declined", pgettext_lazy("offer status", "Declined")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Statuses in which the volunteer answered: they carry who answered and when (constraint).
ANSWERED_OFFER_STATUSES = (OfferStatus.ACCEPTED, OfferStatus.DECLINED)


class Offer(TimeStampedModel):
    """The place a host offers after accepting a choice: the volunteer (or their sending
    organisation for them) accepts or declines it by `deadline` (inclusive). The placement it
    belongs to cannot be confirmed until the offer is accepted (placements/services.py)."""

    placement = models.OneToOneField(
        "placements.Placement", on_delete=models.CASCADE, related_name="offer"
    )
    choice = models.ForeignKey(ApplicationChoice, on_delete=models.CASCADE, related_name="offers")
    status = models.CharField(
        _("status"), max_length=12, choices=OfferStatus.choices, default=OfferStatus.PENDING
    )
    deadline = models.DateField(_("answer by"))
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("answered by"),
    )
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=OfferStatus.values), name="offer_status_valid"
            ),
            models.CheckConstraint(
                condition=(Q(status__in=ANSWERED_OFFER_STATUSES) & Q(responded_at__isnull=False))
                | (~Q(status__in=ANSWERED_OFFER_STATUSES) & Q(responded_at__isnull=True)),
                name="offer_answered_iff_responded_at",
            ),
        ]

    def __str__(self) -> str:
        return f"offer {self.pk} (placement {self.placement_id}): {self.status}"

    def is_open_on(self, day: date) -> bool:
        """Pending and not past its deadline: the volunteer may still answer."""
        return self.status == OfferStatus.PENDING and day <= self.deadline


class OfferStatusChange(StatusChange):
    """One change of status of an offer (created, accepted, declined, expired, withdrawn)."""

    status_choices = OfferStatus.choices

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="history")

    class Meta:
        verbose_name = _("offer status change")
        verbose_name_plural = _("offer status changes")

    def __str__(self) -> str:
        return f"offer {self.offer_id}: {self.from_status} → {self.to_status}"
