"""The tables behind the dashboard's charts: one function per chart, used three times (the
table printed beside the chart, the chart's data, the CSV/XLSX download), so that what is
drawn, what is read and what is exported never disagree.

Each dataset gives column headings, rows of plain values, and for each row the drill-down
filters of the placements behind it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from django_countries import countries as country_names

from reciprocity.accounts.selectors import AnyUser
from reciprocity.balance import selectors


@dataclass(frozen=True)
class Filters:
    year: int | None
    country: str = "FR"
    scheme: str | None = None


@dataclass
class Dataset:
    name: str
    title: Any
    headings: list[Any]
    rows: list[list[Any]] = field(default_factory=list)
    drill: list[dict[str, Any]] = field(default_factory=list)
    # Rows with their drill-down address, filled in by the page that shows the table.
    table: list[dict[str, Any]] = field(default_factory=list)


def country_label(code: str) -> str:
    """The country's name in the reader's language."""
    return str(country_names.name(code)) or code


def _num(value: Decimal | int) -> Any:
    if isinstance(value, Decimal):
        value = value.quantize(Decimal("0.01"))
        return int(value) if value == value.to_integral() else float(value)
    return value


def flows(user: AnyUser, f: Filters) -> Dataset:
    data = Dataset("flows", _("Flows between countries"), [
        _("Origin"), _("Origin code"), _("Host country"), _("Host code"), _("Volunteers"),
        _("Volunteer-months"), _("Realised volunteers")])
    pairs = sorted(selectors.network_pairs(user=user, year=f.year, scheme=f.scheme),
                   key=lambda p: (-p.volunteers, p.origin, p.host))
    for p in pairs:
        data.rows.append([country_label(p.origin), p.origin, country_label(p.host), p.host, p.volunteers,
                          _num(p.volunteer_months), p.realised_volunteers])
        data.drill.append({"origin": p.origin, "host": p.host})
    return data


def countries(user: AnyUser, f: Filters) -> Dataset:
    data = Dataset("countries", _("Hosted versus sent, per country"), [
        _("Country"), _("Code"), _("Hosted"), _("Sent"), _("Net (hosted − sent)")])
    view = selectors.network_balance(user=user, year=f.year, scheme=f.scheme)
    for c in view["countries"]:
        data.rows.append([country_label(c.country), c.country, _num(c.hosted), _num(c.sent),
                          _num(c.net)])
        data.drill.append({"host": c.country})
    return data


def series(user: AnyUser, f: Filters) -> Dataset:
    data = Dataset("series", _("Hosted and sent per year"), [
        _("Year"), _("Hosted"), _("Sent"), _("Hosted, realised"), _("Sent, realised"),
        _("Hosted volunteer-months"), _("Sent volunteer-months")])
    for row in selectors.yearly_series(user=user, country=f.country, scheme=f.scheme):
        data.rows.append([row["year"], row["hosted"], row["sent"], row["hosted_realised"],
                          row["sent_realised"], _num(row["hosted_months"]),
                          _num(row["sent_months"])])
        data.drill.append({"year": row["year"], "host": f.country})
    return data


def origins(user: AnyUser, f: Filters) -> Dataset:
    data = Dataset("origins", _("Top origin countries"), [
        _("Origin"), _("Code"), _("Volunteers hosted")])
    for code, n in selectors.top_origins(user=user, country=f.country, year=f.year,
                                         scheme=f.scheme):
        data.rows.append([country_label(code), code, n])
        data.drill.append({"origin": code, "host": f.country})
    return data


def schemes(user: AnyUser, f: Filters) -> Dataset:
    data = Dataset("schemes", _("Per scheme"), [
        _("Scheme"), _("Hosted"), _("Sent"), _("Hosted volunteer-months"),
        _("Sent volunteer-months")])
    for row in selectors.scheme_balances(user=user, country=f.country, year=f.year):
        data.rows.append([row["scheme"], row["hosted"], row["sent"],
                          _num(row["hosted_months"]), _num(row["sent_months"])])
        data.drill.append({"scheme": row["scheme"], "host": f.country})
    return data


def agreements(user: AnyUser, f: Filters) -> Dataset:
    data = Dataset("agreements", _("Agreements"), [
        _("Agreement"), _("Unit"), _("A → B"), _("B → A"), _("Quota A → B"), _("Quota B → A"),
        _("Carried in"), _("Position"), _("Tolerance"), _("Within tolerance"),
        _("Realised A → B"), _("Realised B → A")])
    year = f.year or 0
    for b in selectors.agreement_balances(user=user, year=year):
        if b.planned is None or b.realised is None:
            continue
        p, r = b.planned, b.realised
        data.rows.append([b.agreement.reference, b.agreement.get_unit_display(), _num(p.a_to_b),
                          _num(p.b_to_a), _num(p.quota_a_to_b), _num(p.quota_b_to_a),
                          _num(p.carried_in), _num(p.position), _num(p.tolerance),
                          p.within_tolerance, _num(r.a_to_b), _num(r.b_to_a)])
        data.drill.append({"agreement": b.agreement.pk})
    return data


DATASETS: dict[str, Callable[[AnyUser, Filters], Dataset]] = {
    "flows": flows, "countries": countries, "series": series, "origins": origins,
    "schemes": schemes, "agreements": agreements,
}
