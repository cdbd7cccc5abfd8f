from datetime import date

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from reciprocity.core.api_auth import PUBLIC
from reciprocity.core.api_errors import ErrorOut
from reciprocity.missions.models import Mission
from reciprocity.missions.selectors import mission_list, missions_visible_to, with_places_left

router = Router(tags=["missions"], auth=PUBLIC)


class MissionOut(Schema):
    id: int
    title: str
    host_id: int
    host_name: str
    scheme: str
    programme: str | None
    theme: str
    country: str
    city: str
    start_date: date
    end_date: date
    capacity: int
    places_left: int
    weekly_hours: int | None
    languages: list[str]
    age_min: int | None
    age_max: int | None
    max_per_nationality: int | None
    gender_tolerance: int | None
    status: str

    @staticmethod
    def resolve_country(obj: Mission) -> str:
        return obj.country.code

    @staticmethod
    def resolve_scheme(obj: Mission) -> str:
        return obj.scheme_id

    @staticmethod
    def resolve_host_name(obj: Mission) -> str:
        return obj.host.name

    @staticmethod
    def resolve_programme(obj: Mission) -> str | None:
        return obj.programme.code if obj.programme_id else None


class MissionDetailOut(MissionOut):
    description: str


class MissionFilters(Schema):
    scheme: str = ""
    country: str = ""
    q: str = ""


@router.get("", response={200: list[MissionOut], 422: ErrorOut})
@paginate(LimitOffsetPagination)
def list_missions(request: HttpRequest, filters: Query[MissionFilters]):  # type: ignore[no-untyped-def]
    return mission_list(
        user=request.user, scheme=filters.scheme, country=filters.country[:2], search=filters.q
    ).select_related("programme")


@router.get("/{mission_id}", response={200: MissionDetailOut, 404: ErrorOut, 422: ErrorOut})
def get_mission(request: HttpRequest, mission_id: int):  # type: ignore[no-untyped-def]
    qs = with_places_left(missions_visible_to(request.user)).select_related("host", "programme")
    return get_object_or_404(qs, pk=mission_id)
