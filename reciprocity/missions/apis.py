"""`/api/v1/missions`: the public catalogue, and the hosts' mission management."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from reciprocity.accounts.api_auth import PUBLIC, PUBLIC_OPENAPI, SIGNED_IN
from reciprocity.core.api_errors import ErrorOut
from reciprocity.core.api_types import Day, Input
from reciprocity.core.bounds import Id
from reciprocity.core.countries import country_code
from reciprocity.core.exceptions import NotAllowed
from reciprocity.core.pagination import bounded_pagination
from reciprocity.missions import services
from reciprocity.missions.exceptions import MissionInvalid
from reciprocity.missions.forms import CatalogueFilterForm
from reciprocity.missions.models import Mission, MissionStatus
from reciprocity.missions.permissions import can_manage_mission
from reciprocity.missions.selectors import (
    mission_catalogue,
    mission_get_visible,
    missions_managed_by,
)
from reciprocity.partners.models import Organisation

router = Router(tags=["missions"], auth=PUBLIC)

Pagination = bounded_pagination(default=25, maximum=200)


class MissionOut(Schema):
    id: int
    title: str
    reference: str
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
        return country_code(obj.country)

    @staticmethod
    def resolve_scheme(obj: Mission) -> str:
        return obj.scheme_id

    @staticmethod
    def resolve_host_name(obj: Mission) -> str:
        return obj.host.name

    @staticmethod
    def resolve_programme(obj: Mission) -> str | None:
        return obj.programme.code if obj.programme else None


class MissionDetailOut(MissionOut):
    description: str


class MissionFilters(Schema):
    q: str = Field("", description="Words in the title, city, host name, or the reference.")
    scheme: str = Field("", description="Scheme code, such as service_civique.")
    country: str = Field("", description="ISO 3166-1 alpha-2 code of the host country.")
    theme: str = ""
    language: str = Field("", description="ISO 639-1 code of a language of the mission.")
    programme: str = Field("", description="Programme code.")
    date_from: str = Field("", description="YYYY-MM-DD: missions still running on or after it.")
    date_to: str = Field("", description="YYYY-MM-DD: missions starting on or before it.")
    starts_within: bool = Field(False, description="Only missions starting within the dates.")
    places: bool = Field(False, description="Only missions with places left.")


class MissionIn(Input):
    host_id: Id
    scheme: str = Field(..., max_length=20)
    title: str = Field(..., max_length=200)
    theme: str = Field(..., max_length=30)
    country: str = Field(..., max_length=2)
    city: str = Field(..., max_length=100)
    start_date: Day
    end_date: Day
    capacity: int
    description: str = Field("", max_length=20_000)
    reference: str = Field("", max_length=40)
    programme: str = Field("", max_length=40, description="Programme code, or empty.")
    weekly_hours: int | None = None
    languages: list[str] = Field(default_factory=list, max_length=20)
    age_min: int | None = None
    age_max: int | None = None
    max_per_nationality: int | None = None
    gender_tolerance: int | None = None


class MissionPatch(Input):
    """Only the fields given change."""

    scheme: str | None = Field(None, max_length=20)
    title: str | None = Field(None, max_length=200)
    theme: str | None = Field(None, max_length=30)
    country: str | None = Field(None, max_length=2)
    city: str | None = Field(None, max_length=100)
    start_date: Day | None = None
    end_date: Day | None = None
    capacity: int | None = None
    description: str | None = Field(None, max_length=20_000)
    reference: str | None = Field(None, max_length=40)
    programme: str | None = Field(None, max_length=40)
    weekly_hours: int | None = None
    languages: list[str] | None = Field(None, max_length=20)
    age_min: int | None = None
    age_max: int | None = None
    max_per_nationality: int | None = None
    gender_tolerance: int | None = None


class CancelIn(Input):
    reason: str = Field(..., max_length=1000)


# Body field names that differ from MissionData's.
RENAMED = {"scheme": "scheme_code", "programme": "programme_code"}
# Fields that may not be null even in a partial update.
REQUIRED = {"scheme_code", "title", "theme", "country", "city", "start_date", "end_date",
            "capacity", "description", "reference", "programme_code", "languages"}

READ_ERRORS: dict[int, type[Schema]] = {404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut,
}


def _managed(request: HttpRequest, mission_id: int) -> Mission:
    """The mission if the caller may change it: 404 if they cannot see it, 403 if read-only."""
    mission = mission_get_visible(user=request.user, pk=mission_id)
    if mission is None:
        raise Http404
    if not can_manage_mission(request.user, mission):
        raise NotAllowed(_("Only the host organisation's officers may change this mission."))
    return mission


def _detail(mission_id: int, request: HttpRequest) -> Mission:
    """Re-read with places left, after a write."""
    mission = mission_get_visible(user=request.user, pk=mission_id)
    assert mission is not None  # the caller has just written it
    return mission


@router.get("", response={200: list[MissionOut], 422: ErrorOut}, openapi_extra=PUBLIC_OPENAPI,
            summary="Published missions, with the catalogue's filters")
@paginate(Pagination)
def list_missions(request: HttpRequest, filters: Query[MissionFilters]) -> Any:
    raw: dict[str, Any] = filters.dict()
    raw["starts_within"] = "on" if raw["starts_within"] else ""
    raw["places"] = "on" if raw["places"] else ""
    form = CatalogueFilterForm(raw)
    if not form.is_valid():
        raise DjangoValidationError(
            {name: [e["message"] for e in errors]
             for name, errors in form.errors.get_json_data().items()}
        )
    return mission_catalogue(filters=form.filters())


@router.get("/mine", auth=SIGNED_IN,
            response={200: list[MissionOut], 401: ErrorOut, 422: ErrorOut},
            summary="Missions of the caller's organisations, every status")
@paginate(Pagination)
def list_my_missions(request: HttpRequest, status: MissionStatus | None = None) -> Any:
    return missions_managed_by(user=request.user, status=status or "").select_related("programme")


@router.get("/{mission_id}", response={200: MissionDetailOut, **READ_ERRORS},
            openapi_extra=PUBLIC_OPENAPI,
            summary="One mission (published, or of the caller's organisations)")
def get_mission(request: HttpRequest, mission_id: Path[Id]) -> Any:
    mission = mission_get_visible(user=request.user, pk=mission_id)
    if mission is None:
        raise Http404
    return mission


@router.post("", auth=SIGNED_IN, response={201: MissionDetailOut, **WRITE_ERRORS},
             summary="Create a draft mission for a host organisation")
def create_mission(request: HttpRequest, body: MissionIn) -> Any:
    values = body.model_dump()
    host = Organisation.objects.filter(pk=values.pop("host_id")).first()
    if host is None:
        raise MissionInvalid(
            _("The mission is not valid."),
            details={"host_id": [_("There is no organisation with this id.")]},
        )
    data = services.MissionData(**{RENAMED.get(k, k): v for k, v in values.items()})
    mission = services.mission_create(
        actor=request.user, host=host, data=data, today=timezone.localdate()
    )
    return 201, _detail(mission.pk, request)


@router.patch("/{mission_id}", auth=SIGNED_IN, response={200: MissionDetailOut, **WRITE_ERRORS},
              summary="Change a draft or published mission (only the fields given)")
def update_mission(request: HttpRequest, mission_id: Path[Id], body: MissionPatch) -> Any:
    mission = _managed(request, mission_id)
    changes = {RENAMED.get(k, k): v for k, v in body.model_dump(exclude_unset=True).items()}
    nulls = sorted(k for k, v in changes.items() if v is None and k in REQUIRED)
    if nulls:
        raise MissionInvalid(
            _("The mission is not valid."),
            details={name: [_("This field cannot be null.")] for name in nulls},
        )
    data = services.MissionData.from_mission(mission).replace(**changes)
    services.mission_update(mission=mission, actor=request.user, data=data,
                            today=timezone.localdate())
    return _detail(mission.pk, request)


@router.post("/{mission_id}/publish", auth=SIGNED_IN,
             response={200: MissionDetailOut, **WRITE_ERRORS}, summary="Publish a draft")
def publish_mission(request: HttpRequest, mission_id: Path[Id]) -> Any:
    mission = _managed(request, mission_id)
    services.mission_publish(mission=mission, actor=request.user, today=timezone.localdate())
    return _detail(mission.pk, request)


@router.post("/{mission_id}/close", auth=SIGNED_IN,
             response={200: MissionDetailOut, **WRITE_ERRORS},
             summary="Close a published mission to new applications")
def close_mission(request: HttpRequest, mission_id: Path[Id]) -> Any:
    mission = _managed(request, mission_id)
    services.mission_close(mission=mission, actor=request.user)
    return _detail(mission.pk, request)


@router.post("/{mission_id}/cancel", auth=SIGNED_IN,
             response={200: MissionDetailOut, **WRITE_ERRORS},
             summary="Cancel a draft or published mission nobody holds a place in")
def cancel_mission(request: HttpRequest, mission_id: Path[Id], body: CancelIn) -> Any:
    mission = _managed(request, mission_id)
    services.mission_cancel(mission=mission, actor=request.user, reason=body.reason)
    return _detail(mission.pk, request)


@router.post("/{mission_id}/duplicate", auth=SIGNED_IN,
             response={201: MissionDetailOut, **WRITE_ERRORS},
             summary="Copy a mission into a new draft")
def duplicate_mission(request: HttpRequest, mission_id: Path[Id]) -> Any:
    mission = _managed(request, mission_id)
    copy = services.mission_duplicate(mission=mission, actor=request.user)
    return 201, _detail(copy.pk, request)

