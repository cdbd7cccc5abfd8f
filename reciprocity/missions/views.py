from collections.abc import Callable
from dataclasses import asdict, replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_countries.fields import Country

from reciprocity.core.bounds import id_from
from reciprocity.core.exceptions import ApplicationError
from reciprocity.core.pagination import PAGE_SIZE
from reciprocity.core.spreadsheets import export_format
from reciprocity.core.versioned_cache import query_key
from reciprocity.missions import caching as catalogue_cache
from reciprocity.missions import page_cache, photos, services
from reciprocity.missions.exceptions import MissionInvalid
from reciprocity.missions.exports import mission_list_export
from reciprocity.missions.forms import CancelForm, CatalogueFilterForm, MissionForm
from reciprocity.missions.models import Mission, MissionStatus
from reciprocity.missions.permissions import (
    can_manage_mission,
    can_manage_missions_of,
    hosts_managed_by,
)
from reciprocity.missions.selectors import (
    CatalogueFilters,
    mission_catalogue,
    mission_catalogue_by_country,
    mission_get_visible,
    mission_history,
    mission_scheme_suspension,
    missions_managed_by,
)


def _page(qs: QuerySet[Mission], number: int) -> Page:
    # `get_page` turns an out-of-range number into the last page.
    return Paginator(qs, PAGE_SIZE).get_page(number)


def _catalogue_query(filters: CatalogueFilters) -> QueryDict:
    """The valid filters as the page links carry them (never the raw query string: the cached
    results must depend on nothing their key does not hold)."""
    query = QueryDict(mutable=True)
    for name, value in asdict(filters).items():
        if value in ("", None, False):
            continue
        query[{"with_places": "places"}.get(name, name)] = "on" if value is True else str(value)
    return query


def _filter_form(request: HttpRequest) -> CatalogueFilterForm:
    """The catalogue's filters from the query string, validated: invalid ones are reported on
    the page and ignored (`filters()`), never a 500."""
    form = CatalogueFilterForm(request.GET)
    form.is_valid()
    return form


def mission_index(request: HttpRequest) -> HttpResponse:
    """The public catalogue: works for anonymous visitors and without JavaScript."""
    fmt = export_format(request.GET.get("format"))
    if fmt:
        return mission_list_export(mission_catalogue(filters=_filter_form(request).filters()), fmt)

    def body() -> str:
        form = _filter_form(request)
        filters = form.filters()
        page = _page(mission_catalogue(filters=filters), form.page_number())
        # Rendered without the request: the body reads only the query string (the export
        # links keep it whole; the pagination links carry the canonical filters only).
        return render_to_string("missions/_catalogue_body.html", {
            "form": form, "page": page, "request": {"GET": request.GET},
            "results_request": {"GET": _catalogue_query(filters)},
            "map_query": _catalogue_query(replace(filters, sort="")).urlencode()})

    # The same for every reader (published missions only), and it depends on nothing but the
    # query string: cached per query string, language and the missions' version, so a warm
    # request builds no form (its pickers and widgets were most of the page's cost).
    query = query_key(request)
    html = body() if query is None else catalogue_cache.cached({"query": query}, body)
    return render(request, "missions/mission_list.html", {
        "body": mark_safe(html)})  # noqa: S308  # our own rendering


def mission_map(request: HttpRequest) -> HttpResponse:
    """Published missions per country, as a table and (with JavaScript) a world map; the same
    filters as the catalogue. A page of its own, so the catalogue never loads the chart library."""
    form = _filter_form(request)
    filters = replace(form.filters(), sort="")
    query = _catalogue_query(filters)
    rows = [
        {"code": code, "name": str(Country(code).name or code), "missions": missions,
         "places": places, "link": f"{reverse('missions:list')}?{_with(query, country=code)}"}
        for code, missions, places in mission_catalogue_by_country(filters=filters)
    ]
    return render(request, "missions/mission_map.html", {
        "form": form, "rows": rows, "query": query.urlencode(),
        "chart": {"rows": [[r["name"], r["code"], r["missions"], r["places"]] for r in rows],
                  "links": [r["link"] for r in rows],
                  "headings": [_("Country"), _("Missions"), _("Places left")]},
    })


def _with(query: QueryDict, **values: str) -> str:
    copy = query.copy()
    for name, value in values.items():
        copy[name] = value
    return copy.urlencode()


def mission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # The public part comes from the cache (missions/page_cache.py) for a published mission
    # and a reader who does not manage it; a manager's page is always rendered live.
    key = None
    if page_cache.enabled():
        kind = "signed-in" if request.user.is_authenticated else "anonymous"
        key, entry = page_cache.key_and_entry(mission_id=pk, kind=kind)
        if entry is not None and not (request.user.is_authenticated
                                      and can_manage_missions_of(request.user, entry["host_id"])):
            public_part = mark_safe(entry["html"])  # noqa: S308  # our own rendering, stored
            return render(request, "missions/mission_detail.html",
                          {"title": entry["title"], "public_part": public_part})
    mission = mission_get_visible(user=request.user, pk=pk)
    if mission is None:
        raise Http404
    manager = can_manage_mission(request.user, mission)
    context = {
        "mission": mission,
        "title": mission.title,
        "can_manage": manager,
        "history": mission_history(mission=mission) if manager else [],
        "cancel_form": CancelForm() if manager else None,
        "suspension": mission_scheme_suspension(mission=mission),
    }
    public_part = render_to_string("missions/_mission_public.html", context, request=request)
    if key is not None and not manager and mission.status == MissionStatus.PUBLISHED:
        page_cache.store(key, title=mission.title, host_id=mission.host_id, html=public_part)
    context["public_part"] = public_part  # a SafeString: the template rendered it
    return render(request, "missions/mission_detail.html", context)


@login_required
def mission_mine(request: HttpRequest) -> HttpResponse:
    """"My missions": every status, for the organisations the user belongs to."""
    status = request.GET.get("status", "")
    if status not in MissionStatus.values:
        status = ""
    qs = missions_managed_by(user=request.user, status=status)
    fmt = export_format(request.GET.get("format"))
    if fmt:
        return mission_list_export(qs, fmt, filename="my-missions")
    page = _page(qs, _page_number(request))
    context = {
        "page": page,
        "status": status,
        "statuses": MissionStatus.choices,
        "can_create": bool(hosts_managed_by(request.user)),
    }
    return render(request, "missions/mission_mine.html", context)


def _page_number(request: HttpRequest) -> int:
    return id_from(request.GET.get("page")) or 1


@login_required
def mission_create(request: HttpRequest) -> HttpResponse:
    hosts = hosts_managed_by(request.user)
    if not hosts:
        raise PermissionDenied(_("You may not create missions for any organisation."))
    form = MissionForm(request.POST or None, request.FILES or None, hosts=hosts)
    if request.method == "POST" and form.is_valid():
        host = next(h for h in hosts if h.pk == form.cleaned_data["host"])
        try:
            with transaction.atomic():
                mission = services.mission_create(
                    actor=request.user, host=host, data=form.mission_data(),
                    today=timezone.localdate(),
                )
                _save_photo(request, mission, form)
        except MissionInvalid as exc:
            form.add_service_errors(exc.details)
        else:
            messages.success(request, _("The mission is saved as a draft."))
            return redirect("missions:detail", pk=mission.pk)
    return render(request, "missions/mission_form.html", {"form": form, "mission": None})


def _save_photo(request: HttpRequest, mission: Mission, form: MissionForm) -> None:
    changes, upload = form.photo_change()
    if changes:
        photos.mission_photo_set(mission=mission, actor=request.user, upload=upload)


def mission_photo(request: HttpRequest, pk: int) -> FileResponse:
    """The photo, to whoever may see the mission (stored files have no public URL)."""
    mission = mission_get_visible(user=request.user, pk=pk)
    if mission is None or not mission.photo:
        raise Http404
    response = FileResponse(mission.photo.open("rb"),
                            content_type=photos.photo_content_type(mission))
    # A draft's photo stays in the browser that may see it; a published one may be shared.
    visibility = "public" if mission.status == MissionStatus.PUBLISHED else "private"
    response["Cache-Control"] = f"{visibility}, max-age=3600"
    return response


def _managed_mission(request: HttpRequest, pk: int) -> Mission:
    mission = mission_get_visible(user=request.user, pk=pk)
    if mission is None:
        raise Http404
    if not can_manage_mission(request.user, mission):
        raise PermissionDenied(_("Only the host organisation's officers may change this mission."))
    return mission


@login_required
def mission_edit(request: HttpRequest, pk: int) -> HttpResponse:
    mission = _managed_mission(request, pk)
    if not mission.is_editable:
        messages.error(request, _("A closed or cancelled mission can no longer be edited."))
        return redirect("missions:detail", pk=mission.pk)
    hosts = [mission.host]
    initial = MissionForm.initial_from(services.MissionData.from_mission(mission), mission.host_id)
    form = MissionForm(request.POST or None, request.FILES or None, hosts=hosts, initial=initial,
                       has_photo=bool(mission.photo))
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.mission_update(
                    mission=mission, actor=request.user, data=form.mission_data(),
                    today=timezone.localdate(),
                )
                _save_photo(request, mission, form)
        except MissionInvalid as exc:
            form.add_service_errors(exc.details)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("missions:detail", pk=mission.pk)
        else:
            messages.success(request, _("The mission is saved."))
            return redirect("missions:detail", pk=mission.pk)
    return render(request, "missions/mission_form.html", {"form": form, "mission": mission})


def _action(
    request: HttpRequest, pk: int, run: Callable[[Mission], Mission], done: str
) -> HttpResponse:
    mission = _managed_mission(request, pk)
    try:
        result = run(mission)
    except MissionInvalid as exc:
        problems = [m for msgs in exc.details.values() for m in msgs]
        messages.error(request, " ".join([exc.message, *problems]))
        return redirect("missions:detail", pk=mission.pk)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("missions:detail", pk=mission.pk)
    messages.success(request, done)
    return redirect("missions:detail", pk=result.pk)


@login_required
@require_POST
def mission_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request, pk,
        lambda m: services.mission_publish(mission=m, actor=request.user, today=timezone.localdate()),
        _("The mission is published."),
    )


@login_required
@require_POST
def mission_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request, pk, lambda m: services.mission_close(mission=m, actor=request.user),
        _("The mission is closed."),
    )


@login_required
@require_POST
def mission_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    reason = request.POST.get("reason", "")[:1000]
    return _action(
        request, pk,
        lambda m: services.mission_cancel(mission=m, actor=request.user, reason=reason),
        _("The mission is cancelled."),
    )


@login_required
@require_POST
def mission_duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request, pk, lambda m: services.mission_duplicate(mission=m, actor=request.user),
        _("This is a draft copy: check its dates, then publish it."),
    )

