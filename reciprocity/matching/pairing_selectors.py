"""Reads of pairing runs, scoped as placement runs: staff see every run, a coordinator officer
the runs of their coordinator organisations, nobody else any."""

from __future__ import annotations

from django.db.models import QuerySet

from reciprocity.accounts.selectors import AnyUser, is_platform_staff
from reciprocity.matching.models import (
    PairDecision,
    PairingRun,
    PairingRunStatusChange,
    PairProposal,
    PairUnpaired,
    RunStatus,
)
from reciprocity.matching.permissions import coordinator_organisation_ids


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
