"""The procedure page's visa panel: the recorded outcome, and its form for the step's people.

An inclusion tag rather than view context, so that the page's view stays as it is."""

from typing import Any

from django import template

from reciprocity.procedures import visas
from reciprocity.procedures.forms import VisaOutcomeForm
from reciprocity.procedures.models import VISA_STEP_CODE, Procedure

register = template.Library()


@register.inclusion_tag("procedures/_visa_outcome.html")
def visa_outcome_panel(procedure: Procedure, user: Any) -> dict[str, Any]:
    step = procedure.steps.filter(code=VISA_STEP_CODE).first()
    if step is None:
        return {"step": None}
    outcome = visas.visa_step_outcome(step)
    form = None
    if visas.can_record(user, step):
        grounds = [(g.code, g.label) for g in visas.grounds_offered()]
        initial = {}
        if outcome is not None:
            initial = {
                "application_date": outcome.application_date,
                "appointment_date": outcome.appointment_date,
                "decision": outcome.decision, "decision_date": outcome.decision_date,
                "refusal_ground": outcome.refusal_ground.code if outcome.refusal_ground else "",
            }
        form = VisaOutcomeForm(initial=initial, grounds=grounds)
    return {"step": step, "outcome": outcome, "form": form}
