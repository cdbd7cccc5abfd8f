"""The tables behind the dashboard's charts: one function per chart, used three times (the
table printed beside the chart, the chart's data, the CSV/XLSX download), so that what is
drawn, what is read and what is exported never disagree.

Each dataset gives column headings, rows of plain values, and for each row the drill-down
filters of the placements behind it. For a reader outside the organisations, small counts are
withheld here (balance/disclosure.py), before any of the three uses, and withheld rows come
last so that their place in the order does not hint at their size.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from reciprocity.accounts.selectors import AnyUser
from reciprocity.balance import disclosure, selectors
from reciprocity.balance.disclosure import shown
from reciprocity.balance.labels import country_label, scheme_label


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
    # Rows left out of that table (the CSV/XLSX downloads carry them).
    more: int = 0

    def chart_rows(self) -> list[list[Any]]:
        """The rows as the chart carries them: a withheld figure as its text ("< 3")."""
        return [[disclosure.for_chart(value) for value in row] for row in self.rows]


def _num(value: Decimal | int) -> Any:
    if isinstance(value, Decimal):
        value = value.quantize(Decimal("0.01"))
        return int(value) if value == value.to_integral() else float(value)
    return value


def _network_withheld(user: AnyUser, *, year: int | None, scheme: str | None
                      ) -> tuple[dict[tuple[str, str], dict[str, Any]], dict[str, dict[str, Any]]]:
    """What the reader may not see of one year's network: nothing for exact readers."""
    if disclosure.sees_exact_figures(user):
        return {}, {}
    return disclosure.network_withheld(
        selectors.network_pairs(user=user, year=year, scheme=scheme))


def flows(user: AnyUser, f: Filters) -> Dataset:
    data = Dataset("flows", _("Flows between countries"), [
        _("Origin"), _("Origin code"), _("Host country"), _("Host code"), _("Volunteers"),
        _("Volunteer-months"), _("Realised volunteers")])
    pairs = selectors.network_pairs(user=user, year=f.year, scheme=f.scheme)
    withheld, _countries = _network_withheld(user, year=f.year, scheme=f.scheme)
    for p in sorted(pairs, key=lambda p: ((p.origin, p.host) in withheld,
                                          0 if (p.origin, p.host) in withheld else -p.volunteers,
                                          p.origin, p.host)):
        w = withheld.get((p.origin, p.host), {})
        data.rows.append([country_label(p.origin), p.origin, country_label(p.host), p.host,
                          shown(p.volunteers, w.get("volunteers")),
                          shown(_num(p.volunteer_months), w.get("volunteer_months")),
                          shown(p.realised_volunteers, w.get("realised_volunteers"))])
        data.drill.append({"origin": p.origin, "host": p.host})
    return data


def countries(user: AnyUser, f: Filters) -> Dataset:
    data = Dataset("countries", _("Hosted versus sent, per country"), [
        _("Country"), _("Code"), _("Hosted"), _("Sent"), _("Net (hosted − sent)")])
    view = selectors.network_balance(user=user, year=f.year, scheme=f.scheme)
    _pairs, withheld = _network_withheld(user, year=f.year, scheme=f.scheme)
    # The selector's order (largest net first) for the rows shown in full, then the others.
    for c in sorted(view["countries"], key=lambda c: bool(
            {"hosted", "sent", "net"} & set(withheld.get(c.country, {})))):
        w = withheld.get(c.country, {})
        data.rows.append([country_label(c.country), c.country,
                          shown(_num(c.hosted), w.get("hosted")),
                          shown(_num(c.sent), w.get("sent")), shown(_num(c.net), w.get("net"))])
        data.drill.append({"host": c.country})
    return data


def series(user: AnyUser, f: Filters) -> Dataset:
    data = Dataset("series", _("Hosted and sent per year"), [
        _("Year"), _("Hosted"), _("Sent"), _("Hosted, realised"), _("Sent, realised"),
        _("Hosted volunteer-months"), _("Sent volunteer-months")])
    for row in selectors.yearly_series(user=user, country=f.country, scheme=f.scheme):
        # Each year's figures are the country's totals in that year's network: withheld as
        # the countries table of that year withholds them.
        _pairs, countries_withheld = _network_withheld(user, year=row["year"], scheme=f.scheme)
        w = countries_withheld.get(f.country, {})
        data.rows.append([row["year"]] + [
            shown(_num(row[key]) if key.endswith("months") else row[key], w.get(key))
            for key in ("hosted", "sent", "hosted_realised", "sent_realised", "hosted_months",
                        "sent_months")])
        data.drill.append({"year": row["year"], "host": f.country})
    return data


def origins(user: AnyUser, f: Filters) -> Dataset:
    data = Dataset("origins", _("Top origin countries"), [
        _("Origin"), _("Code"), _("Volunteers hosted")])
    top = selectors.top_origins(user=user, country=f.country, year=f.year, scheme=f.scheme)
    # The same cells as the flows table (origin -> this country), withheld alike.
    withheld, _countries = _network_withheld(user, year=f.year, scheme=f.scheme)
    for code, n in sorted(top, key=lambda item: (item[0], f.country) in withheld):
        marker = withheld.get((code, f.country), {}).get("volunteers")
        data.rows.append([country_label(code), code, shown(n, marker)])
        data.drill.append({"origin": code, "host": f.country})
    return data


def schemes(user: AnyUser, f: Filters) -> Dataset:
    data = Dataset("schemes", _("Per scheme"), [
        _("Scheme"), _("Hosted"), _("Sent"), _("Hosted volunteer-months"),
        _("Sent volunteer-months")])
    for row in selectors.scheme_balances(user=user, country=f.country, year=f.year):
        data.rows.append([scheme_label(row["scheme"]), row["hosted"], row["sent"],
                          _num(row["hosted_months"]), _num(row["sent_months"])])
        data.drill.append({"scheme": row["scheme"], "host": f.country})
    if not disclosure.sees_exact_figures(user):
        # Over the schemes, hosted and sent add up to the country's totals of the year (all
        # schemes), which the network may withhold itself; months go with their volunteers.
        _pairs, countries_withheld = _network_withheld(user, year=f.year, scheme=None)
        totals = countries_withheld.get(f.country, {})
        for count, months in ((1, 3), (2, 4)):
            markers = disclosure.columns_withheld(
                data.rows, count, total=totals.get("hosted" if count == 1 else "sent"))
            for cells, marker in zip(data.rows, markers, strict=True):
                cells[count], cells[months] = (shown(cells[count], marker),
                                               shown(cells[months], marker))
    return data


def agreements(user: AnyUser, f: Filters) -> Dataset:
    # Only the agreements' parties and staff see any (agreements_visible_to): exact figures.
    data = Dataset("agreements", _("Agreements"), [
        _("Agreement"), _("Unit"), _("A → B"), _("B → A"), _("Quota A → B"), _("Quota B → A"),
        _("Carried in"), _("Position"), _("Tolerance"), _("Within tolerance"),
        _("Realised A → B"), _("Realised B → A")])
    year = f.year or 0
    for b in selectors.agreement_balances(user=user, year=year):
        if b.planned is None or b.realised is None:
            continue
        p, r = b.planned, b.realised
        # Its title, as people call it (the reference is a slug, e.g. "fv-ev-tn").
        data.rows.append([b.agreement.title, b.agreement.get_unit_display(), _num(p.a_to_b),
                          _num(p.b_to_a), _num(p.quota_a_to_b), _num(p.quota_b_to_a),
                          _num(p.carried_in), _num(p.position), _num(p.tolerance),
                          p.within_tolerance, _num(r.a_to_b), _num(r.b_to_a)])
        data.drill.append({"agreement": b.agreement.pk})
    return data


DATASETS: dict[str, Callable[[AnyUser, Filters], Dataset]] = {
    "flows": flows, "countries": countries, "series": series, "origins": origins,
    "schemes": schemes, "agreements": agreements,
}
