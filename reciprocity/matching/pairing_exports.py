"""A pairing run's pairs as a table for CSV and XLSX (written by core/spreadsheets.py, which
neutralises text cells that a spreadsheet would run as formulas): labels, not codes."""

from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _
from django_countries import countries

from reciprocity.core.countries import country_code
from reciprocity.core.l10n import format_day
from reciprocity.matching.models import PairProposal

PAIR_HEADINGS = [
    _("French volunteer"), _("French volunteer's mission"), _("Foreign volunteer"),
    _("Nationality"), _("Foreign volunteer's mission"), _("Compatibility"),
    _("Shared languages"), _("Shared themes"), _("Days together"), _("Together from"),
    _("Together until"), _("Decision"),
]


def pair_rows(pairs: Iterable[PairProposal]) -> Iterator[list[Any]]:
    for p in pairs:
        yield [
            str(p.french.volunteer), p.french.mission.title, str(p.foreign.volunteer),
            countries.name(country_code(p.foreign.nationality)), p.foreign.mission.title,
            p.score, ", ".join(p.language_names), ", ".join(p.theme_labels), p.overlap_days,
            format_day(p.overlap_start), format_day(p.overlap_end), str(p.get_decision_display()),
        ]
