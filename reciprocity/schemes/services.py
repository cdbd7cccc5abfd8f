"""Scheme rules: seeding from the data files shipped in `schemes/data/`, staff edits of rule
rows and suspensions, and the suspension guard for new applications and contracts."""

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from reciprocity.accounts.models import User
from reciprocity.accounts.selectors import is_platform_staff
from reciprocity.core.exceptions import ApplicationError, NotAllowed
from reciprocity.core.l10n import format_day
from reciprocity.schemes.models import Confidence, RuleChange, Scheme, SchemeRule, SchemeSuspension

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class RulesLoadResult:
    rules_created: int
    suspensions_created: int
    files: int


@transaction.atomic
def rules_load_from_files(*, directory: Path = DATA_DIR) -> RulesLoadResult:
    """Create the rule rows and suspensions the files describe and the database lacks.

    Existing rows are never overwritten: staff may have corrected a value, and their edit wins
    over the file. A new value in a file is a new row with its own effective date.
    """
    rules_created = suspensions_created = files = 0
    for path in sorted(directory.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        files += 1
        scheme, _ = Scheme.objects.get_or_create(
            code=document["code"],
            defaults={"name_en": document["name_en"], "name_fr": document["name_fr"]},
        )
        for row in document.get("rules", []):
            _, created = SchemeRule.objects.get_or_create(
                scheme=scheme,
                key=row["key"],
                effective_from=date.fromisoformat(row["effective_from"]),
                defaults={
                    "value": row["value"],
                    "unit": row.get("unit", ""),
                    "source": row.get("source", ""),
                    "confidence": row.get("confidence", "verified"),
                    "note": row.get("note", ""),
                },
            )
            rules_created += created
        for row in document.get("suspensions", []):
            _, created = SchemeSuspension.objects.get_or_create(
                scheme=scheme,
                start=date.fromisoformat(row["start"]),
                defaults={
                    "end": date.fromisoformat(row["end"]) if row.get("end") else None,
                    "reason": row.get("reason", ""),
                    "source": row.get("source", ""),
                    "confidence": row.get("confidence", "verified"),
                },
            )
            suspensions_created += created
    return RulesLoadResult(rules_created, suspensions_created, files)


# --- staff editing of rules and suspensions ------------------------------------------------------
#
# A rule row is versioned by its effective date: an edit that keeps the date corrects the row in
# place (a typo, a better source); an edit with another date adds a new version, so plans of
# missions starting before that date keep the old value. Every edit is logged in
# `RuleChange` with its author (the scheme tables carry no author column).


def _require_staff(actor: User) -> None:
    if not is_platform_staff(actor):
        raise NotAllowed(_("Only platform staff may change the rules."))


def _rule_snapshot(rule: SchemeRule) -> dict[str, Any]:
    return {
        "value": rule.value, "effective_from": rule.effective_from.isoformat(),
        "source": rule.source, "confidence": rule.confidence, "note": rule.note,
    }


def _same_kind(old: Any, new: Any) -> bool:
    """A number stays a number, a flag a flag, a list a list: the engine relies on the type."""
    if isinstance(old, bool) or isinstance(new, bool):
        return isinstance(old, bool) and isinstance(new, bool)
    if isinstance(old, (int, float)):
        return isinstance(new, (int, float))
    return type(old) is type(new)


def _log(target: str, target_id: object, label: str, action: str, before: Any, after: Any,
         actor: User) -> None:
    RuleChange.objects.create(
        target=target, target_id=str(target_id), label=label[:200], action=action,
        before=before, after=after, actor=actor,
    )


@transaction.atomic
def scheme_rule_edit(
    *,
    rule: SchemeRule,
    value: Any,
    effective_from: date,
    source: str,
    confidence: str,
    note: str = "",
    actor: User,
) -> SchemeRule:
    """Correct the row (same effective date) or add a new version of it (another date)."""
    _require_staff(actor)
    rule = SchemeRule.objects.select_for_update().get(pk=rule.pk)
    if confidence not in Confidence.values:
        raise ApplicationError(_("Unknown confidence level."), code="invalid_confidence")
    if not _same_kind(rule.value, value):
        raise ApplicationError(
            _("The value must keep the type of the current one (%(example)s).")
            % {"example": json.dumps(rule.value)},
            code="invalid_value",
        )
    before = _rule_snapshot(rule)
    if effective_from == rule.effective_from:
        rule.value, rule.source, rule.confidence, rule.note = value, source, confidence, note
        rule.save(update_fields=["value", "source", "confidence", "note", "updated_at"])
        action = "corrected"
    else:
        if SchemeRule.objects.filter(
            scheme_id=rule.scheme_id, key=rule.key, effective_from=effective_from
        ).exists():
            raise ApplicationError(
                _("A version of %(key)s already takes effect on %(day)s: edit that one.")
                % {"key": rule.key, "day": format_day(effective_from)},
                code="rule_version_exists",
            )
        rule = SchemeRule.objects.create(
            scheme_id=rule.scheme_id, key=rule.key, unit=rule.unit, value=value,
            effective_from=effective_from, source=source, confidence=confidence, note=note,
        )
        action = "new_version"
    _log("rule", rule.pk, f"{rule.scheme_id}.{rule.key}", action, before, _rule_snapshot(rule),
         actor)
    return rule


def _suspension_snapshot(s: SchemeSuspension) -> dict[str, Any]:
    return {"start": s.start.isoformat(), "end": s.end.isoformat() if s.end else None,
            "reason": s.reason, "source": s.source}


@transaction.atomic
def scheme_suspend(
    *, scheme_code: str, start: date, end: date | None, reason: str, source: str = "",
    actor: User,
) -> SchemeSuspension:
    """Suspend a scheme from `start` to `end` (inclusive; None while the end is not known)."""
    _require_staff(actor)
    scheme = Scheme.objects.select_for_update().filter(pk=scheme_code).first()
    if scheme is None:
        raise ApplicationError(_("Unknown scheme."), code="invalid_scheme")
    if end is not None and end < start:
        raise ApplicationError(_("The end is before the start."), code="invalid_period")
    if not reason.strip():
        raise ApplicationError(_("Give the reason of the suspension."), code="reason_required")
    if SchemeSuspension.objects.filter(scheme=scheme, start=start).exists():
        raise ApplicationError(
            _("A suspension of this scheme already starts on that day: edit it."),
            code="suspension_exists",
        )
    suspension = SchemeSuspension.objects.create(
        scheme=scheme, start=start, end=end, reason=reason.strip(), source=source,
        confidence=Confidence.VERIFIED,
    )
    _log("suspension", suspension.pk, f"{scheme.code} suspension", "created", None,
         _suspension_snapshot(suspension), actor)
    return suspension


@transaction.atomic
def scheme_suspension_edit(
    *, suspension: SchemeSuspension, end: date | None, reason: str, actor: User
) -> SchemeSuspension:
    """Set or change the end of a suspension (typically once the budget is voted)."""
    _require_staff(actor)
    suspension = SchemeSuspension.objects.select_for_update().get(pk=suspension.pk)
    if end is not None and end < suspension.start:
        raise ApplicationError(_("The end is before the start."), code="invalid_period")
    if not reason.strip():
        raise ApplicationError(_("Give the reason of the suspension."), code="reason_required")
    before = _suspension_snapshot(suspension)
    suspension.end, suspension.reason = end, reason.strip()
    suspension.save(update_fields=["end", "reason", "updated_at"])
    _log("suspension", suspension.pk, f"{suspension.scheme_id} suspension", "edited", before,
         _suspension_snapshot(suspension), actor)
    return suspension


def scheme_suspension_check(*, scheme_code: str, on: date) -> None:
    """Refuse a new application or contract of a scheme suspended on `on`.

    Raises `ApplicationError` (code `scheme_suspended`, HTTP 400) when a suspension of the
    scheme covers the day `on`; an open-ended suspension covers every day from its start. Call
    it with the day the application is made or the contract signed (usually today). Existing
    placements are not refused: their procedure pages carry a warning instead.
    """
    suspension = (
        SchemeSuspension.objects.filter(scheme_id=scheme_code, start__lte=on)
        .filter(Q(end__isnull=True) | Q(end__gte=on))
        .order_by("start")
        .first()
    )
    if suspension is None:
        return
    if suspension.end:
        message = _("New %(scheme)s applications and contracts are suspended from %(start)s to "
                    "%(end)s: %(reason)s")
    else:
        message = _("New %(scheme)s applications and contracts are suspended since %(start)s, "
                    "until further notice: %(reason)s")
    raise ApplicationError(
        message % {"scheme": suspension.scheme.name, "start": format_day(suspension.start),
                   "end": format_day(suspension.end),
                   "reason": suspension.reason},
        code="scheme_suspended",
        details={"scheme": scheme_code, "start": suspension.start.isoformat(),
                 "end": suspension.end.isoformat() if suspension.end else None},
    )
