"""The volunteer list as a file (CSV or XLSX): the rows of the page, with its search applied.

Headers are translated labels and values are what the page shows, never codes; the file is
written by core.spreadsheets (formula-safe) and, since it holds names, logged once in the
personal-data access log (docs/exports-and-calendars.md)."""

from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django_countries import countries

from reciprocity.core.countries import country_code
from reciprocity.core.spreadsheets import table_response
from reciprocity.volunteers.models import AccessAction, AccessChannel, Volunteer
from reciprocity.volunteers.services import personal_data_bulk_access_record


def export_logged(request: HttpRequest, volunteer_ids: Iterable[int]) -> None:
    """One access-log row for a file of many people (what /balance/placements/?format= does)."""
    personal_data_bulk_access_record(
        volunteer_ids=volunteer_ids, actor=request.user, action=AccessAction.EXPORT,
        channel=AccessChannel.PAGE, source=request.get_full_path(),
    )


def volunteer_list_export(request: HttpRequest, volunteers: Iterable[Volunteer], fmt: str
                          ) -> HttpResponse:
    people = list(volunteers)
    headings = [_("Name"), _("Reference"), _("Nationality"), _("Sending organisation")]
    rows = [[v.full_name or v.reference, v.reference, countries.name(country_code(v.nationality)),
             v.sending_organisation.name if v.sending_organisation else ""] for v in people]
    export_logged(request, [v.pk for v in people])
    return table_response(fmt, "volunteers", _("Volunteers"), headings, rows)
