"""Reads of the balance, always scoped to the reader.

Who sees what:
- network figures (counts per country and pair, per scheme, per year) are statistics without
  personal data: every signed-in user sees them, anonymous visitors see nothing;
- an agreement's balance is seen by its parties' members and by platform staff;
- the placements behind a figure (names, dates) only as the volunteer selectors allow: staff
  all, a member those their organisations host or send, a volunteer their own.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from reciprocity.accounts.selectors import AnyUser
from reciprocity.agreements.coverage import CoverageIndex
from reciprocity.agreements.models import Agreement, AgreementStatus, QuotaUnit
from reciprocity.agreements.quotas import YearQuota, year_overrides
from reciprocity.agreements.selectors import agreements_visible_to
from reciprocity.applications.models import Application, ApplicationStatus
from reciprocity.balance import arithmetic
from reciprocity.balance.annual import COUNTED_STATUSES, counted_placements
from reciprocity.balance.models import Direction, LedgerEntry, LedgerTotal
from reciprocity.placements.models import Placement
from reciprocity.placements.selectors import placements_visible_to

ZERO = Decimal("0")
# Without history, half of the pending applications are expected to end in a placement.
DEFAULT_CONVERSION = Decimal("0.5")
PENDING_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.SHORTLISTED)


def totals_visible_to(user: AnyUser) -> QuerySet[LedgerTotal]:
    """The ledger's running totals (what every balance view sums: see models.LedgerTotal)."""
    if not user.is_authenticated:
        return LedgerTotal.objects.none()
    return LedgerTotal.objects.all()


def _filtered(qs: QuerySet[LedgerTotal], *, year: int | None = None, scheme: str | None = None
              ) -> QuerySet[LedgerTotal]:
    if year is not None:
        qs = qs.filter(year=year)
    if scheme:
        qs = qs.filter(scheme_id=scheme)
    return qs


# --- network ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class PairFlow:
    origin: str
    host: str
    volunteers: int
    volunteer_months: Decimal
    realised_volunteers: int
    realised_months: Decimal


def network_pairs(*, user: AnyUser, year: int | None = None, scheme: str | None = None
                  ) -> list[PairFlow]:
    """Flows per (origin, host) pair: one grouped query over the ledger."""
    rows = (
        _filtered(totals_visible_to(user), year=year, scheme=scheme)
        .values("origin_country", "host_country")
        .annotate(v=Sum("volunteers"), m=Sum("volunteer_months"),
                  rv=Sum("realised_volunteers"), rm=Sum("realised_months"))
        .order_by("origin_country", "host_country")
    )
    return [
        PairFlow(str(r["origin_country"]), str(r["host_country"]), r["v"] or 0, r["m"] or ZERO,
                 r["rv"] or 0, r["rm"] or ZERO)
        for r in rows
        if r["origin_country"] != r["host_country"] and (r["v"] or r["rv"])
    ]


def network_balance(*, user: AnyUser, year: int | None = None, scheme: str | None = None,
                    measure: str = "volunteers") -> dict[str, Any]:
    """Pairs and, for every country, hosted, sent and net over all its partners."""
    pairs = network_pairs(user=user, year=year, scheme=scheme)
    amounts = {(p.origin, p.host): Decimal(getattr(p, measure)) for p in pairs}
    countries = sorted(arithmetic.network(amounts), key=lambda c: (-abs(c.net), c.country))
    return {"year": year, "scheme": scheme, "measure": measure, "pairs": pairs,
            "countries": countries}


def yearly_series(*, user: AnyUser, country: str = "FR", scheme: str | None = None
                  ) -> list[dict[str, Any]]:
    """Per year: volunteers hosted in `country` and sent from it, planned and realised."""
    qs = _filtered(totals_visible_to(user), scheme=scheme).filter(
        Q(host_country=country) | Q(origin_country=country)).exclude(
        origin_country=country, host_country=country)
    rows = qs.values("year", "host_country").annotate(
        v=Sum("volunteers"), rv=Sum("realised_volunteers"), m=Sum("volunteer_months")
    ).order_by("year")
    series: dict[int, dict[str, Any]] = {}
    for r in rows:
        year = series.setdefault(r["year"], {"year": r["year"], "hosted": 0, "sent": 0,
                                             "hosted_realised": 0, "sent_realised": 0,
                                             "hosted_months": ZERO, "sent_months": ZERO})
        side = "hosted" if r["host_country"] == country else "sent"
        year[side] += r["v"] or 0
        year[f"{side}_realised"] += r["rv"] or 0
        year[f"{side}_months"] += r["m"] or ZERO
    return [series[y] for y in sorted(series)]


def top_origins(*, user: AnyUser, country: str = "FR", year: int | None = None,
                scheme: str | None = None, limit: int = 10) -> list[tuple[str, int]]:
    rows = (
        _filtered(totals_visible_to(user), year=year, scheme=scheme)
        .filter(host_country=country).exclude(origin_country=country)
        .values("origin_country").annotate(v=Sum("volunteers"))
        .filter(v__gt=0).order_by("-v", "origin_country")[:limit]
    )
    return [(str(r["origin_country"]), r["v"]) for r in rows]


def scheme_balances(*, user: AnyUser, country: str = "FR", year: int | None = None
                    ) -> list[dict[str, Any]]:
    rows = (
        _filtered(totals_visible_to(user), year=year)
        .filter(Q(host_country=country) | Q(origin_country=country))
        .exclude(origin_country=country, host_country=country)
        .values("scheme_id", "host_country").annotate(v=Sum("volunteers"),
                                                      m=Sum("volunteer_months"))
        .order_by("scheme_id")
    )
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        row = out.setdefault(r["scheme_id"], {"scheme": r["scheme_id"], "hosted": 0, "sent": 0,
                                              "hosted_months": ZERO, "sent_months": ZERO})
        side = "hosted" if r["host_country"] == country else "sent"
        row[side] += r["v"] or 0
        row[f"{side}_months"] += r["m"] or ZERO
    return list(out.values())


# --- agreements -------------------------------------------------------------------------------

def _terms(agreement: Agreement, *, last_year: int | None = None,
           overrides: dict[int, YearQuota] | None = None) -> arithmetic.Terms:
    """The agreement's terms, with the years whose quotas were changed (agreements/quotas.py:
    `overrides` already loaded for many agreements, or read now)."""
    if overrides is None:
        overrides = year_overrides([agreement.pk]).get(agreement.pk, {})
    return arithmetic.Terms(
        quota_a_to_b=Decimal(agreement.quota_a_to_b), quota_b_to_a=Decimal(agreement.quota_b_to_a),
        tolerance=Decimal(agreement.tolerance), first_year=agreement.start_date.year,
        last_year=min(agreement.end_date.year, last_year or agreement.end_date.year),
        year_quotas={year: (Decimal(q.a_to_b), Decimal(q.b_to_a)) for year, q in overrides.items()},
    )


def _flows(agreement_ids: list[int], unit_field: str) -> dict[int, dict[int, arithmetic.Flow]]:
    """agreement → year → Flow, for one measure, in one grouped query."""
    rows = (
        LedgerTotal.objects.filter(agreement_id__in=agreement_ids)
        .exclude(direction=Direction.NONE)
        .values("agreement_id", "year", "direction").annotate(total=Sum(unit_field))
        .order_by()
    )
    acc: dict[int, dict[int, dict[str, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    for r in rows:
        acc[r["agreement_id"]][r["year"]][r["direction"]] = Decimal(r["total"] or 0)
    return {
        agreement: {
            year: arithmetic.Flow(d.get(Direction.A_TO_B, ZERO), d.get(Direction.B_TO_A, ZERO))
            for year, d in years.items()
        }
        for agreement, years in acc.items()
    }


def _unit_fields(agreement: Agreement) -> tuple[str, str]:
    if agreement.unit == QuotaUnit.VOLUNTEER_MONTHS:
        return "volunteer_months", "realised_months"
    return "volunteers", "realised_volunteers"


@dataclass(frozen=True)
class AgreementBalance:
    agreement: Agreement
    year: int
    planned: arithmetic.YearBalance | None
    realised: arithmetic.YearBalance | None


def agreement_balances(*, user: AnyUser, year: int) -> list[AgreementBalance]:
    """Every agreement the user may see, with its planned and realised balance for `year`
    (carry-over from its first year included)."""
    return _balances(agreements_visible_to(user), year=year)


def _balances(agreements_qs: QuerySet[Agreement], *, year: int) -> list[AgreementBalance]:
    """One grouped query per measure, whatever the number of agreements."""
    agreements = list(agreements_qs.select_related("party_a", "party_b").order_by("reference"))
    flows: dict[str, dict[int, dict[int, arithmetic.Flow]]] = {}
    for field in ("volunteers", "realised_volunteers", "volunteer_months", "realised_months"):
        ids = [a.pk for a in agreements if field in _unit_fields(a)]
        flows[field] = _flows(ids, field) if ids else {}
    overrides = year_overrides([a.pk for a in agreements], years=[year])
    result = []
    for agreement in agreements:
        planned_field, realised_field = _unit_fields(agreement)
        terms = _terms(agreement, last_year=year, overrides=overrides.get(agreement.pk, {}))
        planned = realised = None
        if terms.first_year <= year <= terms.last_year:
            planned = arithmetic.agreement_years(
                terms=terms, flows=flows[planned_field].get(agreement.pk, {}), years=[year])[0]
            realised = arithmetic.agreement_years(
                terms=terms, flows=flows[realised_field].get(agreement.pk, {}), years=[year])[0]
        result.append(AgreementBalance(agreement, year, planned, realised))
    return result


@dataclass(frozen=True)
class ToleranceCheck:
    """An agreement's planned position in `year` before and after one more placement."""

    before: arithmetic.YearBalance
    after: arithmetic.YearBalance

    @property
    def leaves_tolerance(self) -> bool:
        """Outside the tolerance afterwards and further from balance than before: a placement
        that brings an agreement already outside its tolerance back towards balance is welcome."""
        return not self.after.within_tolerance and abs(self.after.position) > abs(
            self.before.position)


def agreement_tolerance_check(*, agreement: Agreement, year: int, direction: str,
                              amount: Decimal) -> ToleranceCheck | None:
    """The balance the alerts and the agreement pages compute (ledger totals, the agreement's
    unit, carry-over from its first year), with `amount` more in `direction` in `year`; None
    when `year` is outside the agreement or the direction is none."""
    if direction not in (Direction.A_TO_B, Direction.B_TO_A):
        return None
    terms = _terms(agreement, last_year=year)
    if not terms.first_year <= year <= terms.last_year:
        return None
    planned_field, _realised = _unit_fields(agreement)
    flows = _flows([agreement.pk], planned_field).get(agreement.pk, {})
    before = arithmetic.agreement_years(terms=terms, flows=flows, years=[year])[0]
    current = flows.get(year, arithmetic.Flow())
    added = dict(flows)
    added[year] = (arithmetic.Flow(current.a_to_b + amount, current.b_to_a)
                   if direction == Direction.A_TO_B
                   else arithmetic.Flow(current.a_to_b, current.b_to_a + amount))
    after = arithmetic.agreement_years(terms=terms, flows=added, years=[year])[0]
    return ToleranceCheck(before, after)


def application_conversion() -> Decimal:
    """Share of decided applications that ended in a placement (the forecast's weight)."""
    decided = dict(
        Application.objects.filter(status__in=[
            ApplicationStatus.PLACED, ApplicationStatus.REFUSED, ApplicationStatus.WITHDRAWN])
        .values("status").annotate(n=Count("id")).values_list("status", "n"))
    total = sum(decided.values())
    if total < 10:
        return DEFAULT_CONVERSION
    return (Decimal(decided.get(ApplicationStatus.PLACED, 0)) / total).quantize(Decimal("0.01"))


def pipeline_flows(agreement: Agreement) -> dict[str, dict[int, arithmetic.Flow]]:
    """Open applications whose first choice falls under the agreement, by year of the mission
    and direction: 'accepted' and 'pending' (submitted, shortlisted; nominations included).

    "Falls under" is the rule placements are attached by (agreements/coverage.py): the mission
    names the agreement, or it is the one agreement covering sender and host (parties or
    affiliated to them); an ambiguous choice counts for no agreement."""
    party_countries = {agreement.party_a_id: str(agreement.party_a.country),
                       agreement.party_b_id: str(agreement.party_b.country)}
    a, b = agreement.party_a_id, agreement.party_b_id
    index = CoverageIndex.load()
    a_side = {a} | {link.member for link in index.links if link.parent == a}
    b_side = {b} | {link.member for link in index.links if link.parent == b}
    # One filter() call: every condition must hold for the same (first) choice. The SQL keeps
    # the candidates (any sender and host on the two sides); the rule then decides each one.
    first_choice_under_agreement = Q(choices__rank=1) & (
        Q(choices__mission__agreement=agreement)
        | Q(choices__mission__agreement__isnull=True, choices__mission__host_id__in=b_side,
            sending_organisation_id__in=a_side)
        | Q(choices__mission__agreement__isnull=True, choices__mission__host_id__in=a_side,
            sending_organisation_id__in=b_side)
    )
    applications = (
        Application.objects.filter(status__in=[ApplicationStatus.ACCEPTED, *PENDING_STATUSES])
        .filter(first_choice_under_agreement)
        .values("id", "status", "sending_organisation_id", "choices__mission__start_date",
                "choices__mission__host_id", "choices__mission__country",
                "choices__mission__scheme_id", "choices__mission__agreement_id")
        .distinct()
    )
    acc: dict[str, dict[int, list[Decimal]]] = {"accepted": {}, "pending": {}}
    for row in applications:
        decision = index.decide(
            sender=row["sending_organisation_id"], host=row["choices__mission__host_id"],
            scheme=row["choices__mission__scheme_id"], on=row["choices__mission__start_date"],
            named=row["choices__mission__agreement_id"])
        if decision.agreement != agreement.pk:
            continue
        kind = "accepted" if row["status"] == ApplicationStatus.ACCEPTED else "pending"
        year = row["choices__mission__start_date"].year
        host_id, host_country = row["choices__mission__host_id"], row["choices__mission__country"]
        to_b = host_id in b_side - a_side or (
            host_id not in a_side and host_country == party_countries[agreement.party_b_id])
        slot = acc[kind].setdefault(year, [ZERO, ZERO])
        slot[0 if to_b else 1] += 1
    return {kind: {y: arithmetic.Flow(v[0], v[1]) for y, v in years.items()}
            for kind, years in acc.items()}


def _forecast_flows(agreement: Agreement, planned_flows: dict[int, arithmetic.Flow],
                    pipeline: dict[str, dict[int, arithmetic.Flow]], conversion: Decimal, *,
                    years: range) -> dict[int, arithmetic.Flow]:
    """The planned flows, with `years` forecast from the pipeline (agreements counted in
    volunteers only: an application does not say how many months it will serve)."""
    flows = dict(planned_flows)
    if agreement.unit == QuotaUnit.VOLUNTEERS:
        for year in years:
            flows[year] = arithmetic.forecast_flow(
                planned=planned_flows.get(year, arithmetic.Flow()),
                accepted=pipeline["accepted"].get(year, arithmetic.Flow()),
                pending=pipeline["pending"].get(year, arithmetic.Flow()), conversion=conversion)
    return flows


@dataclass(frozen=True)
class YearOutlook:
    """What the balance knows of one agreement's `year` before it starts (quota scenarios:
    docs/scenarios.md). `carried_in`: the forecast position carried into the year (planned
    flows of past years, planned + pipeline forecast from this year on); `planned` and
    `forecast`: the year's own flows."""

    carried_in: Decimal
    planned: arithmetic.Flow
    forecast: arithmetic.Flow


def agreement_outlooks(*, agreements: list[Agreement], year: int, today: date
                       ) -> dict[int, YearOutlook]:
    """Agreement id → its outlook for `year`, for agreements the caller already scoped to its
    reader (the balance of each is the agreement page's forecast series)."""
    planned: dict[int, dict[int, arithmetic.Flow]] = {}
    for field in ("volunteers", "volunteer_months"):
        ids = [a.pk for a in agreements if _unit_fields(a)[0] == field]
        planned.update(_flows(ids, field) if ids else {})
    conversion = application_conversion() if agreements else DEFAULT_CONVERSION
    empty: dict[str, dict[int, arithmetic.Flow]] = {"accepted": {}, "pending": {}}
    out = {}
    for agreement in agreements:
        planned_flows = planned.get(agreement.pk, {})
        pipeline = pipeline_flows(agreement) if agreement.unit == QuotaUnit.VOLUNTEERS else empty
        flows = _forecast_flows(agreement, planned_flows, pipeline, conversion,
                                years=range(today.year, year + 1))
        terms = arithmetic.Terms(
            quota_a_to_b=ZERO, quota_b_to_a=ZERO, tolerance=Decimal(agreement.tolerance),
            first_year=agreement.start_date.year, last_year=year)
        carried = ZERO
        if terms.first_year <= year:
            carried = arithmetic.agreement_years(terms=terms, flows=flows, years=[year])[0].carried_in
        out[agreement.pk] = YearOutlook(carried, planned_flows.get(year, arithmetic.Flow()),
                                        flows.get(year, arithmetic.Flow()))
    return out


def agreement_balance_detail(*, user: AnyUser, agreement_id: int, today: date
                             ) -> dict[str, Any] | None:
    """Year by year: planned, realised and forecast balances (forecast for this year on)."""
    agreement = (agreements_visible_to(user).select_related("party_a", "party_b")
                 .filter(pk=agreement_id).first())
    if agreement is None:
        return None
    planned_field, realised_field = _unit_fields(agreement)
    terms = _terms(agreement, last_year=max(today.year + 1, agreement.start_date.year))
    planned_flows = _flows([agreement.pk], planned_field).get(agreement.pk, {})
    realised_flows = _flows([agreement.pk], realised_field).get(agreement.pk, {})
    pipeline = pipeline_flows(agreement)
    conversion = application_conversion()
    forecast_flows = _forecast_flows(agreement, planned_flows, pipeline, conversion,
                                     years=range(today.year, terms.last_year + 1))
    return {
        "agreement": agreement,
        "planned": arithmetic.agreement_years(terms=terms, flows=planned_flows),
        "realised": arithmetic.agreement_years(terms=terms, flows=realised_flows),
        "forecast": arithmetic.agreement_years(terms=terms, flows=forecast_flows),
        "conversion": conversion,
        "pipeline": pipeline,
    }


def agreements_out_of_tolerance(*, year: int) -> list[AgreementBalance]:
    """Active agreements whose planned position for `year` is outside their tolerance (for the
    alerts command: platform-wide, not scoped to a reader)."""
    active = Agreement.objects.filter(status=AgreementStatus.ACTIVE)
    return [
        b for b in _balances(active, year=year)
        if b.planned is not None and not b.planned.within_tolerance
    ]


# --- drill-down -------------------------------------------------------------------------------

def placements_behind(
    *, user: AnyUser, year: int | None = None, origin: str = "", host: str = "",
    scheme: str = "", agreement_id: int | None = None, direction: str = "", basis: str = "start",
) -> QuerySet[Placement]:
    """The placements a figure counts (ledger year = start year; the annual report may use
    the `active` basis), as far as the user may see."""
    qs = placements_visible_to(user).filter(status__in=COUNTED_STATUSES)
    if year:
        qs = counted_placements(year=year, basis=basis, queryset=qs)
    if origin:
        qs = qs.filter(nationality=origin.upper())
    if host:
        qs = qs.filter(host_country=host.upper())
    if origin and host and origin.upper() == host.upper():
        return qs.none()
    if scheme:
        qs = qs.filter(mission__scheme_id=scheme)
    if agreement_id:
        qs = qs.filter(agreement_id=agreement_id)
        if direction:
            ids = LedgerEntry.objects.filter(agreement_id=agreement_id, direction=direction)
            qs = qs.filter(pk__in=ids.values("placement_id"))
    return qs.select_related("volunteer", "mission", "mission__host", "mission__scheme").order_by(
        "start_date", "pk")
