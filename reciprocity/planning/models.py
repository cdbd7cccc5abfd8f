"""Quota scenarios: next year's quotas tried out before they are agreed (docs/scenarios.md).

A coordinator (or platform staff) copies the agreements of its network that run in a year into
a draft `Scenario`, one `ScenarioQuota` line per agreement, changes the quotas, and compares
the projected balances with the current plan. Applying the scenario writes each agreement's
quotas for that year (`agreements.AgreementYearQuota`); an applied scenario stays as it was
applied, for the record. Every move of the status is a `ScenarioStatusChange` row.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from reciprocity.core.models import TimeStampedModel


class ScenarioStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPLIED = "applied", _("Applied")


# Applied is final: to change the quotas again, copy a new scenario (its base is then the
# applied quotas).
SCENARIO_TRANSITIONS: dict[str, frozenset[str]] = {
    ScenarioStatus.DRAFT: frozenset({ScenarioStatus.APPLIED}),
    ScenarioStatus.APPLIED: frozenset(),
}


class Scenario(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    # The coordinator whose network the scenario covers; none: the whole platform (staff).
    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.PROTECT, null=True, blank=True,
        related_name="quota_scenarios", verbose_name=_("coordinator"),
    )
    status = models.CharField(_("status"), max_length=10, choices=ScenarioStatus.choices,
                              default=ScenarioStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("quota scenario")
        verbose_name_plural = _("quota scenarios")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ScenarioStatus.values), name="scenario_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1900) & Q(year__lte=2200), name="scenario_year_range"
            ),
            # Applied, and only applied, scenarios say when.
            models.CheckConstraint(
                condition=Q(status=ScenarioStatus.APPLIED, applied_at__isnull=False)
                | (~Q(status=ScenarioStatus.APPLIED) & Q(applied_at__isnull=True)),
                name="scenario_applied_at_when_applied",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "year"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"

    @property
    def is_draft(self) -> bool:
        return self.status == ScenarioStatus.DRAFT

    def can_transition_to(self, to_status: str) -> bool:
        return to_status in SCENARIO_TRANSITIONS.get(self.status, frozenset())


class ScenarioQuota(models.Model):
    """One agreement's quotas in a scenario; `base_*` are the agreement's quotas for the year
    when the line was copied, so that applying it over quotas changed since is refused."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="lines")
    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="scenario_lines"
    )
    base_quota_a_to_b = models.PositiveIntegerField(_("current quota A → B"))
    base_quota_b_to_a = models.PositiveIntegerField(_("current quota B → A"))
    quota_a_to_b = models.PositiveIntegerField(_("quota A → B"))
    quota_b_to_a = models.PositiveIntegerField(_("quota B → A"))

    class Meta:
        verbose_name = _("scenario quota")
        verbose_name_plural = _("scenario quotas")
        constraints = [
            models.UniqueConstraint(fields=["scenario", "agreement"],
                                    name="scenario_quota_one_per_agreement"),
            models.CheckConstraint(
                condition=Q(quota_a_to_b__gte=0) & Q(quota_b_to_a__gte=0)
                & Q(base_quota_a_to_b__gte=0) & Q(base_quota_b_to_a__gte=0),
                name="scenario_quota_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scenario_id}/{self.agreement_id}: {self.quota_a_to_b} / {self.quota_b_to_a}"

    @property
    def changed(self) -> bool:
        return (self.quota_a_to_b, self.quota_b_to_a) != (
            self.base_quota_a_to_b, self.base_quota_b_to_a)


class ScenarioStatusChange(models.Model):
    """One row per status change of a scenario (creation included, with an empty
    `from_status`)."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=10, choices=ScenarioStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=ScenarioStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    note = models.TextField(blank=True)
    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("scenario status change")
        verbose_name_plural = _("scenario status changes")
        constraints = [
            models.CheckConstraint(
                condition=Q(to_status__in=ScenarioStatus.values), name="scenario_change_to_valid"
            ),
            models.CheckConstraint(
                condition=~Q(from_status=F("to_status")), name="scenario_change_moves"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scenario_id}: {self.from_status or '∅'} → {self.to_status}"
