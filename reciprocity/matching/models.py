"""Placement runs: the engine placing a season, programme or set of missions at once.

A run stores its scope and parameters, the instance it built from the open applications (so a
comparison with first-come-first-served always reads the same applications), its progress, its
figures, and its result: one `RunProposal` per placed volunteer, one `RunUnplaced` per volunteer
left out, with the engine's reason.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import translation
from django.utils.translation import get_language_info, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from reciprocity.core.models import TimeStampedModel
from reciprocity.missions.models import Theme
from reciprocity.placements.engine.explain import country_codes, render_explanation
from reciprocity.procedures.models import engine_language


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


# A run is executed once: to run again with other parameters, the coordinator creates a new run,
# so that every stored result keeps the parameters that produced it.
RUN_TRANSITIONS: dict[str, frozenset[str]] = {
    RunStatus.QUEUED: frozenset({RunStatus.RUNNING, RunStatus.FAILED, RunStatus.CANCELLED}),
    RunStatus.RUNNING: frozenset({RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.CANCELLED}),
    RunStatus.SUCCEEDED: frozenset(),
    RunStatus.FAILED: frozenset(),
    RunStatus.CANCELLED: frozenset(),
}


class RunMode(models.TextChoices):
    OPTIMAL = "optimal", _("Optimal (best within the time limit)")
    PREVIEW = "preview", _("Preview (a good answer in about a second)")
    STABLE = "stable", _("Stable (application order as priority)")


class UnplacedReason(models.TextChoices):
    """The engine's reason codes (reciprocity.placements.engine.REASONS)."""

    NO_CHOICE = "no_choice", _("No eligible choice")
    AGE_LIMIT = "age_limit", _("Mission's age limit")
    LANGUAGE_REQUIREMENT = "language_requirement", _("Mission's language requirement")
    CHOICES_FULL = "choices_full", _("Chosen missions full")
    NATIONALITY_CAP = "nationality_cap", _("Nationality cap")
    GENDER_BALANCE = "gender_balance", _("Gender balance")
    RECIPROCITY_TOLERANCE = "reciprocity_tolerance", _("Reciprocity tolerance")
    AGREEMENT_MAXIMUM = "agreement_maximum", _("Agreement maximum")
    OUTRANKED = "outranked", _("Outranked")


class ProposalDecision(models.TextChoices):
    PENDING = "pending", _("To review")
    ACCEPTED = "accepted", pgettext_lazy("placement run proposal", "Accepted")
    REJECTED = "rejected", _("Rejected")


MAX_TIME_LIMIT = 3600
FINAL_STATUSES = (RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.CANCELLED)

# The placement engine's stages (placements/engine/solve.py) and the run's own, as people read them.
RUN_STAGE_LABELS = {
    "building": _("building the problem"),
    "stable": _("stable matching"),
    "preview": _("first proposal"),
    "lp-round": _("rounded relaxation"),
    "fix-and-optimise": _("fix and optimise"),
    "mip": _("exact optimisation"),
    "lns": _("local improvement"),
    "cancelled": _("cancelled"),
}


class PlacementRun(TimeStampedModel):
    label = models.CharField(_("label"), max_length=200, blank=True)
    # The coordinator organisation the run is made for; its administrators and officers see it.
    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.PROTECT, null=True, blank=True,
        related_name="placement_runs", verbose_name=_("coordinator organisation"),
    )
    # Scope: every part given narrows it (season AND programme AND missions).
    season_start = models.DateField(_("season start"), null=True, blank=True)
    season_end = models.DateField(_("season end"), null=True, blank=True)
    programme = models.ForeignKey(
        "agreements.Programme", on_delete=models.PROTECT, null=True, blank=True,
        related_name="placement_runs", verbose_name=_("programme"),
    )
    missions = models.ManyToManyField(
        "missions.Mission", blank=True, related_name="placement_runs",
        verbose_name=_("missions"),
    )
    # Parameters.
    mode = models.CharField(_("mode"), max_length=10, choices=RunMode.choices,
                            default=RunMode.OPTIMAL)
    time_limit = models.PositiveIntegerField(_("time limit (seconds)"), default=60)
    unplaced_penalty = models.PositiveIntegerField(
        _("unplaced penalty"), default=100,
        help_text=_("Cost of leaving a volunteer unplaced, in choice ranks."),
    )
    # What the run read: the engine instance, how its ids map to rows, and what was left out.
    instance = models.JSONField(_("instance"), default=dict, blank=True)
    references = models.JSONField(default=dict, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    # Life of the run.
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices,
                              default=RunStatus.QUEUED)
    stage = models.CharField(_("stage"), max_length=40, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    best_objective = models.FloatField(_("best objective so far"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # A cancel asked while the run executes: the executing process reads it between stages (and
    # at each progress report) and stops; a queued run is cancelled at once.
    cancel_requested_at = models.DateTimeField(_("cancel requested at"), null=True, blank=True)
    # The Celery task executing the run (empty for the thread and inline runners), so a cancel
    # can revoke a task still waiting in the queue.
    task_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("created by"),
    )
    # Figures of the result (over the volunteers with open applications, fixed ones excluded).
    result_status = models.CharField(_("result"), max_length=10, blank=True)
    volunteers_count = models.PositiveIntegerField(_("volunteers"), null=True, blank=True)
    fixed_count = models.PositiveIntegerField(_("placements kept"), null=True, blank=True)
    placed_count = models.PositiveIntegerField(_("placed"), null=True, blank=True)
    placed_percent = models.FloatField(_("placed (%)"), null=True, blank=True)
    first_choice_percent = models.FloatField(_("first choice (% of placed)"), null=True, blank=True)
    mean_rank = models.FloatField(_("mean rank"), null=True, blank=True)
    worst_nationality = models.CharField(_("worst-served nationality"), max_length=2, blank=True)
    worst_nationality_rate = models.FloatField(
        _("worst-served nationality's placement rate (%)"), null=True, blank=True
    )
    objective = models.FloatField(_("objective"), null=True, blank=True)
    bound = models.FloatField(_("lower bound"), null=True, blank=True)
    gap = models.FloatField(_("gap"), null=True, blank=True)
    seconds = models.FloatField(_("solve time (s)"), null=True, blank=True)

    class Meta:
        verbose_name = _("placement run")
        verbose_name_plural = _("placement runs")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RunStatus.values), name="placement_run_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(mode__in=RunMode.values), name="placement_run_mode_valid"
            ),
            models.CheckConstraint(
                condition=Q(season_start__isnull=True, season_end__isnull=True)
                | Q(season_start__isnull=False, season_end__isnull=False,
                    season_start__lte=F("season_end")),
                name="placement_run_season_period",
            ),
            models.CheckConstraint(
                condition=Q(time_limit__gte=1, time_limit__lte=MAX_TIME_LIMIT),
                name="placement_run_time_limit_range",
            ),
            models.CheckConstraint(
                condition=Q(unplaced_penalty__gte=1), name="placement_run_penalty_positive"
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="placement_run_progress_range"
            ),
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True) | Q(status__in=FINAL_STATUSES),
                name="placement_run_finished_when_final",
            ),
            models.CheckConstraint(
                condition=Q(placed_count__isnull=True)
                | Q(placed_count__lte=F("volunteers_count")),
                name="placement_run_placed_le_volunteers",
            ),
            models.CheckConstraint(
                condition=Q(gap__isnull=True) | Q(gap__gte=0), name="placement_run_gap_positive"
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return self.label or str(_("Placement run %(id)s") % {"id": self.pk})

    @property
    def stage_label(self) -> str:
        """The solver's stage for people (the column keeps the engine's code)."""
        return str(RUN_STAGE_LABELS.get(self.stage, self.stage))

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def gap_percent(self) -> float | None:
        return None if self.gap is None else 100 * self.gap

    def can_transition_to(self, to_status: str) -> bool:
        return to_status in RUN_TRANSITIONS.get(self.status, frozenset())


class RunStatusChange(models.Model):
    """One row per status change of a run, placement or pairing (creation included, with an
    empty `from_status`). Each concrete model adds its `run` and names its constraints."""

    from_status = models.CharField(max_length=10, choices=RunStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=RunStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    note = models.TextField(blank=True)
    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)

    run_id: int

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.run_id}: {self.from_status or '∅'} → {self.to_status}"


class PlacementRunStatusChange(RunStatusChange):
    run = models.ForeignKey(PlacementRun, on_delete=models.CASCADE, related_name="history")

    class Meta:
        verbose_name = _("placement run status change")
        verbose_name_plural = _("placement run status changes")
        constraints = [
            models.CheckConstraint(
                condition=Q(to_status__in=RunStatus.values),
                name="placement_run_change_to_valid",
            ),
            models.CheckConstraint(
                condition=~Q(from_status=F("to_status")), name="placement_run_change_moves"
            ),
        ]


class RunProposal(models.Model):
    """The engine proposes this volunteer for this mission; the coordinator accepts or not."""

    run = models.ForeignKey(PlacementRun, on_delete=models.CASCADE, related_name="proposals")
    volunteer = models.ForeignKey(
        "volunteers.Volunteer", on_delete=models.CASCADE, related_name="run_proposals"
    )
    mission = models.ForeignKey(
        "missions.Mission", on_delete=models.CASCADE, related_name="run_proposals"
    )
    choice = models.ForeignKey(
        "applications.ApplicationChoice", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="run_proposals",
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    # Snapshots for the review (nationality caps, gender balance, agreement balances).
    nationality = models.CharField(_("nationality"), max_length=2)
    gender = models.CharField(_("gender"), max_length=1)
    decision = models.CharField(_("decision"), max_length=10, choices=ProposalDecision.choices,
                                default=ProposalDecision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    placement = models.OneToOneField(
        "placements.Placement", on_delete=models.PROTECT, null=True, blank=True,
        related_name="run_proposal",
    )

    class Meta:
        verbose_name = _("run proposal")
        verbose_name_plural = _("run proposals")
        constraints = [
            models.UniqueConstraint(fields=["run", "volunteer"], name="run_proposal_one_per_volunteer"),
            models.CheckConstraint(condition=Q(rank__gte=1), name="run_proposal_rank_positive"),
            models.CheckConstraint(
                condition=Q(decision__in=ProposalDecision.values), name="run_proposal_decision_valid"
            ),
            models.CheckConstraint(
                condition=Q(gender__in=["F", "M", "X"]), name="run_proposal_gender_valid"
            ),
            # An accepted proposal is a placement; nothing else is.
            models.CheckConstraint(
                condition=Q(decision=ProposalDecision.ACCEPTED, placement__isnull=False)
                | (~Q(decision=ProposalDecision.ACCEPTED) & Q(placement__isnull=True)),
                name="run_proposal_accepted_has_placement",
            ),
        ]
        indexes = [models.Index(fields=["run", "mission"])]

    def __str__(self) -> str:
        return f"{self.run_id}: {self.volunteer_id} → {self.mission_id} (#{self.rank})"


class RunUnplaced(models.Model):
    """A volunteer the run left unplaced, with the engine's reason and explanation."""

    run = models.ForeignKey(PlacementRun, on_delete=models.CASCADE, related_name="unplaced")
    volunteer = models.ForeignKey(
        "volunteers.Volunteer", on_delete=models.CASCADE, related_name="run_unplaced"
    )
    application = models.ForeignKey(
        "applications.Application", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    nationality = models.CharField(_("nationality"), max_length=2)
    gender = models.CharField(_("gender"), max_length=1)
    reason = models.CharField(_("reason"), max_length=24, choices=UnplacedReason.choices)
    explanation = models.TextField(_("explanation"))
    # The engine's explanation as (message key, params) parts, missions named by title, so a
    # page can say it in the reader's language; `note` adds the choices dropped before the run.
    explanation_parts: Any = models.JSONField(default=list, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("unplaced volunteer")
        verbose_name_plural = _("unplaced volunteers")
        constraints = [
            models.UniqueConstraint(fields=["run", "volunteer"], name="run_unplaced_one_per_volunteer"),
            models.CheckConstraint(
                condition=Q(reason__in=UnplacedReason.values), name="run_unplaced_reason_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.run_id}: {self.volunteer_id} ({self.reason})"

    def explanation_in(self, lang: str) -> str:
        """The explanation in `lang` (en or fr); runs stored before parts existed keep theirs."""
        if not self.explanation_parts:
            return self.explanation
        parts = [(key, params) for key, params in self.explanation_parts]
        # Country names from the one country list (django-countries' names of the same
        # ISO codes), in the reader's language; the engine itself keeps codes.
        with translation.override(lang):
            names = {code: str(countries.name(code)) or code for code in country_codes(parts)}
        text = render_explanation(parts, lang, country_names=names)
        return f"{text} {self.note}" if self.note else text

    @property
    def explanation_localised(self) -> str:
        return self.explanation_in(engine_language())


class AcceptanceStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


ACTIVE_ACCEPTANCE = (AcceptanceStatus.QUEUED, AcceptanceStatus.RUNNING)


class RunAcceptance(TimeStampedModel):
    """A coordinator's request to accept a run's proposals, executed as a background task.

    Accepting creates one placement, its history and its hosts' notices per proposal (1,800 took
    19 s in one request), so the request only records what to accept and a task does it, all or
    nothing, in one transaction: a worker killed midway leaves no placement behind and the task,
    delivered again, starts over. `done`/`total` count the proposals as they are written.
    """

    run = models.ForeignKey(PlacementRun, on_delete=models.CASCADE, related_name="acceptances")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("requested by"),
    )
    # The proposal ids to accept, or null for every pending proposal when the task runs.
    proposals: Any = models.JSONField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=AcceptanceStatus.choices,
                              default=AcceptanceStatus.QUEUED)
    total = models.PositiveIntegerField(_("proposals"), default=0)
    done = models.PositiveIntegerField(_("accepted so far"), default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    placements_count = models.PositiveIntegerField(_("placements"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    problems: Any = models.JSONField(default=list, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposals acceptance")
        verbose_name_plural = _("proposals acceptances")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AcceptanceStatus.values), name="run_acceptance_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(done__lte=F("total")), name="run_acceptance_done_le_total"
            ),
            # One acceptance at a time per run: two would count the same places twice.
            models.UniqueConstraint(
                fields=["run"], condition=Q(status__in=ACTIVE_ACCEPTANCE),
                name="run_acceptance_one_active_per_run",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.run_id}: acceptance {self.pk} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_ACCEPTANCE

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(100 * self.done / self.total)


# --- pairing runs (binômes) ---------------------------------------------------------------------


def language_name(code: str) -> str:
    """A language's name in the reader's language, or its code when Django does not know it."""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


class UnpairedReason(models.TextChoices):
    """The pairing engine's reason codes (reciprocity.placements.engine.pairing)."""

    NO_COMPATIBLE_PARTNER = "no_compatible_partner", _("No compatible partner")
    PARTNERS_TAKEN = "partners_taken", _("Compatible partners paired with others")


class PairDecision(models.TextChoices):
    """A pair proposal's life: reviewed once (accepted or set aside); an accepted pair may be
    dissolved later (PAIR_TRANSITIONS)."""

    PENDING = "pending", _("To review")
    ACCEPTED = "accepted", pgettext_lazy("placement run proposal", "Accepted")
    REJECTED = "rejected", _("Rejected")
    DISSOLVED = "dissolved", pgettext_lazy("pair", "Dissolved")


# A dissolved pair is not accepted again: a later run pairs its volunteers anew.
PAIR_TRANSITIONS: dict[str, frozenset[str]] = {
    PairDecision.PENDING: frozenset({PairDecision.ACCEPTED, PairDecision.REJECTED}),
    PairDecision.ACCEPTED: frozenset({PairDecision.DISSOLVED}),
    PairDecision.REJECTED: frozenset(),
    PairDecision.DISSOLVED: frozenset(),
}


class DissolutionCause(models.TextChoices):
    COORDINATOR = "coordinator", _("Dissolved by a coordinator")
    PLACEMENT_CANCELLED = "placement_cancelled", _("A placement of the pair was cancelled")
    PLACEMENT_INTERRUPTED = "placement_interrupted", _("A placement of the pair was interrupted")


class PairingRun(TimeStampedModel):
    """The pairing engine run over a programme's cohort in a season: each French volunteer's
    placement paired with a foreign volunteer's (docs/matching.md, "Pairing runs").

    The cohort it read is stored as the engine's input (`instance`, placements named `p<id>`),
    so the review and the staleness check at acceptance read the same facts. Same life as a
    placement run (RUN_TRANSITIONS), with its own history rows."""

    label = models.CharField(_("label"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.PROTECT, null=True, blank=True,
        related_name="pairing_runs", verbose_name=_("coordinator organisation"),
    )
    programme = models.ForeignKey(
        "agreements.Programme", on_delete=models.PROTECT, related_name="pairing_runs",
        verbose_name=_("programme"),
    )
    season_start = models.DateField(_("season start"))
    season_end = models.DateField(_("season end"))
    min_overlap_days = models.PositiveSmallIntegerField(
        _("minimum days together"), default=14,
        help_text=_("Two volunteers are paired only if their placements overlap this long."),
    )
    instance = models.JSONField(_("instance"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices,
                              default=RunStatus.QUEUED)
    error = models.TextField(_("error"), blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("created by"),
    )
    french_count = models.PositiveIntegerField(_("French volunteers"), null=True, blank=True)
    foreign_count = models.PositiveIntegerField(_("foreign volunteers"), null=True, blank=True)
    pairs_count = models.PositiveIntegerField(_("pairs"), null=True, blank=True)
    total_score = models.FloatField(_("total compatibility"), null=True, blank=True)

    class Meta:
        verbose_name = _("pairing run")
        verbose_name_plural = _("pairing runs")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RunStatus.values), name="pairing_run_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(season_start__lte=F("season_end")), name="pairing_run_season_period"
            ),
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True) | Q(status__in=FINAL_STATUSES),
                name="pairing_run_finished_when_final",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return self.label or str(_("Pairing run %(id)s") % {"id": self.pk})

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    def can_transition_to(self, to_status: str) -> bool:
        return to_status in RUN_TRANSITIONS.get(self.status, frozenset())


class PairingRunStatusChange(RunStatusChange):
    run = models.ForeignKey(PairingRun, on_delete=models.CASCADE, related_name="history")

    class Meta:
        verbose_name = _("pairing run status change")
        verbose_name_plural = _("pairing run status changes")
        constraints = [
            models.CheckConstraint(
                condition=Q(to_status__in=RunStatus.values), name="pairing_run_change_to_valid"
            ),
            models.CheckConstraint(
                condition=~Q(from_status=F("to_status")), name="pairing_run_change_moves"
            ),
        ]


HAS_PAIRING = (PairDecision.ACCEPTED, PairDecision.DISSOLVED)


class PairProposal(models.Model):
    """The engine pairs these two placements; the coordinator accepts (a `placements.Pairing`
    is made) or sets it aside."""

    run = models.ForeignKey(PairingRun, on_delete=models.CASCADE, related_name="pairs")
    french = models.ForeignKey(
        "placements.Placement", on_delete=models.CASCADE, related_name="+",
        verbose_name=_("French volunteer's placement"),
    )
    foreign = models.ForeignKey(
        "placements.Placement", on_delete=models.CASCADE, related_name="+",
        verbose_name=_("foreign volunteer's placement"),
    )
    score = models.FloatField(_("compatibility"))
    shared_languages = models.JSONField(_("shared languages"), default=list, blank=True)
    shared_themes = models.JSONField(_("shared themes"), default=list, blank=True)
    overlap_days = models.PositiveIntegerField(_("days together"))
    overlap_start = models.DateField(_("together from"))
    overlap_end = models.DateField(_("together until"))
    # The engine's own sentence (English); pages compose theirs from the fields above.
    explanation = models.TextField(_("explanation"), blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=PairDecision.choices,
                                default=PairDecision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    pairing = models.OneToOneField(
        "placements.Pairing", on_delete=models.PROTECT, null=True, blank=True,
        related_name="proposal",
    )

    class Meta:
        verbose_name = _("pair proposal")
        verbose_name_plural = _("pair proposals")
        constraints = [
            models.UniqueConstraint(fields=["run", "french"], name="pair_proposal_one_per_french"),
            models.UniqueConstraint(fields=["run", "foreign"], name="pair_proposal_one_per_foreign"),
            models.CheckConstraint(condition=~Q(french=F("foreign")), name="pair_proposal_two_placements"),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=100), name="pair_proposal_score_range"
            ),
            models.CheckConstraint(
                condition=Q(overlap_start__lte=F("overlap_end")), name="pair_proposal_overlap_period"
            ),
            models.CheckConstraint(
                condition=Q(decision__in=PairDecision.values), name="pair_proposal_decision_valid"
            ),
            # An accepted proposal is a pairing (a dissolved one keeps the pairing it was);
            # nothing else is.
            models.CheckConstraint(
                condition=Q(decision__in=HAS_PAIRING, pairing__isnull=False)
                | (~Q(decision__in=HAS_PAIRING) & Q(pairing__isnull=True)),
                name="pair_proposal_accepted_has_pairing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.run_id}: {self.french_id} + {self.foreign_id} ({self.score})"

    @property
    def language_names(self) -> list[str]:
        return [language_name(code) for code in self.shared_languages]

    @property
    def theme_labels(self) -> list[str]:
        return [str(Theme(t).label) if t in Theme.values else t for t in self.shared_themes]


class PairUnpaired(models.Model):
    """A placement of the cohort the run left without a partner, with the engine's reason."""

    run = models.ForeignKey(PairingRun, on_delete=models.CASCADE, related_name="unpaired")
    placement = models.ForeignKey(
        "placements.Placement", on_delete=models.CASCADE, related_name="+",
        verbose_name=_("placement"),
    )
    side = models.CharField(_("side"), max_length=10)
    reason = models.CharField(_("reason"), max_length=24, choices=UnpairedReason.choices)
    # How many compatible partners it had (0 for no_compatible_partner).
    candidates = models.PositiveIntegerField(_("compatible partners"), default=0)

    class Meta:
        verbose_name = _("unpaired placement")
        verbose_name_plural = _("unpaired placements")
        constraints = [
            models.UniqueConstraint(fields=["run", "placement"], name="pair_unpaired_one_per_placement"),
            models.CheckConstraint(
                condition=Q(reason__in=UnpairedReason.values), name="pair_unpaired_reason_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.run_id}: {self.placement_id} ({self.reason})"


class PairDissolution(models.Model):
    """An accepted binôme undone: by a coordinator, with a reason, or because one of its two
    placements was cancelled or interrupted. The history row of the pair's last move.

    Dissolving deletes the pairing's member rows (`placements.pairing_release`), so that "a
    placement is in one current pairing at most" stays a plain unique column and the placements
    may be paired again by a later run; this row keeps which two placements the pair was."""

    pairing = models.OneToOneField(
        "placements.Pairing", on_delete=models.PROTECT, related_name="dissolution",
        verbose_name=_("pairing"),
    )
    french = models.ForeignKey(
        "placements.Placement", on_delete=models.CASCADE, related_name="+",
        verbose_name=_("French volunteer's placement"),
    )
    foreign = models.ForeignKey(
        "placements.Placement", on_delete=models.CASCADE, related_name="+",
        verbose_name=_("foreign volunteer's placement"),
    )
    cause = models.CharField(_("cause"), max_length=24, choices=DissolutionCause.choices)
    # The placement whose cancellation or interruption dissolved the pair.
    ended_placement = models.ForeignKey(
        "placements.Placement", on_delete=models.CASCADE, null=True, blank=True,
        related_name="+", verbose_name=_("ended placement"),
    )
    reason = models.TextField(_("reason"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("dissolved by"),
    )
    occurred_at = models.DateTimeField(_("dissolved at"))

    class Meta:
        verbose_name = _("pair dissolution")
        verbose_name_plural = _("pair dissolutions")
        constraints = [
            models.CheckConstraint(
                condition=Q(cause__in=DissolutionCause.values), name="pair_dissolution_cause_valid"
            ),
            models.CheckConstraint(condition=~Q(french=F("foreign")),
                                   name="pair_dissolution_two_placements"),
            # A coordinator says why; a placement's end is the reason itself.
            models.CheckConstraint(
                condition=(Q(cause=DissolutionCause.COORDINATOR) & ~Q(reason="")
                           & Q(ended_placement__isnull=True))
                | (~Q(cause=DissolutionCause.COORDINATOR) & Q(ended_placement__isnull=False)),
                name="pair_dissolution_cause_facts",
            ),
        ]

    def __str__(self) -> str:
        return f"pairing {self.pairing_id} dissolved ({self.cause})"
