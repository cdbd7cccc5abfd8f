from datetime import date

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Schema
from ninja.pagination import paginate

from reciprocity.core.api_auth import SIGNED_IN
from reciprocity.core.api_errors import ErrorOut
from reciprocity.core.bounds import Id
from reciprocity.core.pagination import bounded_pagination
from reciprocity.partners.models import Organisation
from reciprocity.partners.selectors import organisation_list, organisations_visible_to

router = Router(tags=["organisations"], auth=SIGNED_IN)


class AccreditationOut(Schema):
    scheme: str
    kind: str
    number: str
    authorised_volunteers: int
    valid_from: date
    valid_to: date
    issuer: str

    @staticmethod
    def resolve_scheme(obj) -> str:  # type: ignore[no-untyped-def]
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


class OrganisationDetailOut(OrganisationOut):
    accreditations: list[AccreditationOut]

    @staticmethod
    def resolve_accreditations(obj: Organisation) -> list:
        return list(obj.accreditations.all())


class OrganisationFilters(Schema):
    country: str = ""
    q: str = ""


@router.get("", response={200: list[OrganisationOut], 401: ErrorOut, 422: ErrorOut})
@paginate(bounded_pagination(default=100))
def list_organisations(request: HttpRequest, filters: Query[OrganisationFilters]):  # type: ignore[no-untyped-def]
    return organisation_list(user=request.user, country=filters.country[:2], search=filters.q)


@router.get("/{organisation_id}", response={200: OrganisationDetailOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def get_organisation(request: HttpRequest, organisation_id: Path[Id]):  # type: ignore[no-untyped-def]
    return get_object_or_404(
        organisations_visible_to(request.user).prefetch_related("accreditations"), pk=organisation_id
    )
