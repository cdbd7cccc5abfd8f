"""Pages of quota scenarios (docs/scenarios.md): list and create, detail with the projected
balances beside the current plan (and its CSV/XLSX), compare two, apply. Who may not plan gets
403; a scenario the user may not see, 404."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reciprocity.accounts.http import AuthenticatedHttpRequest
from reciprocity.core.bounds import id_from
from reciprocity.core.exceptions import ApplicationError
from reciprocity.core.pagination import paginate
from reciprocity.core.spreadsheets import export_format, table_response, xlsx_response
from reciprocity.core.validation import add_to_form
from reciprocity.planning import exports, services
from reciprocity.planning.forms import QuotasForm, ScenarioForm
from reciprocity.planning.models import Scenario
from reciprocity.planning.permissions import can_plan
from reciprocity.planning.selectors import (
    scenario_get_visible,
    scenario_list,
    scenario_view,
    scenarios_compare,
)

View = Callable[..., HttpResponse]


def planners_only(view: View) -> View:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_plan(request.user):
            raise PermissionDenied(_("Only platform staff and coordinator officers plan quotas."))
        return view(request, *args, **kwargs)

    return wrapper


def _visible(request: HttpRequest, pk: int | None) -> Scenario:
    scenario = scenario_get_visible(user=request.user, pk=pk) if pk else None
    if scenario is None:
        raise Http404
    return scenario


@planners_only
def scenario_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = ScenarioForm(request.POST or None, user=request.user, this_year=today.year)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            scenario = services.scenario_create(
                by=request.user, name=data["name"], year=data["year"],
                organisation=data["organisation"], today=today)
        except ApplicationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("The scenario holds next year's agreements with their "
                                        "current quotas: change them below."))
            return redirect("planning:detail", pk=scenario.pk)
    page = paginate(request, scenario_list(user=request.user))
    return render(request, "planning/scenario_list.html", {"page": page, "form": form})


@planners_only
def scenario_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    scenario = _visible(request, pk)
    today = timezone.localdate()
    lines = [v.line for v in scenario_view(user=request.user, scenario=scenario,
                                           today=today).lines]
    may_write = services.may_write_scenario(request.user, scenario) and scenario.is_draft
    form = QuotasForm(request.POST or None, lines=lines)
    if request.method == "POST":
        if not may_write:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.scenario_set_quotas(by=request.user, scenario=scenario,
                                             quotas=form.quotas())
            except ApplicationError as exc:
                add_to_form(form, exc)
            else:
                messages.success(request, _("Quotas saved; the projection is updated."))
                return redirect("planning:detail", pk=scenario.pk)
    view = scenario_view(user=request.user, scenario=scenario, today=today)
    fmt = export_format(request.GET.get("format"))
    if fmt:
        filename = f"scenario-{scenario.pk}-{scenario.year}"
        if fmt == "xlsx":
            return xlsx_response(filename, exports.scenario_sheets(view))
        return table_response(fmt, filename, scenario.name, exports.LINE_HEADINGS,
                              exports.line_rows(view))
    rows = [{"view": v, "ab": form[f"ab_{v.agreement.pk}"], "ba": form[f"ba_{v.agreement.pk}"]}
            for v in view.lines]
    others = scenario_list(user=request.user, year=scenario.year).exclude(pk=scenario.pk)[:20]
    # The chart draws the network table's nets, the same figures (static/js/scenarios.js).
    chart = {"countries": [c.name for c in view.network],
             "current": [float(c.current.net) for c in view.network],
             "scenario": [float(c.scenario.net) for c in view.network],
             "labels": {"current": _("Current plan") if scenario.is_draft else _("Before"),
                        "scenario": _("Scenario")}}
    return render(request, "planning/scenario_detail.html", {
        "scenario": scenario, "view": view, "rows": rows, "form": form, "may_write": may_write,
        "chart": chart,
        "history": scenario.history.select_related("actor").order_by("occurred_at", "pk"),
        "others": others,
    })


@require_POST
@planners_only
def scenario_apply(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    scenario = _visible(request, pk)
    try:
        services.scenario_apply(by=request.user, scenario=scenario, now=timezone.now())
    except ApplicationError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Applied: the agreements have their %(year)d quotas.")
                         % {"year": scenario.year})
    return redirect("planning:detail", pk=scenario.pk)


@planners_only
def scenario_compare(request: AuthenticatedHttpRequest) -> HttpResponse:
    first = _visible(request, id_from(request.GET.get("first")))
    second = _visible(request, id_from(request.GET.get("second")))
    comparison = scenarios_compare(user=request.user, first=first, second=second,
                                   today=timezone.localdate())
    fmt = export_format(request.GET.get("format"))
    if fmt:
        return table_response(fmt, f"scenarios-{first.pk}-{second.pk}", _("Comparison"),
                              exports.compare_headings(comparison),
                              exports.compare_rows(comparison))
    return render(request, "planning/scenario_compare.html", {
        "comparison": comparison, "first": first, "second": second,
        "choices": scenario_list(user=request.user)[:50],
    })


