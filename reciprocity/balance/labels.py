"""Labels for the codes the balance figures are keyed by (issue 16: labels, never codes).

The figures keep their codes (the report's JSON and API, `--json`, drill-down links); what a
person reads (tables, charts, CSV/XLSX headings and rows, the command's text) goes through here.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django_countries import countries as country_names

from reciprocity.balance import disclosure
from reciprocity.balance.annual import BASES
from reciprocity.balance.visa_selectors import FIELDS as VISA_FIELDS
from reciprocity.balance.visa_selectors import VisaTable
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
             [_("Summary"), _("French"), report["sentence_fr"]],
             [_("Summary"), _("Spanish"), report["sentence_es"]]]
    return rows


def visa_headings() -> list[str]:
    """The visa table's columns, in the order of `visa_selectors.FIELDS` after scheme and
    nationality (the page's include says the same)."""
    return [_("Scheme"), _("Nationality"), _("Decisions"), pgettext("visa decision", "Refused"),
            _("Refusal rate"), _("Median days to decision"), _("Placements lost to visas")]


def visa_row_names(row: dict[str, Any]) -> tuple[str, str]:
    """(scheme, nationality) of a visa table row, for people: a scheme's total is "All
    nationalities"."""
    return scheme_label(row["scheme"]), (_("All nationalities") if row["total"]
                                         else country_label(row["nationality"]))


def visa_sheet_rows(table: VisaTable) -> list[list[Any]]:
    """The visa table as it is printed: names, then the figures (a withheld one as its marker,
    "< 3" or "withheld"; none without a decision); rates as fractions, as the report's."""
    return [[*visa_row_names(row), *(row[name] for name in VISA_FIELDS)] for row in table.rows]


def visa_report_rows(table: VisaTable) -> list[list[Any]]:
    """The visa figures as Section/Figure/Value rows (the report's CSV and its XLSX sheet)."""
    section = _("Visas")
    measures = visa_headings()[2:]
    rows: list[list[Any]] = []
    for row in table.rows:
        scheme, nationality = visa_row_names(row)
        for measure, name in zip(measures, VISA_FIELDS, strict=True):
            rows.append([section, _("%(scheme)s, %(nationality)s: %(figure)s") % {
                "scheme": scheme, "nationality": nationality, "figure": measure}, row[name]])
    return rows


def visa_text(row: dict[str, Any]) -> str:
    """A visa table row in one line, for the command's text."""
    def shown(value: Any, unit: str = "") -> str:
        if value is None:
            return "—"
        if disclosure.is_withheld(value):
            return str(value)
        if unit == "%":
            return f"{round(float(value) * 100)} %"
        return f"{float(value):g}"

    scheme, nationality = visa_row_names(row)
    return _("%(scheme)s, %(nationality)s: %(decided)s decisions, %(refused)s refused "
             "(%(rate)s), median %(days)s days to decision, %(lost)s placements lost to "
             "visas") % {
        "scheme": scheme, "nationality": nationality, "decided": shown(row["decided"]),
        "refused": shown(row["refused"]), "rate": shown(row["refusal_rate"], "%"),
        "days": shown(row["median_days"]), "lost": shown(row["lost"])}


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
