"""Labels for the balance's codes in templates (balance/labels.py)."""

from typing import Any

from django import template

from reciprocity.balance import labels

register = template.Library()


@register.filter
def report_sections(report: dict[str, Any]) -> list[tuple[str, list[tuple[str, Any]]]]:
    return labels.report_sections(report)


@register.filter
def scheme_label(code: str | None) -> str:
    return labels.scheme_label(code)


@register.filter
def basis_label(basis: str) -> str:
    return str(labels.BASIS_LABELS.get(basis, basis))
