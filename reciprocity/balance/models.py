from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField


class LedgerEvent(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    STARTED = "started", _("Started")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    INTERRUPTED = "interrupted", _("Interrupted")
    CORRECTION = "correction", _("Correction")


class Direction(models.TextChoices):
    """Relative to the entry's agreement: `a_to_b` is sent by party A and hosted by party B."""

    A_TO_B = "a_to_b", _("A → B")
    B_TO_A = "b_to_a", _("B → A")
    NONE = "", _("No agreement")


class LedgerEntry(models.Model):
    """One placement event, written once and never edited: a correction is a new entry.

    The snapshot columns (countries, organisations, scheme, agreement, direction, year) are
    copied from the placement when the event happens, so later edits of a record never rewrite
    the past. Measures are signed deltas so that plain sums give balances:
    `volunteers`/`volunteer_months` are what is planned (confirmed, net of cancellations and of
    months not served), `realised_volunteers`/`realised_months` what actually started.
    `year` is the year the placement starts in: the year whose quota it counts against.
    """

    placement = models.ForeignKey(
        "placements.Placement", on_delete=models.PROTECT, related_name="ledger_entries"
    )
    event = models.CharField(_("event"), max_length=12, choices=LedgerEvent.choices)
    occurred_on = models.DateField(_("occurred on"), db_index=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    origin_country = CountryField(_("origin country"))
    host_country = CountryField(_("host country"))
    sending_organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    host_organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    scheme = models.ForeignKey("schemes.Scheme", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    direction = models.CharField(
        _("direction"), max_length=6, choices=Direction.choices, blank=True, default=""
    )
    volunteers = models.SmallIntegerField(_("volunteers"), default=0)
    volunteer_months = models.DecimalField(
        _("volunteer-months"), max_digits=7, decimal_places=2, default=0
    )
    realised_volunteers = models.SmallIntegerField(_("realised volunteers"), default=0)
    realised_months = models.DecimalField(
        _("realised volunteer-months"), max_digits=7, decimal_places=2, default=0
    )
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(event__in=LedgerEvent.values), name="ledger_event_valid"
            ),
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | Q(event="correction"),
                name="ledger_only_corrections_point_back",
            ),
            models.CheckConstraint(
                condition=Q(direction__in=Direction.values), name="ledger_direction_valid"
            ),
        ]
        # Balances are sums grouped by year and by pair, agreement or scheme.
        indexes = [
            models.Index(fields=["year", "origin_country", "host_country"]),
            models.Index(fields=["agreement", "year"]),
            models.Index(fields=["placement", "event"]),
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.origin_country}→{self.host_country} {self.occurred_on}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Append-only: an existing row is never rewritten (corrections are new rows).
        if self.pk is not None and not self._state.adding:
            raise ValueError("Ledger entries are append-only; record a correction instead.")
        super().save(*args, **kwargs)


class BalanceAlert(models.Model):
    """An agreement found outside its tolerance, and whom it was told to. One row per agreement,
    year and position, so the same finding is not mailed twice; a new position is a new alert."""

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="balance_alerts"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    position = models.DecimalField(pgettext_lazy("reciprocity balance", "position"), max_digits=9,
                                   decimal_places=2)
    tolerance = models.DecimalField(_("tolerance"), max_digits=9, decimal_places=2)
    recipients = models.JSONField(_("recipients"), default=list)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("balance alert")
        verbose_name_plural = _("balance alerts")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "year", "position"], name="balance_alert_once_per_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id} {self.year}: {self.position} (±{self.tolerance})"


class LedgerTotal(models.Model):
    """Running sums of the ledger per year, pair of countries, scheme, agreement and direction.

    Derived data, kept in the same transaction as every entry the services append, so that the
    balance views read thousands of rows instead of millions (bench/balance/README.md). It can
    always be rebuilt from the entries (`reciprocity balance rebuild-totals`).
    """

    year = models.PositiveSmallIntegerField(_("year"))
    origin_country = CountryField(_("origin country"))
    host_country = CountryField(_("host country"))
    scheme = models.ForeignKey("schemes.Scheme", on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The agreement's id, or 0: a NULL would make every agreement-less key distinct.
    agreement_key = models.PositiveBigIntegerField(default=0)
    direction = models.CharField(
        _("direction"), max_length=6, choices=Direction.choices, blank=True, default=""
    )
    volunteers = models.IntegerField(_("volunteers"), default=0)
    volunteer_months = models.DecimalField(
        _("volunteer-months"), max_digits=12, decimal_places=2, default=0
    )
    realised_volunteers = models.IntegerField(_("realised volunteers"), default=0)
    realised_months = models.DecimalField(
        _("realised volunteer-months"), max_digits=12, decimal_places=2, default=0
    )
    entries = models.PositiveIntegerField(_("entries"), default=0)

    class Meta:
        verbose_name = _("ledger total")
        verbose_name_plural = _("ledger totals")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "origin_country", "host_country", "scheme", "agreement_key",
                        "direction"],
                name="ledger_total_unique_key",
            ),
            models.CheckConstraint(
                condition=Q(agreement__isnull=True, agreement_key=0)
                | Q(agreement_key=models.F("agreement")),
                name="ledger_total_agreement_key",
            ),
        ]
        indexes = [models.Index(fields=["agreement", "year"])]

    def __str__(self) -> str:
        return f"{self.year} {self.origin_country}→{self.host_country} {self.scheme_id}"
