"""Labels for the codes the balance figures are keyed by (issue 16: labels, never codes).

The figures keep their codes (the report's JSON and API, `--json`, drill-down links); what a
person reads (tables, charts, CSV/XLSX headings and rows, the command's text) goes through here.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries as country_names

from reciprocity.balance.annual import BASES
from reciprocity.schemes.models import SchemeCode
from reciprocity.volunteers.models import Gender

BASIS_LABELS = dict(zip(BASES, [gettext_lazy("started in the year"),
                                gettext_lazy("in mission during the year")], strict=True))


def country_label(code: str) -> str:
    """The country's name in the reader's language."""
    return str(country_names.name(code)) or code


def scheme_label(code: str | None) -> str:
    """"International work camp" for `workcamp`; "All schemes" for none; an unknown code as is."""
    if not code:
        return _("All schemes")
    return str(SchemeCode(code).label) if code in SchemeCode.values else code


def gender_label(code: str) -> str:
    return str(Gender(code).label) if code in Gender.values else code


def report_sections(report: dict[str, Any]) -> list[tuple[str, list[tuple[str, Any]]]]:
    """The annual report's breakdowns, one section per dimension (never mixed in one list)."""
    return [
        (_("By scheme"), [(scheme_label(k), v) for k, v in report["by_scheme"].items()]),
        (_("By gender"), [(gender_label(k), v) for k, v in report["by_gender"].items()]),
    ]


def report_headings() -> list[str]:
    return [_("Section"), _("Figure"), _("Value")]


def report_rows(report: dict[str, Any]) -> list[list[Any]]:
    """The annual report as rows for CSV/XLSX: section, label, value."""
    summary = _("Report")
    rows: list[list[Any]] = [
        [summary, _("Year"), report["year"]],
        [summary, _("Host country"), country_label(report["host_country"])],
        [summary, _("Scheme"), scheme_label(report["scheme"])],
        [summary, _("Basis"), str(BASIS_LABELS.get(report["basis"], report["basis"]))],
        [_("Hosted"), _("Volunteers"), report["hosted"]["volunteers"]],
        [_("Hosted"), _("Countries"), report["hosted"]["countries"]],
        [_("Sent"), _("Volunteers"), report["sent"]["volunteers"]],
        [_("Sent"), _("Countries"), report["sent"]["countries"]],
    ]
    for heading, items in report_sections(report):
        rows += [[heading, label, value] for label, value in items]
    rates = _("Rates")
    rows += [[rates, _("Completion rate"), report["completion_rate"]],
             [rates, _("Early termination rate"), report["early_termination_rate"]],
             [_("Summary"), _("English"), report["sentence_en"]],
             [_("Summary"), _("French"), report["sentence_fr"]]]
    return rows


def criteria_badges(criteria: dict[str, Any]) -> list[tuple[str, str]]:
    """The drill-down's filters as (label, value) for people: names, not codes."""
    directions = {"a_to_b": _("A → B"), "b_to_a": _("B → A")}
    shown: dict[str, tuple[str, Callable[[Any], str]]] = {
        "year": (_("Year"), str),
        "origin": (_("Origin"), country_label),
        "host": (_("Host country"), country_label),
        "scheme": (_("Scheme"), scheme_label),
        "agreement": (_("Agreement"), str),
        "direction": (_("Direction"), lambda v: str(directions.get(v, v))),
        "basis": (_("Basis"), lambda v: str(BASIS_LABELS.get(v, v))),
    }
    return [(shown[key][0], shown[key][1](value)) for key, value in criteria.items()
            if value and key in shown]
