"""Reads of missions: anyone sees published missions; members also see their own drafts."""

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Count,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Greatest

from reciprocity.accounts.selectors import AnyUser, is_platform_staff, member_organisation_ids
from reciprocity.missions.models import Mission, MissionStatus, MissionStatusChange
from reciprocity.missions.places import places_taken_expression
from reciprocity.schemes.models import SchemeSuspension


def missions_visible_to(user: AnyUser) -> QuerySet[Mission]:
    if is_platform_staff(user):
        return Mission.objects.all()
    orgs = member_organisation_ids(user)
    return Mission.objects.filter(Q(status=MissionStatus.PUBLISHED) | Q(host_id__in=orgs))


def with_places_left(qs: QuerySet[Mission]) -> QuerySet[Mission]:
    """Annotate `taken` and `places_left` in one query (no per-row count); the places taken
    are placements' subquery, asked through missions/places.py."""
    return qs.annotate(taken=places_taken_expression()).annotate(
        places_left=Greatest(F("capacity") - F("taken"), Value(0))
    )


def mission_list(
    *, user: AnyUser, scheme: str = "", country: str = "", search: str = ""
) -> QuerySet[Mission]:
    qs = missions_visible_to(user).select_related("host", "scheme")
    if scheme:
        qs = qs.filter(scheme_id=scheme)
    if country:
        qs = qs.filter(country=country.upper())
    if search:
        qs = qs.filter(Q(title__icontains=search) | Q(city__icontains=search))
    return with_places_left(qs).order_by("start_date", "id")


@dataclass(frozen=True)
class CatalogueFilters:
    """Already-validated catalogue filters; empty values mean "any"."""

    q: str = ""
    scheme: str = ""
    country: str = ""
    theme: str = ""
    language: str = ""
    programme: str = ""
    date_from: date | None = None
    date_to: date | None = None
    # False: the mission overlaps the period; True: it starts within the period.
    starts_within: bool = False
    with_places: bool = False
    # One of CATALOGUE_SORTS; "" is the start date.
    sort: str = ""


# The catalogue's orders: each ends with a unique key so pages never overlap or skip a mission.
CATALOGUE_SORTS: dict[str, tuple[str, ...]] = {
    "": ("start_date", "id"),
    "places": ("-places_left", "start_date", "id"),
    "newest": ("-created_at", "-id"),
}


def mission_catalogue(*, filters: CatalogueFilters) -> QuerySet[Mission]:
    """Published missions matching `filters`, with places left, in one query per page, in the
    order `filters.sort` names (an unknown one reads as the start date)."""
    qs = _catalogue_matching(filters)
    return qs.order_by(*CATALOGUE_SORTS.get(filters.sort, CATALOGUE_SORTS[""]))


def mission_catalogue_by_country(*, filters: CatalogueFilters) -> list[tuple[str, int, int]]:
    """(country code, missions, places left) of the published missions matching `filters`, most
    missions first: the catalogue's map and its table, in one query."""
    rows = (
        _catalogue_matching(filters).order_by().values("country")
        .annotate(missions=Count("id", distinct=True), places=Sum("places_left"))
        .order_by("-missions", "country")
    )
    return [(str(r["country"]), int(r["missions"]), int(r["places"] or 0)) for r in rows]


def _catalogue_matching(filters: CatalogueFilters) -> QuerySet[Mission]:
    qs: QuerySet[Mission] = Mission.objects.published().select_related(
        "host", "scheme", "programme"
    )
    if filters.q:
        qs = qs.filter(
            Q(title__icontains=filters.q) | Q(city__icontains=filters.q)
            | Q(host__name__icontains=filters.q) | Q(reference__iexact=filters.q)
        )
    if filters.scheme:
        qs = qs.filter(scheme_id=filters.scheme)
    if filters.country:
        qs = qs.filter(country=filters.country.upper())
    if filters.theme:
        qs = qs.filter(theme=filters.theme)
    if filters.programme:
        qs = qs.filter(programme__code=filters.programme)
    if filters.language:
        # `languages` is a JSON list of codes; matching the quoted code in its text form works
        # on SQLite and PostgreSQL alike (JSON containment is PostgreSQL-only).
        qs = qs.filter(languages__icontains=f'"{filters.language.lower()}"')
    if filters.starts_within:
        if filters.date_from:
            qs = qs.filter(start_date__gte=filters.date_from)
        if filters.date_to:
            qs = qs.filter(start_date__lte=filters.date_to)
    else:
        if filters.date_from:
            qs = qs.filter(end_date__gte=filters.date_from)
        if filters.date_to:
            qs = qs.filter(start_date__lte=filters.date_to)
    qs = with_places_left(qs)
    if filters.with_places:
        # A Q: the django-stubs plugin checks keyword lookups against the model's fields,
        # and places_left is an annotation (with_places_left).
        qs = qs.filter(Q(places_left__gt=0))
    return qs


def mission_get_visible(*, user: AnyUser, pk: int) -> Mission | None:
    """One mission the user may see (published, their organisation's, or any for staff)."""
    qs = with_places_left(missions_visible_to(user)).select_related("host", "scheme", "programme")
    return qs.filter(pk=pk).first()


def missions_managed_by(*, user: AnyUser, status: str = "") -> QuerySet[Mission]:
    """Missions of every status that `user` may change: their host organisations', or all for
    staff. Viewers get the missions of their organisations too, read-only."""
    qs: QuerySet[Mission]
    if is_platform_staff(user):
        qs = Mission.objects.all()
    else:
        qs = Mission.objects.filter(host_id__in=member_organisation_ids(user))
    if status:
        qs = qs.filter(status=status)
    return with_places_left(qs.select_related("host", "scheme")).order_by("-start_date", "-id")


def mission_history(*, mission: Mission) -> QuerySet[MissionStatusChange]:
    return mission.status_changes.select_related("actor").order_by("occurred_at", "id")


def mission_scheme_suspension(*, mission: Mission) -> SchemeSuspension | None:
    """The suspension of the mission's scheme in force on its start date, if any."""
    suspension = (
        SchemeSuspension.objects.filter(scheme_id=mission.scheme_id, start__lte=mission.start_date)
        .order_by("-start")
        .first()
    )
    return suspension if suspension is not None and suspension.covers(mission.start_date) else None
