"""The one eligibility checker: every part that asks "may this volunteer take this mission?"
asks it here (issue 11: the adapter existed three times, catching different exceptions).

`eligibility_judge` asks the procedures engine with the rules in force (`rules_current()`,
the book procedures are planned with) and raises one of `NOT_JUDGED` when the engine cannot
judge (facts it refuses, rules it cannot read). Its callers:

- `eligibility_verdict`: the verdict of a choice as JSON, what the applicant is told (stored on
  the choice at submission, recomputed when the host accepts);
- `eligibility_reasons`: the reasons only, [] when eligible *or* not judged (the host decides,
  as on the application page); `placement_ineligibility` for a placement's own snapshots
  (`procedures.services.plan_request_for`, the request its procedure is planned from);
  `matching.eligibility.EligibilityChecker` for a whole run, with facts loaded once;
- `procedures.selectors.eligibility_for`: the verdict shown on the eligibility page, where a
  request the engine refuses is shown as a reason.

The gate (accepting a choice, confirming a placement: reciprocity/workflow/services.py):

A refusal (`not_eligible`, with every reason in `details["reasons"]`) can be overridden by
platform staff only, with a written reason that the caller keeps in the history row.
"""

from typing import Any

from django.utils.translation import gettext as _

from reciprocity.accounts.models import User
from reciprocity.accounts.selectors import is_platform_staff
from reciprocity.core.exceptions import InvalidTransition, NotAllowed
from reciprocity.missions.models import Mission
from reciprocity.placements.models import Placement
from reciprocity.procedures import engine
from reciprocity.procedures.facts import host_facts, plan_request
from reciprocity.procedures.models import engine_language
from reciprocity.procedures.rulebooks import rules_current
from reciprocity.volunteers.models import Volunteer

# What the engine raises when it cannot judge a request: the caller decides what that means.
NOT_JUDGED: tuple[type[Exception], ...] = (
    engine.InvalidRequest, engine.RuleDataError, KeyError, ValueError,
)


def eligibility_judge(
    request: engine.PlanRequest, rulebook: engine.RuleBook | None = None
) -> engine.Eligibility:
    """The engine's verdict on `request` with `rulebook` (default: the rules in force now, as
    the procedures app loads them). Raises one of `NOT_JUDGED` when it cannot judge."""
    return engine.check_eligibility(
        request, rulebook if rulebook is not None else rules_current().rulebook
    )


def eligibility_reasons(
    request: engine.PlanRequest, rulebook: engine.RuleBook | None = None
) -> list[dict[str, Any]]:
    """The reasons against `request`, as JSON (empty: eligible, or the engine could not judge,
    in which case the host decides)."""
    try:
        verdict = eligibility_judge(request, rulebook)
    except NOT_JUDGED:
        return []
    lang = engine_language()
    return [r.to_dict(lang) for r in verdict.reasons]


def eligibility_verdict(*, volunteer: Volunteer, mission: Mission) -> dict[str, Any]:
    """The procedures engine's verdict for this volunteer on this mission, as plain JSON.

    `checked` is false when the engine cannot evaluate the request (unknown scheme, missing
    data): the application is still accepted and the host decides with that knowledge.
    """
    request = plan_request(volunteer, mission, host=host_facts(mission))
    lang = engine_language()
    try:
        verdict = eligibility_judge(request)
    except NOT_JUDGED as exc:
        return {"checked": False, "eligible": None, "reasons": [], "warnings": [],
                "error": str(exc)}
    return {
        "checked": True,
        "eligible": verdict.eligible,
        "reasons": [r.to_dict(lang) for r in verdict.reasons],
        "warnings": [w.to_dict(lang) for w in verdict.warnings],
    }


def placement_ineligibility(placement: Placement) -> list[dict[str, Any]]:
    """The engine's reasons against this placement (empty: eligible or not judged)."""
    from reciprocity.procedures.services import plan_request_for

    return eligibility_reasons(plan_request_for(placement))


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
