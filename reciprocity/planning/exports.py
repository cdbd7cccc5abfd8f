"""A scenario and a comparison as tables for CSV and XLSX (written by core/spreadsheets.py,
which neutralises text cells that a spreadsheet would run as formulas)."""

from collections.abc import Iterator, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reciprocity.planning.projection import Projection
from reciprocity.planning.selectors import Comparison, LineView, ScenarioView


def _tolerance(p: Projection) -> str:
    return _("within") if p.within_tolerance else _("outside")


LINE_HEADINGS = [
    gettext_lazy("Agreement"), gettext_lazy("Party A"), gettext_lazy("Party B"),
    gettext_lazy("Unit"), gettext_lazy("Tolerance"), gettext_lazy("Carried in"),
    gettext_lazy("Forecast A → B"), gettext_lazy("Forecast B → A"),
    gettext_lazy("Current quota A → B"), gettext_lazy("Current quota B → A"),
    gettext_lazy("Current plan: position"), gettext_lazy("Current plan: tolerance"),
    gettext_lazy("Scenario quota A → B"), gettext_lazy("Scenario quota B → A"),
    gettext_lazy("Scenario: position"), gettext_lazy("Scenario: tolerance"),
    gettext_lazy("Changed since copied"),
]


def _line(v: LineView) -> list[Any]:
    return [
        v.agreement.reference, v.agreement.party_a.name, v.agreement.party_b.name,
        v.agreement.get_unit_display(), v.agreement.tolerance, v.outlook.carried_in,
        v.outlook.forecast.a_to_b, v.outlook.forecast.b_to_a,
        v.current.quota_a_to_b, v.current.quota_b_to_a, v.current.position,
        _tolerance(v.current), v.scenario.quota_a_to_b, v.scenario.quota_b_to_a,
        v.scenario.position, _tolerance(v.scenario), v.stale,
    ]


def line_rows(view: ScenarioView) -> Iterator[list[Any]]:
    for v in view.lines:
        yield _line(v)


NETWORK_HEADINGS = [
    gettext_lazy("Country"), gettext_lazy("Current plan: hosted"),
    gettext_lazy("Current plan: sent"), gettext_lazy("Current plan: net"),
    gettext_lazy("Scenario: hosted"), gettext_lazy("Scenario: sent"), gettext_lazy("Scenario: net"),
]


def network_rows(view: ScenarioView) -> Iterator[list[Any]]:
    for c in view.network:
        yield [c.name, c.current.hosted, c.current.sent, c.current.net,
               c.scenario.hosted, c.scenario.sent, c.scenario.net]


def scenario_sheets(view: ScenarioView) -> list[tuple[str, Sequence[Any], Iterator[list[Any]]]]:
    return [(_("Agreements"), LINE_HEADINGS, line_rows(view)),
            (_("Network"), NETWORK_HEADINGS, network_rows(view))]


def compare_headings(comparison: Comparison) -> list[Any]:
    first, second = comparison.first.scenario.name, comparison.second.scenario.name
    return [
        _("Agreement"), _("Unit"),
        _("%(name)s: quota A → B") % {"name": first}, _("%(name)s: quota B → A") % {"name": first},
        _("%(name)s: position") % {"name": first}, _("%(name)s: tolerance") % {"name": first},
        _("%(name)s: quota A → B") % {"name": second}, _("%(name)s: quota B → A") % {"name": second},
        _("%(name)s: position") % {"name": second}, _("%(name)s: tolerance") % {"name": second},
    ]


def _side(v: LineView | None) -> list[Any]:
    if v is None:
        return [None, None, None, ""]
    return [v.scenario.quota_a_to_b, v.scenario.quota_b_to_a, v.scenario.position,
            _tolerance(v.scenario)]


def compare_rows(comparison: Comparison) -> Iterator[list[Any]]:
    for row in comparison.rows:
        yield [row.agreement.reference, row.agreement.get_unit_display(), *_side(row.first),
               *_side(row.second)]
