"""Missions: the offers a host organisation publishes, and the history of their status."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from reciprocity.core.models import TimeStampedModel


class Theme(models.TextChoices):
    SOLIDARITY = "solidarity", _("Solidarity")
    HEALTH = "health", _("Health")
    EDUCATION = "education", _("Education for all")
    CULTURE = "culture", _("Culture and leisure")
    SPORT = "sport", _("Sport")
    ENVIRONMENT = "environment", _("Environment")
    MEMORY = "memory", _("Memory and citizenship")
    DEVELOPMENT = "development", _("International development and humanitarian action")
    EMERGENCY = "emergency", _("Emergency intervention")
    EUROPEAN_CITIZENSHIP = "european_citizenship", _("European citizenship")
    HERITAGE = "heritage", _("Heritage restoration")
    AGRICULTURE = "agriculture", _("Agriculture")


class MissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


# The only status changes a mission may go through. Closed and cancelled are final: a host who
# wants the same mission again duplicates it, so the history of the old one stays true.
MISSION_TRANSITIONS: dict[str, frozenset[str]] = {
    MissionStatus.DRAFT: frozenset({MissionStatus.PUBLISHED, MissionStatus.CANCELLED}),
    MissionStatus.PUBLISHED: frozenset({MissionStatus.CLOSED, MissionStatus.CANCELLED}),
    MissionStatus.CLOSED: frozenset(),
    MissionStatus.CANCELLED: frozenset(),
}

# Upper bound on places, so absurd numbers are refused before they reach the database.
MAX_CAPACITY = 10_000

# Statuses in which the host may still edit the mission.
EDITABLE_STATUSES = frozenset({MissionStatus.DRAFT, MissionStatus.PUBLISHED})


class MissionQuerySet(models.QuerySet["Mission"]):
    def published(self) -> "MissionQuerySet":
        return self.filter(status=MissionStatus.PUBLISHED)


class Mission(TimeStampedModel):
    host = models.ForeignKey(
        "partners.Organisation", on_delete=models.PROTECT, related_name="missions"
    )
    scheme = models.ForeignKey("schemes.Scheme", on_delete=models.PROTECT)
    programme = models.ForeignKey(
        "agreements.Programme", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="missions",
    )
    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="missions",
    )
    reference = models.CharField(_("reference"), max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    theme = models.CharField(_("theme"), max_length=30, choices=Theme.choices)
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=100)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    capacity = models.PositiveIntegerField(_("places"))
    weekly_hours = models.PositiveSmallIntegerField(_("weekly hours"), null=True, blank=True)
    # Optional: the form lets a host leave it empty (full_clean refused [] as blank: a 500).
    languages = models.JSONField(
        _("languages"), default=list, blank=True, help_text=_("ISO 639-1 codes")
    )
    age_min = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    # What every volunteer must speak, at a CEFR level or above (the placement engine's hard
    # rule); `languages` above are the mission's working languages, informative only.
    required_languages = models.JSONField(
        _("required languages"), default=list, blank=True,
        help_text=_('List of {"code": "fr", "level": "B1"}; level may be empty'),
    )
    # Work-camp composition rules.
    max_per_nationality = models.PositiveSmallIntegerField(
        _("maximum per nationality"), null=True, blank=True
    )
    gender_tolerance = models.PositiveSmallIntegerField(
        _("gender balance tolerance"), null=True, blank=True,
        help_text=_("Largest accepted gap between women and men."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=MissionStatus.choices, default=MissionStatus.DRAFT
    )
    # Optional, in the default storage (a bucket in production); checked at upload and served by
    # missions:photo only to those who may see the mission (missions/photos.py).
    photo = models.ImageField(_("photo"), upload_to="missions/photos/%Y/", blank=True, default="")
    # The work-camp networks' project ID (PEF `project_id`, 32 lower-case hex): set when the
    # mission came from, or first went out in, a PEF file, and never changed afterwards.
    exchange_project_id = models.CharField(
        _("exchange project ID"), max_length=64, blank=True, default=""
    )

    objects = MissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        constraints = [
            models.CheckConstraint(condition=Q(start_date__lte=F("end_date")), name="mission_period"),
            models.CheckConstraint(
                condition=Q(age_min__isnull=True) | Q(age_max__isnull=True)
                | Q(age_min__lte=F("age_max")),
                name="mission_age_range",
            ),
            models.CheckConstraint(
                condition=Q(weekly_hours__isnull=True) | Q(weekly_hours__lte=60),
                name="mission_weekly_hours_range",
            ),
            models.CheckConstraint(
                condition=Q(status__in=MissionStatus.values), name="mission_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(theme__in=Theme.values), name="mission_theme_valid"
            ),
            models.CheckConstraint(
                condition=Q(max_per_nationality__isnull=True) | Q(max_per_nationality__gte=1),
                name="mission_nationality_cap_positive",
            ),
            # A re-imported PEF updates its mission in place: one mission per project and host.
            models.UniqueConstraint(
                fields=["host", "exchange_project_id"], condition=~Q(exchange_project_id=""),
                name="mission_unique_exchange_project",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "start_date"]),
            models.Index(fields=["country", "status"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    def can_transition_to(self, to_status: str) -> bool:
        return to_status in MISSION_TRANSITIONS.get(self.status, frozenset())


class MissionStatusChange(models.Model):
    """One row per status change (creation included, with an empty `from_status`)."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(
        _("from"), max_length=12, choices=MissionStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=12, choices=MissionStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    occurred_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("mission status change")
        verbose_name_plural = _("mission status changes")
        ordering = ["occurred_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_status__in=MissionStatus.values),
                name="mission_status_change_to_valid",
            ),
            models.CheckConstraint(
                condition=~Q(from_status=F("to_status")), name="mission_status_change_moves"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mission_id}: {self.from_status or '∅'} → {self.to_status}"
