"""Reads of quota scenarios, scoped to the reader (planning/permissions.py): staff see every
scenario, a coordinator's writers the scenarios of their coordinator; the lines shown are the
agreements the reader may see (agreements.selectors.agreements_visible_to: their network's)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django_countries import countries

from reciprocity.accounts.selectors import AnyUser, is_platform_staff
from reciprocity.agreements.models import Agreement, QuotaUnit
from reciprocity.agreements.quotas import YearQuota, quotas_for
from reciprocity.agreements.selectors import agreements_visible_to
from reciprocity.balance.selectors import YearOutlook, agreement_outlooks
from reciprocity.partners.permissions import coordinator_ids
from reciprocity.planning import projection
from reciprocity.planning.models import Scenario, ScenarioQuota
from reciprocity.planning.permissions import can_plan


def scenarios_visible_to(user: AnyUser) -> QuerySet[Scenario]:
    if not can_plan(user):
        return Scenario.objects.none()
    if is_platform_staff(user):
        return Scenario.objects.all()
    return Scenario.objects.filter(organisation_id__in=coordinator_ids(user))


def scenario_list(*, user: AnyUser, year: int | None = None) -> QuerySet[Scenario]:
    qs = scenarios_visible_to(user).select_related("organisation", "created_by")
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "-created_at", "-pk")


def scenario_get_visible(*, user: AnyUser, pk: int) -> Scenario | None:
    return scenarios_visible_to(user).select_related("organisation").filter(pk=pk).first()


@dataclass(frozen=True)
class LineView:
    line: ScenarioQuota
    agreement: Agreement
    # The agreement's quotas for the year now: what the scenario would replace.
    current_quota: YearQuota
    outlook: YearOutlook
    current: projection.Projection
    scenario: projection.Projection

    @property
    def stale(self) -> bool:
        """A draft whose agreement's quotas changed since the line was copied: applying is
        refused. (An applied scenario is compared with its base: never stale.)"""
        return (self.current_quota.a_to_b, self.current_quota.b_to_a) != (
            self.line.base_quota_a_to_b, self.line.base_quota_b_to_a)

    @property
    def in_volunteers(self) -> bool:
        return self.agreement.unit == QuotaUnit.VOLUNTEERS

    @property
    def pair(self) -> projection.PairProjection:
        return projection.PairProjection(str(self.agreement.party_a.country),
                                         str(self.agreement.party_b.country),
                                         self.current, self.scenario)


@dataclass(frozen=True)
class ScenarioView:
    scenario: Scenario
    lines: list[LineView]
    # Over the agreements counted in volunteers (months and volunteers do not add up).
    network: list[projection.CountryView]
    totals: projection.Totals
    months_totals: projection.Totals | None

    @property
    def stale(self) -> bool:
        return any(v.stale for v in self.lines)


def _country_names(pairs: list[projection.PairProjection]) -> dict[str, str]:
    codes = {p.country_a for p in pairs} | {p.country_b for p in pairs}
    return {code: str(countries.name(code)) or code for code in codes}


def scenario_lines(*, user: AnyUser, scenario: Scenario, today: datetime.date
                   ) -> QuerySet[ScenarioQuota]:
    visible = agreements_visible_to(user, today=today).values("pk")
    return (scenario.lines.filter(agreement_id__in=visible)
            .select_related("agreement", "agreement__party_a", "agreement__party_b")
            .order_by("agreement__reference", "pk"))


def scenario_view(*, user: AnyUser, scenario: Scenario, today: datetime.date) -> ScenarioView:
    """Every line with its projected balance under the current quotas (for an applied
    scenario: the quotas it replaced) and under the scenario's (docs/scenarios.md), the network
    view of both and the totals."""
    lines = list(scenario_lines(user=user, scenario=scenario, today=today))
    agreements = [line.agreement for line in lines]
    current = quotas_for(agreements, year=scenario.year)
    outlooks = agreement_outlooks(agreements=agreements, year=scenario.year, today=today)
    views = []
    for line in lines:
        agreement, outlook = line.agreement, outlooks[line.agreement_id]
        tolerance = Decimal(agreement.tolerance)
        # A draft beside the quotas of today; an applied scenario beside those it replaced.
        now = current[agreement.pk] if scenario.is_draft else YearQuota(
            line.base_quota_a_to_b, line.base_quota_b_to_a)
        views.append(LineView(
            line=line, agreement=agreement, current_quota=now, outlook=outlook,
            current=projection.project(
                carried_in=outlook.carried_in, forecast=outlook.forecast,
                quota_a_to_b=Decimal(now.a_to_b), quota_b_to_a=Decimal(now.b_to_a),
                tolerance=tolerance),
            scenario=projection.project(
                carried_in=outlook.carried_in, forecast=outlook.forecast,
                quota_a_to_b=Decimal(line.quota_a_to_b), quota_b_to_a=Decimal(line.quota_b_to_a),
                tolerance=tolerance),
        ))
    in_volunteers = [v.pair for v in views if v.in_volunteers]
    in_months = [v.pair for v in views if not v.in_volunteers]
    return ScenarioView(
        scenario=scenario, lines=views,
        network=projection.network_view(in_volunteers, names=_country_names(in_volunteers)),
        totals=projection.totals(in_volunteers),
        months_totals=projection.totals(in_months) if in_months else None,
    )


@dataclass(frozen=True)
class CompareRow:
    agreement: Agreement
    first: LineView | None
    second: LineView | None


@dataclass(frozen=True)
class Comparison:
    first: ScenarioView
    second: ScenarioView
    rows: list[CompareRow]
    # (country name, its view in the first, in the second)
    countries: list[tuple[str, projection.CountryView | None, projection.CountryView | None]]


def scenarios_compare(*, user: AnyUser, first: Scenario, second: Scenario,
                      today: datetime.date) -> Comparison:
    """Two scenarios agreement by agreement and country by country (an agreement or a country
    present in one only has an empty side)."""
    a = scenario_view(user=user, scenario=first, today=today)
    b = scenario_view(user=user, scenario=second, today=today)
    by_a = {v.agreement.pk: v for v in a.lines}
    by_b = {v.agreement.pk: v for v in b.lines}
    agreements = {v.agreement.pk: v.agreement for v in [*a.lines, *b.lines]}
    rows = [CompareRow(agreements[pk], by_a.get(pk), by_b.get(pk))
            for pk in sorted(agreements, key=lambda pk: agreements[pk].reference)]
    net_a = {c.country: c for c in a.network}
    net_b = {c.country: c for c in b.network}
    names = {c.country: c.name for c in [*a.network, *b.network]}
    by_country = [(names[c], net_a.get(c), net_b.get(c)) for c in sorted(set(net_a) | set(net_b))]
    return Comparison(a, b, rows, by_country)
