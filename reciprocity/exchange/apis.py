"""`/api/v1/exchange`: PEF and VEF files in (with a dry run), PEF, FPL and VEF files out.

Imports take the XML as the request body (`Content-Type: application/xml`), or as
`multipart/form-data` files named `files` (several VEFs at once). The answer is the same report
as `reciprocity exchange import --json`; with errors it is a 422 whose `details` hold it.
"""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Router, Schema

from reciprocity.accounts.api_auth import SIGNED_IN
from reciprocity.accounts.models import User
from reciprocity.applications.models import Application
from reciprocity.core.api_errors import ErrorOut
from reciprocity.core.bounds import Id
from reciprocity.core.exceptions import ApplicationError
from reciprocity.exchange import permissions
from reciprocity.exchange.exports import ExportFile, fpl_export, pef_export, vef_export
from reciprocity.exchange.formats import MAX_BYTES
from reciprocity.exchange.services import ImportOutcome, pef_import, vef_import
from reciprocity.partners.models import Organisation
from reciprocity.volunteers.models import AccessChannel

router = Router(tags=["exchange"], auth=SIGNED_IN)

XML_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/xml": {"schema": {"type": "string"}},
            "multipart/form-data": {"schema": {
                "type": "object",
                "properties": {"files": {"type": "array",
                                         "items": {"type": "string", "format": "binary"}}},
            }},
        },
    }
}
XML_RESPONSE = {"responses": {200: {"description": "The file.", "content": {
    "application/xml": {"schema": {"type": "string"}}}}}}


class ImportObjectOut(Schema):
    kind: str
    id: int
    key: str


class ImportOut(Schema):
    created: int
    updated: int
    unchanged: int
    warnings: list[str]
    errors: list[str]
    objects: list[ImportObjectOut]
    dry_run: bool


class ExchangeFileInvalid(ApplicationError):
    code = "invalid_exchange_file"
    status = 422


class ExchangeFileTooLarge(ApplicationError):
    code = "file_too_large"
    status = 413


def _files(request: HttpRequest, name: str) -> list[tuple[str, bytes]]:
    if (request.content_type or "").startswith("multipart/"):
        uploads = request.FILES.getlist("files")
        if not uploads:
            raise ExchangeFileInvalid(_("Send the XML files as the form field “files”."),
                                      code="no_file")
        for upload in uploads:
            if upload.size is not None and upload.size > MAX_BYTES:
                raise ExchangeFileTooLarge(_("%(name)s is larger than 10 MB.")
                                           % {"name": upload.name})
        return [(upload.name or name, upload.read()) for upload in uploads]
    try:
        body = request.body
    except RequestDataTooBig:
        raise ExchangeFileTooLarge(_("The request body is too large: send large files as "
                                     "multipart/form-data (at most 10 MB each).")) from None
    if not body:
        raise ExchangeFileInvalid(_("Send the XML file as the request body."),
                                  code="no_file")
    return [(name, body)]


def _answer(outcome: ImportOutcome) -> dict[str, Any]:
    report = {**outcome.as_dict(), "dry_run": outcome.dry_run}
    if outcome.errors:
        raise ExchangeFileInvalid(
            _("Nothing imported: %(n)d error(s).") % {"n": len(outcome.errors)}, details=report
        )
    return report


def _actor(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


@router.post("/pef", response={200: ImportOut, 401: ErrorOut, 403: ErrorOut, 413: ErrorOut,
                               422: ErrorOut}, openapi_extra=XML_BODY)
def import_pef(request: HttpRequest, dry_run: bool = False, name: str = "upload.xml") -> Any:
    """Import one PEF (an organisation's projects) into work camps; its officers or staff."""
    if not permissions.may_import(request.user):
        raise PermissionDenied
    files = _files(request, name)
    return _answer(pef_import(files=files[:1], today=timezone.localdate(), dry_run=dry_run,
                              actor=_actor(request),
                              allowed=permissions.import_permit(request.user)))


@router.post("/vef", response={200: ImportOut, 401: ErrorOut, 403: ErrorOut, 413: ErrorOut,
                               422: ErrorOut}, openapi_extra=XML_BODY)
def import_vef(request: HttpRequest, dry_run: bool = False, name: str = "upload.xml") -> Any:
    """Import VEFs into volunteers and applications (all or nothing)."""
    if not permissions.may_import(request.user):
        raise PermissionDenied
    return _answer(vef_import(files=_files(request, name), now=timezone.now(), dry_run=dry_run,
                              actor=_actor(request),
                              allowed=permissions.import_permit(request.user)))


def _xml(result: ExportFile) -> HttpResponse:
    response = HttpResponse(result.content, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{result.name}"'
    if result.warnings:
        response["X-Exchange-Warnings"] = str(len(result.warnings))
    return response


def _organisation(request: HttpRequest, organisation_id: int) -> Organisation:
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    if not permissions.can_export_organisation(request.user, organisation):
        raise PermissionDenied
    return organisation


@router.get("/organisations/{organisation_id}/pef",
            response={200: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
            openapi_extra=XML_RESPONSE)
def export_pef(request: HttpRequest, organisation_id: Path[Id], date_from: date | None = None,
               date_to: date | None = None) -> HttpResponse:
    """The organisation's work camps as a PEF 2.0 (members of the organisation, staff)."""
    organisation = _organisation(request, organisation_id)
    return _xml(pef_export(organisation=organisation, today=timezone.localdate(),
                           date_from=date_from, date_to=date_to))


@router.get("/organisations/{organisation_id}/fpl",
            response={200: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
            openapi_extra=XML_RESPONSE)
def export_fpl(request: HttpRequest, organisation_id: Path[Id]) -> HttpResponse:
    """The organisation's free places (FPL)."""
    organisation = _organisation(request, organisation_id)
    return _xml(fpl_export(organisation=organisation, today=timezone.localdate()))


@router.get("/applications/{application_id}/vef",
            response={200: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
            openapi_extra=XML_RESPONSE)
def export_vef(request: HttpRequest, application_id: Path[Id]) -> HttpResponse:
    """An application as a VEF 1.0 (its sending organisation, its hosts, staff); the export
    is recorded in the volunteer's personal-data access log."""
    application = get_object_or_404(Application, pk=application_id)
    if not permissions.can_export_application(request.user, application):
        raise PermissionDenied
    return _xml(vef_export(application=application, today=timezone.localdate(),
                           viewer=request.user, channel=AccessChannel.API))
