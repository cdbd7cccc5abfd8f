from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from reciprocity.core.models import TimeStampedModel


class Programme(TimeStampedModel):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    countries = models.JSONField(_("countries"), default=list, help_text=_("ISO 3166-1 codes"))
    schemes = models.ManyToManyField("schemes.Scheme", verbose_name=_("schemes"))
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)
    coordinator = models.ForeignKey(
        "partners.Organisation", on_delete=models.PROTECT, related_name="coordinated_programmes"
    )

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__lte=F("end_date")),
                name="programme_period",
            )
        ]

    def __str__(self) -> str:
        return self.name


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    ENDED = "ended", _("Ended")


class QuotaUnit(models.TextChoices):
    VOLUNTEERS = "volunteers", _("Volunteers")
    VOLUNTEER_MONTHS = "volunteer_months", _("Volunteer-months")


class Agreement(TimeStampedModel):
    """Party A and party B exchange volunteers; `a_to_b` means hosted by B, sent from A."""

    reference = models.SlugField(_("reference"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    party_a = models.ForeignKey(
        "partners.Organisation", on_delete=models.PROTECT, related_name="agreements_as_a"
    )
    party_b = models.ForeignKey(
        "partners.Organisation", on_delete=models.PROTECT, related_name="agreements_as_b"
    )
    schemes = models.ManyToManyField("schemes.Scheme", verbose_name=_("schemes"))
    programme = models.ForeignKey(
        Programme, on_delete=models.SET_NULL, null=True, blank=True, related_name="agreements"
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    quota_a_to_b = models.PositiveIntegerField(_("yearly quota A → B"))
    quota_b_to_a = models.PositiveIntegerField(_("yearly quota B → A"))
    unit = models.CharField(
        _("unit"), max_length=20, choices=QuotaUnit.choices, default=QuotaUnit.VOLUNTEERS
    )
    tolerance = models.PositiveIntegerField(
        _("imbalance tolerance"),
        help_text=_("Largest accepted gap between the two directions, in the agreement's unit."),
    )
    # Strict: a confirmation that takes the agreement outside its tolerance is refused; otherwise
    # it asks for a written reason (kept in the placement's history).
    tolerance_strict = models.BooleanField(
        _("strict tolerance"), default=False,
        help_text=_("Refuse confirmations beyond the tolerance instead of asking for a reason."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__lte=F("end_date")), name="agreement_period"
            ),
            models.CheckConstraint(
                condition=~Q(party_a=F("party_b")), name="agreement_two_parties"
            ),
            models.CheckConstraint(
                condition=Q(status__in=AgreementStatus.values), name="agreement_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(unit__in=QuotaUnit.values), name="agreement_unit_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_active_on(self, day: date) -> bool:
        return self.status == AgreementStatus.ACTIVE and self.start_date <= day <= self.end_date

    def involves(self, organisation_id: int) -> bool:
        return organisation_id in (self.party_a_id, self.party_b_id)


class AgreementYearQuota(TimeStampedModel):
    """The quotas of one agreement for one year, replacing its yearly quotas for that year.

    An agreement's `quota_a_to_b`/`quota_b_to_a` hold for every year of its period; partners
    renegotiate them year by year (a quota scenario, once applied, writes these rows:
    docs/scenarios.md). `agreements.quotas.quotas_for` is the one reader of "the quota of an
    agreement for a year"; the balance, the confirmation check and the placement runs use it.
    """

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="year_quotas")
    year = models.PositiveSmallIntegerField(_("year"))
    quota_a_to_b = models.PositiveIntegerField(_("quota A → B"))
    quota_b_to_a = models.PositiveIntegerField(_("quota B → A"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("yearly quota")
        verbose_name_plural = _("yearly quotas")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "year"], name="agreement_year_quota_unique"),
            # PositiveIntegerField's check is per backend; these are the project's own.
            models.CheckConstraint(
                condition=Q(quota_a_to_b__gte=0) & Q(quota_b_to_a__gte=0),
                name="agreement_year_quota_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1900) & Q(year__lte=2200), name="agreement_year_quota_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} {self.year}: {self.quota_a_to_b} / {self.quota_b_to_a}"
