"""The annual report of a host country: who was hosted, who was sent, how missions ended.

Computed from placements (their snapshot nationality and host country, dates and status), not
from the ledger: the report's contract counts *distinct volunteers*, which the ledger's signed
deltas cannot give. The contract (issue 5) in short:

- counted placements: confirmed, in mission, completed, interrupted (never cancelled or merely
  proposed); basis `start` = started in the year, `active` = in mission on any day of it (the
  effective end is `ended_on` when the placement ended early or late, else `end_date`; dates
  inclusive);
- `hosted`: distinct volunteers placed in the host country from another country; `sent`:
  distinct volunteers of the host country's nationality placed abroad; `countries` the number of
  distinct other countries; `top_countries` up to five `[code, n]`, by count then code;
- `by_scheme`, `by_gender` and the rates are over the report's population, hosted and sent
  together; rates are over the counted placements that have ended (completed + interrupted).
"""

from collections import defaultdict
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce

from reciprocity.balance import sentences
from reciprocity.placements.models import Placement, PlacementStatus

COUNTED_STATUSES = (
    PlacementStatus.CONFIRMED,
    PlacementStatus.IN_MISSION,
    PlacementStatus.COMPLETED,
    PlacementStatus.INTERRUPTED,
)
BASES = ("start", "active")
TOP = 5


def counted_placements(
    *, year: int, scheme: str | None = None, basis: str = "start",
    queryset: QuerySet[Placement] | None = None,
) -> QuerySet[Placement]:
    """The placements a report for `year` counts (before choosing a host country)."""
    qs = (queryset if queryset is not None else Placement.objects.all()).filter(
        status__in=COUNTED_STATUSES
    )
    if scheme:
        qs = qs.filter(scheme_id=scheme)
    first, last = date(year, 1, 1), date(year, 12, 31)
    if basis == "start":
        return qs.filter(start_date__gte=first, start_date__lte=last)
    if basis == "active":
        if connection.vendor == "postgresql":
            # The same condition as below, said as a range overlap so that the GiST index on the
            # stay (placements migration 0004) answers it.
            return qs.extra(  # noqa: S610 - constant SQL, dates passed as parameters
                where=[
                    "daterange(placements_placement.start_date, COALESCE("
                    "placements_placement.ended_on, placements_placement.end_date), '[]') "
                    "&& daterange(%s, %s, '[]')"
                ],
                params=[first, last],
            )
        return qs.alias(effective_end=Coalesce("ended_on", "end_date")).filter(
            start_date__lte=last, effective_end__gte=first
        )
    raise ValueError(f"unknown basis {basis!r}")


def hosted_filter(host_country: str) -> Q:
    return Q(host_country=host_country) & ~Q(nationality=host_country)


def sent_filter(host_country: str) -> Q:
    return Q(nationality=host_country) & ~Q(host_country=host_country)


def _side(volunteers_by_country: dict[str, set[int]]) -> dict[str, Any]:
    counts = sorted(((code, len(ids)) for code, ids in volunteers_by_country.items()),
                    key=lambda item: (-item[1], item[0]))
    everyone: set[int] = set().union(*volunteers_by_country.values())
    return {
        "volunteers": len(everyone),
        "countries": len(counts),
        "top_countries": [[code, n] for code, n in counts[:TOP]],
    }


def annual_report(
    *, year: int, host_country: str = "FR", scheme: str | None = None, basis: str = "start",
    queryset: QuerySet[Placement] | None = None,
) -> dict[str, Any]:
    """The report as the `reciprocity report annual --json` contract prints it.

    `queryset` narrows the placements (a page may pass what its reader may see); the command
    line passes none and reports on the whole database. One query fetches the population (a
    few columns per placement); the distinct counts are made here, which is faster than one
    COUNT(DISTINCT) query per figure (bench/balance/README.md).
    """
    return annual_report_with_outcomes(year=year, host_country=host_country, scheme=scheme,
                                       basis=basis, queryset=queryset)[0]


def annual_report_with_outcomes(
    *, year: int, host_country: str = "FR", scheme: str | None = None, basis: str = "start",
    queryset: QuerySet[Placement] | None = None,
) -> tuple[dict[str, Any], dict[str, int]]:
    """The report, and the counts its rates come from (`completed`, `interrupted`): small
    numbers withhold the rates when either is small (disclosure.annual), and the contract
    does not print them."""
    host_country = host_country.upper()
    counted = counted_placements(year=year, scheme=scheme, basis=basis, queryset=queryset)
    rows = counted.filter(hosted_filter(host_country) | sent_filter(host_country)).values_list(
        # Scheme and gender are the placement's own snapshots: no join on the hot path.
        "volunteer_id", "nationality", "host_country", "scheme_id", "gender", "status",
    )
    hosted: dict[str, set[int]] = defaultdict(set)
    sent: dict[str, set[int]] = defaultdict(set)
    schemes: dict[str, set[int]] = defaultdict(set)
    genders: dict[str, set[int]] = {"F": set(), "M": set(), "X": set()}
    hosted_genders: set[str] = set()
    completed = interrupted = 0
    for volunteer, nationality, host, scheme_code, gender, status in rows.iterator(chunk_size=5000):
        if host == host_country:
            hosted[nationality].add(volunteer)
            hosted_genders.add(gender)
        else:
            sent[host].add(volunteer)
        schemes[scheme_code].add(volunteer)
        genders.setdefault(gender, set()).add(volunteer)
        completed += status == PlacementStatus.COMPLETED
        interrupted += status == PlacementStatus.INTERRUPTED
    hosted_side, sent_side = _side(hosted), _side(sent)
    total_ended = completed + interrupted
    words = {
        "year": year, "host_country": host_country, "scheme": scheme or None,
        "volunteers": hosted_side["volunteers"], "countries": hosted_side["countries"],
        "top": [code for code, _n in hosted_side["top_countries"]],
    }
    report = {
        "year": year,
        "host_country": host_country,
        "scheme": scheme or None,
        "basis": basis,
        "hosted": hosted_side,
        "sent": sent_side,
        "by_scheme": {code: len(ids) for code, ids in sorted(schemes.items())},
        "by_gender": {code: len(ids) for code, ids in genders.items()},
        "completion_rate": completed / total_ended if total_ended else 0.0,
        "early_termination_rate": interrupted / total_ended if total_ended else 0.0,
        "sentence_en": sentences.sentence_en(**words),
        "sentence_fr": sentences.sentence_fr(**words, all_women=hosted_genders == {"F"}),
        "sentence_es": sentences.sentence_es(**words, all_women=hosted_genders == {"F"}),
    }
    return report, {"completed": completed, "interrupted": interrupted}


def annual_breakdown(
    *, year: int, host_country: str = "FR", scheme: str | None = None, basis: str = "start",
    queryset: QuerySet[Placement] | None = None,
) -> dict[str, list[tuple[str, int]]]:
    """Every origin and every destination with its distinct volunteers (the report keeps five)."""
    host_country = host_country.upper()
    counted = counted_placements(year=year, scheme=scheme, basis=basis, queryset=queryset)
    out = {}
    for side, q, field in (("hosted", hosted_filter(host_country), "nationality"),
                           ("sent", sent_filter(host_country), "host_country")):
        rows = (counted.filter(q).values(field).annotate(n=Count("volunteer_id", distinct=True))
                .order_by("-n", field))
        out[side] = [(str(r[field]), r["n"]) for r in rows]
    return out
