"""`/api/v1/agreements` and `/api/v1/programmes`: read, create and change agreements and
programmes, with the services and rules of the pages (agreements/services.py)."""

import dataclasses
from datetime import date
from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from reciprocity.accounts.api_auth import SIGNED_IN
from reciprocity.agreements import services
from reciprocity.agreements.models import Agreement, Programme
from reciprocity.agreements.selectors import agreement_list, programmes_visible_to
from reciprocity.core.api_errors import ErrorOut
from reciprocity.core.api_types import Day, Input, LongText, ShortText
from reciprocity.core.bounds import Id
from reciprocity.core.exceptions import NotAllowed
from reciprocity.core.pagination import bounded_pagination
from reciprocity.core.validation import InvalidData
from reciprocity.partners.models import Organisation
from reciprocity.schemes.models import Scheme

router = Router(tags=["agreements"], auth=SIGNED_IN)
programmes = Router(tags=["programmes"], auth=SIGNED_IN)

READ_ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {
    400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut,
}
# The models' choices, spelt out for the schema (a test keeps them equal).
StatusCode = Literal["draft", "active", "suspended", "ended"]
UnitCode = Literal["volunteers", "volunteer_months"]
Quota = Annotated[int, Field(ge=0, le=1_000_000)]
SchemeCodes = Annotated[list[Annotated[ShortText, Field(max_length=20)]],
                        Field(min_length=1, max_length=20)]
Slug60 = Annotated[ShortText, Field(max_length=60)]
Slug40 = Annotated[ShortText, Field(max_length=40)]
Title = Annotated[ShortText, Field(max_length=200)]


class AgreementOut(Schema):
    id: int
    reference: str
    title: str
    party_a_id: int
    party_b_id: int
    schemes: list[str]
    programme_id: int | None
    start_date: date
    end_date: date
    quota_a_to_b: int
    quota_b_to_a: int
    unit: str
    tolerance: int
    tolerance_strict: bool
    status: str

    @staticmethod
    def resolve_schemes(obj: Agreement) -> list[str]:
        return sorted(s.code for s in obj.schemes.all())


class AgreementIn(Input):
    reference: Slug60 = Field(..., description="Unique; letters, digits, - and _.")
    title: Title
    party_a_id: Id
    party_b_id: Id
    schemes: SchemeCodes
    programme_id: Id | None = None
    start_date: Day
    end_date: Day
    quota_a_to_b: Quota = Field(..., description="Yearly, sent by A and hosted by B.")
    quota_b_to_a: Quota = Field(..., description="Yearly, sent by B and hosted by A.")
    unit: UnitCode = "volunteers"
    tolerance: Quota = Field(..., description="Largest accepted gap between the directions.")
    tolerance_strict: bool = Field(False, description="Refuse confirmations beyond it.")
    status: StatusCode = "draft"


class AgreementPatch(Input):
    """Only the fields given change (`programme_id: null` detaches the programme)."""

    reference: Slug60 | None = None
    title: Title | None = None
    party_a_id: Id | None = None
    party_b_id: Id | None = None
    schemes: SchemeCodes | None = None
    programme_id: Id | None = None
    start_date: Day | None = None
    end_date: Day | None = None
    quota_a_to_b: Quota | None = None
    quota_b_to_a: Quota | None = None
    unit: UnitCode | None = None
    tolerance: Quota | None = None
    tolerance_strict: bool | None = None
    status: StatusCode | None = None


class ProgrammeOut(Schema):
    id: int
    code: str
    name: str
    description: str
    coordinator_id: int
    countries: list[str]
    schemes: list[str]
    start_date: date
    end_date: date | None

    @staticmethod
    def resolve_schemes(obj: Programme) -> list[str]:
        return sorted(s.code for s in obj.schemes.all())


class ProgrammeIn(Input):
    code: Slug40 = Field(..., description="Unique; letters, digits, - and _.")
    name: Title
    description: LongText = ""
    coordinator_id: Id = Field(..., description="One of the caller's coordinators (staff: any).")
    countries: list[Annotated[ShortText, Field(max_length=2)]] = Field([], max_length=300)
    schemes: list[Annotated[ShortText, Field(max_length=20)]] = Field([], max_length=20)
    start_date: Day
    end_date: Day | None = None


class ProgrammePatch(Input):
    code: Slug40 | None = None
    name: Title | None = None
    description: LongText | None = None
    coordinator_id: Id | None = None
    countries: list[Annotated[ShortText, Field(max_length=2)]] | None = Field(None, max_length=300)
    schemes: list[Annotated[ShortText, Field(max_length=20)]] | None = Field(None, max_length=20)
    start_date: Day | None = None
    end_date: Day | None = None


def _schemes(codes: list[str]) -> tuple[Scheme, ...]:
    found = {s.code: s for s in Scheme.objects.filter(pk__in=codes)}
    unknown = [code for code in codes if code not in found]
    if unknown:
        raise InvalidData({"schemes": [_("Unknown schemes: %(codes)s.") % {
            "codes": ", ".join(unknown)}]})
    return tuple(found[code] for code in dict.fromkeys(codes))


def _organisation(field: str, pk: int) -> Organisation:
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None:
        raise InvalidData({field: [_("No organisation has this id.")]})
    return organisation


def _programme(pk: int | None) -> Programme | None:
    if pk is None:
        return None
    programme = Programme.objects.filter(pk=pk).first()
    if programme is None:
        raise InvalidData({"programme_id": [_("No programme has this id.")]})
    return programme


def _given(payload: Input) -> dict[str, Any]:
    return {name: getattr(payload, name) for name in payload.model_fields_set}


def _agreement_changes(given: dict[str, Any]) -> dict[str, Any]:
    """Body fields as AgreementData fields (ids resolved to rows)."""
    changes = {k: v for k, v in given.items()
               if k not in {"party_a_id", "party_b_id", "programme_id", "schemes"}
               and v is not None}
    for side in ("party_a", "party_b"):
        if given.get(f"{side}_id") is not None:
            changes[side] = _organisation(f"{side}_id", given[f"{side}_id"])
    if "programme_id" in given:
        changes["programme"] = _programme(given["programme_id"])
    if given.get("schemes") is not None:
        changes["schemes"] = _schemes(given["schemes"])
    return changes


@router.get("", response={200: list[AgreementOut], 401: ErrorOut, 422: ErrorOut})
@paginate(bounded_pagination(default=100))
def list_agreements(request: HttpRequest) -> QuerySet[Agreement]:
    """Agreements the caller may see: staff all; members those of their organisations and, for
    coordinators, of their network."""
    return agreement_list(user=request.user, today=timezone.localdate())


@router.get("/{agreement_id}", response={200: AgreementOut, **READ_ERRORS})
def get_agreement(request: HttpRequest, agreement_id: Path[Id]) -> Agreement:
    return get_object_or_404(agreement_list(user=request.user, today=timezone.localdate()),
                             pk=agreement_id)


@router.post("", response={201: AgreementOut, **WRITE_ERRORS})
def create_agreement(request: HttpRequest, payload: AgreementIn) -> tuple[int, Agreement]:
    """Create an agreement: platform staff, and administrators or officers of a coordinator
    when one party is their coordinator or in its network. Every database rule is refused
    first, as 400 `invalid_input` with messages by field in `details`."""
    data = services.AgreementData(**_agreement_changes(payload.model_dump()))
    agreement = services.agreement_create(by=request.user, data=data,
                                          today=timezone.localdate())
    return 201, agreement


@router.patch("/{agreement_id}", response={200: AgreementOut, **WRITE_ERRORS})
def update_agreement(request: HttpRequest, agreement_id: Path[Id],
                     payload: AgreementPatch) -> Agreement:
    """Change an agreement (quotas, tolerance, status, dates, parties within reach)."""
    today = timezone.localdate()
    agreement = get_object_or_404(agreement_list(user=request.user, today=today),
                                  pk=agreement_id)
    if not services.can_manage_agreement(request.user, agreement, today=today):
        raise NotAllowed(_("Only platform staff and the coordinators of one of its parties can "
                           "write this agreement."))
    data = dataclasses.replace(services.AgreementData.of(agreement),
                               **_agreement_changes(_given(payload)))
    return services.agreement_update(by=request.user, agreement=agreement, data=data,
                                     today=today)


# --- programmes -------------------------------------------------------------------------------

def _programme_changes(given: dict[str, Any]) -> dict[str, Any]:
    changes = {k: v for k, v in given.items()
               if k not in {"coordinator_id", "schemes", "countries", "end_date"}
               and v is not None}
    if given.get("coordinator_id") is not None:
        changes["coordinator"] = _organisation("coordinator_id", given["coordinator_id"])
    if given.get("schemes") is not None:
        changes["schemes"] = _schemes(given["schemes"])
    if given.get("countries") is not None:
        changes["countries"] = tuple(given["countries"])
    if "end_date" in given:
        changes["end_date"] = given["end_date"]
    return changes


@programmes.get("", response={200: list[ProgrammeOut], 401: ErrorOut, 422: ErrorOut})
@paginate(bounded_pagination(default=100))
def list_programmes(request: HttpRequest) -> QuerySet[Programme]:
    """Programmes: public facts of the network for its members and staff."""
    return programmes_visible_to(request.user)


@programmes.post("", response={201: ProgrammeOut, **WRITE_ERRORS})
def create_programme(request: HttpRequest, payload: ProgrammeIn) -> tuple[int, Programme]:
    """Create a programme: platform staff, and administrators or officers of its coordinator."""
    programme = services.programme_create(
        by=request.user, data=services.ProgrammeData(**_programme_changes(payload.model_dump())))
    return 201, programme


@programmes.patch("/{programme_id}", response={200: ProgrammeOut, **WRITE_ERRORS})
def update_programme(request: HttpRequest, programme_id: Path[Id],
                     payload: ProgrammePatch) -> Programme:
    """Change a programme (`end_date: null`: open-ended)."""
    programme = get_object_or_404(programmes_visible_to(request.user), pk=programme_id)
    if not services.can_manage_programme(request.user, programme):
        raise NotAllowed(_("Only platform staff and the programme's coordinator can write it."))
    data = dataclasses.replace(services.ProgrammeData.of(programme),
                               **_programme_changes(_given(payload)))
    return services.programme_update(by=request.user, programme=programme, data=data)
