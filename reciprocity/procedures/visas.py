"""Visa outcomes: what the consulate decided on a placement's visa application, and when.

Recorded on the procedure page (or the API) by whoever may tick the visa step (its owner's
people: `permissions.can_tick`), and by the import of past placements (`balance/importer.py`),
which checks its rows with the same `visa_outcome_errors`. The database holds the same rules as
constraints (procedures.VisaOutcome.Meta); the checks here give the reasons in words first.

The balance figures (refusal rate, days to decision, placements lost to visas) read these rows:
`balance/visa_figures.py`, docs/balance.md.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from reciprocity.accounts.models import User
from reciprocity.accounts.selectors import AnyUser
from reciprocity.core.exceptions import ApplicationError, NotAllowed
from reciprocity.procedures import permissions
from reciprocity.procedures.models import (
    CONSULAR_DECISIONS,
    VISA_STEP_CODE,
    ProcedureStep,
    VisaDecision,
    VisaOutcome,
    VisaRefusalGround,
)


@dataclass(frozen=True)
class VisaFacts:
    """The fields of an outcome as given (page, API, import row); `refusal_ground` is a code."""

    application_date: date | None = None
    appointment_date: date | None = None
    decision: str = ""
    decision_date: date | None = None
    refusal_ground: str = ""


def grounds_offered() -> QuerySet[VisaRefusalGround]:
    """The grounds a new refusal may state, in the form's order."""
    return VisaRefusalGround.objects.filter(active=True).order_by("position", "code")


def visa_outcome_errors(facts: VisaFacts, *, today: date, grounds: set[str]) -> list[str]:
    """Every reason the facts cannot be recorded (empty when they can). `grounds`: the codes
    that may be stated."""
    errors: list[str] = []
    if facts.decision and facts.decision not in VisaDecision.values:
        errors.append(_("decision %(value)r is not one of %(allowed)s") % {
            "value": facts.decision, "allowed": ", ".join(VisaDecision.values)})
    if facts.decision_date is not None and not facts.decision:
        errors.append(_("a decision date needs a decision"))
    if facts.refusal_ground and facts.decision != VisaDecision.REFUSED:
        errors.append(_("a refusal ground is only stated with a refusal"))
    if facts.refusal_ground and facts.refusal_ground not in grounds:
        errors.append(_("refusal ground %(value)r is not in the list of grounds") % {
            "value": facts.refusal_ground})
    applied, appointment, decided = (
        facts.application_date, facts.appointment_date, facts.decision_date)
    if applied and appointment and appointment < applied:
        errors.append(_("the appointment date is before the application date"))
    if applied and decided and decided < applied:
        errors.append(_("the decision date is before the application date"))
    # A consulate decides after the appointment; an applicant may withdraw before it.
    if (appointment and decided and decided < appointment
            and facts.decision in CONSULAR_DECISIONS):
        errors.append(_("the decision date is before the appointment date"))
    # An appointment may be booked ahead; an application filed or a decision taken may not.
    if applied and applied > today:
        errors.append(_("the application date is in the future"))
    if decided and decided > today:
        errors.append(_("the decision date is in the future"))
    return errors


def visa_step_outcome(step: ProcedureStep) -> VisaOutcome | None:
    """The outcome recorded for the placement of a visa step, if any."""
    return VisaOutcome.objects.filter(placement_id=step.procedure.placement_id).first()


def can_record(user: AnyUser, step: ProcedureStep) -> bool:
    """The visa step's own people record its outcome, as they tick it."""
    return step.code == VISA_STEP_CODE and permissions.can_tick(user, step)


@transaction.atomic
def visa_outcome_record(
    *, step: ProcedureStep, facts: VisaFacts, actor: User, today: date
) -> VisaOutcome:
    """Record (or correct) the outcome of the visa step's application.

    Allowed on a cancelled placement: a refusal is often recorded after the placement it cost
    was cancelled, and the figures of placements lost to visas need it. The step's status is
    not moved: its people tick it as before."""
    step = (
        ProcedureStep.objects.select_for_update(of=("self",))
        .select_related("procedure__placement__mission", "procedure__placement__volunteer",
                        "procedure__placement__agreement")
        .get(pk=step.pk)
    )
    if step.code != VISA_STEP_CODE:
        raise ApplicationError(_("Only the visa step records a visa outcome."),
                               code="not_visa_step")
    if not permissions.can_tick(actor, step):
        raise NotAllowed(_("You may not record the outcome of this visa application."))
    errors = visa_outcome_errors(
        facts, today=today, grounds=set(grounds_offered().values_list("code", flat=True)))
    if errors:
        raise ApplicationError(
            _("The visa outcome cannot be recorded: %(reasons)s.") % {"reasons": "; ".join(errors)},
            code="visa_outcome_invalid", details={"reasons": errors},
        )
    ground = (VisaRefusalGround.objects.get(code=facts.refusal_ground)
              if facts.refusal_ground else None)
    outcome, _created = VisaOutcome.objects.select_for_update().get_or_create(
        placement_id=step.procedure.placement_id, defaults={"step": step})
    outcome.step = step
    outcome.application_date = facts.application_date
    outcome.appointment_date = facts.appointment_date
    outcome.decision = facts.decision
    outcome.decision_date = facts.decision_date
    outcome.refusal_ground = ground
    outcome.updated_by = actor
    outcome.save()  # save(), not update(): the audit log records the change
    return outcome
