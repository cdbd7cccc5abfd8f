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

from datetime import date
from typing import Any

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
        qs = qs.filter(mission__scheme_id=scheme)
    first, last = date(year, 1, 1), date(year, 12, 31)
    if basis == "start":
        return qs.filter(start_date__gte=first, start_date__lte=last)
    if basis == "active":
        return qs.alias(effective_end=Coalesce("ended_on", "end_date")).filter(
            start_date__lte=last, effective_end__gte=first
        )
    raise ValueError(f"unknown basis {basis!r}")


def hosted_filter(host_country: str) -> Q:
    return Q(host_country=host_country) & ~Q(nationality=host_country)


def sent_filter(host_country: str) -> Q:
    return Q(nationality=host_country) & ~Q(host_country=host_country)


def _side(qs: QuerySet[Placement], country_field: str) -> dict[str, Any]:
    rows = list(
        qs.values(country_field)
        .annotate(n=Count("volunteer_id", distinct=True))
        .order_by("-n", country_field)
    )
    return {
        "volunteers": qs.values("volunteer_id").distinct().count(),
        "countries": len(rows),
        "top_countries": [[str(row[country_field]), row["n"]] for row in rows[:TOP]],
    }


def annual_report(
    *, year: int, host_country: str = "FR", scheme: str | None = None, basis: str = "start",
    queryset: QuerySet[Placement] | None = None,
) -> dict[str, Any]:
    """The report as the `reciprocity report annual --json` contract prints it.

    `queryset` narrows the placements (a page may pass what its reader may see); the command
    line passes none and reports on the whole database.
    """
    host_country = host_country.upper()
    counted = counted_placements(year=year, scheme=scheme, basis=basis, queryset=queryset)
    hosted_qs = counted.filter(hosted_filter(host_country))
    sent_qs = counted.filter(sent_filter(host_country))
    population = counted.filter(hosted_filter(host_country) | sent_filter(host_country))

    hosted = _side(hosted_qs, "nationality")
    sent = _side(sent_qs, "host_country")
    by_scheme = {
        row["mission__scheme_id"]: row["n"]
        for row in population.values("mission__scheme_id")
        .annotate(n=Count("volunteer_id", distinct=True))
        .order_by("mission__scheme_id")
    }
    by_gender = {"F": 0, "M": 0, "X": 0}
    for row in population.values("volunteer__gender").annotate(
        n=Count("volunteer_id", distinct=True)
    ).order_by():
        by_gender[row["volunteer__gender"]] = row["n"]
    ended = {
        row["status"]: row["n"]
        for row in population.filter(
            status__in=[PlacementStatus.COMPLETED, PlacementStatus.INTERRUPTED]
        ).values("status").annotate(n=Count("id")).order_by()
    }
    completed = ended.get(PlacementStatus.COMPLETED, 0)
    interrupted = ended.get(PlacementStatus.INTERRUPTED, 0)
    total_ended = completed + interrupted
    top_codes = [code for code, _n in hosted["top_countries"]]
    all_women = hosted["volunteers"] > 0 and not hosted_qs.exclude(volunteer__gender="F").exists()
    words = {
        "year": year, "host_country": host_country, "scheme": scheme or None,
        "volunteers": hosted["volunteers"], "countries": hosted["countries"], "top": top_codes,
    }
    return {
        "year": year,
        "host_country": host_country,
        "scheme": scheme or None,
        "basis": basis,
        "hosted": hosted,
        "sent": sent,
        "by_scheme": by_scheme,
        "by_gender": by_gender,
        "completion_rate": completed / total_ended if total_ended else 0.0,
        "early_termination_rate": interrupted / total_ended if total_ended else 0.0,
        "sentence_en": sentences.sentence_en(**words),
        "sentence_fr": sentences.sentence_fr(**words, all_women=all_women),
    }


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
