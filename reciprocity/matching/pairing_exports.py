"""A pairing run's pairs as a table for CSV and XLSX (written by core/spreadsheets.py, which
neutralises text cells that a spreadsheet would run as formulas): labels, not codes.

A dissolved pair says so in its decision and in the last four columns (when, why, the reason,
by whom); they stay empty for the other pairs. New columns go last: readers of the file may
address the earlier ones by position."""

from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _
from django_countries import countries

from reciprocity.core.countries import country_code
from reciprocity.core.l10n import format_day
from reciprocity.matching.models import PairDissolution, PairProposal
from reciprocity.matching.pairing_display import dissolved_by

PAIR_HEADINGS = [
    _("French volunteer"), _("French volunteer's mission"), _("Foreign volunteer"),
    _("Nationality"), _("Foreign volunteer's mission"), _("Compatibility"),
    _("Shared languages"), _("Shared themes"), _("Days together"), _("Together from"),
    _("Together until"), _("Decision"), _("Dissolved on"), _("Why dissolved"),
    _("Dissolution reason"), _("Dissolved by"),
]


def _dissolution_cells(p: PairProposal) -> list[Any]:
    # Read with the pairs (pairing_run_pairs selects the dissolution and its actor).
    d: PairDissolution | None = getattr(p.pairing, "dissolution", None) if p.pairing else None
    if d is None:
        return ["", "", "", ""]
    return [format_day(d.occurred_at), str(d.get_cause_display()), d.reason, dissolved_by(d)]


def pair_rows(pairs: Iterable[PairProposal]) -> Iterator[list[Any]]:
    for p in pairs:
        yield [
            str(p.french.volunteer), p.french.mission.title, str(p.foreign.volunteer),
            countries.name(country_code(p.foreign.nationality)), p.foreign.mission.title,
            p.score, ", ".join(p.language_names), ", ".join(p.theme_labels), p.overlap_days,
            format_day(p.overlap_start), format_day(p.overlap_end), str(p.get_decision_display()),
            *_dissolution_cells(p),
        ]
