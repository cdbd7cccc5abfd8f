from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from reciprocity.core.models import TimeStampedModel


class SchemeCode(models.TextChoices):
    SERVICE_CIVIQUE = "service_civique", _("Service Civique")
    VSI = "vsi", _("International solidarity volunteering (VSI)")
    WORKCAMP = "workcamp", _("International work camp")
    ESC = "esc", _("European Solidarity Corps")


class Scheme(models.Model):
    code = models.CharField(
        _("code"), max_length=20, primary_key=True, choices=SchemeCode.choices
    )
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_fr = models.CharField(_("name (French)"), max_length=120)

    class Meta:
        verbose_name = _("scheme")
        verbose_name_plural = _("schemes")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_fr if (get_language() or "en").startswith("fr") else self.name_en


class Confidence(models.TextChoices):
    VERIFIED = "verified", _("Verified")
    SECONDARY = "secondary", _("Secondary source")
    UNVERIFIED = "unverified", _("To be confirmed")


class SchemeRuleQuerySet(models.QuerySet["SchemeRule"]):
    def in_force(self, *, scheme_code: str, on: date) -> dict[str, "SchemeRule"]:
        """For each key, the row with the latest effective date not after `on`."""
        rules: dict[str, SchemeRule] = {}
        rows = self.filter(scheme_id=scheme_code, effective_from__lte=on).order_by(
            "key", "effective_from"
        )
        for row in rows:
            rules[row.key] = row
        return rules


class SchemeRule(TimeStampedModel):
    """One value of one parameter, in force from a date until a later row replaces it."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="rules")
    key = models.SlugField(_("parameter"), max_length=60)
    value: Any = models.JSONField(_("value"))
    effective_from = models.DateField(_("effective from"))
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    source = models.TextField(_("source"), blank=True)
    confidence = models.CharField(
        _("confidence"), max_length=12, choices=Confidence.choices, default=Confidence.VERIFIED
    )
    note = models.TextField(_("note"), blank=True)

    objects = SchemeRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("scheme rule")
        verbose_name_plural = _("scheme rules")
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "key", "effective_from"], name="scheme_rule_unique_version"
            ),
            models.CheckConstraint(
                condition=Q(confidence__in=Confidence.values), name="scheme_rule_confidence_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme_id}.{self.key} = {self.value} (from {self.effective_from})"

    @property
    def to_be_confirmed(self) -> bool:
        return self.confidence == Confidence.UNVERIFIED


class SchemeSuspension(TimeStampedModel):
    """A period when a scheme takes no new starts (budget freezes happen); `end` may be unknown."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="suspensions")
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    source = models.TextField(_("source"), blank=True)
    confidence = models.CharField(
        _("confidence"), max_length=12, choices=Confidence.choices, default=Confidence.VERIFIED
    )

    class Meta:
        verbose_name = _("scheme suspension")
        verbose_name_plural = _("scheme suspensions")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(start__lte=F("end")),
                name="scheme_suspension_period",
            ),
            models.UniqueConstraint(fields=["scheme", "start"], name="scheme_suspension_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme_id} {self.start}–{self.end or '…'}"

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


class RuleChange(models.Model):
    """Who changed which rule, when, from what to what: staff edits of rule rows, suspensions and
    procedure rule documents (the scheme tables have no author column, so the trail lives here;
    procedures writes the documents' entries, being above this app)."""

    target = models.CharField(_("what"), max_length=20)  # rule, suspension, document
    target_id = models.CharField(max_length=40)
    label = models.CharField(_("rule"), max_length=200)
    action = models.CharField(_("change"), max_length=20)  # corrected, new_version, created...
    before: Any = models.JSONField(null=True, blank=True)
    after: Any = models.JSONField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    occurred_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        # Moved from procedures without a data migration (SeparateDatabaseAndState): the table
        # keeps its first name.
        db_table = "procedures_rulechange"
        verbose_name = _("rule change")
        verbose_name_plural = _("rule changes")
        constraints = [
            models.CheckConstraint(
                condition=Q(target__in=["rule", "suspension", "document"]),
                name="rule_change_target_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.action}"
