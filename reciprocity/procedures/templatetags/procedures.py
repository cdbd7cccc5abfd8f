"""Rendering the engine's findings in the reader's language (its catalogue has en and fr)."""

from typing import Any

from django import template
from django.utils.translation import gettext as _

from reciprocity.procedures.engine import Finding
from reciprocity.procedures.models import engine_text
from reciprocity.procedures.selectors import FACTS_INVALID

register = template.Library()


@register.filter
def finding_message(finding: Any) -> str:
    """A reason or warning, stored (`{"code", "params"}`) or fresh from the engine (`Finding`)."""
    if isinstance(finding, Finding):
        code, params = finding.code, dict(finding.params)
    else:
        code, params = finding["code"], dict(finding.get("params") or {})
    if code == FACTS_INVALID:
        return _("The verdict cannot be computed from the recorded data: %(error)s") % {
            "error": params.get("error", "")}
    return engine_text(code, params)


@register.filter
def finding_code(finding: Any) -> str:
    return finding.code if isinstance(finding, Finding) else str(finding["code"])


@register.filter
def is_overdue(step: Any, today: Any) -> bool:
    return bool(step.is_overdue(today))
