from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from reciprocity.core.models import StatusChange, TimeStampedModel


class PlacementStatus(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("placement status", "Proposed")
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


class TerminationReason(models.TextChoices):
    """Why a mission stopped early (the grounds of an early termination of the contract)."""

    VOLUNTEER_INITIATIVE = "volunteer_initiative", _("At the volunteer's initiative")
    MUTUAL_AGREEMENT = "mutual_agreement", _("By mutual agreement")
    HOST_INITIATIVE = "host_initiative", _("At the host's initiative")
    SERIOUS_MISCONDUCT = "serious_misconduct", _("Serious misconduct")
    FORCE_MAJEURE = "force_majeure", _("Force majeure")
    HEALTH = "health", _("Health reasons")
    JOB_OR_TRAINING = "job_or_training", _("Job or training found")
    SECURITY = "security", _("Security situation")
    OTHER = "other", _("Other")


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
    scheme = models.ForeignKey(
        "schemes.Scheme", on_delete=models.PROTECT, related_name="+", verbose_name=_("scheme")
    )
    gender = models.CharField(_("gender"), max_length=1)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    status = models.CharField(
        _("status"), max_length=12, choices=PlacementStatus.choices,
        default=PlacementStatus.PROPOSED,
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.TextField(_("end reason"), blank=True)
    termination_reason = models.CharField(
        _("termination reason"), max_length=24, choices=TerminationReason.choices, blank=True
    )
    # The tutor is named in the Service Civique contract (Code du service national L.120-14).
    tutor_name = models.CharField(_("tutor"), max_length=150, blank=True)
    tutor_email = models.EmailField(_("tutor's e-mail"), blank=True)
    tutor_phone = models.CharField(_("tutor's phone"), max_length=40, blank=True)

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


class PlacementStatusChange(StatusChange):
    status_choices = PlacementStatus.choices

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="history")

    class Meta:
        verbose_name = _("placement status change")
        verbose_name_plural = _("placement status changes")

    def __str__(self) -> str:
        return f"{self.placement_id}: {self.from_status} → {self.to_status}"


class EvaluationStage(models.TextChoices):
    MIDTERM = "midterm", _("Mid-term")
    FINAL = "final", _("Final")


class EvaluationAuthor(models.TextChoices):
    VOLUNTEER = "volunteer", _("Volunteer")
    TUTOR = "tutor", _("Tutor")


class Evaluation(TimeStampedModel):
    """A mid-term or final evaluation written by the volunteer or by the tutor."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="evaluations")
    stage = models.CharField(_("stage"), max_length=8, choices=EvaluationStage.choices)
    author_role = models.CharField(_("written by"), max_length=10, choices=EvaluationAuthor.choices)
    # Ratings from 1 (poor) to 5 (excellent).
    mission_rating = models.PositiveSmallIntegerField(_("the mission"))
    integration_rating = models.PositiveSmallIntegerField(_("integration in the team"))
    support_rating = models.PositiveSmallIntegerField(_("support and tutoring"))
    comments = models.TextField(_("comments"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "stage", "author_role"], name="evaluation_unique_per_author"
            ),
            models.CheckConstraint(
                condition=Q(stage__in=EvaluationStage.values), name="evaluation_stage_valid"
            ),
            models.CheckConstraint(
                condition=Q(author_role__in=EvaluationAuthor.values), name="evaluation_author_valid"
            ),
            models.CheckConstraint(
                condition=Q(mission_rating__gte=1, mission_rating__lte=5)
                & Q(integration_rating__gte=1, integration_rating__lte=5)
                & Q(support_rating__gte=1, support_rating__lte=5),
                name="evaluation_ratings_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.placement_id} {self.stage} ({self.author_role})"


class FollowUpSituation(models.TextChoices):
    WORK = "work", _("Working")
    STUDIES = "studies", _("Studying or in training")
    VOLUNTEERING = "volunteering", _("Volunteering")
    OTHER = "other", _("Other")


class FollowUp(TimeStampedModel):
    """Where the volunteer stands six months after the end: the outcome indicators."""

    placement = models.OneToOneField(Placement, on_delete=models.CASCADE, related_name="follow_up")
    situation = models.CharField(_("situation"), max_length=12, choices=FollowUpSituation.choices)
    details = models.TextField(_("details"), blank=True)
    recorded_on = models.DateField(_("recorded on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.CheckConstraint(
                condition=Q(situation__in=FollowUpSituation.values), name="follow_up_situation_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.placement_id}: {self.situation}"


class SigningParty(models.TextChoices):
    """Who signs a placement's contract or agreement, each for itself."""

    VOLUNTEER = "volunteer", _("Volunteer")
    HOST = "host", _("Host organisation")
    SENDING = "sending", _("Sending organisation")


class DocumentVersion(TimeStampedModel):
    """The exact PDF the parties sign: frozen when the first party signs, so that every later
    signer signs the same bytes (kept in `file`, through the default storage). A change of the
    placement's data afterwards does not touch it: the page then says the signed version
    differs (`content_sha256` no longer matches) and a new version is signed by all."""

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="document_versions"
    )
    kind = models.CharField(_("document"), max_length=30)
    number = models.PositiveIntegerField(_("version"))
    language = models.CharField(_("language"), max_length=5)
    # The date printed in the document ("done on"): the day of the first signature.
    issued_on = models.DateField(_("issued on"))
    # SHA-256 of the document's HTML source, to tell whether today's data would print the same.
    content_sha256 = models.CharField(max_length=64)
    # SHA-256 of the PDF's bytes, as stored.
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    file = models.FileField(_("file"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "kind", "number"], name="document_version_unique_number"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="document_version_number"),
            models.CheckConstraint(
                condition=Q(language__in=["fr", "en"]), name="document_version_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.placement_id} {self.kind} v{self.number} ({self.language})"


class DocumentSignature(models.Model):
    """One party's signature of one frozen version: who signed for which party, when, and the
    SHA-256 of the bytes they signed. Never edited: a new version gets new signatures."""

    version = models.ForeignKey(
        DocumentVersion, on_delete=models.PROTECT, related_name="signatures"
    )
    # Copied from the version so that a placement's signatures are read without a join.
    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="document_signatures"
    )
    kind = models.CharField(_("document"), max_length=30)
    language = models.CharField(_("language"), max_length=5)
    role = models.CharField(_("signed as"), max_length=10, choices=SigningParty.choices)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("signed by"),
    )
    signed_at = models.DateTimeField(_("signed at"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("document signature")
        verbose_name_plural = _("document signatures")
        constraints = [
            # Each party signs a version once.
            models.UniqueConstraint(fields=["version", "role"], name="document_signature_once"),
            models.CheckConstraint(
                condition=Q(role__in=SigningParty.values), name="document_signature_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.placement_id} {self.kind} signed as {self.role}"


class PairingSide(models.TextChoices):
    FRENCH = "french", _("French volunteer")
    FOREIGN = "foreign", _("Foreign volunteer")


class Pairing(TimeStampedModel):
    """A binôme (WECCEE and similar programmes): a French and a foreign volunteer who serve
    together, each through their own placement. Made by accepting a pairing run's proposal
    (matching/pairing.py); the two placements are its `members`."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("created by"),
    )
    # The pairing engine's compatibility, out of 100, when the pair was accepted.
    score = models.FloatField(_("compatibility"), null=True, blank=True)

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        constraints = [
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
                name="pairing_score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"pairing {self.pk}"


class PairingMember(models.Model):
    """One placement of a pairing. A member row per placement, rather than two columns on the
    pairing, so that "a placement is in one pairing at most" is a plain unique column."""

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="members")
    placement = models.OneToOneField(
        Placement, on_delete=models.CASCADE, related_name="pairing_member",
        verbose_name=_("placement"),
    )
    side = models.CharField(_("side"), max_length=10, choices=PairingSide.choices)

    class Meta:
        verbose_name = _("pairing member")
        verbose_name_plural = _("pairing members")
        constraints = [
            # Two members at most, one of each side.
            models.UniqueConstraint(fields=["pairing", "side"], name="pairing_member_one_per_side"),
            models.CheckConstraint(
                condition=Q(side__in=PairingSide.values), name="pairing_member_side_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"pairing {self.pairing_id}: placement {self.placement_id} ({self.side})"
