"""The placement list as a file (CSV or XLSX), with the page's status filter: translated
headers, labels rather than codes, formula-safe (core.spreadsheets), logged in the
personal-data access log since it names volunteers (docs/exports-and-calendars.md)."""

from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from reciprocity.core.spreadsheets import table_response
from reciprocity.placements.models import Placement
from reciprocity.volunteers.exports import export_logged


def placement_list_export(request: HttpRequest, placements: Iterable[Placement], fmt: str
                          ) -> HttpResponse:
    found = list(placements)
    headings = [_("Volunteer"), _("Mission"), _("Host"), _("Sending organisation"), _("Start"),
                _("End"), _("Status")]
    rows = [[str(p.volunteer), p.mission.title, p.mission.host.name,
             p.sending_organisation.name if p.sending_organisation else "",
             p.start_date.isoformat(), p.end_date.isoformat(), p.get_status_display()]
            for p in found]
    export_logged(request, [p.volunteer_id for p in found])
    return table_response(fmt, "placements", _("Placements"), headings, rows)
