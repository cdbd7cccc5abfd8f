"""Small numbers: what readers outside the organisations may see of the statistics.

Platform staff and members of an organisation see exact figures (they work with the named
placements anyway). Everyone else who can reach a statistic (a volunteer's account, an account
without membership) sees a count of 1 or 2 as "< 3": with a nationality, a host country, a
scheme and a year, such a cell can point at one person. A published total would give a lone
withheld cell back by subtraction, so a second figure is withheld with it ("withheld"). The
rule and what it does not protect are in docs/balance.md ("Small numbers").

This module is the one owner of the rule: the dashboard's datasets (table, chart and download),
the annual report (page, CSV, XLSX, PDF) and the API pass their figures through it before they
are rendered, drawn or exported. A withheld figure is a `Withheld` marker (`SMALL` or
`SECONDARY`): it prints as "< 3" or "withheld" in the reader's language; charts carry that text
and JSON carries `null`, never the value.
"""

from collections import defaultdict
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from django.conf import settings
from django.utils.translation import gettext

from reciprocity.accounts.selectors import AnyUser, is_platform_staff, member_organisation_ids

K = TypeVar("K", bound=Hashable)
Number = int | float | Decimal


def threshold() -> int:
    return int(getattr(settings, "SMALL_CELL_THRESHOLD", 3))


class Withheld:
    """A figure not shown: `SMALL` (below the threshold) or `SECONDARY` (withheld so that a
    total does not give a small one back). Compare with `is` or `is_withheld`."""

    __slots__ = ("small",)

    def __init__(self, *, small: bool) -> None:
        self.small = small

    def __str__(self) -> str:
        if self.small:
            return gettext("< %(threshold)s") % {"threshold": threshold()}
        return gettext("withheld")

    def __repr__(self) -> str:
        return "SMALL" if self.small else "SECONDARY"


SMALL = Withheld(small=True)
SECONDARY = Withheld(small=False)


def is_withheld(value: Any) -> bool:
    return isinstance(value, Withheld)


def sees_exact_figures(user: AnyUser) -> bool:
    return is_platform_staff(user) or bool(member_organisation_ids(user))


def is_small(value: Number | None) -> bool:
    """1 and 2 (with the default threshold). Zero is shown: it points at nobody."""
    return value is not None and 0 < value < threshold()


Relation = tuple[Collection[K], Collection[K]]
Intervals = list[tuple[int, int]]


def withhold(values: Mapping[K, Number], relations: Iterable[Relation[K]], *,
             counts: Collection[K] | None = None,
             already: Mapping[K, Withheld] | None = None) -> dict[K, Withheld]:
    """The figures to withhold among `values`.

    Primary: every small count (`counts`, default all values). Secondary: a relation is a group
    of published cells and the total(s) they add up to. A reader who knows the shown figures of
    a relation, and that a "< 3" figure is 1 or 2 and a "withheld" one is 0 or at least 3, may
    solve it for a withheld figure: then one more of its figures is withheld (a non-zero cell,
    else a total, else a zero cell; the smallest first), until no relation pins any withheld
    figure to a single value. Each relation is checked on its own, not every combination of
    relations (docs/balance.md). `already` seeds figures withheld elsewhere.
    """
    keys = values.keys() if counts is None else counts
    out: dict[K, Withheld] = {key: SMALL for key in keys if is_small(values.get(key))}
    out.update(already or {})
    groups = [([k for k in cells if k in values], [k for k in totals if k in values])
              for cells, totals in relations]
    changed = True
    while changed:
        changed = False
        for cells, totals in groups:
            if not _pins_one(values, out, cells, totals):
                continue
            candidates = [key for key in (*cells, *totals) if key not in out]
            if not candidates:
                continue
            pick = min(candidates, key=lambda key: (
                0 if key in cells and values[key] != 0 else 1 if key in totals else 2,
                abs(values[key]), str(key)))
            out[pick] = SECONDARY
            changed = True
    return out


def _pins_one(values: Mapping[K, Number], out: Mapping[K, Withheld], cells: Sequence[K],
              totals: Sequence[K]) -> bool:
    """Whether the relation sum(cells) = sum(totals) leaves a withheld figure one possible
    value, given the shown ones and what each marker says of its figure."""
    hidden = [key for key in (*cells, *totals) if key in out]
    if not hidden:
        return False
    t = threshold()
    # True values are at most the relation's whole sum: a tighter bound than "unbounded",
    # which can only make this check stricter.
    bound = sum(abs(int(values[key])) for key in (*cells, *totals)) + t

    def ranges(key: K) -> Intervals:
        return [(1, t - 1)] if out[key] is SMALL else [(0, 0), (t, max(t, bound))]

    sign = dict.fromkeys(cells, 1) | dict.fromkeys(totals, -1)
    # sum over the relation of sign * value is 0; the shown figures add up to -constant.
    constant = -int(sum(sign[key] * values[key] for key in (*cells, *totals) if key not in out))
    for key in hidden:
        reachable: Intervals = [(0, 0)]
        for other in hidden:
            if other == key:
                continue
            signed = [(lo, hi) if sign[other] == 1 else (-hi, -lo) for lo, hi in ranges(other)]
            reachable = _merge([(a + c, b + d) for a, b in reachable for c, d in signed])
        # sign[key] * value = constant - (the others' signed sum)
        possible = _merge([(sign[key] * (constant - lo), sign[key] * (constant - hi))
                           for lo, hi in reachable])
        if _count(_intersect(possible, ranges(key)), limit=2) < 2:
            return True
    return False


def _merge(intervals: Intervals) -> Intervals:
    merged: Intervals = []
    for lo, hi in sorted((min(a, b), max(a, b)) for a, b in intervals):
        if merged and lo <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def _intersect(first: Intervals, second: Intervals) -> Intervals:
    return [(max(a, c), min(b, d)) for a, b in first for c, d in second if max(a, c) <= min(b, d)]


def _count(intervals: Intervals, *, limit: int) -> int:
    return min(limit, sum(hi - lo + 1 for lo, hi in intervals))


def shown(value: Any, marker: Withheld | None) -> Any:
    """The value, or its marker when withheld."""
    return value if marker is None else marker


def for_chart(value: Any) -> Any:
    """What a chart carries: the marker's text ("< 3"), which balance.js does not draw."""
    return str(value) if is_withheld(value) else value


def for_json(value: Any) -> Any:
    """What an API carries: null for a withheld figure, through dicts, lists and pairs."""
    if isinstance(value, dict):
        return {k: for_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [for_json(v) for v in value]
    return None if is_withheld(value) else value


# --- the network: flows between countries, and each country's totals ---------------------------

PAIR_FIELDS = {"v": ("volunteers", "volunteer_months"),
               "r": ("realised_volunteers", "realised_months")}
COUNTRY_FIELDS = {("hosted", "v"): ("hosted", "hosted_months"),
                  ("sent", "v"): ("sent", "sent_months"),
                  ("hosted", "r"): ("hosted_realised",), ("sent", "r"): ("sent_realised",)}


def network_withheld(pairs: Sequence[Any]
                     ) -> tuple[dict[tuple[str, str], dict[str, Withheld]],
                                dict[str, dict[str, Withheld]]]:
    """For the flows of one year and scheme (objects with origin, host, volunteers,
    realised_volunteers): the withheld fields of each pair and of each country's totals
    (hosted, sent, net; realised; months follow their volunteers: one volunteer's months are one
    person's stay; the net goes with either side, which it would give back). The same answer
    for the flows, countries, origins and series tables and the API, so that no table shows
    what another withholds."""
    values: dict[tuple, Number] = {}
    relations: list[Relation[tuple]] = []
    countries = {p.origin for p in pairs} | {p.host for p in pairs}
    for measure, (attr, _months) in PAIR_FIELDS.items():
        by_host: dict[str, list[tuple]] = defaultdict(list)
        by_origin: dict[str, list[tuple]] = defaultdict(list)
        for p in pairs:
            key = ("pair", measure, p.origin, p.host)
            values[key] = getattr(p, attr)
            by_host[p.host].append(key)
            by_origin[p.origin].append(key)
        for side, groups in (("hosted", by_host), ("sent", by_origin)):
            for country in countries:
                total = (side, measure, country)
                values[total] = sum(values[key] for key in groups.get(country, []))
                relations.append((groups.get(country, []), [total]))
    out = withhold(values, relations)
    pair_fields: dict[tuple[str, str], dict[str, Withheld]] = defaultdict(dict)
    country_fields: dict[str, dict[str, Withheld]] = defaultdict(dict)
    for key, marker in out.items():
        if key[0] == "pair":
            for name in PAIR_FIELDS[key[1]]:
                pair_fields[(key[2], key[3])][name] = marker
        else:
            for name in COUNTRY_FIELDS[(key[0], key[1])]:
                country_fields[key[2]][name] = marker
    for fields in country_fields.values():
        if "hosted" in fields or "sent" in fields:
            fields["net"] = SECONDARY
    return dict(pair_fields), dict(country_fields)


def columns_withheld(rows: Sequence[Sequence[Any]], column: int, *,
                     total: Withheld | None = None) -> list[Withheld | None]:
    """For one column whose cells add up to a published total (per scheme: the country's
    hosted or sent), the marker of each row; `total` is the total's own marker, when the
    network withholds it."""
    values: dict[Any, Number] = {i: row[column] for i, row in enumerate(rows)}
    values["total"] = sum(values.values())
    out = withhold(values, [(list(range(len(rows))), ["total"])], counts=list(range(len(rows))),
                   already={"total": total} if total is not None else None)
    return [out.get(i) for i in range(len(rows))]


# --- the annual report --------------------------------------------------------------------------

def annual(report: dict[str, Any], *, per_country: Mapping[str, Mapping[str, int]],
           completed: int, interrupted: int) -> dict[str, Any]:
    """The report as a reader outside the organisations may see it: the same keys, withheld
    figures as markers, `suppressed` listing their paths (`hosted.volunteers`, `by_gender.M`,
    `hosted.top_countries.TN`, `completion_rate`...), and the sentences said with "fewer than
    3" when the number of volunteers hosted is withheld.

    `per_country` is every origin ("hosted") and destination ("sent") with its count (the
    report keeps five): secondary suppression needs the whole line. A page's labelled
    `breakdown` (code, name, n), if the report carries one, is withheld alike."""
    from reciprocity.balance import sentences

    values: dict[tuple[str, str], Number] = {}
    relations: list[Relation[tuple[str, str]]] = []
    for side in ("hosted", "sent"):
        values[(side, "")] = report[side]["volunteers"]
        cells = [(f"{side}.country", code) for code in per_country.get(side, {})]
        values.update({cell: per_country[side][cell[1]] for cell in cells})
        relations.append((cells, [(side, "")]))
    for key in ("by_scheme", "by_gender"):
        # Over the report's whole population: they add up to hosted + sent.
        cells = [(key, code) for code in report[key]]
        values.update({cell: report[key][cell[1]] for cell in cells})
        relations.append((cells, [("hosted", ""), ("sent", "")]))
    out_markers = withhold(values, relations)

    def marker(group: str, code: str) -> Withheld | None:
        return out_markers.get((group, code))

    out = dict(report)
    paths: list[str] = []
    for side in ("hosted", "sent"):
        block = dict(report[side])
        block["volunteers"] = shown(block["volunteers"], marker(side, ""))
        paths += [f"{side}.volunteers"] if marker(side, "") else []
        block["top_countries"] = [[code, shown(n, marker(f"{side}.country", code))]
                                  for code, n in report[side]["top_countries"]]
        paths += [f"{side}.top_countries.{code}" for code, _n in report[side]["top_countries"]
                  if marker(f"{side}.country", code)]
        if "breakdown" in out:
            out["breakdown"] = {**out["breakdown"], side: [
                (*row[:-1], shown(row[-1], marker(f"{side}.country", row[0])))
                for row in out["breakdown"][side]]}
        out[side] = block
    for key in ("by_scheme", "by_gender"):
        out[key] = {code: shown(n, marker(key, code)) for code, n in report[key].items()}
        paths += [f"{key}.{code}" for code in report[key] if marker(key, code)]
    # One rate gives the other (they add up to 1); either gives a small count back.
    if is_small(completed) or is_small(interrupted):
        out["completion_rate"] = out["early_termination_rate"] = SMALL
        paths += ["completion_rate", "early_termination_rate"]
    if is_withheld(out["hosted"]["volunteers"]):
        words = {"year": report["year"], "host_country": report["host_country"],
                 "scheme": report["scheme"], "volunteers": report["hosted"]["volunteers"],
                 "countries": report["hosted"]["countries"],
                 "top": [code for code, _n in report["hosted"]["top_countries"]]}
        # "fewer than 3" is only true of a small number; a secondary one is not said at all.
        fewer = threshold() if out["hosted"]["volunteers"] is SMALL else None
        out["sentence_en"] = sentences.sentence_en(**words, fewer_than=fewer, withheld=True)
        out["sentence_fr"] = sentences.sentence_fr(**words, fewer_than=fewer, withheld=True)
        out["sentence_es"] = sentences.sentence_es(**words, fewer_than=fewer, withheld=True)
    out["suppressed"] = paths
    return out
