"""Procedures: the hosting plan of one placement as a live checklist.

`Procedure` keeps the engine's verdict as computed (snapshot: it does not move when a rule is
edited later), `ProcedureStep` the dated steps with an owner and a status, `StepStatusChange`
one row per status change, `ProcedureDocument` the uploaded papers. `RuleDocument` holds the
procedure rule files (visa lists, step templates...) as rows staff may edit.
"""

import re
from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from reciprocity.core.l10n import format_day
from reciprocity.core.models import TimeStampedModel
from reciprocity.procedures.engine import ENTRY_DOCUMENT_CODES, STEP_CODES, render
from reciprocity.procedures.engine.rulebook import PROCEDURE_FILES


def engine_language() -> str:
    """The engine catalogue's language for the active Django language (en or fr)."""
    return "fr" if (get_language() or "en").startswith("fr") else "en"


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def engine_text(key: str, params: dict[str, Any]) -> str:
    """An engine text for people: its parameters are kept as data (ISO dates, step codes, in
    the database and the API's `params`), so dates are written in the reader's language ("avant
    le 5 février 2027", core/l10n) and a step is named by its title, not its code."""
    lang = engine_language()
    shown: dict[str, str] = {}
    for name, value in params.items():
        text = str(value)
        if _ISO_DAY.fullmatch(text):
            text = format_day(date.fromisoformat(text))
        elif name == "step" and text in STEP_CODES:
            text = render(f"step_name.{text}", lang, {})
        elif name == "document" and text in ENTRY_DOCUMENT_CODES:
            text = render(f"entry.{text}", lang, {})
        shown[name] = text
    return render(key, lang, shown)


class RuleDocument(TimeStampedModel):
    """One procedure rule file (`procedures/data/<key>.json`) as a row: seeded from the file,
    then edited by staff; the planner reads the row when it exists."""

    key = models.CharField(
        _("document"), max_length=40, unique=True,
        choices=[(name, name.replace("_", " ")) for name in PROCEDURE_FILES],
    )
    content: Any = models.JSONField(_("content"))
    source = models.TextField(_("source"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("rule document")
        verbose_name_plural = _("rule documents")
        constraints = [
            models.CheckConstraint(
                condition=Q(key__in=PROCEDURE_FILES), name="rule_document_key_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.key


class Procedure(TimeStampedModel):
    """The plan of one placement, computed once by the engine when the placement is confirmed."""

    placement = models.OneToOneField(
        "placements.Placement", on_delete=models.CASCADE, related_name="procedure"
    )
    scheme = models.ForeignKey("schemes.Scheme", on_delete=models.PROTECT)
    entry_document = models.CharField(
        _("entry document"), max_length=40,
        choices=[(code, code) for code in ENTRY_DOCUMENT_CODES],
    )
    entry_document_confidence = models.CharField(max_length=12, default="verified")
    eligible = models.BooleanField(_("eligible"))
    # Findings as the engine returned them: [{"code": ..., "params": {...}}], rendered in the
    # reader's language at display time.
    reasons: Any = models.JSONField(_("reasons"), default=list, blank=True)
    warnings: Any = models.JSONField(_("warnings"), default=list, blank=True)
    # What the engine was given (volunteer, mission and host facts), for audit and recomputation.
    facts: Any = models.JSONField(_("facts"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("computed at"))
    computed_for = models.DateField(_("reference date"))
    rules_source = models.CharField(_("rules from"), max_length=10)  # "database" or "files"
    rules_version = models.CharField(_("rules version"), max_length=64)

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        constraints = [
            models.CheckConstraint(
                condition=Q(entry_document__in=ENTRY_DOCUMENT_CODES),
                name="procedure_entry_document_valid",
            ),
            models.CheckConstraint(
                condition=Q(rules_source__in=["database", "files"]),
                name="procedure_rules_source_valid",
            ),
            # An eligible verdict has no failing reason (the reverse is checked by the service).
            models.CheckConstraint(
                condition=Q(eligible=False) | Q(reasons=[]), name="procedure_eligible_no_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"procedure of placement {self.placement_id}"

    def checklist(self) -> "models.QuerySet[ProcedureStep]":
        """The steps in the plan's order (for templates, which cannot call order_by)."""
        return self.steps.order_by("position", "pk")

    @property
    def rules_source_label(self) -> str:
        """Where the rules were read, for people (the column keeps "database" or "files")."""
        if self.rules_source == "database":
            return str(_("rules as edited by the platform team"))
        return str(_("rules shipped with the software"))

    @property
    def entry_document_label(self) -> str:
        return engine_text(f"entry.{self.entry_document}", {})


class StepStatus(models.TextChoices):
    TO_DO = "to_do", _("To do")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")
    BLOCKED = "blocked", _("Blocked")


S = StepStatus

# Every status change a step may go through. Done and not applicable can be reopened (a visa
# refused after all, a step wrongly skipped): the history row keeps who changed what and why.
STEP_TRANSITIONS: dict[str, frozenset[str]] = {
    S.TO_DO: frozenset({S.IN_PROGRESS, S.DONE, S.NOT_APPLICABLE, S.BLOCKED}),
    S.IN_PROGRESS: frozenset({S.TO_DO, S.DONE, S.BLOCKED}),
    S.BLOCKED: frozenset({S.TO_DO, S.IN_PROGRESS, S.DONE, S.NOT_APPLICABLE}),
    S.DONE: frozenset({S.IN_PROGRESS}),
    S.NOT_APPLICABLE: frozenset({S.TO_DO}),
}
OPEN_STATUSES = (S.TO_DO, S.IN_PROGRESS, S.BLOCKED)
# A move into these needs a note saying why (what blocks, why the step does not apply).
NOTE_REQUIRED = frozenset({S.BLOCKED, S.NOT_APPLICABLE})


class StepOwner(models.TextChoices):
    VOLUNTEER = "volunteer", _("Volunteer")
    SENDING_ORGANISATION = "sending_organisation", _("Sending organisation")
    HOST_ORGANISATION = "host_organisation", _("Host organisation")
    COORDINATOR = "coordinator", _("Coordinator")


class ProcedureStep(models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(pgettext_lazy("order in a list", "position"))
    code = models.CharField(
        _("step"), max_length=40, choices=[(code, code) for code in STEP_CODES]
    )
    title_key = models.CharField(max_length=80)
    title_params: Any = models.JSONField(default=dict, blank=True)
    owner = models.CharField(_("owner"), max_length=24, choices=StepOwner.choices)
    due_from = models.DateField(_("from"), null=True, blank=True)
    due_by = models.DateField(_("due by"), null=True, blank=True)
    documents: Any = models.JSONField(_("documents"), default=list, blank=True)
    confidence = models.CharField(max_length=12, default="verified")
    source = models.TextField(blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=StepStatus.choices, default=StepStatus.TO_DO
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    # The person who takes the step in hand among those its owner lets tick it ("reassign" on
    # What is due). The owner stays the rule; the assignee is who does it this time.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="assigned_steps", verbose_name=_("assigned to"),
    )

    class Meta:
        verbose_name = _("procedure step")
        verbose_name_plural = _("procedure steps")
        constraints = [
            models.UniqueConstraint(fields=["procedure", "code"], name="procedure_step_unique"),
            models.CheckConstraint(
                condition=Q(status__in=StepStatus.values), name="procedure_step_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(owner__in=StepOwner.values), name="procedure_step_owner_valid"
            ),
            models.CheckConstraint(
                condition=Q(code__in=STEP_CODES), name="procedure_step_code_valid"
            ),
            models.CheckConstraint(
                condition=Q(due_from__isnull=True) | Q(due_by__isnull=True)
                | Q(due_from__lte=F("due_by")),
                name="procedure_step_window",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_by"])]

    def __str__(self) -> str:
        return f"{self.procedure_id}/{self.code} ({self.status})"

    @property
    def title(self) -> str:
        return engine_text(self.title_key, dict(self.title_params))

    @property
    def document_labels(self) -> list[str]:
        lang = engine_language()
        return [render(f"doc.{code}", lang, {}) for code in self.documents]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def to_be_confirmed(self) -> bool:
        return self.confidence == "unverified"

    def is_overdue(self, today: date) -> bool:
        return self.is_open and self.due_by is not None and self.due_by < today

    def can_transition_to(self, to_status: str) -> bool:
        return to_status in STEP_TRANSITIONS.get(self.status, frozenset())


class StepStatusChange(models.Model):
    step = models.ForeignKey(ProcedureStep, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(_("from"), max_length=16, choices=StepStatus.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=StepStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    occurred_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("step status change")
        verbose_name_plural = _("step status changes")
        constraints = [
            models.CheckConstraint(
                condition=Q(to_status__in=StepStatus.values), name="step_change_to_valid"
            ),
            models.CheckConstraint(
                condition=~Q(from_status=F("to_status")), name="step_change_moves"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.step_id}: {self.from_status} → {self.to_status}"


class DocumentKind(models.TextChoices):
    """What an upload is; identity, visa and insurance kinds feed the coverage checks."""

    PASSPORT = "passport", _("Passport")
    ID_CARD = "id_card", _("Identity card")
    RESIDENCE_PERMIT = "residence_permit", _("Residence permit")
    SHORT_STAY_VISA = "short_stay_visa", _("Short-stay visa")
    LONG_STAY_VISA = "long_stay_visa", _("Long-stay visa")
    HEALTH_INSURANCE = "health_insurance", _("Health insurance")
    COMPLEMENTARY_HEALTH_INSURANCE = "complementary_health_insurance", _(
        "Complementary health insurance"
    )
    REPATRIATION_INSURANCE = "repatriation_insurance", _("Repatriation insurance")
    CIVIL_LIABILITY_INSURANCE = "civil_liability_insurance", _("Civil-liability insurance")
    TRAVEL_MEDICAL_INSURANCE = "travel_medical_insurance", _("Travel medical insurance")
    ESC_INSURANCE_CERTIFICATE = "esc_insurance_certificate", _("ESC insurance certificate")
    SOCIAL_SECURITY_AFFILIATION = "social_security_affiliation", _("Social security affiliation")
    CONTRACT = "contract", _("Contract")
    INVITATION_LETTER = "invitation_letter", _("Invitation letter")
    HOST_ATTESTATION = "host_attestation", _("Host attestation")
    ACCOMMODATION_PROOF = "accommodation_proof", _("Proof of accommodation")
    MEDICAL_CERTIFICATE = "medical_certificate", _("Medical certificate")
    TRAINING_ATTESTATION = "training_attestation", _("Training attestation")
    OTHER = "other", _("Other")


IDENTITY_KINDS = (DocumentKind.PASSPORT, DocumentKind.ID_CARD)
# A residence permit also lets a foreign volunteer stay: it counts for the visa check.
STAY_PERMIT_KINDS = (
    DocumentKind.SHORT_STAY_VISA, DocumentKind.LONG_STAY_VISA, DocumentKind.RESIDENCE_PERMIT,
)
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class ProcedureDocument(models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="documents")
    step = models.ForeignKey(
        ProcedureStep, on_delete=models.SET_NULL, null=True, blank=True, related_name="uploads"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to="procedures/%Y/%m/", max_length=255)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField(_("size"))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("procedure document")
        verbose_name_plural = _("procedure documents")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=DocumentKind.values), name="procedure_document_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(size__gt=0) & Q(size__lte=MAX_UPLOAD_BYTES),
                name="procedure_document_size",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True) | Q(expires_on__isnull=True)
                | Q(valid_from__lte=F("expires_on")),
                name="procedure_document_validity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure_id}: {self.kind} ({self.original_name})"


# The change log of the rules (`RuleChange`) lives next to the scheme rules: schemes.models
# (ADR 0005, ignore 5 removed); its table keeps the name procedures_rulechange.


# --- Visa outcomes ------------------------------------------------------------------------------

# The step of the plan where the volunteer applies for a visa (short or long stay: one code,
# two templates in steps.json); its outcome is recorded on a `VisaOutcome`.
VISA_STEP_CODE = "visa_application"


class VisaDecision(models.TextChoices):
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", pgettext_lazy("visa decision", "Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Decisions taken by the consulate after examining the file (a withdrawal is the applicant's).
CONSULAR_DECISIONS = (VisaDecision.GRANTED, VisaDecision.REFUSED)


class VisaRefusalGround(models.Model):
    """A ground of refusal as consulates state it (the boxes of the Schengen refusal form,
    Annex VI of the Visa Code): data staff may edit (admin), not a code list, because the form
    changes with amendments and the list was rebuilt from secondary sources (docs/procedures.md).
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    form_number = models.PositiveSmallIntegerField(_("number on the form"), null=True, blank=True)
    label_en = models.CharField(_("label (English)"), max_length=300)
    label_fr = models.CharField(_("label (French)"), max_length=300)
    source = models.TextField(_("source"), blank=True)
    confidence = models.CharField(_("confidence"), max_length=12, default="verified")
    active = models.BooleanField(_("offered"), default=True)
    position = models.PositiveSmallIntegerField(pgettext_lazy("order in a list", "position"),
                                                default=0)

    class Meta:
        verbose_name = _("visa refusal ground")
        verbose_name_plural = _("visa refusal grounds")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.label_fr if engine_language() == "fr" else self.label_en


class VisaOutcome(TimeStampedModel):
    """What happened to a placement's visa application: dates, decision, stated ground.

    Held per placement (imported past placements have no procedure); `step` links the visa step
    of the procedure when there is one, where it is edited by the step's owners."""

    placement = models.OneToOneField(
        "placements.Placement", on_delete=models.CASCADE, related_name="visa_outcome"
    )
    step = models.OneToOneField(
        ProcedureStep, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="visa_outcome",
    )
    application_date = models.DateField(_("application date"), null=True, blank=True)
    appointment_date = models.DateField(_("appointment date"), null=True, blank=True)
    decision = models.CharField(
        _("decision"), max_length=12, choices=VisaDecision.choices, blank=True
    )
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    refusal_ground = models.ForeignKey(
        VisaRefusalGround, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("stated ground"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("visa outcome")
        verbose_name_plural = _("visa outcomes")
        constraints = [
            models.CheckConstraint(
                condition=Q(decision__in=["", *VisaDecision.values]),
                name="visa_outcome_decision_valid",
            ),
            # A decision date needs a decision (old records may know the decision, not the day).
            models.CheckConstraint(
                condition=Q(decision_date__isnull=True) | ~Q(decision=""),
                name="visa_outcome_date_needs_decision",
            ),
            models.CheckConstraint(
                condition=Q(refusal_ground__isnull=True) | Q(decision=VisaDecision.REFUSED),
                name="visa_outcome_ground_only_refused",
            ),
            models.CheckConstraint(
                condition=Q(application_date__isnull=True) | Q(appointment_date__isnull=True)
                | Q(application_date__lte=F("appointment_date")),
                name="visa_outcome_application_before_appointment",
            ),
            models.CheckConstraint(
                condition=Q(application_date__isnull=True) | Q(decision_date__isnull=True)
                | Q(application_date__lte=F("decision_date")),
                name="visa_outcome_application_before_decision",
            ),
            # The consulate decides after the appointment; an applicant may withdraw before it.
            models.CheckConstraint(
                condition=Q(appointment_date__isnull=True) | Q(decision_date__isnull=True)
                | Q(decision=VisaDecision.WITHDRAWN)
                | Q(appointment_date__lte=F("decision_date")),
                name="visa_outcome_appointment_before_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"visa outcome of placement {self.placement_id}"

    @property
    def days_to_decision(self) -> int | None:
        if self.application_date is None or self.decision_date is None:
            return None
        return (self.decision_date - self.application_date).days
