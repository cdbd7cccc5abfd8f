"""`/api/v1/balance`: the reciprocity balance for partner systems (signed-in only).

Network figures and the annual report are statistics without personal data; an agreement's
balance is given to its parties and to staff only (404 for others, as if it did not exist).
Readers outside the organisations get small counts withheld (balance/disclosure.py): the figure
is `null` and its name is listed in `suppressed`; `exact` says which view the reader has.
"""

from typing import Any, Literal, get_args

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema

from reciprocity.accounts.api_auth import SIGNED_IN
from reciprocity.balance import disclosure, selectors
from reciprocity.balance.annual import annual_breakdown, annual_report_with_outcomes
from reciprocity.balance.visa_selectors import visa_json, visa_table
from reciprocity.core.api_errors import COMMON_ERRORS, ErrorOut
from reciprocity.core.bounds import Id
from reciprocity.schemes.models import SchemeCode

router = Router(tags=["balance"], auth=SIGNED_IN)

SchemeParam = Literal["service_civique", "vsi", "workcamp", "esc"]
assert set(get_args(SchemeParam)) == set(SchemeCode.values)


class NetworkQuery(Schema):
    year: int | None = Field(None, ge=1900, le=2200, description="Ledger year; all years if absent.")
    scheme: SchemeParam | None = None


WITHHELD = ("null when withheld, for readers outside the organisations: a count of 1 or 2 "
            "(below `threshold`), or a figure from which a total would give one back")


def _suppressed_fields() -> Any:
    return Field(default_factory=list, description="The fields of this object that are null "
                 "because withheld (small numbers); empty for exact figures.")


class PairOut(Schema):
    origin: str
    host: str
    volunteers: int | None = Field(..., description=WITHHELD)
    volunteer_months: float | None = Field(..., description=WITHHELD)
    realised_volunteers: int | None = Field(..., description=WITHHELD)
    realised_months: float | None = Field(..., description=WITHHELD)
    suppressed: list[str] = _suppressed_fields()


class CountryOut(Schema):
    country: str
    hosted: float | None = Field(..., description=WITHHELD)
    sent: float | None = Field(..., description=WITHHELD)
    net: float | None = Field(..., description=WITHHELD)
    suppressed: list[str] = _suppressed_fields()


class NetworkOut(Schema):
    year: int | None
    scheme: str | None
    exact: bool = Field(..., description="True for platform staff and organisation members "
                        "(exact figures); false when small counts are withheld.")
    threshold: int = Field(..., description="Counts below this are withheld when not exact.")
    pairs: list[PairOut]
    countries: list[CountryOut]


def _fields(values: dict[str, Any], withheld: dict[str, Any]) -> dict[str, Any]:
    return {**{k: None if k in withheld else v for k, v in values.items()},
            "suppressed": sorted(set(withheld) & set(values))}


@router.get("/network", response={200: NetworkOut, **COMMON_ERRORS},
            summary="Flows per pair of countries and hosted/sent/net per country")
def network(request: HttpRequest, filters: Query[NetworkQuery]) -> dict[str, Any]:
    view = selectors.network_balance(user=request.user, year=filters.year, scheme=filters.scheme)
    exact = disclosure.sees_exact_figures(request.user)
    pair_hidden, country_hidden = ({}, {}) if exact else disclosure.network_withheld(view["pairs"])
    return {
        "year": filters.year, "scheme": filters.scheme, "exact": exact,
        "threshold": disclosure.threshold(),
        "pairs": [{"origin": p.origin, "host": p.host, **_fields({
            "volunteers": p.volunteers, "volunteer_months": float(p.volunteer_months),
            "realised_volunteers": p.realised_volunteers,
            "realised_months": float(p.realised_months)}, pair_hidden.get((p.origin, p.host), {}))}
            for p in view["pairs"]],
        # Largest net first, withheld ones last (their place would hint at their size).
        "countries": [{"country": c.country, **_fields({
            "hosted": float(c.hosted), "sent": float(c.sent), "net": float(c.net)},
            country_hidden.get(c.country, {}))}
            for c in sorted(view["countries"], key=lambda c: bool(
                {"hosted", "sent", "net"} & set(country_hidden.get(c.country, {}))))],
    }


class YearBalanceOut(Schema):
    year: int
    a_to_b: float
    b_to_a: float
    quota_a_to_b: float
    quota_b_to_a: float
    carried_in: float
    position: float
    tolerance: float
    within_tolerance: bool


class AgreementBalanceOut(Schema):
    agreement_id: int
    reference: str
    unit: str
    planned: list[YearBalanceOut]
    realised: list[YearBalanceOut]
    forecast: list[YearBalanceOut]


def _years(balances: list) -> list[dict[str, Any]]:
    return [{"year": b.year, "a_to_b": float(b.a_to_b), "b_to_a": float(b.b_to_a),
             "quota_a_to_b": float(b.quota_a_to_b), "quota_b_to_a": float(b.quota_b_to_a),
             "carried_in": float(b.carried_in), "position": float(b.position),
             "tolerance": float(b.tolerance), "within_tolerance": b.within_tolerance}
            for b in balances]


@router.get("/agreements/{agreement_id}", response={200: AgreementBalanceOut, 404: ErrorOut,
                                                    **COMMON_ERRORS},
            summary="An agreement's balance year by year: planned, realised, forecast")
def agreement_balance(request: HttpRequest, agreement_id: Path[Id]) -> dict[str, Any]:
    detail = selectors.agreement_balance_detail(
        user=request.user, agreement_id=agreement_id, today=timezone.localdate())
    if detail is None:
        raise Http404
    agreement = detail["agreement"]
    return {"agreement_id": agreement.pk, "reference": agreement.reference,
            "unit": agreement.unit, "planned": _years(detail["planned"]),
            "realised": _years(detail["realised"]), "forecast": _years(detail["forecast"])}


class AnnualQuery(Schema):
    year: int = Field(..., ge=1900, le=2200)
    host_country: str = Field("FR", min_length=2, max_length=2, pattern="^[A-Za-z]{2}$")
    scheme: SchemeParam | None = None
    basis: Literal["start", "active"] = "start"


class SideOut(Schema):
    volunteers: int | None = Field(..., description=WITHHELD)
    countries: int
    top_countries: list[tuple[str, int | None]] = Field(
        ..., description="Up to five `[code, volunteers]`; the count is " + WITHHELD)


class VisaRowOut(Schema):
    scheme: str
    nationality: str | None = Field(..., description="ISO 3166-1 alpha-2 code; null on the "
                                    "scheme's total row (all nationalities), which ends it.")
    decided: int | None = Field(..., description="Visas granted + refused (a withdrawal is not "
                                "a decision); " + WITHHELD)
    refused: int | None = Field(..., description="Visas refused; " + WITHHELD)
    refusal_rate: float | None = Field(..., description="refused / decided, null with no "
                                       "decision, or when withheld (with either count).")
    median_days: float | None = Field(..., description="Median days from application to "
                                      "decision; null without dates, or when withheld (with "
                                      "the decisions: one or two people's own dates).")
    lost: int | None = Field(..., description="Placements cancelled or interrupted after a "
                             "refusal; " + WITHHELD)
    suppressed: list[str] = _suppressed_fields()


class AnnualOut(Schema):
    year: int
    host_country: str
    scheme: str | None
    basis: str
    hosted: SideOut
    sent: SideOut
    by_scheme: dict[str, int | None] = Field(..., description="Counts; " + WITHHELD)
    by_gender: dict[str, int | None] = Field(..., description="Counts; " + WITHHELD)
    completion_rate: float | None = Field(
        ..., description="Null (with early_termination_rate) when withheld: completed or "
        "interrupted placements number 1 or 2, for readers outside the organisations.")
    early_termination_rate: float | None = Field(..., description="See completion_rate.")
    sentence_en: str
    sentence_fr: str
    sentence_es: str
    exact: bool = Field(..., description="True for platform staff and organisation members.")
    threshold: int = Field(..., description="Counts below this are withheld when not exact.")
    suppressed: list[str] = Field(
        default_factory=list, description="Paths of the withheld figures, e.g. "
        "`hosted.volunteers`, `hosted.top_countries.TN`, `by_gender.M`, `completion_rate`, "
        "`visa.service_civique.TN.refused` (`all` for a scheme's total row).")
    visa: list[VisaRowOut] = Field(
        default_factory=list, description="Visa outcomes per scheme and nationality of the "
        "volunteers placed in the host country whose placement starts in the year (whatever "
        "the basis), each scheme closed by its total row (docs/balance.md, 'Visa outcomes').")


@router.get("/reports/annual", response={200: AnnualOut, **COMMON_ERRORS},
            summary="The annual report (the fields of `reciprocity report annual --json`, "
                    "small numbers withheld for readers outside the organisations)")
def annual(request: HttpRequest, params: Query[AnnualQuery]) -> dict[str, Any]:
    args: dict[str, Any] = {"year": params.year, "host_country": params.host_country.upper(),
            "scheme": params.scheme, "basis": params.basis}
    report, outcomes = annual_report_with_outcomes(**args)
    visa = visa_json(visa_table(user=request.user, year=args["year"],
                                host_country=args["host_country"], scheme=args["scheme"]))
    extra = {"threshold": disclosure.threshold(), "visa": visa}
    if disclosure.sees_exact_figures(request.user):
        return {**report, **extra, "exact": True, "suppressed": []}
    per_country = {side: dict(rows) for side, rows in annual_breakdown(**args).items()}
    withheld = disclosure.annual(report, per_country=per_country, **outcomes)
    withheld["suppressed"] = withheld["suppressed"] + [
        f"visa.{row['scheme']}.{row['nationality'] or 'all'}.{name}"
        for row in visa for name in row["suppressed"]]
    return disclosure.for_json({**withheld, **extra, "exact": False})
