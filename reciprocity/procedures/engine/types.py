"""Plain frozen dataclasses going into and out of the engine (no Django, no clock)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from .messages import render


class Owner(StrEnum):
    VOLUNTEER = "volunteer"
    SENDING_ORGANISATION = "sending_organisation"
    HOST_ORGANISATION = "host_organisation"
    COORDINATOR = "coordinator"


class Path(StrEnum):
    """How the volunteer relates to the host country (decides visas and the SC reciprocity rule)."""

    FREE_MOVEMENT = "free_movement"  # holds an EU/EEA/Swiss nationality
    RESIDENT = "resident"  # resides in the host country (already holds a permit)
    FOREIGN = "foreign"  # neither: enters the host country for the mission


@dataclass(frozen=True)
class VolunteerFacts:
    """What is known of the volunteer. `None` means "not given": the matching rule is not checked."""

    nationalities: tuple[str, ...]
    residence: str | None = None  # defaults to the first nationality
    birth_date: date | None = None
    disability: bool = False
    prior_service_civique: bool = False
    prior_vsi_months: float | None = None

    @property
    def residence_country(self) -> str:
        return self.residence or self.nationalities[0]


@dataclass(frozen=True)
class HostFacts:
    """Optional facts about the host organisation; a missing fact means its rule is not checked."""

    accredited: bool | None = None
    authorised_places: int | None = None
    used_places: int | None = None
    prefectoral_agrement: bool | None = None  # CESEDA L.426-21 associative-volunteering agrément


@dataclass(frozen=True)
class MissionFacts:
    start: date
    end: date  # inclusive
    host_country: str = "FR"
    weekly_hours: float | None = None
    host: HostFacts = field(default_factory=HostFacts)


@dataclass(frozen=True)
class PlanRequest:
    scheme: str
    volunteer: VolunteerFacts
    mission: MissionFacts


@dataclass(frozen=True)
class Finding:
    """A reason or a warning: a stable code plus the parameters of its message."""

    code: str
    params: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, code: str, **params: object) -> Finding:
        return cls(code, tuple((k, str(v)) for k, v in params.items()))

    def message(self, lang: str = "en") -> str:
        return render(self.code, lang, dict(self.params))

    def to_dict(self, lang: str = "en") -> dict[str, str]:
        return {"code": self.code, "message": self.message(lang)}


@dataclass(frozen=True)
class EntryDocument:
    code: str
    source: str = ""
    confidence: str = "verified"

    def label(self, lang: str = "en") -> str:
        return render(f"entry.{self.code}", lang, {})

    def to_dict(self, lang: str = "en") -> dict[str, str]:
        return {"code": self.code, "label": self.label(lang)}


@dataclass(frozen=True)
class Step:
    code: str
    title_key: str
    owner: Owner
    due_from: date | None
    due_by: date | None
    documents: tuple[str, ...]
    title_params: tuple[tuple[str, str], ...] = ()
    source: str = ""
    confidence: str = "verified"

    def title(self, lang: str = "en") -> str:
        return render(self.title_key, lang, dict(self.title_params))

    def to_dict(self, lang: str = "en") -> dict[str, object]:
        return {
            "code": self.code,
            "title": self.title(lang),
            "owner": self.owner.value,
            "due_from": self.due_from.isoformat() if self.due_from else None,
            "due_by": self.due_by.isoformat() if self.due_by else None,
            "documents": list(self.documents),
        }


@dataclass(frozen=True)
class Eligibility:
    reasons: tuple[Finding, ...]
    warnings: tuple[Finding, ...] = ()

    @property
    def eligible(self) -> bool:
        return not self.reasons


@dataclass(frozen=True)
class Plan:
    eligible: bool
    reasons: tuple[Finding, ...]
    entry_document: EntryDocument
    steps: tuple[Step, ...]
    warnings: tuple[Finding, ...]

    def to_dict(self, lang: str = "en") -> dict[str, object]:
        """The `procedure-plan --json` object, exactly."""
        return {
            "eligible": self.eligible,
            "reasons": [r.to_dict(lang) for r in self.reasons],
            "entry_document": self.entry_document.to_dict(lang),
            "steps": [s.to_dict(lang) for s in self.steps],
            "warnings": [w.to_dict(lang) for w in self.warnings],
        }
