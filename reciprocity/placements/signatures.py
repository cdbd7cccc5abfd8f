"""Signing a placement's contract or agreement in the platform (docs/documents.md).

A document is signed as a *version*: the first signature freezes the PDF (rendered once, kept
through the default storage) and every later party signs those same bytes, whose SHA-256 each
signature records. The frozen PDF prints the identity-document number masked: all the parties
(among them the sending organisation, which reads it masked everywhere) sign one file, so it
must be one every one of them may read.

A version stays current while the placement's data would print the same document (the SHA-256
of its HTML source, rendered with the version's date and language, is unchanged). When a tutor,
a date or an address changes after a signature, the version is out of date: the page says so, and
the next signature starts a new version that every party signs again. Old versions and their
signatures are kept.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reciprocity.accounts.models import User
from reciprocity.accounts.selectors import AnyUser
from reciprocity.core.exceptions import ApplicationError, InvalidTransition, NotAllowed
from reciprocity.placements import documents
from reciprocity.placements.models import (
    DocumentSignature,
    DocumentVersion,
    Placement,
    SigningParty,
)
from reciprocity.placements.permissions import may_sign_as
from reciprocity.volunteers.models import AccessAction, Volunteer
from reciprocity.volunteers.services import personal_data_access_record

# Who signs each document; the sending organisation only when the placement has one.
SIGNED_DOCUMENTS: dict[str, tuple[str, ...]] = {
    "contract": (SigningParty.VOLUNTEER, SigningParty.HOST),
    "vsi_contract": (SigningParty.VOLUNTEER, SigningParty.HOST),
    "esc_agreement": (SigningParty.VOLUNTEER, SigningParty.HOST, SigningParty.SENDING),
    "workcamp_letter": (SigningParty.HOST, SigningParty.VOLUNTEER, SigningParty.SENDING),
}

ROLE_LABELS = dict(SigningParty.choices)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def signing_parties(placement: Placement, kind: str) -> list[str]:
    return [
        str(role) for role in SIGNED_DOCUMENTS.get(kind, ())
        if role != SigningParty.SENDING or placement.sending_organisation_id is not None
    ]


def _canonical_html(placement: Placement, kind: str, language: str, issued_on: date) -> str:
    # Masked number for everyone: see the module's docstring.
    return documents.document_html(
        placement=placement, kind=kind, language=language, today=issued_on, full_number=False
    )


def current_version(placement: Placement, kind: str) -> DocumentVersion | None:
    """The latest version of the document, signed by at least one party (or None)."""
    return (
        DocumentVersion.objects.filter(placement=placement, kind=kind)
        .order_by("-number").first()
    )


def version_is_current(version: DocumentVersion) -> bool:
    """Whether today's data would print the version's document (same HTML, same date)."""
    try:
        html = _canonical_html(version.placement, version.kind, version.language, version.issued_on)
    except ApplicationError:  # no longer available (cancelled): nothing current to sign
        return False
    return sha256_hex(html.encode()) == version.content_sha256


def version_bytes(version: DocumentVersion) -> bytes:
    with default_storage.open(str(version.file.name), "rb") as handle:
        return bytes(handle.read())


def _freeze(*, placement: Placement, kind: str, language: str, today: date,
            actor: User) -> DocumentVersion:
    html = _canonical_html(placement, kind, language, today)
    pdf = documents.pdf_from_html(html)
    digest = sha256_hex(pdf)
    last = current_version(placement, kind)
    number = last.number + 1 if last else 1
    name = default_storage.save(
        f"placements/signed/{placement.pk}/{kind}-v{number}-{language}-{digest[:12]}.pdf",
        ContentFile(pdf),
    )
    return DocumentVersion.objects.create(
        placement=placement, kind=kind, number=number, language=language, issued_on=today,
        content_sha256=sha256_hex(html.encode()), sha256=digest, file=name, created_by=actor,
    )


@transaction.atomic
def document_sign(
    *, placement: Placement, kind: str, role: str, actor: User, today: date, now: datetime,
    language: str | None = None,
) -> DocumentSignature:
    """Record `actor`'s signature of the document for the party `role`, signed at `now` (a new
    version is issued on `today`): both read by the edge.

    Signs the current version, or freezes a new one (in `language`, French by default) when
    there is none or the placement changed since. Refusals: 400 `document_not_signable` (not a
    signed document, or not available for this placement), 403 `sign_not_allowed` (not this
    party's signatory), 409 `already_signed`, 409 `version_in_other_language` (the current
    version is in the other language: every party signs the same bytes), 409
    `signed_file_altered` (the stored PDF no longer has the version's SHA-256).
    """
    if kind not in SIGNED_DOCUMENTS:
        raise ApplicationError(gettext("This document is not signed in the platform."),
                               code="document_not_signable")
    # One signature at a time per placement: two first signers must not freeze two versions.
    # Only the placement row is locked (`of`): PostgreSQL cannot lock the nullable side of the
    # outer join to the sending organisation.
    placement = Placement.objects.select_for_update(of=("self",)).select_related(
        "volunteer", "mission", "mission__host", "sending_organisation"
    ).get(pk=placement.pk)
    if kind not in documents.documents_available(placement):
        raise ApplicationError(gettext("This document is not available for this placement."),
                               code="document_not_signable")
    if role not in signing_parties(placement, kind) or not may_sign_as(actor, placement, role):
        raise NotAllowed(gettext("You may not sign this document for this party."),
                         code="sign_not_allowed")
    if language is not None and language not in documents.LANGUAGES:
        raise ApplicationError(gettext("Unknown language."), code="invalid_language")

    version = current_version(placement, kind)
    if version is not None and version_is_current(version):
        if language is not None and language != version.language:
            raise InvalidTransition(
                gettext("The version being signed is in another language: sign that one."),
                code="version_in_other_language", details={"language": version.language},
            )
        if version.signatures.filter(role=role).exists():
            raise InvalidTransition(gettext("This party has already signed this version."),
                                    code="already_signed")
        data = version_bytes(version)
        if sha256_hex(data) != version.sha256:
            raise InvalidTransition(
                gettext("The stored document no longer matches the signed version."),
                code="signed_file_altered",
            )
    else:
        version = _freeze(placement=placement, kind=kind, language=language or "fr",
                          today=today, actor=actor)
        data = version_bytes(version)
    return DocumentSignature.objects.create(
        version=version, placement=placement, kind=kind, language=version.language, role=role,
        signed_by=actor, signed_at=now, sha256=sha256_hex(data),
    )


@dataclass
class DocumentStatus:
    """One signed document of a placement as a reader sees it (page and API)."""

    kind: str
    label: str
    parties: list[str]
    version: DocumentVersion | None
    is_current: bool
    signatures: dict[str, DocumentSignature] = field(default_factory=dict)
    may_sign: list[str] = field(default_factory=list)
    unconfirmed: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.is_current and all(role in self.signatures for role in self.parties)

    @property
    def outdated(self) -> bool:
        """Signed once, but the placement has changed since: a new version is needed."""
        return self.version is not None and not self.is_current

    def party_rows(self) -> list[dict[str, Any]]:
        return [{"role": role, "label": ROLE_LABELS.get(role, role),
                 "signature": self.signatures.get(role) if self.is_current else None}
                for role in self.parties]


def document_statuses(*, placement: Placement, user: AnyUser) -> list[DocumentStatus]:
    """The placement's signed documents available now, with their signatures and what `user`
    may sign. The caller has checked that `user` sees the placement."""
    available = documents.documents_available(placement)
    statuses = []
    for kind in SIGNED_DOCUMENTS:
        if kind not in available:
            continue
        parties = signing_parties(placement, kind)
        version = current_version(placement, kind)
        is_current = version is not None and version_is_current(version)
        signatures = (
            {s.role: s for s in version.signatures.select_related("signed_by")}
            if version is not None else {}
        )
        signed_now = signatures if is_current else {}
        statuses.append(DocumentStatus(
            kind=kind, label=str(available[kind]), parties=parties, version=version,
            is_current=is_current, signatures=signatures,
            may_sign=[role for role in parties
                      if role not in signed_now and may_sign_as(user, placement, role)],
            unconfirmed=documents.document_unconfirmed(placement, kind),
        ))
    return statuses


def signed_version_download(
    *, placement: Placement, version_id: int, reader: AnyUser, channel: str
) -> tuple[DocumentVersion, bytes]:
    """The frozen PDF of one version, logged in the personal-data access log."""
    version = DocumentVersion.objects.get(placement=placement, pk=version_id)
    data = version_bytes(version)
    personal_data_access_record(
        volunteer=placement.volunteer, actor=reader, action=AccessAction.DOCUMENT_DOWNLOAD,
        channel=channel,
        detail=f"{version.kind} v{version.number} signed ({version.language}), number: masked",
    )
    return version, data


def signed_filename(version: DocumentVersion) -> str:
    return f"{version.kind}-{version.placement_id}-v{version.number}-{version.language}.pdf"


# --- the volunteer's personal data ----------------------------------------------------------


def signatures_export(*, volunteer: Volunteer) -> list[dict[str, Any]]:
    """Every signature of the volunteer's placements' documents (right of access): which
    document, which party, when and the SHA-256; signatories other than the volunteer are
    named by their party only."""
    rows = DocumentSignature.objects.filter(placement__volunteer=volunteer).select_related(
        "version").order_by("signed_at", "pk")
    return [{
        "placement": s.placement_id, "document": s.kind, "version": s.version.number,
        "language": s.language, "signed_as": s.role, "signed_at": s.signed_at.isoformat(),
        "sha256": s.sha256,
        "by_you": s.role == SigningParty.VOLUNTEER,
    } for s in rows]


def signed_files_erase(*, volunteer: Volunteer) -> int:
    """Delete the frozen PDFs of an anonymised volunteer's placements (they print the name);
    the versions and signatures stay, with their SHA-256, as the record that signing happened.
    Files go after commit, as the other erasures do."""
    versions = DocumentVersion.objects.filter(placement__volunteer=volunteer).exclude(file="")
    names = list(versions.values_list("file", flat=True))
    versions.update(file="")

    def delete() -> None:
        for name in names:
            default_storage.delete(name)

    transaction.on_commit(delete)
    return len(names)


def kind_label(kind: str) -> str:
    return str(documents.DOCUMENTS.get(kind, _("Document")))
