"""Cohort pairing ("binômes"): pair each French volunteer with a foreign one.

COHORT.json (documented in docs/placement-engine.md)::

    {"french":  [{"id": "f1", "languages": ["fr", "en"], "themes": ["environment"],
                  "available_from": "2026-06-01", "available_to": "2026-08-31"}],
     "foreign": [{"id": "g1", "nationality": "SN", "languages": ["fr", "wo"],
                  "themes": ["environment", "education"],
                  "available_from": "2026-07-01", "available_to": "2026-09-30"}],
     "min_overlap_days": 14}

Two people can be paired only if they share a language (they must work
together) and their availabilities overlap by at least `min_overlap_days`
(default 14).  Compatibility, out of 100:
  language 40, +10 when they share two or more languages;
  themes   30 x |shared| / |all themes of both| (Jaccard);
  dates    20 x overlap / shorter availability.
The pairing maximises the number of pairs first, then total compatibility
(an assignment problem, solved exactly with scipy's linear_sum_assignment).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment

from reciprocity.domain.countries import is_country_code


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    languages: frozenset[str]
    themes: frozenset[str]
    available_from: date
    available_to: date
    nationality: str | None = None


@dataclass(frozen=True, slots=True)
class Cohort:
    french: tuple[Person, ...]
    foreign: tuple[Person, ...]
    min_overlap_days: int = 14


@dataclass
class InvalidCohort(Exception):
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Pair:
    french: str
    foreign: str
    score: float
    shared_languages: tuple[str, ...]
    shared_themes: tuple[str, ...]
    overlap_days: int
    explanation: str


@dataclass
class Pairing:
    pairs: list[Pair]
    unpaired: list[dict[str, str]]

    def to_json(self) -> dict[str, Any]:
        return {
            "pairs": [
                {
                    "french": p.french,
                    "foreign": p.foreign,
                    "score": p.score,
                    "shared_languages": list(p.shared_languages),
                    "shared_themes": list(p.shared_themes),
                    "overlap_days": p.overlap_days,
                    "explanation": p.explanation,
                }
                for p in self.pairs
            ],
            "unpaired": self.unpaired,
            "total_score": round(sum(p.score for p in self.pairs), 1),
        }

    def summary(self) -> str:
        lines = [
            f"{len(self.pairs)} pair(s), total compatibility {sum(p.score for p in self.pairs):.1f}"
        ]
        lines += [
            f"  {p.french} + {p.foreign} ({p.score:.1f}): {p.explanation}" for p in self.pairs
        ]
        if self.unpaired:
            lines.append("unpaired:")
            lines += [
                f"  {u['volunteer']} ({u['side']}): {u['explanation']}" for u in self.unpaired
            ]
        return "\n".join(lines)


def _strings(errors: list[str], where: str, key: str, value: Any, required: bool) -> frozenset[str]:
    if value is None and not required:
        return frozenset()
    if not isinstance(value, list) or not all(isinstance(x, str) and x for x in value):
        errors.append(f"{where}: {key} must be a list of non-empty strings")
        return frozenset()
    if required and not value:
        errors.append(f"{where}: {key} must not be empty")
    return frozenset(x.lower() for x in value)


def _date(errors: list[str], where: str, key: str, value: Any) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        errors.append(f"{where}: {key} must be a date YYYY-MM-DD, got {value!r}")
        return date.min


def _people(errors: list[str], data: dict[str, Any], side: str) -> list[Person]:
    raw = data.get(side)
    if not isinstance(raw, list):
        errors.append(f"'{side}' must be a list of volunteers")
        return []
    people = []
    for i, item in enumerate(raw):
        where = f"{side}[{i}]"
        if not isinstance(item, dict):
            errors.append(f"{where}: must be an object")
            continue
        pid = item.get("id")
        if not isinstance(pid, str) or not pid:
            errors.append(f"{where}: id must be a non-empty string")
            pid = ""
        else:
            where = f"{side} volunteer {pid!r}"
        nat = item.get("nationality")
        if nat is not None and not is_country_code(nat):
            errors.append(f"{where}: nationality {nat!r} is not an ISO 3166-1 alpha-2 code")
        start = _date(errors, where, "available_from", item.get("available_from"))
        end = _date(errors, where, "available_to", item.get("available_to"))
        if start != date.min and end != date.min and end < start:
            errors.append(f"{where}: available_to is before available_from")
        people.append(
            Person(
                pid,
                _strings(errors, where, "languages", item.get("languages"), True),
                _strings(errors, where, "themes", item.get("themes"), False),
                start,
                end,
                nat,
            )
        )
    return people


def parse_cohort(data: object) -> Cohort:
    """Validate COHORT.json data; raise `InvalidCohort` with every problem."""
    if not isinstance(data, dict):
        raise InvalidCohort(["the cohort must be a JSON object"])
    errors: list[str] = []
    french = _people(errors, data, "french")
    foreign = _people(errors, data, "foreign")
    ids = [p.id for p in french + foreign if p.id]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        errors.append(f"duplicate volunteer id {dup!r}")
    mod = data.get("min_overlap_days", 14)
    if not isinstance(mod, int) or isinstance(mod, bool) or mod < 0:
        errors.append(f"min_overlap_days must be a non-negative whole number, got {mod!r}")
        mod = 14
    if errors:
        raise InvalidCohort(errors)
    return Cohort(tuple(french), tuple(foreign), mod)


def _overlap(a: Person, b: Person) -> int:
    return max(
        0, (min(a.available_to, b.available_to) - max(a.available_from, b.available_from)).days + 1
    )


def compatibility(a: Person, b: Person, min_overlap: int) -> float | None:
    """Score out of 100, or None when they cannot be paired."""
    langs = a.languages & b.languages
    overlap = _overlap(a, b)
    if not langs or overlap < max(min_overlap, 1):
        return None
    score = 40.0 + (10.0 if len(langs) >= 2 else 0.0)
    union = a.themes | b.themes
    if union:
        score += 30.0 * len(a.themes & b.themes) / len(union)
    shorter = min((p.available_to - p.available_from).days + 1 for p in (a, b))
    score += 20.0 * overlap / shorter
    return round(score, 1)


def pair_cohort(cohort: Cohort) -> Pairing:
    """Maximum number of pairs, then maximum total compatibility."""
    fr, fo = cohort.french, cohort.foreign
    score = np.zeros((len(fr), len(fo)))
    ok = np.zeros((len(fr), len(fo)), bool)
    for i, a in enumerate(fr):
        for j, b in enumerate(fo):
            s = compatibility(a, b, cohort.min_overlap_days)
            if s is not None:
                score[i, j], ok[i, j] = s, True
    # One more pair is always worth more than any gain in score (scores <= 100).
    big = 100.0 * (min(len(fr), len(fo)) + 1)
    rows, cols = (
        linear_sum_assignment(np.where(ok, big + score, 0.0), maximize=True)
        if ok.any()
        else (np.zeros(0, int), np.zeros(0, int))
    )
    pairs: list[Pair] = []
    used_fr, used_fo = set(), set()
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
        if not ok[i, j]:
            continue
        a, b = fr[i], fo[j]
        langs = tuple(sorted(a.languages & b.languages))
        themes = tuple(sorted(a.themes & b.themes))
        days = _overlap(a, b)
        words = [f"both speak {', '.join(langs)}"]
        words.append(f"share {', '.join(themes)}" if themes else "no theme in common")
        words.append(
            f"available together for {days} days "
            f"({max(a.available_from, b.available_from)} to "
            f"{min(a.available_to, b.available_to)})"
        )
        pairs.append(Pair(a.id, b.id, float(score[i, j]), langs, themes, days, "; ".join(words)))
        used_fr.add(i)
        used_fo.add(j)
    unpaired = []
    for side, people, used, axis in (("french", fr, used_fr, 1), ("foreign", fo, used_fo, 0)):
        for i, p in enumerate(people):
            if i in used:
                continue
            n_ok = int(ok[i, :].sum() if axis == 1 else ok[:, i].sum())
            text = (
                "nobody on the other side shares a language and enough available days"
                if n_ok == 0
                else f"all {n_ok} compatible partner(s) are paired with someone else"
            )
            reason = "no_compatible_partner" if n_ok == 0 else "partners_taken"
            unpaired.append(
                {"volunteer": p.id, "side": side, "reason": reason, "explanation": text}
            )
    return Pairing(pairs, unpaired)
