"""The placement's documents as PDF (WeasyPrint): invitation letter for the visa, attestation of
care, end-of-mission certificate, and the contract or agreement of each scheme: Service Civique
contract, VSI contract, ESC volunteering agreement, work-camp confirmation letter (those four are
signed in the platform: `placements.signatures`).

Wording the domain research could not verify (rules.md `[?]`) is never written here or in the
templates: it is data, a `document_*` scheme rule (`schemes/data/*.json`, editable by staff) whose
text in the document's language is printed as `clauses.<name>`. A missing rule prints a visible
"to be completed" mark rather than a made-up sentence.

The invitation letter describes the mission by its scheme, field, place and dates only, never by
free text such as its title ("Homework club" would put "work" in a letter for a consulate).

Each document has one template per language (templates/documents/<lang>/<kind>.html): these are
legal texts whose exact wording matters, so each version is written and reviewed as a whole
rather than assembled from translated fragments.

The identity-document number is printed as the reader may see it
(`permissions.reads_full_document_number`): in full for staff and the volunteer, and for the
host's administrators and officers in the invitation letter and the contract; masked
(`••••••678`) for everyone else. Templates print `id_document_number` from the context, never
the volunteer's field (a test reads every template). Every download is written in the
personal-data access log (`document_download`).
"""

from datetime import date
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reciprocity.accounts.selectors import AnyUser
from reciprocity.core.exceptions import ApplicationError
from reciprocity.domain.dates import months_between
from reciprocity.partners.models import Accreditation
from reciprocity.placements.models import HOLDING_STATUSES, Placement, PlacementStatus
from reciprocity.placements.permissions import reads_full_document_number
from reciprocity.schemes.models import SchemeRule
from reciprocity.volunteers.models import AccessAction
from reciprocity.volunteers.services import personal_data_access_record

LANGUAGES = ("fr", "en")
DOCUMENTS = {
    "invitation": _("Invitation letter (visa)"),
    "attestation": _("Attestation of care"),
    "contract": _("Service Civique contract"),
    "vsi_contract": _("VSI contract"),
    "esc_agreement": _("ESC volunteering agreement"),
    "workcamp_letter": _("Work-camp confirmation letter"),
    "certificate": _("End-of-mission certificate"),
}

# The contract or agreement of each scheme: issued only for missions of that scheme.
SCHEME_DOCUMENTS = {
    "contract": "service_civique",
    "vsi_contract": "vsi",
    "esc_agreement": "esc",
    "workcamp_letter": "workcamp",
}

# The scheme rules each document prints (the page warns when one of them is to be confirmed).
DOCUMENT_RULES = {
    "contract": ("state_allowance_net_eur_month", "social_topup_eur_month",
                 "subsistence_min_eur_month", "early_termination_notice_months",
                 "leave_days_per_month"),
    "vsi_contract": ("allowance_min_eur_month", "early_termination_notice_months",
                     "document_visa_title", "document_return_undertaking",
                     "document_social_security"),
    "esc_agreement": ("weekly_hours_min", "weekly_hours_max", "document_support",
                      "document_insurance"),
    "workcamp_letter": ("weekly_hours_max", "payment_days_after_confirmation",
                        "info_sheet_days_before", "document_conditions"),
}

# Printed where a `document_*` rule is missing: the document shows the gap instead of hiding it.
MISSING_CLAUSE = {"fr": "[à compléter : {key}]", "en": "[to be completed: {key}]"}

# How each scheme is named in documents for consulates: never as work ("travail", "emploi").
SCHEME_WORDING = {
    "service_civique": {"fr": "mission de volontariat en Service Civique",
                        "en": "Service Civique volunteering mission"},
    "vsi": {"fr": "mission de volontariat de solidarité internationale",
            "en": "international solidarity volunteering mission"},
    "workcamp": {"fr": "chantier international de bénévoles",
                 "en": "international volunteer project"},
    "esc": {"fr": "mission de volontariat du Corps européen de solidarité",
            "en": "European Solidarity Corps volunteering mission"},
}

# Service Civique leave when no dated rule says otherwise: two days per month of service.
DEFAULT_LEAVE_DAYS_PER_MONTH = 2


def _rule(rules: dict[str, SchemeRule], key: str, default: Any = None) -> Any:
    row = rules.get(key)
    return row.value if row is not None else default


def _check_available(placement: Placement, kind: str) -> None:
    if kind not in DOCUMENTS:
        raise ApplicationError(gettext("Unknown document."), code="unknown_document")
    if placement.status not in HOLDING_STATUSES:
        raise ApplicationError(
            gettext("Documents are issued once the placement is confirmed."),
            code="document_not_available",
        )
    scheme = SCHEME_DOCUMENTS.get(kind)
    if scheme is not None and placement.mission.scheme_id != scheme:
        raise ApplicationError(
            gettext("This document exists only for missions of its scheme."),
            code="document_not_available",
        )
    if kind == "certificate" and placement.status not in {
        PlacementStatus.COMPLETED, PlacementStatus.INTERRUPTED
    }:
        raise ApplicationError(
            gettext("The certificate is issued at the end of the mission."),
            code="document_not_available",
        )


def documents_available(placement: Placement) -> dict[str, Any]:
    """The documents this placement can have now, with their labels."""
    available = {}
    for kind, label in DOCUMENTS.items():
        try:
            _check_available(placement, kind)
        except ApplicationError:
            continue
        available[kind] = label
    return available


def _clauses(rules: dict[str, SchemeRule], language: str) -> dict[str, str]:
    """The `document_*` rules in force, as text in `language` ({"fr": ..., "en": ...} values)."""
    clauses: dict[str, str] = {}
    for key, row in rules.items():
        if key.startswith("document_"):
            value = row.value
            text = value.get(language) if isinstance(value, dict) else value
            clauses[key.removeprefix("document_")] = str(text) if text else ""
    return clauses


class _Clauses(dict[str, str]):
    """Clause texts; a name without a rule prints the "to be completed" mark."""

    def __init__(self, values: dict[str, str], language: str) -> None:
        super().__init__(values)
        self.language = language

    def __missing__(self, name: str) -> str:
        return MISSING_CLAUSE.get(self.language, MISSING_CLAUSE["fr"]).format(key=f"document_{name}")


def document_unconfirmed(placement: Placement, kind: str) -> list[str]:
    """The rules `kind` prints for this placement whose value is still to be confirmed."""
    rules = SchemeRule.objects.in_force(
        scheme_code=placement.mission.scheme_id, on=placement.start_date
    )
    return [key for key in DOCUMENT_RULES.get(kind, ())
            if key in rules and rules[key].to_be_confirmed]


def document_context(
    *, placement: Placement, language: str, today: date, full_number: bool = False
) -> dict[str, Any]:
    mission = placement.mission
    volunteer = placement.volunteer
    rules = SchemeRule.objects.in_force(scheme_code=mission.scheme_id, on=placement.start_date)
    accreditation = (
        Accreditation.objects.filter(
            organisation_id=mission.host_id, scheme_id=mission.scheme_id,
            valid_from__lte=placement.start_date, valid_to__gte=placement.start_date,
        )
        .order_by("-authorised_volunteers", "pk")
        .first()
    )
    return {
        "placement": placement,
        "volunteer": volunteer,
        "id_document_number": (
            volunteer.id_document_number if full_number else volunteer.id_document_number_masked
        ),
        "mission": mission,
        "host": mission.host,
        "sender": placement.sending_organisation,
        "accreditation": accreditation,
        "scheme_wording": SCHEME_WORDING.get(mission.scheme_id, {}).get(language, str(mission.scheme)),
        "months": months_between(placement.start_date, placement.end_date),
        "served_until": placement.ended_on or placement.end_date,
        "allowance": _rule(rules, "state_allowance_net_eur_month"),
        "social_topup": _rule(rules, "social_topup_eur_month"),
        "subsistence": _rule(rules, "subsistence_min_eur_month"),
        "notice_months": _rule(rules, "early_termination_notice_months", 1),
        "leave_days": _rule(rules, "leave_days_per_month", DEFAULT_LEAVE_DAYS_PER_MONTH),
        "allowance_min": _rule(rules, "allowance_min_eur_month"),
        "weekly_hours_min": _rule(rules, "weekly_hours_min"),
        "weekly_hours_max": _rule(rules, "weekly_hours_max"),
        "payment_days": _rule(rules, "payment_days_after_confirmation"),
        "info_sheet_days": _rule(rules, "info_sheet_days_before"),
        "clauses": _Clauses(_clauses(rules, language), language),
        "today": today,
        "language": language,
    }


def document_render(
    *, placement: Placement, kind: str, language: str, reader: AnyUser, today: date,
) -> bytes:
    """The PDF of one document in French or English (anything else falls back to French), as
    `reader` may read it (the identity-document number in full or masked), dated `today` (the
    day its edge read)."""
    html = document_html(
        placement=placement, kind=kind, language=language, today=today,
        full_number=reads_full_document_number(reader, placement, kind),
    )
    return pdf_from_html(html)


def document_html(
    *, placement: Placement, kind: str, language: str, today: date, full_number: bool
) -> str:
    """The document's HTML source: the same data always give the same text (the signed
    versions compare it to tell whether the placement changed since)."""
    _check_available(placement, kind)
    language = language if language in LANGUAGES else "fr"
    with translation.override(language):
        context = document_context(
            placement=placement, language=language, today=today, full_number=full_number,
        )
        return render_to_string(f"documents/{language}/{kind}.html", context)


def pdf_from_html(html: str) -> bytes:
    from weasyprint import HTML  # heavy import, only when a document is asked for

    return bytes(HTML(string=html).write_pdf())


def document_download(
    *, placement: Placement, kind: str, language: str, reader: AnyUser, channel: str,
    today: date,
) -> bytes:
    """A document handed to `reader` through a page or the API: rendered for them, and written
    in the personal-data access log (which document, and whether the number was in full).
    A refusal (ApplicationError: not available yet) hands nothing over and logs nothing."""
    pdf = document_render(placement=placement, kind=kind, language=language, reader=reader,
                          today=today)
    # Data, not prose: the same words whatever the reader's language.
    if not placement.volunteer.id_document_number:
        number = "none"
    else:
        number = "full" if reads_full_document_number(reader, placement, kind) else "masked"
    personal_data_access_record(
        volunteer=placement.volunteer, actor=reader, action=AccessAction.DOCUMENT_DOWNLOAD,
        channel=channel,
        detail=f"{kind} ({language if language in LANGUAGES else 'fr'}), number: {number}",
    )
    return pdf


def filename(placement: Placement, kind: str, language: str) -> str:
    return f"{kind}-{placement.pk}-{slugify(placement.volunteer.last_name or 'volunteer')}-{language}.pdf"
