"""Balance pages: thin views over the selectors, datasets and exports.

Their reads may come from the database replica when one is configured (core/db_routing.py).
"""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from reciprocity.accounts.selectors import AnyUser
from reciprocity.balance import caching, disclosure, reports, selectors
from reciprocity.balance.datasets import DATASETS, Dataset, Filters
from reciprocity.balance.forms import AnnualReportForm, BalanceFilterForm, DrillForm
from reciprocity.balance.labels import (
    country_label,
    criteria_badges,
    report_headings,
    report_rows,
    scheme_label,
    visa_headings,
    visa_report_rows,
    visa_sheet_rows,
)
from reciprocity.core.db_routing import reads_from_replica
from reciprocity.core.pagination import paginate
from reciprocity.core.spreadsheets import csv_response, xlsx_response
from reciprocity.core.versioned_cache import query_key
from reciprocity.volunteers.models import AccessAction, AccessChannel
from reciprocity.volunteers.services import personal_data_bulk_access_record


def _filters(request: HttpRequest) -> tuple[BalanceFilterForm, Filters]:
    form = BalanceFilterForm(request.GET or None)
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    year = data.get("year") or timezone.localdate().year
    return form, Filters(year=year, country=data.get("country") or "FR",
                         scheme=data.get("scheme") or None)


def _drill_links(data: Dataset, filters: Filters) -> list[str]:
    """The address of the placements behind each row (year and scheme of the page included)."""
    base = reverse("balance:placements")
    links = []
    for drill in data.drill:
        if "agreement" in drill:
            links.append(reverse("balance:agreement", args=[drill["agreement"]]))
            continue
        params = {"year": filters.year, "scheme": filters.scheme or "", **drill}
        links.append(f"{base}?{urlencode({k: v for k, v in params.items() if v})}")
    return links


# The flows table lists every country pair with a placement (3,000 at 60 countries): the page
# and its chart show the largest; the CSV and XLSX downloads carry all of them.
FLOWS_SHOWN = 30


def _canonical_query(filters: Filters) -> str:
    """The filters as the download links carry them: built from the cleaned filters, not the
    raw query string, so that the cached page depends on nothing the key does not hold."""
    return urlencode({"year": filters.year or "", "country": filters.country,
                      "scheme": filters.scheme or ""})


def _dashboard_body(user: AnyUser, filters: Filters) -> str:
    """The six sections and their chart data, rendered: what the cache keeps (the figures'
    rendering cost more than their computation)."""
    datasets = {name: build(user, filters) for name, build in DATASETS.items()}
    charts_data = {}
    for name, data in datasets.items():
        links = _drill_links(data, filters)
        table = [{"cells": row, "link": link} for row, link in zip(data.rows, links, strict=True)]
        rows = data.chart_rows()
        if name == "flows" and len(table) > FLOWS_SHOWN:
            data.more = len(table) - FLOWS_SHOWN
            table, rows, links = table[:FLOWS_SHOWN], rows[:FLOWS_SHOWN], links[:FLOWS_SHOWN]
        data.table = table
        charts_data[name] = {"headings": [str(h) for h in data.headings], "rows": rows,
                             "links": links}
    return render_to_string("balance/_dashboard_body.html", {
        "datasets": datasets, "charts_data": charts_data, "query": _canonical_query(filters),
        "shown": FLOWS_SHOWN,
    })


def _cached_content(request: HttpRequest, name: str, render_content: Callable[[], str]) -> str:
    """A page's whole content (filter form with its errors, figures, visa table), cached per
    reader's scope, language, query string as it came (the form shows it back) and this year
    (the default one). A warm request builds no form and reads no figure: their rendering was
    most of the page's cost (bench/load/README.md)."""
    query = query_key(request)
    if query is None:
        return render_content()
    params = {"query": query, "this_year": timezone.localdate().year}
    return caching.cached(request.user, name, params, render_content)


@login_required
@reads_from_replica
def dashboard(request: HttpRequest) -> HttpResponse:
    def content() -> str:
        form, filters = _filters(request)
        # Rendered once per reader's scope, filters and language; a ledger write makes it stale.
        # Keyed by the cleaned filters, under the page's entry keyed by the raw query string:
        # a stray or reordered parameter costs a form, never the figures again.
        body = caching.cached(request.user, "dashboard-html", {"filters": filters},
                              lambda: _dashboard_body(request.user, filters))
        return render_to_string("balance/_dashboard_page.html", {
            "form": form, "filters": filters, "body": mark_safe(body),  # noqa: S308  # our render
            "suppressed": disclosure.SMALL, "secondary": disclosure.SECONDARY,
            "exact": caching.sees_exact_figures(request.user), "user": request.user,
        })

    html = _cached_content(request, "dashboard-page", content)
    return render(request, "balance/dashboard.html", {
        "content": mark_safe(html)})  # noqa: S308  # our own rendering


@login_required
@reads_from_replica
def dataset_download(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    if name not in DATASETS or fmt not in ("csv", "xlsx"):
        raise Http404
    _form, filters = _filters(request)
    data: Dataset = DATASETS[name](request.user, filters)
    filename = f"balance-{name}-{filters.year}"
    if fmt == "xlsx":
        return xlsx_response(filename, [(str(data.title), data.headings, data.rows)])
    return csv_response(filename, data.headings, data.rows)


# Headings and values for people (labels, not codes); dates stay ISO: the file is data.
def _placement_headings() -> list[str]:
    return [_("Volunteer reference"), _("Volunteer"), _("Nationality"), _("Host country"),
            _("Scheme"), _("Host"), _("Mission"), _("Start"), _("End"), _("Status")]


@login_required
@reads_from_replica
def placement_list(request: HttpRequest) -> HttpResponse:
    """The placements behind a figure, as far as the reader may see them."""
    form = DrillForm(request.GET)
    criteria = form.cleaned_data if form.is_valid() else {}
    qs = selectors.placements_behind(
        user=request.user, year=criteria.get("year"), origin=criteria.get("origin") or "",
        host=criteria.get("host") or "", scheme=criteria.get("scheme") or "",
        agreement_id=criteria.get("agreement"), direction=criteria.get("direction") or "",
        basis=criteria.get("basis") or "start",
    )
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        placements = list(qs)
        rows = [[p.volunteer.reference, p.volunteer.full_name, country_label(str(p.nationality)),
                 country_label(str(p.host_country)), scheme_label(p.mission.scheme_id), p.mission.host.name,
                 p.mission.title, p.start_date.isoformat(), p.end_date.isoformat(),
                 p.get_status_display()] for p in placements]
        # Names leave the platform in a file: one row of the access log for the whole file.
        personal_data_bulk_access_record(
            volunteer_ids=[p.volunteer_id for p in placements], actor=request.user,
            action=AccessAction.EXPORT, channel=AccessChannel.PAGE,
            source=request.get_full_path(),
        )
        if fmt == "xlsx":
            return xlsx_response("balance-placements",
                                 [(_("Placements"), _placement_headings(), rows)])
        return csv_response("balance-placements", _placement_headings(), rows)
    return render(request, "balance/placements.html", {
        "page": paginate(request, qs), "criteria": criteria_badges(criteria),
        "query": request.GET.urlencode(),
        "invalid": not form.is_valid(),
    })


@login_required
@reads_from_replica
def agreement_balance(request: HttpRequest, pk: int) -> HttpResponse:
    detail = selectors.agreement_balance_detail(user=request.user, agreement_id=pk,
                                                today=timezone.localdate())
    if detail is None:
        raise Http404
    years = list(zip(detail["planned"], detail["realised"], detail["forecast"], strict=True))
    chart = {"years": [p.year for p in detail["planned"]],
             "position": [float(p.position) for p in detail["planned"]],
             "forecast": [float(f.position) for f in detail["forecast"]],
             "tolerance": float(detail["planned"][0].tolerance) if detail["planned"] else 0,
             "labels": {"position": _("Position (planned)"),
                        "forecast": _("Forecast with the pipeline")}}
    return render(request, "balance/agreement.html", {
        "detail": detail, "agreement": detail["agreement"], "years": years, "chart": chart,
        "this_year": timezone.localdate().year,
    })


def _report_args(form: AnnualReportForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {"year": data["year"], "host_country": data["host_country"],
            "scheme": data["scheme"] or None, "basis": data["basis"]}


def _annual(request: HttpRequest) -> tuple[AnnualReportForm, dict[str, Any] | None]:
    initial = {"year": timezone.localdate().year - 1, "host_country": "FR", "basis": "start"}
    form = AnnualReportForm(request.GET if "year" in request.GET else initial)
    if not form.is_valid():
        return form, None
    args = _report_args(form)
    return form, caching.cached(request.user, "annual", args,
                                lambda: reports.annual_report_for(request.user, args))


@login_required
@reads_from_replica
def annual(request: HttpRequest) -> HttpResponse:
    fmt = request.GET.get("format", "")
    form, report = _annual(request) if fmt else (None, None)
    if form is not None and report is not None:
        name = f"annual-report-{report['host_country']}-{report['year']}"
        hosted = report["breakdown"]["hosted"]
        sent = report["breakdown"]["sent"]
        # The visa figures are read for the file, not cached with the report (reports.py).
        visa = reports.annual_visas_for(request.user, _report_args(form))
        rows = report_rows(report) + visa_report_rows(visa)
        if fmt == "csv":
            return csv_response(name, report_headings(), rows)
        if fmt == "xlsx":
            return xlsx_response(name, [
                (_("Report"), report_headings(), rows),
                (_("Origins"), [_("Code"), _("Country"), _("Volunteers")], hosted),
                (_("Destinations"), [_("Code"), _("Country"), _("Volunteers")], sent),
                (_("Visas"), visa_headings(), visa_sheet_rows(visa)),
            ])
        if fmt == "pdf":
            if reports.in_background():
                token = reports.job_start(user=request.user, args=_report_args(form),
                                          language=get_language())
                return redirect("balance:annual_pdf", token=token)
            response = HttpResponse(reports.annual_pdf(report, visa), content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="{reports.pdf_filename(report)}"'
            return response

    def content() -> str:
        form, report = _annual(request)
        body = ""
        if report is not None:
            args = _report_args(form)
            # The report's part of the page, rendered once per reader's scope, settings and
            # language (the figures are cached under the same scope by `_annual`); as the
            # dashboard's, keyed by the cleaned settings, not the raw query string.
            body = caching.cached(request.user, "annual-html", args, lambda: render_to_string(
                "balance/_annual_body.html", {
                    "report": report, "suppressed": disclosure.SMALL,
                    "secondary": disclosure.SECONDARY,
                    "query": urlencode({**args, "scheme": args["scheme"] or ""})}))
        return render_to_string("balance/_annual_page.html", {
            "form": form, "report": report, "user": request.user,
            "body": mark_safe(body),  # noqa: S308  # our render
        })

    html = _cached_content(request, "annual-page", content)
    return render(request, "balance/annual.html", {
        "content": mark_safe(html)})  # noqa: S308  # our own rendering


@login_required
@reads_from_replica
def annual_pdf(request: HttpRequest, token: str) -> HttpResponse | FileResponse:
    """A PDF being made on a worker: its progress, then the file (only for who asked)."""
    job = reports.job_get(token)
    if job is None or job["user_id"] != request.user.pk:
        raise Http404
    if job["status"] == "done" and "download" in request.GET:
        return FileResponse(default_storage.open(job["path"], "rb"), as_attachment=True,
                            filename=job["filename"], content_type="application/pdf")
    return render(request, "balance/annual_pdf_job.html", {"job": job, "token": token})
