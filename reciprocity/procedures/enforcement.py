"""The eligibility verdict as a gate: accepting a choice and confirming a placement.

The verdict is the procedures engine's, asked the way every other part asks it
(`procedures/facts.py`): for a choice, `applications.selectors.eligibility_verdict` (what the
applicant was told, recomputed now); for a placement, the placement's own snapshots
(`procedures.services.plan_request_for`, the request its procedure is planned from). When the
engine cannot judge (facts it refuses, rules it cannot read) nothing is refused: the host
decides, as on the application page.

A refusal (`not_eligible`, with every reason in `details["reasons"]`) can be overridden by
platform staff only, with a written reason that the caller keeps in the history row.
"""

from typing import Any

from django.utils.translation import gettext as _

from reciprocity.accounts.models import User
from reciprocity.accounts.selectors import is_platform_staff
from reciprocity.core.exceptions import InvalidTransition, NotAllowed
from reciprocity.placements.models import Placement
from reciprocity.procedures import engine
from reciprocity.procedures.models import engine_language
from reciprocity.procedures.rulebooks import rules_current


def placement_ineligibility(placement: Placement) -> list[dict[str, Any]]:
    """The engine's reasons against this placement (empty: eligible or not judged)."""
    from reciprocity.procedures.services import plan_request_for

    try:
        verdict = engine.check_eligibility(plan_request_for(placement), rules_current().rulebook)
    except (engine.InvalidRequest, engine.RuleDataError, KeyError, ValueError):
        return []
    lang = engine_language()
    return [r.to_dict(lang) for r in verdict.reasons]


def eligibility_gate(*, reasons: list[dict[str, Any]], actor: User, override_reason: str) -> str:
    """Refuse unless eligible or overridden by staff with a reason; returns the sentence for the
    history row ('' when nothing was overridden)."""
    if not reasons:
        return ""
    listed = " ".join(str(r.get("message") or r.get("code")) for r in reasons)
    details = {"reasons": reasons}
    if not override_reason.strip():
        raise InvalidTransition(
            _("The volunteer is not eligible: %(reasons)s") % {"reasons": listed},
            code="not_eligible", details=details,
        )
    if not is_platform_staff(actor):
        raise NotAllowed(
            _("Only platform staff may override the eligibility verdict (%(reasons)s).")
            % {"reasons": listed},
            code="override_staff_only", details=details,
        )
    return _("Eligibility overridden by staff (%(reasons)s): %(reason)s") % {
        "reasons": ", ".join(str(r.get("code")) for r in reasons),
        "reason": override_reason.strip(),
    }
