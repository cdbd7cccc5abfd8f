"""Balance arithmetic of one agreement, year by year: pure Python, no database, no clock.

Definitions (docs/balance.md):
- flows are counted in the agreement's unit (volunteers or volunteer-months), per direction;
- `gap_a_to_b` = A→B flow − the year's quota A→B (negative: places not used), same for B→A;
  the year's quota is the agreement's yearly one unless `Terms.year_quotas` gives another;
- `net` = A→B − B→A: what one side hosted more than it sent back (the agreement's
  tolerance is "the largest accepted gap between the two directions");
- carry-over: the net of past years is carried into the next, `position` = carried in + net;
  a year is within tolerance when |position| ≤ tolerance. Years with no flow still carry;
- `ratio` = A→B / B→A (None when nothing went B→A).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

ZERO = Decimal("0")


@dataclass(frozen=True)
class Terms:
    quota_a_to_b: Decimal
    quota_b_to_a: Decimal
    tolerance: Decimal
    first_year: int
    last_year: int
    # Years whose quotas differ from the agreement's yearly ones (agreements.AgreementYearQuota):
    # year -> (A→B, B→A).
    year_quotas: Mapping[int, tuple[Decimal, Decimal]] = field(default_factory=dict)

    def quotas(self, year: int) -> tuple[Decimal, Decimal]:
        return self.year_quotas.get(year, (self.quota_a_to_b, self.quota_b_to_a))


@dataclass(frozen=True)
class Flow:
    a_to_b: Decimal = ZERO
    b_to_a: Decimal = ZERO


@dataclass(frozen=True)
class YearBalance:
    year: int
    a_to_b: Decimal
    b_to_a: Decimal
    quota_a_to_b: Decimal
    quota_b_to_a: Decimal
    gap_a_to_b: Decimal
    gap_b_to_a: Decimal
    net: Decimal
    carried_in: Decimal
    position: Decimal
    tolerance: Decimal
    within_tolerance: bool
    ratio: Decimal | None

    @property
    def excess(self) -> Decimal:
        """How far outside the tolerance the position is (0 when within)."""
        return max(ZERO, abs(self.position) - self.tolerance)


def ratio(a: Decimal, b: Decimal) -> Decimal | None:
    return (a / b).quantize(Decimal("0.01")) if b else None


def agreement_years(
    *, terms: Terms, flows: Mapping[int, Flow], years: Iterable[int] | None = None,
    carry_over: bool = True,
) -> list[YearBalance]:
    """One balance per year from the agreement's first year to its last (or `years`), in
    order. Flows outside the agreement's years are ignored; missing years count as zero."""
    wanted = sorted(set(years)) if years is not None else list(
        range(terms.first_year, terms.last_year + 1))
    balances: list[YearBalance] = []
    carried = ZERO
    for year in range(terms.first_year, terms.last_year + 1):
        flow = flows.get(year, Flow())
        net = flow.a_to_b - flow.b_to_a
        carried_in = carried if carry_over else ZERO
        position = carried_in + net
        if year in wanted:
            quota_a_to_b, quota_b_to_a = terms.quotas(year)
            balances.append(YearBalance(
                year=year, a_to_b=flow.a_to_b, b_to_a=flow.b_to_a,
                quota_a_to_b=quota_a_to_b, quota_b_to_a=quota_b_to_a,
                gap_a_to_b=flow.a_to_b - quota_a_to_b,
                gap_b_to_a=flow.b_to_a - quota_b_to_a,
                net=net, carried_in=carried_in, position=position, tolerance=terms.tolerance,
                within_tolerance=abs(position) <= terms.tolerance,
                ratio=ratio(flow.a_to_b, flow.b_to_a),
            ))
        carried = position
    return balances


def forecast_flow(*, planned: Flow, accepted: Flow, pending: Flow, conversion: Decimal) -> Flow:
    """Planned placements, plus accepted applications, plus pending ones (submitted,
    shortlisted, nominations) weighted by the share of past decided applications that were
    placed."""
    return Flow(
        a_to_b=planned.a_to_b + accepted.a_to_b + pending.a_to_b * conversion,
        b_to_a=planned.b_to_a + accepted.b_to_a + pending.b_to_a * conversion,
    )


@dataclass(frozen=True)
class CountryNet:
    country: str
    hosted: Decimal
    sent: Decimal

    @property
    def net(self) -> Decimal:
        """Hosted minus sent: positive for a country that receives more than it sends."""
        return self.hosted - self.sent


def network(pairs: Mapping[tuple[str, str], Decimal]) -> list[CountryNet]:
    """Multilateral view: for every country, what it hosted and sent over all its partners
    (A sends to B, B to C, C to A balances for each even though no pair does)."""
    hosted: dict[str, Decimal] = {}
    sent: dict[str, Decimal] = {}
    for (origin, host), amount in pairs.items():
        if origin == host:
            continue
        sent[origin] = sent.get(origin, ZERO) + amount
        hosted[host] = hosted.get(host, ZERO) + amount
    countries = sorted(set(hosted) | set(sent))
    return [CountryNet(c, hosted.get(c, ZERO), sent.get(c, ZERO)) for c in countries]
