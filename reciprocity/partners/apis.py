import dataclasses
from datetime import date
from typing import Annotated, Any, Literal

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field as PydanticField

from reciprocity.accounts.api_auth import SIGNED_IN
from reciprocity.core.api_errors import ErrorOut
from reciprocity.core.api_types import Day, Input, LongText, ShortText
from reciprocity.core.bounds import Id
from reciprocity.core.exceptions import NotAllowed
from reciprocity.core.pagination import bounded_pagination
from reciprocity.core.validation import InvalidData
from reciprocity.partners import services
from reciprocity.partners.models import (
    Accreditation,
    Affiliation,
    Organisation,
)
from reciprocity.partners.permissions import can_edit_contacts, can_manage_organisation
from reciprocity.partners.selectors import organisation_list, organisations_visible_to
from reciprocity.schemes.models import Scheme

router = Router(tags=["organisations"], auth=SIGNED_IN)


class AccreditationOut(Schema):
    id: int
    scheme: str
    kind: str
    number: str
    authorised_volunteers: int
    valid_from: date
    valid_to: date
    issuer: str

    @staticmethod
    def resolve_scheme(obj: Accreditation) -> str:
        return obj.scheme_id


class OrganisationOut(Schema):
    id: int
    name: str
    acronym: str
    country: str
    city: str
    legal_form: str
    kinds: list[str]
    website: str

    @staticmethod
    def resolve_country(obj: Organisation) -> str:
        return str(obj.country)


class AffiliationOut(Schema):
    id: int
    member_id: int
    parent_id: int
    kind: str
    valid_from: date
    valid_to: date | None


class OrganisationDetailOut(OrganisationOut):
    is_coordinator: bool
    is_national_agency: bool
    is_host: bool
    is_sending: bool
    is_intermediary: bool
    contact_name: str
    email: str
    phone: str
    address: str
    exchange_code: str | None
    time_zone: str
    accreditations: list[AccreditationOut]
    affiliations: list[AffiliationOut] = Field(
        ..., description="Where the organisation is the member or the parent (`belongs to`).")

    @staticmethod
    def resolve_accreditations(obj: Organisation) -> list:
        return list(obj.accreditations.order_by("pk"))

    @staticmethod
    def resolve_affiliations(obj: Organisation) -> list:
        return list(Affiliation.objects.filter(Q(member=obj) | Q(parent=obj)).order_by("pk"))


class OrganisationFilters(Schema):
    country: str = ""
    q: str = ""


@router.get("", response={200: list[OrganisationOut], 401: ErrorOut, 422: ErrorOut})
@paginate(bounded_pagination(default=100))
def list_organisations(request: HttpRequest,
                       filters: Query[OrganisationFilters]) -> QuerySet[Organisation]:
    return organisation_list(user=request.user, country=filters.country[:2], search=filters.q)


@router.get("/{organisation_id}", response={200: OrganisationDetailOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def get_organisation(request: HttpRequest, organisation_id: Path[Id]) -> Organisation:
    return get_object_or_404(
        organisations_visible_to(request.user).prefetch_related("accreditations"), pk=organisation_id
    )


# --- running the network (docs/accounts.md): the services of the pages, the same rules ------

WRITE_ERRORS: dict[int, Any] = {
    400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut,
}
Text200 = Annotated[ShortText, Field(max_length=200)]
Text150 = Annotated[ShortText, Field(max_length=150)]
Text100 = Annotated[ShortText, Field(max_length=100)]
Text60 = Annotated[ShortText, Field(max_length=60)]
Text40 = Annotated[ShortText, Field(max_length=40)]
Text30 = Annotated[ShortText, Field(max_length=30)]
Text20 = Annotated[ShortText, Field(max_length=20)]
CountryCode = Annotated[ShortText, Field(min_length=2, max_length=2, description="ISO 3166-1")]
# The models' choices, spelt out for the schema (a test keeps them equal).
LegalFormCode = Literal["association", "foundation", "public_body", "gip", "national_agency",
                        "international", "local_authority", "other"]
AccreditationKindCode = Literal["individual", "collective", "intermediation"]
AffiliationKindCode = Literal["network_member", "hosted_under_accreditation"]
Count = Annotated[int, PydanticField(ge=0, le=1_000_000)]


class OrganisationIn(Input):
    name: Text200
    country: CountryCode
    acronym: Text30 = ""
    city: Text100 = ""
    legal_form: LegalFormCode = "association"
    is_coordinator: bool = PydanticField(False, description="Platform staff only.")
    is_national_agency: bool = False
    is_host: bool = False
    is_sending: bool = False
    is_intermediary: bool = False
    contact_name: Text150 = ""
    email: Text150 = ""
    phone: Text40 = ""
    website: Text200 = ""
    address: LongText = ""
    exchange_code: Text20 = PydanticField("", description="Empty: none.")
    time_zone: Text40 = PydanticField(
        "", description="IANA name, e.g. Africa/Abidjan; empty: the platform's time zone.")
    network_id: Id | None = PydanticField(
        None, description="The coordinator whose network the organisation joins from today: "
        "required unless the caller is platform staff; one of the caller's coordinators.")


class OrganisationPatch(Input):
    """Only the fields given change. An organisation's own administrator may change the contact
    fields (contact_name, email, phone, website, address) and the time zone only."""

    name: Text200 | None = None
    country: CountryCode | None = None
    acronym: Text30 | None = None
    city: Text100 | None = None
    legal_form: LegalFormCode | None = None
    is_coordinator: bool | None = None
    is_national_agency: bool | None = None
    is_host: bool | None = None
    is_sending: bool | None = None
    is_intermediary: bool | None = None
    contact_name: Text150 | None = None
    email: Text150 | None = None
    phone: Text40 | None = None
    website: Text200 | None = None
    address: LongText | None = None
    exchange_code: Text20 | None = None
    time_zone: Text40 | None = PydanticField(
        None, description="IANA name, e.g. Africa/Abidjan; empty: the platform's time zone.")


class AccreditationIn(Input):
    scheme: Text20 = PydanticField(..., description="A scheme code, e.g. service_civique.")
    kind: AccreditationKindCode
    number: Text60
    authorised_volunteers: Count
    valid_from: Day
    valid_to: Day
    issuer: Text150


class AccreditationPatch(Input):
    scheme: Text20 | None = None
    kind: AccreditationKindCode | None = None
    number: Text60 | None = None
    authorised_volunteers: Count | None = None
    valid_from: Day | None = None
    valid_to: Day | None = None
    issuer: Text150 | None = None


class AffiliationIn(Input):
    parent_id: Id = PydanticField(..., description="The organisation it belongs to.")
    kind: AffiliationKindCode
    valid_from: Day
    valid_to: Day | None = None


class AffiliationPatch(Input):
    kind: AffiliationKindCode | None = None
    valid_from: Day | None = None
    valid_to: Day | None = PydanticField(None, description="null: while it lasts.")


class AffiliationEndIn(Input):
    on: Day = PydanticField(..., description="The affiliation's last day.")


def _given(payload: Input) -> dict[str, Any]:
    return {name: getattr(payload, name) for name in payload.model_fields_set}


def _refused_field(field: str, message: str) -> InvalidData:
    return InvalidData({field: [message]})


def _scheme(code: str) -> Scheme:
    scheme = Scheme.objects.filter(pk=code).first()
    if scheme is None:
        raise _refused_field("scheme", _("Unknown scheme: %(code)s.") % {"code": code})
    return scheme


def _other_organisation(field: str, pk: int) -> Organisation:
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None:
        raise _refused_field(field, _("No organisation has this id."))
    return organisation


@router.post("", response={201: OrganisationDetailOut, **WRITE_ERRORS})
def create_organisation(request: HttpRequest, payload: OrganisationIn) -> tuple[int, Organisation]:
    """Create an organisation: platform staff, and administrators or officers of a coordinator
    (the organisation then joins that coordinator's network, `network_id`). Every database
    rule is refused first, as 400 `invalid_input` with messages by field in `details`."""
    values = payload.model_dump(exclude={"network_id"})
    network = (_other_organisation("network_id", payload.network_id)
               if payload.network_id is not None else None)
    organisation = services.organisation_create(
        by=request.user, data=services.OrganisationData(**values), network=network,
        today=timezone.localdate())
    return 201, organisation


@router.patch("/{organisation_id}", response={200: OrganisationDetailOut, **WRITE_ERRORS})
def update_organisation(request: HttpRequest, organisation_id: Path[Id],
                        payload: OrganisationPatch) -> Organisation:
    """Change an organisation: its coordinators and staff every field (`is_coordinator`: staff
    only), its own administrators the contact fields."""
    organisation = get_object_or_404(organisations_visible_to(request.user), pk=organisation_id)
    today = timezone.localdate()
    if not can_edit_contacts(request.user, organisation, today=today):
        raise NotAllowed(_("Only platform staff, the coordinators of its network and its own "
                           "administrators can change this organisation."))
    changes = {k: v for k, v in _given(payload).items() if v is not None}
    data = dataclasses.replace(services.OrganisationData.of(organisation), **changes)
    return services.organisation_update(by=request.user, organisation=organisation, data=data,
                                        today=today)


def _managed(request: HttpRequest, organisation_id: int) -> Organisation:
    organisation = get_object_or_404(organisations_visible_to(request.user), pk=organisation_id)
    if not can_manage_organisation(request.user, organisation, today=timezone.localdate()):
        raise NotAllowed(_("Only platform staff and the coordinators of its network can change "
                           "this organisation."))
    return organisation


@router.post("/{organisation_id}/accreditations",
             response={201: AccreditationOut, **WRITE_ERRORS})
def create_accreditation(request: HttpRequest, organisation_id: Path[Id],
                         payload: AccreditationIn) -> tuple[int, Accreditation]:
    """Record an accreditation (agrément): the organisation's coordinators and staff. The
    number is unique per scheme; the validity may not end before it starts."""
    organisation = _managed(request, organisation_id)
    values = payload.model_dump() | {"scheme": _scheme(payload.scheme)}
    accreditation = services.accreditation_create(
        by=request.user, organisation=organisation,
        data=services.AccreditationData(**values), today=timezone.localdate())
    return 201, accreditation


@router.patch("/{organisation_id}/accreditations/{accreditation_id}",
              response={200: AccreditationOut, **WRITE_ERRORS})
def update_accreditation(request: HttpRequest, organisation_id: Path[Id],
                         accreditation_id: Path[Id], payload: AccreditationPatch) -> Accreditation:
    organisation = _managed(request, organisation_id)
    accreditation = get_object_or_404(Accreditation, pk=accreditation_id,
                                      organisation=organisation)
    changes = {k: v for k, v in _given(payload).items() if v is not None}
    if "scheme" in changes:
        changes["scheme"] = _scheme(changes["scheme"])
    data = dataclasses.replace(services.AccreditationData.of(accreditation), **changes)
    return services.accreditation_update(by=request.user, accreditation=accreditation, data=data,
                                         today=timezone.localdate())


@router.post("/{organisation_id}/affiliations", response={201: AffiliationOut, **WRITE_ERRORS})
def create_affiliation(request: HttpRequest, organisation_id: Path[Id],
                       payload: AffiliationIn) -> tuple[int, Affiliation]:
    """The organisation (the member) belongs to `parent_id` for a period: a host of a
    coordinator's network (`network_member`), or one hosting under an intermediary's
    accreditation (`hosted_under_accreditation`). Staff, and the coordinators of the parent;
    a coordinator is linked by staff only."""
    member = get_object_or_404(organisations_visible_to(request.user), pk=organisation_id)
    affiliation = services.affiliation_create(
        by=request.user, member=member, parent=_other_organisation("parent_id", payload.parent_id),
        kind=payload.kind, valid_from=payload.valid_from, valid_to=payload.valid_to,
        today=timezone.localdate())
    return 201, affiliation


def _affiliation(request: HttpRequest, organisation_id: int, affiliation_id: int) -> Affiliation:
    organisation = get_object_or_404(organisations_visible_to(request.user), pk=organisation_id)
    affiliation = get_object_or_404(
        Affiliation.objects.select_related("member", "parent").filter(
            Q(member=organisation) | Q(parent=organisation)), pk=affiliation_id)
    if not services.can_manage_affiliation(request.user, parent=affiliation.parent,
                                           member=affiliation.member,
                                           today=timezone.localdate()):
        raise NotAllowed(_("Only platform staff and the coordinators of the organisation it "
                           "belongs to can change this affiliation."))
    return affiliation


@router.patch("/{organisation_id}/affiliations/{affiliation_id}",
              response={200: AffiliationOut, **WRITE_ERRORS})
def update_affiliation(request: HttpRequest, organisation_id: Path[Id],
                       affiliation_id: Path[Id], payload: AffiliationPatch) -> Affiliation:
    """Correct an affiliation's kind or dates (`valid_to: null` makes it open-ended)."""
    affiliation = _affiliation(request, organisation_id, affiliation_id)
    given = _given(payload)
    return services.affiliation_update(
        by=request.user, affiliation=affiliation,
        kind=given.get("kind") or affiliation.kind,
        valid_from=given.get("valid_from") or affiliation.valid_from,
        valid_to=given.get("valid_to", affiliation.valid_to),
        today=timezone.localdate())


@router.post("/{organisation_id}/affiliations/{affiliation_id}/end",
             response={200: AffiliationOut, **WRITE_ERRORS})
def end_affiliation(request: HttpRequest, organisation_id: Path[Id],
                    affiliation_id: Path[Id], payload: AffiliationEndIn) -> Affiliation:
    """End the affiliation on `on` (its last day)."""
    affiliation = _affiliation(request, organisation_id, affiliation_id)
    return services.affiliation_end(by=request.user, affiliation=affiliation, on=payload.on,
                                    today=timezone.localdate())
