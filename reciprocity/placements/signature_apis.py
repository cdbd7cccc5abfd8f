"""`/api/v1/placements/{id}/signatures` and `.../documents/{kind}/sign`: the contract or agreement
of a placement signed in the platform, same rules as the page (docs/documents.md)."""

from datetime import date, datetime
from typing import Any, Literal

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Path, Router, Schema

from reciprocity.accounts.api_auth import SIGNED_IN
from reciprocity.accounts.http import AuthenticatedHttpRequest
from reciprocity.core.api_errors import ErrorOut
from reciprocity.core.api_types import Input
from reciprocity.core.bounds import Id
from reciprocity.placements import signatures
from reciprocity.placements.models import DocumentSignature, DocumentVersion, Placement
from reciprocity.placements.selectors import placements_visible_to
from reciprocity.volunteers.models import AccessChannel

router = Router(tags=["placements"], auth=SIGNED_IN)

SignedKind = Literal["contract", "vsi_contract", "esc_agreement", "workcamp_letter"]
Role = Literal["volunteer", "host", "sending"]
READ_ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {
    400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut
}


class SignatureOut(Schema):
    id: int
    version: int
    role: str
    language: str
    signed_by: str
    signed_at: datetime
    sha256: str

    @staticmethod
    def resolve_version(obj: DocumentSignature) -> int:
        return obj.version.number

    @staticmethod
    def resolve_signed_by(obj: DocumentSignature) -> str:
        return str(obj.signed_by) if obj.signed_by_id else ""


class VersionOut(Schema):
    id: int
    number: int
    language: str
    issued_on: date
    sha256: str


class SignedDocumentOut(Schema):
    kind: str
    label: str
    parties: list[str]
    version: VersionOut | None
    is_current: bool
    complete: bool
    signatures: list[SignatureOut]
    may_sign: list[str]
    unconfirmed: list[str]


class SignIn(Input):
    role: Role
    lang: Literal["fr", "en"] | None = None


def _placement(request: AuthenticatedHttpRequest, placement_id: int) -> Placement:
    return get_object_or_404(
        placements_visible_to(request.user).select_related(
            "volunteer", "mission", "mission__host", "sending_organisation"
        ),
        pk=placement_id,
    )


@router.get("/{placement_id}/signatures", response={200: list[SignedDocumentOut], **READ_ERRORS})
def list_signed_documents(
    request: AuthenticatedHttpRequest, placement_id: Path[Id]
) -> list[dict[str, Any]]:
    """The placement's contract or agreement (by scheme) with its current version, the
    signatures of that version (`is_current` false: the placement changed since the version was
    signed, and a new one must be signed by all), the parties that sign it and those you may
    sign for."""
    placement = _placement(request, placement_id)
    return [{
        "kind": s.kind, "label": s.label, "parties": s.parties, "version": s.version,
        "is_current": s.is_current, "complete": s.complete,
        "signatures": list(s.signatures.values()), "may_sign": s.may_sign,
        "unconfirmed": s.unconfirmed,
    } for s in signatures.document_statuses(placement=placement, user=request.user)]


@router.post("/{placement_id}/documents/{kind}/sign", response={201: SignatureOut, **WRITE_ERRORS})
def sign_document(
    request: AuthenticatedHttpRequest, placement_id: Path[Id], kind: Path[SignedKind],
    payload: SignIn,
) -> tuple[int, DocumentSignature]:
    """Sign the document for a party (`role`): the volunteer for themself, an administrator or
    officer of the host or of the sending organisation for it (403 `sign_not_allowed`
    otherwise). The first signature freezes the PDF in `lang` (French by default); later ones
    sign the same bytes (409 `version_in_other_language` when `lang` differs). 409
    `already_signed`; 400 `document_not_signable` when the placement has no such document."""
    signature = signatures.document_sign(
        placement=_placement(request, placement_id), kind=kind, role=payload.role,
        actor=request.user, today=timezone.localdate(), now=timezone.now(), language=payload.lang,
    )
    return 201, signature


@router.get(
    "/{placement_id}/documents/versions/{version_id}",
    response={200: None, **READ_ERRORS},
    openapi_extra={"responses": {200: {
        "description": "The signed version's PDF, the exact bytes whose SHA-256 it records.",
        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
    }}},
)
def get_signed_version(
    request: AuthenticatedHttpRequest, placement_id: Path[Id], version_id: Path[Id]
) -> HttpResponse:
    """The frozen PDF of one version (identity-document number masked)."""
    placement = _placement(request, placement_id)
    try:
        version, data = signatures.signed_version_download(
            placement=placement, version_id=version_id, reader=request.user,
            channel=AccessChannel.API,
        )
    except (DocumentVersion.DoesNotExist, FileNotFoundError, ValueError):
        raise Http404 from None
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{signatures.signed_filename(version)}"'
    return response
