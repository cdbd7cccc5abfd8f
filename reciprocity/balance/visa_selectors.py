"""Visa figures for a reader: rows read from the visa outcomes, counted by `visa_figures`,
small numbers withheld by `disclosure` (the one owner of that rule).

Scope, as for the other network figures (selectors.py): statistics without names, seen by every
signed-in user, exact for platform staff and organisation members, with counts of 1 or 2 (and
what would give them back) withheld for everyone else; anonymous visitors get nothing.
"""

from dataclasses import dataclass, field
from typing import Any

from django_countries import countries as country_names

from reciprocity.accounts.selectors import AnyUser
from reciprocity.balance import disclosure
from reciprocity.balance.visa_figures import ALL, VisaFigures, VisaRow, visa_figures
from reciprocity.procedures.models import VisaOutcome
from reciprocity.schemes.models import Scheme

COUNTS = ("decided", "refused", "lost")
# The figures a row shows, in the order of the table.
FIELDS = ("decided", "refused", "refusal_rate", "median_days", "lost")


@dataclass
class VisaTable:
    """What the include renders: one dict per row, figures as values or `Withheld` markers."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    exact: bool = True
    suppressed: bool = False


def visa_rows(*, year: int | None = None, host_country: str | None = None,
              scheme: str | None = None) -> list[VisaRow]:
    """The outcomes of placements starting in `year` (the year whose quota they count
    against, as in the ledger), hosted in `host_country`, under `scheme`."""
    qs = VisaOutcome.objects.all()
    if year is not None:
        qs = qs.filter(placement__start_date__year=year)
    if host_country:
        qs = qs.filter(placement__host_country=host_country.upper())
    if scheme:
        qs = qs.filter(placement__scheme_id=scheme)
    return [
        VisaRow(nationality=str(nationality), scheme=scheme_id, decision=decision,
                application_date=applied, decision_date=decided, placement_status=status)
        for nationality, scheme_id, decision, applied, decided, status in qs.values_list(
            "placement__nationality", "placement__scheme_id", "decision", "application_date",
            "decision_date", "placement__status").order_by("pk")
    ]


def withheld_figures(figures: list[VisaFigures]) -> dict[tuple[str, str, str], disclosure.Withheld]:
    """The markers of the figures a reader outside the organisations may not see, keyed by
    (scheme, nationality, field). Each scheme's nationalities add up to its total row, per
    count: a relation, so that the total never gives a lone "< 3" back. The rate follows its
    two counts, the median its decided count (one or two people's own dates)."""
    values: dict[tuple[str, str, str], int] = {}
    relations: list[disclosure.Relation[tuple[str, str, str]]] = []
    for scheme in {f.scheme for f in figures}:
        rows = [f for f in figures if f.scheme == scheme]
        for count in COUNTS:
            for f in rows:
                values[(scheme, f.nationality, count)] = getattr(f, count)
            relations.append((
                [(scheme, f.nationality, count) for f in rows if f.nationality != ALL],
                [(scheme, ALL, count)] if any(f.nationality == ALL for f in rows) else [],
            ))
    out = disclosure.withhold(values, relations)
    for f in figures:
        decided = out.get((f.scheme, f.nationality, "decided"))
        refused = out.get((f.scheme, f.nationality, "refused"))
        if decided or refused:
            out[(f.scheme, f.nationality, "refusal_rate")] = disclosure.SECONDARY
        if decided:
            out[(f.scheme, f.nationality, "median_days")] = disclosure.SECONDARY
    return out


def visa_table(*, user: AnyUser, year: int | None = None, host_country: str | None = None,
               scheme: str | None = None) -> VisaTable:
    """The visa figures per nationality and scheme as `user` may see them."""
    if not user.is_authenticated:
        return VisaTable(exact=False)
    return visa_table_as(exact=disclosure.sees_exact_figures(user), year=year,
                         host_country=host_country, scheme=scheme)


def visa_table_as(*, exact: bool, year: int | None = None, host_country: str | None = None,
                  scheme: str | None = None) -> VisaTable:
    """The table with exact figures or small numbers withheld, for a caller that has no user
    (`reciprocity report annual`, run by an operator on the whole database: exact)."""
    figures = visa_figures(visa_rows(year=year, host_country=host_country, scheme=scheme))
    markers = {} if exact else withheld_figures(figures)
    names = {s.code: s.name for s in Scheme.objects.filter(code__in={f.scheme for f in figures})}
    rows: list[dict[str, Any]] = []
    for f in figures:
        row: dict[str, Any] = {
            "scheme": f.scheme, "scheme_name": names.get(f.scheme, f.scheme),
            "nationality": f.nationality, "total": f.nationality == ALL,
            "country_name": "" if f.nationality == ALL else str(country_names.name(f.nationality)),
        }
        for name in FIELDS:
            row[name] = disclosure.shown(getattr(f, name), markers.get((f.scheme, f.nationality, name)))
        row["withheld"] = any(disclosure.is_withheld(row[name]) for name in FIELDS)
        rows.append(row)
    # Rows holding a withheld figure come last in their scheme (before its total), so that
    # their place in the order does not hint at their size (docs/balance.md).
    rows.sort(key=lambda r: (r["scheme"], r["total"], r["withheld"], r["nationality"]))
    return VisaTable(rows=rows, exact=exact, suppressed=any(r["withheld"] for r in rows))


def visa_json(table: VisaTable) -> list[dict[str, Any]]:
    """The table as the annual report's JSON carries it (`--json` and the API): codes, the
    scheme's total with nationality null, a withheld figure null and named in the row's
    `suppressed` (the API's convention, docs/balance.md)."""
    out = []
    for row in table.rows:
        values = {name: row[name] for name in FIELDS}
        out.append({
            "scheme": row["scheme"], "nationality": None if row["total"] else row["nationality"],
            **{name: None if disclosure.is_withheld(v) else v for name, v in values.items()},
            "suppressed": [name for name, v in values.items() if disclosure.is_withheld(v)],
        })
    return out
