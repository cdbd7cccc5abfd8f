"""The agreement list as a file (CSV or XLSX): translated headers, labels rather than codes,
formula-safe (core.spreadsheets). No personal data, so no access-log row."""

from collections.abc import Iterable

from django.http import HttpResponse
from django.utils.translation import gettext as _

from reciprocity.agreements.models import Agreement
from reciprocity.core.spreadsheets import table_response


def agreement_list_export(agreements: Iterable[Agreement], fmt: str) -> HttpResponse:
    headings = [_("Reference"), _("Party A"), _("Party B"), _("Programme"), _("Schemes"),
                _("Start"), _("End"), _("Yearly quota A → B"), _("Yearly quota B → A"),
                _("Unit"), _("Tolerance"), _("Status")]
    rows = [[a.reference, a.party_a.name, a.party_b.name,
             a.programme.name if a.programme else "",
             ", ".join(sorted(s.name for s in a.schemes.all())),
             a.start_date.isoformat(), a.end_date.isoformat(), a.quota_a_to_b, a.quota_b_to_a,
             a.get_unit_display(), a.tolerance, a.get_status_display()] for a in agreements]
    return table_response(fmt, "agreements", _("Agreements"), headings, rows)
