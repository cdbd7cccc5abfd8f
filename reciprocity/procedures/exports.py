""""What is due" as a file (CSV or XLSX), with the page's filters (organisation, mine):
translated headers, labels rather than codes (the step's title in the reader's language),
formula-safe (core.spreadsheets), logged in the personal-data access log since it names
volunteers (docs/exports-and-calendars.md)."""

from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from reciprocity.core.spreadsheets import table_response
from reciprocity.procedures.models import ProcedureStep
from reciprocity.volunteers.exports import export_logged


def steps_due_export(request: HttpRequest, steps: Iterable[ProcedureStep], fmt: str
                     ) -> HttpResponse:
    found = list(steps)
    headings = [_("Due from"), _("Due by"), _("Step"), _("Owner"), _("Volunteer"), _("Mission"),
                _("Host"), _("Status")]
    rows = []
    for step in found:
        placement = step.procedure.placement
        rows.append([step.due_from.isoformat() if step.due_from else "",
                     step.due_by.isoformat() if step.due_by else "", step.title,
                     step.get_owner_display(), str(placement.volunteer), placement.mission.title,
                     placement.mission.host.name, step.get_status_display()])
    export_logged(request, [s.procedure.placement.volunteer_id for s in found])
    return table_response(fmt, "steps-due", _("What is due"), headings, rows)
