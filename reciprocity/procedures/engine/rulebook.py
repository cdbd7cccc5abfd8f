"""The RuleBook: every rule the engine applies, built from plain data.

Two sources feed the same constructor:
- the files shipped with the package (`reciprocity/schemes/data/<code>.json` and
  `reciprocity/procedures/data/*.json`), read by `rulebook_from_files()`;
- later, rows edited by staff in the database, passed as plain dicts (or objects converted to
  dicts) to `rulebook_from_rows()`.

Scheme rules are versioned: several rows with the same key and different `effective_from`; the
value in force at a date is the row with the latest `effective_from` on or before that date.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .types import Owner

CONFIDENCES = ("verified", "secondary", "unverified")
PACKAGE_ROOT = Path(__file__).resolve().parents[2]
SCHEMES_DIR = PACKAGE_ROOT / "schemes" / "data"
PROCEDURES_DIR = PACKAGE_ROOT / "procedures" / "data"
SCHEME_CODES = ("service_civique", "vsi", "workcamp", "esc")
PROCEDURE_FILES = (
    "free_movement",
    "schengen_visa",
    "reciprocity_countries",
    "entry_documents",
    "steps",
)


class RuleDataError(ValueError):
    """The rule data is malformed (bad date, unknown confidence, owner or anchor...)."""


def _date(value: object, what: str) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise RuleDataError(f"{what}: not an ISO date: {value!r}")


def _confidence(value: object, what: str) -> str:
    if value not in CONFIDENCES:
        raise RuleDataError(f"{what}: confidence must be one of {CONFIDENCES}, not {value!r}")
    return str(value)


@dataclass(frozen=True)
class SchemeInfo:
    code: str
    name_en: str
    name_fr: str


@dataclass(frozen=True)
class RuleRow:
    scheme: str
    key: str
    value: Any
    effective_from: date
    unit: str = ""
    source: str = ""
    confidence: str = "verified"
    note: str = ""

    @classmethod
    def from_mapping(cls, row: Mapping[str, Any], scheme: str | None = None) -> RuleRow:
        code = scheme or row.get("scheme")
        if not code:
            raise RuleDataError(f"rule row without scheme: {row!r}")
        what = f"{code}.{row.get('key')}"
        return cls(
            scheme=str(code),
            key=str(row["key"]),
            value=row["value"],
            effective_from=_date(row["effective_from"], what),
            unit=str(row.get("unit") or ""),
            source=str(row.get("source") or ""),
            confidence=_confidence(row.get("confidence", "verified"), what),
            note=str(row.get("note") or ""),
        )


@dataclass(frozen=True)
class Suspension:
    scheme: str
    start: date
    end: date | None  # inclusive; None = open-ended (end not known)
    reason: str = ""
    source: str = ""
    confidence: str = "verified"

    @classmethod
    def from_mapping(cls, row: Mapping[str, Any], scheme: str | None = None) -> Suspension:
        code = scheme or row.get("scheme")
        if not code:
            raise RuleDataError(f"suspension without scheme: {row!r}")
        what = f"{code} suspension"
        start = _date(row["start"], what)
        end = _date(row["end"], what) if row.get("end") else None
        if end is not None and end < start:
            raise RuleDataError(f"{what}: end {end} before start {start}")
        return cls(
            scheme=str(code),
            start=start,
            end=end,
            reason=str(row.get("reason") or ""),
            source=str(row.get("source") or ""),
            confidence=_confidence(row.get("confidence", "verified"), what),
        )

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class ReciprocityCountry:
    code: str
    name: str
    evidence: str
    source: str
    confidence: str


@dataclass(frozen=True)
class VisaExemption:
    conditional: bool
    note: str


@dataclass(frozen=True)
class CountryData:
    """Nationality lists: free movement, Schengen annexes, reciprocity countries."""

    free_movement: frozenset[str]
    eea: frozenset[str]  # EU + EEA (not Switzerland)
    schengen: frozenset[str]  # states whose residence permits exempt from the short-stay visa
    visa_exempt: Mapping[str, VisaExemption]
    visa_required: frozenset[str]
    long_stay_visa_exempt: frozenset[str]
    long_stay_visa_exempt_confidence: str
    short_stay_max_days: int
    reciprocity_countries: Mapping[str, ReciprocityCountry]

    @classmethod
    def from_documents(cls, docs: Mapping[str, Mapping[str, Any]]) -> CountryData:
        fm = docs["free_movement"]["countries"]
        sv = docs["schengen_visa"]
        rc = docs["reciprocity_countries"]["countries"]
        lsve = sv.get("long_stay_visa_exempt", {})
        return cls(
            free_movement=frozenset(fm),
            eea=frozenset(c for c, flags in fm.items() if flags.get("eea")),
            schengen=frozenset(c for c, flags in fm.items() if flags.get("schengen")),
            visa_exempt={
                c: VisaExemption(bool(v.get("conditional")), str(v.get("note") or ""))
                for c, v in sv["visa_exempt"].items()
            },
            visa_required=frozenset(sv["visa_required"]),
            long_stay_visa_exempt=frozenset(lsve.get("countries", ())),
            long_stay_visa_exempt_confidence=_confidence(
                lsve.get("confidence", "verified"), "long_stay_visa_exempt"
            ),
            short_stay_max_days=int(sv.get("short_stay_max_days", 90)),
            reciprocity_countries={
                c: ReciprocityCountry(
                    code=c,
                    name=str(v.get("name") or c),
                    evidence=str(v.get("evidence") or ""),
                    source=str(v.get("source") or ""),
                    confidence=_confidence(v.get("confidence"), f"reciprocity country {c}"),
                )
                for c, v in rc.items()
            },
        )


@dataclass(frozen=True)
class EntryDocumentInfo:
    code: str
    source: str
    confidence: str
    note: str


@dataclass(frozen=True)
class LongStayRule:
    max_months: int | None  # None = no upper limit
    document: str
    source: str
    confidence: str
    note: str


ANCHORS = ("start", "end")


@dataclass(frozen=True)
class DateSpec:
    """A date = anchor moved by `months` calendar months (clamped), then by `days`."""

    anchor: str  # "start", "end" or "step:<code>.<due_from|due_by>"
    months: int = 0
    days: int = 0

    @classmethod
    def from_mapping(cls, spec: Mapping[str, Any] | None, what: str) -> DateSpec | None:
        if spec is None:
            return None
        anchor = str(spec.get("anchor"))
        if anchor not in ANCHORS:
            step, _, fld = anchor.removeprefix("step:").partition(".")
            if not anchor.startswith("step:") or not step or fld not in ("due_from", "due_by"):
                raise RuleDataError(f"{what}: unknown anchor {anchor!r}")
        return cls(anchor, int(spec.get("months", 0)), int(spec.get("days", 0)))


@dataclass(frozen=True)
class StepTemplate:
    code: str
    schemes: frozenset[str]
    owner: Owner
    title: str
    when: Mapping[str, Any]
    due_from: DateSpec | None
    due_by: DateSpec | None
    documents: tuple[str, ...]
    recommended: DateSpec | None = None
    documents_minor: tuple[str, ...] = ()
    source: str = ""
    confidence: str = "verified"
    note: str = ""

    @classmethod
    def from_mapping(cls, row: Mapping[str, Any]) -> StepTemplate:
        what = f"step {row.get('code')}"
        try:
            owner = Owner(row["owner"])
        except ValueError as exc:
            raise RuleDataError(f"{what}: unknown owner {row['owner']!r}") from exc
        return cls(
            code=str(row["code"]),
            schemes=frozenset(row["schemes"]),
            owner=owner,
            title=str(row.get("title") or f"step.{row['code']}"),
            when=dict(row.get("when") or {}),
            due_from=DateSpec.from_mapping(row.get("due_from"), what),
            due_by=DateSpec.from_mapping(row.get("due_by"), what),
            documents=tuple(row.get("documents") or ()),
            recommended=DateSpec.from_mapping(row.get("recommended"), what),
            documents_minor=tuple(row.get("documents_minor") or ()),
            source=str(row.get("source") or ""),
            confidence=_confidence(row.get("confidence", "verified"), what),
            note=str(row.get("note") or ""),
        )


@dataclass(frozen=True)
class RuleBook:
    schemes: Mapping[str, SchemeInfo]
    rules: Sequence[RuleRow]
    suspensions: Sequence[Suspension]
    countries: CountryData
    entry_documents: Mapping[str, EntryDocumentInfo]
    long_stay_rules: Mapping[str, tuple[LongStayRule, ...]]
    step_templates: Sequence[StepTemplate]
    long_stay_for_any_length: frozenset[str] = frozenset()  # schemes without short-stay entry
    _index: dict[tuple[str, str], list[RuleRow]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        for row in sorted(self.rules, key=lambda r: r.effective_from):
            self._index.setdefault((row.scheme, row.key), []).append(row)

    def rule(self, scheme: str, key: str, on: date) -> RuleRow | None:
        """The row of `key` in force on `on`: latest effective_from <= on (None if none)."""
        found = None
        for row in self._index.get((scheme, key), ()):
            if row.effective_from <= on:
                found = row
            else:
                break
        return found

    def history(self, scheme: str, key: str) -> tuple[RuleRow, ...]:
        return tuple(self._index.get((scheme, key), ()))

    def keys(self, scheme: str) -> tuple[str, ...]:
        return tuple(sorted({k for s, k in self._index if s == scheme}))

    def suspensions_for(self, scheme: str) -> tuple[Suspension, ...]:
        return tuple(
            sorted((s for s in self.suspensions if s.scheme == scheme), key=lambda s: s.start)
        )

    def templates_for(self, scheme: str) -> tuple[StepTemplate, ...]:
        return tuple(t for t in self.step_templates if scheme in t.schemes)


def _procedure_parts(
    docs: Mapping[str, Mapping[str, Any]],
) -> tuple[
    CountryData,
    dict[str, EntryDocumentInfo],
    dict[str, tuple[LongStayRule, ...]],
    list[StepTemplate],
    frozenset[str],
]:
    missing = [name for name in PROCEDURE_FILES if name not in docs]
    if missing:
        raise RuleDataError(f"missing procedure data: {', '.join(missing)}")
    entry = docs["entry_documents"]
    documents = {
        code: EntryDocumentInfo(
            code=code,
            source=str(info.get("source") or ""),
            confidence=_confidence(info.get("confidence", "verified"), f"entry document {code}"),
            note=str(info.get("note") or ""),
        )
        for code, info in entry["documents"].items()
    }
    long_stay: dict[str, tuple[LongStayRule, ...]] = {}
    for scheme, spec in entry["schemes"].items():
        rules = []
        for item in spec["long_stay"]:
            if item["document"] not in documents:
                raise RuleDataError(f"{scheme}: unknown entry document {item['document']!r}")
            rules.append(
                LongStayRule(
                    max_months=item.get("max_months"),
                    document=item["document"],
                    source=str(item.get("source") or ""),
                    confidence=_confidence(item.get("confidence"), f"{scheme} long stay"),
                    note=str(item.get("note") or ""),
                )
            )
        long_stay[scheme] = tuple(rules)
    templates = [StepTemplate.from_mapping(t) for t in docs["steps"]["templates"]]
    always_long = frozenset(
        scheme for scheme, spec in entry["schemes"].items() if spec.get("long_stay_for_any_length")
    )
    return CountryData.from_documents(docs), documents, long_stay, templates, always_long


def rulebook_from_rows(
    *,
    schemes: Iterable[Mapping[str, Any]],
    rule_rows: Iterable[Mapping[str, Any]],
    suspension_rows: Iterable[Mapping[str, Any]],
    procedure_documents: Mapping[str, Mapping[str, Any]],
) -> RuleBook:
    """Build a RuleBook from flat rows (each rule and suspension row names its `scheme`).

    This is the shape a Django selector produces from `Scheme`, `SchemeRule` and
    `SchemeSuspension` rows (`.values()` with `scheme__code` renamed to `scheme`); dates may be
    `date` objects or ISO strings.
    """
    infos = {
        str(s["code"]): SchemeInfo(
            str(s["code"]), str(s.get("name_en", "")), str(s.get("name_fr", ""))
        )
        for s in schemes
    }
    countries, documents, long_stay, templates, always_long = _procedure_parts(procedure_documents)
    return RuleBook(
        schemes=infos,
        rules=tuple(RuleRow.from_mapping(r) for r in rule_rows),
        suspensions=tuple(Suspension.from_mapping(s) for s in suspension_rows),
        countries=countries,
        entry_documents=documents,
        long_stay_rules=long_stay,
        step_templates=tuple(templates),
        long_stay_for_any_length=always_long,
    )


def rulebook_from_data(
    *,
    scheme_documents: Iterable[Mapping[str, Any]],
    procedure_documents: Mapping[str, Mapping[str, Any]],
) -> RuleBook:
    """Build a RuleBook from scheme documents in the `schemes/data/<code>.json` format."""
    schemes: list[dict[str, Any]] = []
    rules: list[dict[str, Any]] = []
    suspensions: list[dict[str, Any]] = []
    for doc in scheme_documents:
        code = doc["code"]
        schemes.append(
            {"code": code, "name_en": doc.get("name_en", ""), "name_fr": doc.get("name_fr", "")}
        )
        rules.extend({**row, "scheme": code} for row in doc.get("rules", ()))
        suspensions.extend({**row, "scheme": code} for row in doc.get("suspensions", ()))
    return rulebook_from_rows(
        schemes=schemes,
        rule_rows=rules,
        suspension_rows=suspensions,
        procedure_documents=procedure_documents,
    )


def read_json(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def load_scheme_documents(directory: Path = SCHEMES_DIR) -> list[dict[str, Any]]:
    return [read_json(directory / f"{code}.json") for code in SCHEME_CODES]


def load_procedure_documents(directory: Path = PROCEDURES_DIR) -> dict[str, dict[str, Any]]:
    return {name: read_json(directory / f"{name}.json") for name in PROCEDURE_FILES}


def rulebook_from_files(
    schemes_dir: Path = SCHEMES_DIR, procedures_dir: Path = PROCEDURES_DIR
) -> RuleBook:
    """The RuleBook of the files shipped with the package."""
    return rulebook_from_data(
        scheme_documents=load_scheme_documents(schemes_dir),
        procedure_documents=load_procedure_documents(procedures_dir),
    )
