"""The projected balance of an agreement's year under given quotas: pure Python, no database,
no clock (docs/scenarios.md, "The projection").

For each direction, the year's flow is expected to be the larger of
- what is already known of it: planned placements + accepted applications + pending ones
  weighted by the conversion rate (`balance.arithmetic.forecast_flow`), and
- the quota: the places the partners agree to fill.
A quota below what is already forecast does not undo placements; a quota above it is
assumed filled. The position at the end of the year is the position carried in plus the
year's net (A→B − B→A), within tolerance when |position| ≤ tolerance, as in the balance.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from reciprocity.balance import arithmetic

ZERO = Decimal("0")


@dataclass(frozen=True)
class Projection:
    quota_a_to_b: Decimal
    quota_b_to_a: Decimal
    a_to_b: Decimal
    b_to_a: Decimal
    carried_in: Decimal
    tolerance: Decimal

    @property
    def net(self) -> Decimal:
        return self.a_to_b - self.b_to_a

    @property
    def position(self) -> Decimal:
        return self.carried_in + self.net

    @property
    def within_tolerance(self) -> bool:
        return abs(self.position) <= self.tolerance

    @property
    def excess(self) -> Decimal:
        """How far outside the tolerance the position ends (0 when within)."""
        return max(ZERO, abs(self.position) - self.tolerance)


def project(*, carried_in: Decimal, forecast: arithmetic.Flow, quota_a_to_b: Decimal,
            quota_b_to_a: Decimal, tolerance: Decimal) -> Projection:
    return Projection(
        quota_a_to_b=quota_a_to_b, quota_b_to_a=quota_b_to_a,
        a_to_b=max(forecast.a_to_b, quota_a_to_b), b_to_a=max(forecast.b_to_a, quota_b_to_a),
        carried_in=carried_in, tolerance=tolerance,
    )


@dataclass(frozen=True)
class PairProjection:
    """One agreement's projected flows between its parties' countries (A's country sends
    `a_to_b` to B's), under the current plan and under the scenario."""

    country_a: str
    country_b: str
    current: Projection
    scenario: Projection


@dataclass(frozen=True)
class CountryView:
    country: str
    current: arithmetic.CountryNet
    scenario: arithmetic.CountryNet
    # The country's name for pages and files (its code when none was given).
    name: str = ""


def network_view(pairs: Iterable[PairProjection], names: Mapping[str, str] | None = None
                 ) -> list[CountryView]:
    """Every country's projected hosted, sent and net over all its agreements, current plan
    beside the scenario (the balance's network view: a cycle balances)."""
    current: dict[tuple[str, str], Decimal] = {}
    scenario: dict[tuple[str, str], Decimal] = {}
    for p in pairs:
        for amounts, proj in ((current, p.current), (scenario, p.scenario)):
            amounts[(p.country_a, p.country_b)] = (
                amounts.get((p.country_a, p.country_b), ZERO) + proj.a_to_b)
            amounts[(p.country_b, p.country_a)] = (
                amounts.get((p.country_b, p.country_a), ZERO) + proj.b_to_a)
    before = {c.country: c for c in arithmetic.network(current)}
    after = {c.country: c for c in arithmetic.network(scenario)}
    countries = sorted(set(before) | set(after))
    empty = arithmetic.CountryNet("", ZERO, ZERO)
    names = names or {}
    views = [CountryView(c, before.get(c, empty), after.get(c, empty), names.get(c, c))
             for c in countries]
    return sorted(views, key=lambda v: (-abs(v.scenario.net), v.country))


@dataclass(frozen=True)
class Totals:
    """The sums over agreements of one unit: quotas and projected flows, both directions."""

    quota_current: Decimal
    quota_scenario: Decimal
    flow_current: Decimal
    flow_scenario: Decimal
    outside_current: int
    outside_scenario: int


def totals(pairs: Iterable[PairProjection]) -> Totals:
    qc = qs = fc = fs = ZERO
    oc = os_ = 0
    for p in pairs:
        qc += p.current.quota_a_to_b + p.current.quota_b_to_a
        qs += p.scenario.quota_a_to_b + p.scenario.quota_b_to_a
        fc += p.current.a_to_b + p.current.b_to_a
        fs += p.scenario.a_to_b + p.scenario.b_to_a
        oc += not p.current.within_tolerance
        os_ += not p.scenario.within_tolerance
    return Totals(qc, qs, fc, fs, oc, os_)
