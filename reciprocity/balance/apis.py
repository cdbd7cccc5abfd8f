"""`/api/v1/balance`: the reciprocity balance for partner systems (signed-in only).

Network figures and the annual report are statistics without personal data; an agreement's
balance is given to its parties and to staff only (404 for others, as if it did not exist).
"""

from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from reciprocity.balance import selectors
from reciprocity.balance.annual import annual_report
from reciprocity.core.api_auth import SIGNED_IN
from reciprocity.core.api_errors import COMMON_ERRORS, ErrorOut
from reciprocity.schemes.models import SchemeCode

router = Router(tags=["balance"], auth=SIGNED_IN)

SchemeParam = Literal["service_civique", "vsi", "workcamp", "esc"]
assert set(SchemeParam.__args__) == set(SchemeCode.values)  # type: ignore[attr-defined]


class NetworkQuery(Schema):
    year: int | None = Field(None, ge=1900, le=2200, description="Ledger year; all years if absent.")
    scheme: SchemeParam | None = None


class PairOut(Schema):
    origin: str
    host: str
    volunteers: int
    volunteer_months: float
    realised_volunteers: int
    realised_months: float


class CountryOut(Schema):
    country: str
    hosted: float
    sent: float
    net: float


class NetworkOut(Schema):
    year: int | None
    scheme: str | None
    pairs: list[PairOut]
    countries: list[CountryOut]


@router.get("/network", response={200: NetworkOut, **COMMON_ERRORS},
            summary="Flows per pair of countries and hosted/sent/net per country")
def network(request: HttpRequest, filters: Query[NetworkQuery]) -> dict[str, Any]:
    view = selectors.network_balance(user=request.user, year=filters.year, scheme=filters.scheme)
    return {
        "year": filters.year, "scheme": filters.scheme,
        "pairs": [{"origin": p.origin, "host": p.host, "volunteers": p.volunteers,
                   "volunteer_months": float(p.volunteer_months),
                   "realised_volunteers": p.realised_volunteers,
                   "realised_months": float(p.realised_months)} for p in view["pairs"]],
        "countries": [{"country": c.country, "hosted": float(c.hosted), "sent": float(c.sent),
                       "net": float(c.net)} for c in view["countries"]],
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
def agreement_balance(request: HttpRequest, agreement_id: int) -> dict[str, Any]:
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
    volunteers: int
    countries: int
    top_countries: list[tuple[str, int]]


class AnnualOut(Schema):
    year: int
    host_country: str
    scheme: str | None
    basis: str
    hosted: SideOut
    sent: SideOut
    by_scheme: dict[str, int]
    by_gender: dict[str, int]
    completion_rate: float
    early_termination_rate: float
    sentence_en: str
    sentence_fr: str


@router.get("/reports/annual", response={200: AnnualOut, **COMMON_ERRORS},
            summary="The annual report (same fields as `reciprocity report annual --json`)")
def annual(request: HttpRequest, params: Query[AnnualQuery]) -> dict[str, Any]:
    return annual_report(year=params.year, host_country=params.host_country.upper(),
                         scheme=params.scheme, basis=params.basis)
