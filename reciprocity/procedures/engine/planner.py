"""The engine's entry points: eligibility, entry document, steps, and the whole plan."""

from __future__ import annotations

from datetime import date

from .context import build_context
from .eligibility import evaluate
from .entry import determine_entry_document
from .rulebook import RuleBook
from .steps import build_steps
from .types import Eligibility, EntryDocument, Finding, Plan, PlanRequest


def _unique(findings: list[Finding]) -> tuple[Finding, ...]:
    return tuple(dict.fromkeys(findings))


def check_eligibility(request: PlanRequest, rulebook: RuleBook) -> Eligibility:
    """Every failing rule of the scheme in force on the start date, and the related warnings.

    Raises `InvalidRequest` for a request that cannot be evaluated (unknown scheme or country,
    end before start, birth after start, negative numbers).
    """
    ctx = build_context(request, rulebook)
    reasons, warnings = evaluate(ctx)
    return Eligibility(
        reasons=tuple(reasons), warnings=_unique(warnings + ctx.unverified_warnings())
    )


def entry_document_for(
    request: PlanRequest, rulebook: RuleBook
) -> tuple[EntryDocument, tuple[Finding, ...]]:
    """The entry document and the warnings attached to it."""
    ctx = build_context(request, rulebook)
    document, warnings = determine_entry_document(ctx)
    return document, _unique(warnings)


def plan_procedure(request: PlanRequest, rulebook: RuleBook, *, today: date) -> Plan:
    """Eligibility, entry document, dated steps and warnings for one volunteer and mission.

    `today` is only used to flag deadlines already passed; the plan itself does not depend on it.
    """
    ctx = build_context(request, rulebook)
    reasons, warnings = evaluate(ctx)
    document, entry_warnings = determine_entry_document(ctx)
    steps, step_warnings = build_steps(ctx, document, today)
    all_warnings = warnings + entry_warnings + step_warnings + ctx.unverified_warnings()
    return Plan(
        eligible=not reasons,
        reasons=tuple(reasons),
        entry_document=document,
        steps=tuple(steps),
        warnings=_unique(all_warnings),
    )
