"""Reads of pairing runs, scoped as placement runs: staff see every run, a coordinator officer
the runs of their coordinator organisations, nobody else any."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, Q, QuerySet

from reciprocity.accounts.selectors import AnyUser, is_platform_staff
from reciprocity.matching.models import (
    PairDecision,
    PairDissolution,
    PairingRun,
    PairingRunStatusChange,
    PairProposal,
    PairUnpaired,
    RunStatus,
)
from reciprocity.matching.permissions import coordinator_organisation_ids
from reciprocity.placements.models import Placement
from reciprocity.placements.selectors import placements_visible_to


def pairing_runs_visible_to(user: AnyUser) -> QuerySet[PairingRun]:
    if is_platform_staff(user):
        return PairingRun.objects.all()
    orgs = coordinator_organisation_ids(user)
    if not orgs:
        return PairingRun.objects.none()
    return PairingRun.objects.filter(organisation_id__in=orgs)


def pairing_run_list(*, user: AnyUser, status: str = "") -> QuerySet[PairingRun]:
    qs = pairing_runs_visible_to(user).select_related("organisation", "programme", "created_by")
    if status in RunStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-pk")


def pairing_run_get_visible(*, user: AnyUser, pk: int) -> PairingRun | None:
    return (pairing_runs_visible_to(user).select_related("organisation", "programme")
            .filter(pk=pk).first())


def pairing_run_history(*, run: PairingRun) -> QuerySet[PairingRunStatusChange]:
    return run.history.select_related("actor").order_by("occurred_at", "pk")


def pairing_run_pairs(*, run: PairingRun, decision: str = "") -> QuerySet[PairProposal]:
    qs = run.pairs.select_related(
        "french__volunteer", "french__mission", "foreign__volunteer", "foreign__mission",
        "pairing__dissolution__actor",
    )
    if decision in PairDecision.values:
        qs = qs.filter(decision=decision)
    return qs.order_by("-score", "pk")


def pairing_run_unpaired(*, run: PairingRun) -> QuerySet[PairUnpaired]:
    return run.unpaired.select_related("placement__volunteer", "placement__mission").order_by(
        "side", "reason", "pk"
    )


@dataclass(frozen=True)
class FormerPartner:
    """A dissolved binôme of a placement, as a reader of that placement may see it.

    `partner` is the other placement when the reader may see it (`placements_visible_to`, the
    rule of the current partner's line), else None: then only the fact shows. `ended_here`:
    this placement's own cancellation or interruption dissolved the pair."""

    dissolution: PairDissolution
    partner: Placement | None
    ended_here: bool

    @property
    def details_shown(self) -> bool:
        """The reason and the author of an automatic dissolution are facts of the placement that
        ended (its history row's): shown to who sees that placement. A coordinator's reason
        may name the partner: shown to who sees both placements."""
        return self.partner is not None or self.ended_here


def placement_former_partners(*, placement: Placement, user: AnyUser) -> list[FormerPartner]:
    """The binômes `placement` was in and that were dissolved, newest first; nothing when
    `user` may not see the placement. Two queries at most, whatever the number of pairs."""
    dissolutions = list(
        PairDissolution.objects.filter(Q(french_id=placement.pk) | Q(foreign_id=placement.pk))
        .filter(Exists(placements_visible_to(user).filter(pk=placement.pk)))
        .select_related("actor").order_by("-occurred_at", "-pk")
    )
    if not dissolutions:
        return []
    other = {d.pk: d.foreign_id if d.french_id == placement.pk else d.french_id
             for d in dissolutions}
    visible = placements_visible_to(user).select_related("volunteer", "mission").in_bulk(
        set(other.values()))
    return [
        FormerPartner(dissolution=d, partner=visible.get(other[d.pk]),
                      ended_here=d.ended_placement_id == placement.pk)
        for d in dissolutions
    ]
