"""Visa figures per nationality and scheme, computed over plain rows (pure Python, no Django).

What reciprocity is meant to correct shows here: who is refused a visa, how long consulates
take, and how many placements a refusal cost. The selector (`visa_selectors.py`) reads the rows
from the database for the reader and withholds small numbers (`disclosure.py`); this module
only counts, so that a hand count on a composed data set checks it (tests/test_visa_figures.py).

Definitions (docs/balance.md, "Visa outcomes"):
- `decided`: applications the consulate decided (granted + refused). A withdrawal is the
  applicant's act, not a decision: it counts in `recorded` only;
- `refusal_rate` = refused / decided (None when nothing was decided);
- `median_days`: median of the days from application to decision over the decided applications
  with both dates (None when none has them);
- `lost`: placements cancelled or interrupted whose visa was refused.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from statistics import median

GRANTED, REFUSED, WITHDRAWN = "granted", "refused", "withdrawn"
# A placement that ended before its time or never started.
LOST_STATUSES = frozenset({"cancelled", "interrupted"})
ALL = ""  # the nationality of a scheme's total row


@dataclass(frozen=True)
class VisaRow:
    """One placement's visa outcome, as plain values."""

    nationality: str
    scheme: str
    decision: str  # "", granted, refused, withdrawn
    application_date: date | None
    decision_date: date | None
    placement_status: str


@dataclass(frozen=True)
class VisaFigures:
    nationality: str  # ALL for the scheme's total
    scheme: str
    recorded: int
    decided: int
    refused: int
    lost: int
    refusal_rate: float | None
    median_days: float | None


def _figures(nationality: str, scheme: str, rows: list[VisaRow]) -> VisaFigures:
    decided = [r for r in rows if r.decision in (GRANTED, REFUSED)]
    refused = sum(1 for r in decided if r.decision == REFUSED)
    days = [(r.decision_date - r.application_date).days for r in decided
            if r.decision_date is not None and r.application_date is not None]
    return VisaFigures(
        nationality=nationality, scheme=scheme, recorded=len(rows), decided=len(decided),
        refused=refused,
        lost=sum(1 for r in rows if r.decision == REFUSED and r.placement_status in LOST_STATUSES),
        refusal_rate=refused / len(decided) if decided else None,
        median_days=float(median(days)) if days else None,
    )


def visa_figures(rows: Iterable[VisaRow], *, totals: bool = True) -> list[VisaFigures]:
    """Figures per (nationality, scheme), by scheme then nationality; with `totals`, each
    scheme's row over every nationality (nationality `ALL`) follows its nationalities."""
    groups: dict[tuple[str, str], list[VisaRow]] = defaultdict(list)
    by_scheme: dict[str, list[VisaRow]] = defaultdict(list)
    for row in rows:
        groups[(row.scheme, row.nationality)].append(row)
        by_scheme[row.scheme].append(row)
    out: list[VisaFigures] = []
    for scheme in sorted(by_scheme):
        for (group_scheme, nationality), group in sorted(groups.items()):
            if group_scheme == scheme:
                out.append(_figures(nationality, scheme, group))
        if totals:
            out.append(_figures(ALL, scheme, by_scheme[scheme]))
    return out
