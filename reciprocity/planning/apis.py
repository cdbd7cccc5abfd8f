"""`/api/v1/planning`: quota scenarios (docs/scenarios.md) for staff and coordinator writers.

Who may not plan gets 403 on every operation; a scenario the user may not see is a 404. Figures
are numbers in the agreement's unit (volunteers or volunteer-months)."""

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema

from reciprocity.accounts.api_auth import SIGNED_IN
from reciprocity.core.api_errors import COMMON_ERRORS, ErrorOut
from reciprocity.core.api_types import Input
from reciprocity.core.bounds import Id
from reciprocity.partners.models import Organisation
from reciprocity.planning import services
from reciprocity.planning.models import Scenario
from reciprocity.planning.permissions import can_plan
from reciprocity.planning.projection import Projection
from reciprocity.planning.selectors import (
    LineView,
    ScenarioView,
    scenario_get_visible,
    scenario_list,
    scenario_view,
    scenarios_compare,
)

router = Router(tags=["planning"], auth=SIGNED_IN)

ERRORS: dict[int, type[Schema]] = {**COMMON_ERRORS, 403: ErrorOut, 404: ErrorOut}


class ScenarioOut(Schema):
    id: int
    name: str
    year: int
    organisation_id: int | None = Field(description="The coordinator; null: the whole platform.")
    status: str = Field(description="draft or applied.")
    created_at: datetime
    applied_at: datetime | None


class ProjectionOut(Schema):
    quota_a_to_b: float
    quota_b_to_a: float
    a_to_b: float = Field(description="Projected flow: the larger of the forecast and the quota.")
    b_to_a: float
    position: float = Field(description="Carried in + A→B − B→A at the end of the year.")
    within_tolerance: bool


class LineOut(Schema):
    agreement_id: int
    reference: str
    unit: str
    tolerance: int
    carried_in: float
    forecast_a_to_b: float
    forecast_b_to_a: float
    current: ProjectionOut = Field(description="Under the agreement's quotas for the year today.")
    scenario: ProjectionOut
    stale: bool = Field(description="The agreement's quotas changed since the line was copied.")


class ScenarioCountryOut(Schema):
    country: str
    current_hosted: float
    current_sent: float
    current_net: float
    scenario_hosted: float
    scenario_sent: float
    scenario_net: float


class TotalsOut(Schema):
    quota_current: float
    quota_scenario: float
    flow_current: float
    flow_scenario: float
    outside_current: int = Field(description="Agreements projected outside their tolerance.")
    outside_scenario: int


class ScenarioDetailOut(ScenarioOut):
    stale: bool
    lines: list[LineOut]
    network: list[ScenarioCountryOut] = Field(description="Agreements counted in volunteers only.")
    totals: TotalsOut = Field(description="Agreements counted in volunteers.")


class ScenarioIn(Input):
    name: str = Field(..., min_length=1, max_length=200)
    year: int = Field(..., ge=1900, le=2200)
    organisation_id: Id | None = Field(
        None, description="The coordinator whose network is copied; null (staff): every agreement.")


class QuotaIn(Input):
    agreement_id: Id
    quota_a_to_b: int = Field(..., ge=0, le=services.MAX_QUOTA)
    quota_b_to_a: int = Field(..., ge=0, le=services.MAX_QUOTA)


class QuotasIn(Input):
    quotas: list[QuotaIn] = Field(..., max_length=5000)


class CompareQuery(Schema):
    first: Id
    second: Id


class ScenarioCompareRowOut(Schema):
    agreement_id: int
    reference: str
    first: ProjectionOut | None
    second: ProjectionOut | None


class CompareOut(Schema):
    first: ScenarioOut
    second: ScenarioOut
    rows: list[ScenarioCompareRowOut]
    first_totals: TotalsOut
    second_totals: TotalsOut


def _projection(p: Projection) -> dict[str, Any]:
    return {"quota_a_to_b": p.quota_a_to_b, "quota_b_to_a": p.quota_b_to_a, "a_to_b": p.a_to_b,
            "b_to_a": p.b_to_a, "position": p.position, "within_tolerance": p.within_tolerance}


def _line(v: LineView) -> dict[str, Any]:
    return {"agreement_id": v.agreement.pk, "reference": v.agreement.reference,
            "unit": v.agreement.unit, "tolerance": v.agreement.tolerance,
            "carried_in": v.outlook.carried_in, "forecast_a_to_b": v.outlook.forecast.a_to_b,
            "forecast_b_to_a": v.outlook.forecast.b_to_a, "current": _projection(v.current),
            "scenario": _projection(v.scenario), "stale": v.stale}


def _totals(view: ScenarioView) -> dict[str, Any]:
    t = view.totals
    return {"quota_current": t.quota_current, "quota_scenario": t.quota_scenario,
            "flow_current": t.flow_current, "flow_scenario": t.flow_scenario,
            "outside_current": t.outside_current, "outside_scenario": t.outside_scenario}


def _detail(view: ScenarioView) -> dict[str, Any]:
    s = view.scenario
    return {
        "id": s.pk, "name": s.name, "year": s.year, "organisation_id": s.organisation_id,
        "status": s.status, "created_at": s.created_at, "applied_at": s.applied_at,
        "stale": view.stale, "lines": [_line(v) for v in view.lines],
        "network": [{"country": c.country,
                     "current_hosted": c.current.hosted, "current_sent": c.current.sent,
                     "current_net": c.current.net, "scenario_hosted": c.scenario.hosted,
                     "scenario_sent": c.scenario.sent, "scenario_net": c.scenario.net}
                    for c in view.network],
        "totals": _totals(view),
    }


def _require_planner(request: HttpRequest) -> None:
    if not can_plan(request.user):
        raise PermissionDenied(_("Only platform staff and coordinator officers plan quotas."))


def _scenario(request: HttpRequest, scenario_id: int) -> Scenario:
    _require_planner(request)
    scenario = scenario_get_visible(user=request.user, pk=scenario_id)
    if scenario is None:
        raise Http404
    return scenario


@router.get("/scenarios", response={200: list[ScenarioOut], **ERRORS},
            summary="The quota scenarios the user may see, newest year first")
def scenarios_list(request: HttpRequest, year: int | None = Query(None, ge=1900, le=2200)
                   ) -> Any:
    _require_planner(request)
    return list(scenario_list(user=request.user, year=year)[:200])


@router.post("/scenarios", response={201: ScenarioDetailOut, **ERRORS, 400: ErrorOut},
             summary="Copy the agreements of a coordinator's network that run in a year into a "
                     "draft scenario, with their current quotas")
def scenarios_create(request: HttpRequest, payload: ScenarioIn) -> Any:
    _require_planner(request)
    organisation = (get_object_or_404(Organisation, pk=payload.organisation_id)
                    if payload.organisation_id else None)
    today = timezone.localdate()
    scenario = services.scenario_create(by=request.user, name=payload.name, year=payload.year,
                                        organisation=organisation, today=today)
    return 201, _detail(scenario_view(user=request.user, scenario=scenario, today=today))


@router.get("/scenarios/{scenario_id}", response={200: ScenarioDetailOut, **ERRORS},
            summary="A scenario: each agreement's projected balance under the current quotas and "
                    "under the scenario's, the network view and the totals")
def scenarios_detail(request: HttpRequest, scenario_id: Path[Id]) -> Any:
    scenario = _scenario(request, scenario_id)
    return _detail(scenario_view(user=request.user, scenario=scenario,
                                 today=timezone.localdate()))


@router.patch("/scenarios/{scenario_id}/quotas",
              response={200: ScenarioDetailOut, **ERRORS, 400: ErrorOut, 409: ErrorOut},
              summary="Change the quotas of some agreements of a draft scenario (409 when applied)")
def scenarios_quotas(request: HttpRequest, scenario_id: Path[Id], payload: QuotasIn) -> Any:
    scenario = _scenario(request, scenario_id)
    scenario = services.scenario_set_quotas(
        by=request.user, scenario=scenario,
        quotas={q.agreement_id: (q.quota_a_to_b, q.quota_b_to_a) for q in payload.quotas})
    return _detail(scenario_view(user=request.user, scenario=scenario,
                                 today=timezone.localdate()))


@router.post("/scenarios/{scenario_id}/apply",
             response={200: ScenarioDetailOut, **ERRORS, 409: ErrorOut},
             summary="Give every agreement of the scenario its quotas for the year; 409 "
                     "`scenario_applied` for a second apply, `scenario_stale` when quotas changed "
                     "since the scenario was copied")
def scenarios_apply(request: HttpRequest, scenario_id: Path[Id]) -> Any:
    scenario = _scenario(request, scenario_id)
    scenario = services.scenario_apply(by=request.user, scenario=scenario, now=timezone.now())
    return _detail(scenario_view(user=request.user, scenario=scenario,
                                 today=timezone.localdate()))


@router.get("/compare", response={200: CompareOut, **ERRORS},
            summary="Two scenarios agreement by agreement")
def scenarios_compare_api(request: HttpRequest, params: Query[CompareQuery]) -> Any:
    first, second = _scenario(request, params.first), _scenario(request, params.second)
    comparison = scenarios_compare(user=request.user, first=first, second=second,
                                   today=timezone.localdate())
    return {
        "first": first, "second": second,
        "rows": [{"agreement_id": r.agreement.pk, "reference": r.agreement.reference,
                  "first": _projection(r.first.scenario) if r.first else None,
                  "second": _projection(r.second.scenario) if r.second else None}
                 for r in comparison.rows],
        "first_totals": _totals(comparison.first), "second_totals": _totals(comparison.second),
    }
