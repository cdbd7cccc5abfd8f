"""The placement instance: plain dataclasses, parsing from JSON data and validation.

`parse_instance` turns the decoded INSTANCE.json into an `Instance` or raises
`InvalidInstance` carrying *every* problem found (not only the first), so a
coordinator can fix an export in one go.  A service building the instance from
the database can construct the dataclasses directly and call `validate`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from reciprocity.domain.countries import is_country_code
from reciprocity.domain.languages import is_language_code, level_rank

from .requirements import describe_unmet, unmet

GENDERS = ("F", "M", "X")
DEFAULT_MAX_PER_NATIONALITY = 2
DEFAULT_UNPLACED_PENALTY = 100


@dataclass(frozen=True, slots=True)
class Language:
    """A language a volunteer speaks, or one a mission requires.

    `code` is an ISO 639 code in lower case; `level` the CEFR rank (1 = A1 ... 6 = C2, see
    reciprocity.domain.languages), None when not stated: a requirement without a level asks only
    that the volunteer lists the language; a volunteer's language without a level meets only those.
    """

    code: str
    level: int | None = None


@dataclass(frozen=True, slots=True)
class Mission:
    """A mission (work camp) with its group rules and its requirements of each volunteer."""

    id: str
    capacity: int
    host_country: str
    max_per_nationality: int = DEFAULT_MAX_PER_NATIONALITY
    #: |F - M| <= gender_tolerance; None means no gender rule. X counts for neither.
    gender_tolerance: int | None = None
    #: The day ages are counted on; required when an age bound is set.
    start_date: date | None = None
    age_min: int | None = None
    age_max: int | None = None
    #: Every one is required, each at its level or above.
    languages: tuple[Language, ...] = ()

    @property
    def has_requirements(self) -> bool:
        return self.age_min is not None or self.age_max is not None or bool(self.languages)


@dataclass(frozen=True, slots=True)
class Volunteer:
    """A volunteer; `choices` are mission ids, best first (rank 1 = first choice)."""

    id: str
    nationality: str
    gender: str
    choices: tuple[str, ...]
    #: Unknown birth date: the volunteer meets no age bound (a hard rule is met only when shown).
    birth_date: date | None = None
    languages: tuple[Language, ...] = ()


@dataclass(frozen=True, slots=True)
class Agreement:
    """Bilateral agreement between countries[0] (a) and countries[1] (b).

    |S(a->b) - S(b->a)| <= tolerance, where S(a->b) counts nationals of a placed
    in missions hosted in b; `maximum` is (max a->b, max b->a), None = unbounded.
    """

    countries: tuple[str, str]
    tolerance: int
    maximum: tuple[int | None, int | None] = (None, None)


@dataclass(frozen=True, slots=True)
class FixedPlacement:
    """A placement already made: kept as is and counted by every rule."""

    volunteer: str
    mission: str


@dataclass(frozen=True, slots=True)
class Instance:
    """A whole placement problem. The order of `volunteers` is the application order."""

    missions: tuple[Mission, ...]
    volunteers: tuple[Volunteer, ...]
    agreements: tuple[Agreement, ...] = ()
    fixed: tuple[FixedPlacement, ...] = ()
    unplaced_penalty: float = DEFAULT_UNPLACED_PENALTY


@dataclass
class InvalidInstance(Exception):
    """Raised with the complete list of problems of an instance."""

    errors: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(self.errors)


def _is_int(value: object) -> bool:
    # bool is a subclass of int, but `true` is never a sensible capacity.
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return (_is_int(value) or isinstance(value, float)) and value == value  # rejects NaN


def _nonneg_int(errors: list[str], where: str, name: str, value: object) -> int:
    if not _is_int(value):
        errors.append(f"{where}: {name} must be a whole number, got {value!r}")
        return 0
    if value < 0:  # type: ignore[operator]
        errors.append(f"{where}: {name} must not be negative, got {value}")
        return 0
    return int(value)  # type: ignore[call-overload]


def _country(errors: list[str], where: str, name: str, value: object) -> str:
    if not is_country_code(value):
        errors.append(
            f"{where}: {name} {value!r} is not an ISO 3166-1 alpha-2 country code "
            "(two upper-case letters, e.g. FR)"
        )
        return ""
    return str(value)


def _ident(errors: list[str], where: str, value: object) -> str:
    if not isinstance(value, str) or not value:
        errors.append(f"{where}: id must be a non-empty string, got {value!r}")
        return ""
    return value


def _date(errors: list[str], where: str, name: str, value: object) -> date | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return date.fromisoformat(value) if len(value) == 10 else None
        except ValueError:
            pass
    errors.append(f"{where}: {name} must be a date YYYY-MM-DD, got {value!r}")
    return None


def _languages(errors: list[str], where: str, value: object) -> tuple[Language, ...]:
    """`[{"code": "fr", "level": "B2"}, "en", ...]`: a bare code states no level."""
    if value is None:
        return ()
    if not isinstance(value, list):
        errors.append(f"{where}: languages must be a list")
        return ()
    out: dict[str, Language] = {}
    for item in value:
        code, level = (item, None) if isinstance(item, str) else (None, None)
        if isinstance(item, dict):
            code, level = item.get("code"), item.get("level")
        if not is_language_code(code):
            errors.append(
                f"{where}: language {item!r} needs a code of two or three letters (ISO 639)"
            )
            continue
        rank = None
        if level is not None:
            try:
                rank = level_rank(level)
            except ValueError as exc:
                errors.append(f"{where}: language {code!r}: {exc}")
                continue
        key = str(code).lower()
        if key in out:
            errors.append(f"{where}: language {key!r} is given more than once")
            continue
        out[key] = Language(key, rank)
    return tuple(out.values())


def _list(errors: list[str], data: Mapping[str, Any], key: str, required: bool) -> list[Any]:
    if key not in data or data[key] is None:
        if required:
            errors.append(f"'{key}' is missing: it must be a list")
        return []
    value = data[key]
    if not isinstance(value, list):
        errors.append(f"'{key}' must be a list, got {type(value).__name__}")
        return []
    return value


def _parse_missions(errors: list[str], raw: list[Any]) -> list[Mission]:
    missions = []
    for i, item in enumerate(raw):
        where = f"missions[{i}]"
        if not isinstance(item, dict):
            errors.append(f"{where}: must be an object")
            continue
        mid = _ident(errors, where, item.get("id"))
        where = f"mission {mid!r}" if mid else where
        if "capacity" not in item:
            errors.append(f"{where}: capacity is missing")
        capacity = _nonneg_int(errors, where, "capacity", item.get("capacity", 0))
        host = _country(errors, where, "host_country", item.get("host_country"))
        mpn_raw = item.get("max_per_nationality")
        mpn = (
            DEFAULT_MAX_PER_NATIONALITY
            if mpn_raw is None
            else _nonneg_int(errors, where, "max_per_nationality", mpn_raw)
        )
        tol_raw = item.get("gender_tolerance")
        tol = None if tol_raw is None else _nonneg_int(errors, where, "gender_tolerance", tol_raw)
        ages = [
            None if item.get(k) is None else _nonneg_int(errors, where, k, item.get(k))
            for k in ("age_min", "age_max")
        ]
        start = _date(errors, where, "start_date", item.get("start_date"))
        langs = _languages(errors, where, item.get("languages"))
        missions.append(Mission(mid, capacity, host, mpn, tol, start, ages[0], ages[1], langs))
    return missions


def _parse_volunteers(errors: list[str], raw: list[Any]) -> list[Volunteer]:
    volunteers = []
    for i, item in enumerate(raw):
        where = f"volunteers[{i}]"
        if not isinstance(item, dict):
            errors.append(f"{where}: must be an object")
            continue
        vid = _ident(errors, where, item.get("id"))
        where = f"volunteer {vid!r}" if vid else where
        nat = _country(errors, where, "nationality", item.get("nationality"))
        gender = item.get("gender")
        if gender not in GENDERS:
            errors.append(f"{where}: gender must be one of F, M, X, got {gender!r}")
            gender = "X"
        choices = item.get("choices", [])
        if choices is None:
            choices = []
        if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
            errors.append(f"{where}: choices must be a list of mission ids")
            choices = []
        birth = _date(errors, where, "birth_date", item.get("birth_date"))
        langs = _languages(errors, where, item.get("languages"))
        volunteers.append(Volunteer(vid, nat, str(gender), tuple(choices), birth, langs))
    return volunteers


def _parse_agreements(errors: list[str], raw: list[Any]) -> list[Agreement]:
    agreements = []
    for i, item in enumerate(raw):
        where = f"agreements[{i}]"
        if not isinstance(item, dict):
            errors.append(f"{where}: must be an object")
            continue
        countries = item.get("countries")
        if not isinstance(countries, list) or len(countries) != 2:
            errors.append(f"{where}: countries must be a list of two country codes")
            continue
        a = _country(errors, where, "country", countries[0])
        b = _country(errors, where, "country", countries[1])
        if "tolerance" not in item:
            errors.append(f"{where}: tolerance is missing")
        tol = _nonneg_int(errors, where, "tolerance", item.get("tolerance", 0))
        max_raw = item.get("max")
        maximum: tuple[int | None, int | None] = (None, None)
        if max_raw is not None:
            if not isinstance(max_raw, list) or len(max_raw) != 2:
                errors.append(f"{where}: max must be a list of two numbers (or null)")
            else:
                maximum = tuple(  # type: ignore[assignment]
                    None if m is None else _nonneg_int(errors, where, "max", m) for m in max_raw
                )
        agreements.append(Agreement((a, b), tol, maximum))
    return agreements


def _parse_fixed(errors: list[str], raw: list[Any]) -> list[FixedPlacement]:
    fixed = []
    for i, item in enumerate(raw):
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("volunteer"), str)
            or not isinstance(item.get("mission"), str)
        ):
            errors.append(f"fixed[{i}]: must be an object with string 'volunteer' and 'mission'")
            continue
        fixed.append(FixedPlacement(item["volunteer"], item["mission"]))
    return fixed


def parse_instance(data: object) -> Instance:
    """Build and validate an `Instance` from decoded JSON; raise `InvalidInstance`."""
    errors: list[str] = []
    if not isinstance(data, dict):
        raise InvalidInstance(["the instance must be a JSON object"])
    missions = _parse_missions(errors, _list(errors, data, "missions", True))
    volunteers = _parse_volunteers(errors, _list(errors, data, "volunteers", True))
    agreements = _parse_agreements(errors, _list(errors, data, "agreements", False))
    fixed = _parse_fixed(errors, _list(errors, data, "fixed", False))
    penalty = data.get("unplaced_penalty", DEFAULT_UNPLACED_PENALTY)
    if penalty is None:
        penalty = DEFAULT_UNPLACED_PENALTY
    if not _is_number(penalty) or penalty < 0:
        errors.append(f"unplaced_penalty must be a non-negative number, got {penalty!r}")
        penalty = DEFAULT_UNPLACED_PENALTY
    instance = Instance(
        tuple(missions), tuple(volunteers), tuple(agreements), tuple(fixed), penalty
    )
    errors.extend(validate(instance, structural_only=bool(errors)))
    if errors:
        raise InvalidInstance(errors)
    return instance


def _duplicates(values: Sequence[str]) -> list[str]:
    return sorted(v for v, n in Counter(values).items() if n > 1 and v)


def validate(instance: Instance, *, structural_only: bool = False) -> list[str]:
    """Return every cross-reference problem of `instance` (empty list when valid).

    Checks ids, choices, agreements, and that the fixed placements alone respect
    every rule: the engine keeps fixed placements untouched, so if they break a
    rule no assignment can repair it reliably (documented decision).
    With `structural_only` the rule check of fixed placements is skipped (it is
    meaningless while fields are already known to be wrong).
    """
    errors: list[str] = []
    for dup in _duplicates([m.id for m in instance.missions]):
        errors.append(f"duplicate mission id {dup!r}")
    for dup in _duplicates([v.id for v in instance.volunteers]):
        errors.append(f"duplicate volunteer id {dup!r}")
    missions = {m.id: m for m in instance.missions}
    volunteers = {v.id: v for v in instance.volunteers}
    for m in instance.missions:
        if m.age_min is not None and m.age_max is not None and m.age_min > m.age_max:
            errors.append(f"mission {m.id!r}: age_min {m.age_min} is above age_max {m.age_max}")
        if (m.age_min is not None or m.age_max is not None) and m.start_date is None:
            errors.append(
                f"mission {m.id!r}: start_date is missing; ages are counted on it (age_min, age_max)"
            )
    for v in instance.volunteers:
        for dup in _duplicates(list(v.choices)):
            errors.append(f"volunteer {v.id!r}: mission {dup!r} is chosen more than once")
        for c in v.choices:
            if c not in missions:
                errors.append(f"volunteer {v.id!r}: unknown mission {c!r} in choices")
    pairs: Counter[frozenset[str]] = Counter()
    for ag in instance.agreements:
        a, b = ag.countries
        if a and a == b:
            errors.append(f"agreement {a}-{b}: an agreement of a country with itself")
        elif a and b:
            pairs[frozenset((a, b))] += 1
    for pair, n in pairs.items():
        if n > 1:
            errors.append(f"agreement {'-'.join(sorted(pair))} is given {n} times")
    seen: set[str] = set()
    for f in instance.fixed:
        if f.volunteer not in volunteers:
            errors.append(f"fixed placement: unknown volunteer {f.volunteer!r}")
        if f.mission not in missions:
            errors.append(f"fixed placement of {f.volunteer!r}: unknown mission {f.mission!r}")
        if f.volunteer in seen:
            errors.append(f"fixed placement: volunteer {f.volunteer!r} is placed more than once")
        seen.add(f.volunteer)
    if errors or structural_only:
        return errors
    return _fixed_rule_errors(instance, missions, volunteers)


def _fixed_rule_errors(
    instance: Instance, missions: dict[str, Mission], volunteers: dict[str, Volunteer]
) -> list[str]:
    errors: list[str] = []
    for f in instance.fixed:
        part = unmet(volunteers[f.volunteer], missions[f.mission])
        if part is not None:
            errors.append(f"fixed placement of {f.volunteer!r}: {describe_unmet(part)}")
    count: Counter[str] = Counter()
    per_nat: Counter[tuple[str, str]] = Counter()
    balance: Counter[str] = Counter()
    flow: Counter[tuple[str, str]] = Counter()
    for f in instance.fixed:
        v, m = volunteers[f.volunteer], missions[f.mission]
        count[m.id] += 1
        per_nat[(m.id, v.nationality)] += 1
        balance[m.id] += {"F": 1, "M": -1}.get(v.gender, 0)
        flow[(v.nationality, m.host_country)] += 1
    for mid, n in count.items():
        m = missions[mid]
        if n > m.capacity:
            errors.append(
                f"fixed placements: {n} volunteers in mission {mid!r} (capacity {m.capacity})"
            )
        if m.gender_tolerance is not None and abs(balance[mid]) > m.gender_tolerance:
            errors.append(
                f"fixed placements: mission {mid!r} has |F - M| = {abs(balance[mid])}, "
                f"above its gender tolerance {m.gender_tolerance}"
            )
    for (mid, nat), n in per_nat.items():
        if n > missions[mid].max_per_nationality:
            errors.append(
                f"fixed placements: {n} {nat} nationals in mission {mid!r} "
                f"(max {missions[mid].max_per_nationality} per nationality)"
            )
    for ag in instance.agreements:
        a, b = ag.countries
        ab, ba = flow[(a, b)], flow[(b, a)]
        if abs(ab - ba) > ag.tolerance:
            errors.append(
                f"fixed placements: agreement {a}-{b} has {a}->{b} = {ab} and {b}->{a} = {ba}, "
                f"beyond its tolerance {ag.tolerance}"
            )
        for (src, dst), n, mx in (((a, b), ab, ag.maximum[0]), ((b, a), ba, ag.maximum[1])):
            if mx is not None and n > mx:
                errors.append(
                    f"fixed placements: agreement {a}-{b} has {src}->{dst} = {n}, above its maximum {mx}"
                )
    return errors
