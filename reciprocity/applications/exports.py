"""The application list as a file (CSV or XLSX), with the page's filters: translated headers,
labels rather than codes, formula-safe (core.spreadsheets), logged in the personal-data access
log since it names volunteers (docs/exports-and-calendars.md)."""

from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from reciprocity.applications.models import Application
from reciprocity.core.spreadsheets import table_response
from reciprocity.volunteers.exports import export_logged


def application_list_export(request: HttpRequest, applications: Iterable[Application], fmt: str
                            ) -> HttpResponse:
    found = list(applications)
    headings = [_("Number"), _("Volunteer"), _("Kind"), _("Programme"), _("Sending organisation"),
                _("Status"), _("Submitted")]
    rows = [[a.pk, str(a.volunteer), a.get_kind_display(),
             a.programme.name if a.programme else "",
             a.sending_organisation.name if a.sending_organisation else "",
             a.get_status_display(), a.submitted_at.date().isoformat() if a.submitted_at else ""]
            for a in found]
    export_logged(request, [a.volunteer_id for a in found])
    return table_response(fmt, "applications", _("Applications"), headings, rows)
