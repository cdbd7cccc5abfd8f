"""Mission lists (the public catalogue and "My missions") as files (CSV or XLSX), with the
page's filters: translated headers, labels rather than codes, formula-safe (core.spreadsheets:
a mission title is free text a host writes). No personal data, so no access-log row."""

from collections.abc import Iterable

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django_countries import countries

from reciprocity.core.countries import country_code
from reciprocity.core.spreadsheets import table_response
from reciprocity.missions.models import Mission


def mission_list_export(missions: Iterable[Mission], fmt: str, *, filename: str = "missions"
                        ) -> HttpResponse:
    headings = [_("Reference"), _("Mission"), _("Host"), _("City"), _("Country"), _("Scheme"),
                _("Theme"), _("Start"), _("End"), _("Places"), _("Places left"), _("Status")]
    rows = [[m.reference, m.title, m.host.name, m.city, countries.name(country_code(m.country)),
             m.scheme.name, m.get_theme_display(), m.start_date.isoformat(),
             m.end_date.isoformat(), m.capacity, getattr(m, "places_left", None),
             m.get_status_display()] for m in missions]
    return table_response(fmt, filename, _("Missions"), headings, rows)
