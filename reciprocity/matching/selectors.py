"""Reads of placement runs, always scoped: staff see every run, a coordinator officer the runs
of their coordinator organisations, nobody else any. The review figures are computed here from
the run's stored instance (kept placements) and its proposals."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from reciprocity.accounts.selectors import AnyUser, is_platform_staff
from reciprocity.agreements.models import Agreement
from reciprocity.matching.models import (
    PlacementRun,
    PlacementRunStatusChange,
    ProposalDecision,
    RunAcceptance,
    RunProposal,
    RunStatus,
    RunUnplaced,
)
from reciprocity.matching.permissions import coordinator_organisation_ids
from reciprocity.missions.models import Mission


def runs_visible_to(user: AnyUser) -> QuerySet[PlacementRun]:
    if is_platform_staff(user):
        return PlacementRun.objects.all()
    orgs = coordinator_organisation_ids(user)
    if not orgs:
        return PlacementRun.objects.none()
    return PlacementRun.objects.filter(organisation_id__in=orgs)


def run_list(*, user: AnyUser, status: str = "") -> QuerySet[PlacementRun]:
    qs = runs_visible_to(user).select_related("organisation", "programme", "created_by")
    if status in RunStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-pk")


def run_get_visible(*, user: AnyUser, pk: int) -> PlacementRun | None:
    return runs_visible_to(user).select_related("organisation", "programme").filter(pk=pk).first()


def run_history(*, run: PlacementRun) -> QuerySet[PlacementRunStatusChange]:
    return run.history.select_related("actor").order_by("occurred_at", "pk")


def run_proposals(
    *, run: PlacementRun, decision: str = "", mission_id: int | None = None
) -> QuerySet[RunProposal]:
    qs = run.proposals.select_related("volunteer", "mission", "placement")
    if decision in ProposalDecision.values:
        qs = qs.filter(decision=decision)
    if mission_id is not None:
        qs = qs.filter(mission_id=mission_id)
    return qs.order_by("mission__title", "mission_id", "rank", "pk")


def run_last_acceptance(*, run: PlacementRun) -> RunAcceptance | None:
    """The latest request to accept proposals of the run (the page shows its progress)."""
    return run.acceptances.order_by("-created_at", "-pk").first()


def run_unplaced(*, run: PlacementRun) -> QuerySet[RunUnplaced]:
    return run.unplaced.select_related("volunteer").order_by("reason", "pk")


@dataclass
class MissionReview:
    mission: Mission
    capacity: int
    kept: int = 0
    proposed: int = 0
    nationalities: Counter[str] = field(default_factory=Counter)
    genders: Counter[str] = field(default_factory=Counter)
    ranks: Counter[int] = field(default_factory=Counter)

    # Lists for templates: a Counter answers 0 to `.items` in a template lookup.
    @property
    def nationality_list(self) -> list[tuple[str, int]]:
        return sorted(self.nationalities.items(), key=lambda kv: (-kv[1], kv[0]))

    @property
    def gender_list(self) -> list[tuple[str, int]]:
        return [(g, self.genders.get(g, 0)) for g in ("F", "M", "X")]

    @property
    def rank_list(self) -> list[tuple[int, int]]:
        return sorted(self.ranks.items())

    @property
    def places_left(self) -> int:
        return max(0, self.capacity - self.kept - self.proposed)

    def as_dict(self) -> dict[str, Any]:
        return {
            "mission_id": self.mission.pk, "title": self.mission.title,
            "country": str(self.mission.country), "capacity": self.capacity, "kept": self.kept,
            "proposed": self.proposed, "places_left": self.places_left,
            "nationalities": dict(sorted(self.nationalities.items())),
            "genders": {g: self.genders.get(g, 0) for g in ("F", "M", "X")},
            "ranks": {str(r): n for r, n in sorted(self.ranks.items())},
        }


@dataclass
class AgreementReview:
    countries: tuple[str, str]
    tolerance: int
    maximum: tuple[int | None, int | None]
    titles: list[str]
    kept: tuple[int, int] = (0, 0)
    proposed: tuple[int, int] = (0, 0)

    @property
    def totals(self) -> tuple[int, int]:
        return self.kept[0] + self.proposed[0], self.kept[1] + self.proposed[1]

    @property
    def balance(self) -> int:
        """S(a→b) − S(b→a) after the run's proposals."""
        return self.totals[0] - self.totals[1]

    @property
    def within_tolerance(self) -> bool:
        return abs(self.balance) <= self.tolerance

    def as_dict(self) -> dict[str, Any]:
        return {
            "countries": list(self.countries), "agreements": self.titles,
            "tolerance": self.tolerance, "max": list(self.maximum),
            "kept": list(self.kept), "proposed": list(self.proposed),
            "totals": list(self.totals), "balance": self.balance,
            "within_tolerance": self.within_tolerance,
        }


def run_review(*, run: PlacementRun) -> tuple[list[MissionReview], list[AgreementReview]]:
    """Per mission (nationalities, genders, ranks) and per agreement (the balance it produces),
    counting the kept placements and the proposals not rejected."""
    instance, refs = run.instance or {}, run.references or {}
    mission_refs: dict[str, int] = refs.get("missions", {})
    missions = Mission.objects.in_bulk(list(mission_refs.values()))
    capacity = {m["id"]: m["capacity"] for m in instance.get("missions", [])}
    host = {m["id"]: m["host_country"] for m in instance.get("missions", [])}
    reviews = {
        key: MissionReview(missions[pk], capacity[key])
        for key, pk in mission_refs.items() if pk in missions
    }
    facts = {v["id"]: v for v in instance.get("volunteers", [])}
    flows: Counter[tuple[str, str]] = Counter()
    kept_flows: Counter[tuple[str, str]] = Counter()
    for f in instance.get("fixed", []):
        review = reviews.get(f["mission"])
        person = facts[f["volunteer"]]
        if review is not None:
            review.kept += 1
            review.nationalities[person["nationality"]] += 1
            review.genders[person["gender"]] += 1
        kept_flows[(person["nationality"], host[f["mission"]])] += 1
    key_of = {pk: key for key, pk in mission_refs.items()}
    for p in run.proposals.exclude(decision=ProposalDecision.REJECTED).only(
        "mission_id", "nationality", "gender", "rank"
    ):
        key = key_of.get(p.mission_id)
        review = reviews.get(key) if key else None
        if review is None:
            continue
        review.proposed += 1
        review.nationalities[p.nationality] += 1
        review.genders[p.gender] += 1
        review.ranks[p.rank] += 1
        flows[(p.nationality, host[key])] += 1
    agreements = []
    titles = dict(Agreement.objects.values_list("pk", "title"))
    for entry, ids in zip(instance.get("agreements", []), refs.get("agreements", []), strict=False):
        a, b = entry["countries"]
        maximum = tuple(entry.get("max") or (None, None))
        agreements.append(AgreementReview(
            countries=(a, b), tolerance=entry["tolerance"], maximum=maximum,
            titles=[titles.get(i, str(i)) for i in ids],
            kept=(kept_flows[(a, b)], kept_flows[(b, a)]), proposed=(flows[(a, b)], flows[(b, a)]),
        ))
    ordered = sorted(reviews.values(), key=lambda r: (r.mission.title, r.mission.pk))
    return ordered, agreements
