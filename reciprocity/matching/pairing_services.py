"""Pairing runs (binômes): create, execute through the task layer, accept or reject, cancel.

    queued ─▶ running ─▶ succeeded
       ├─────────┴─────▶ failed
       └─────────┴─────▶ cancelled

The cohort is the programme's placements starting in the season (a mission of the programme,
or an application made for it), still proposed, confirmed or in mission, and not paired yet.
French volunteers (nationality FR) are paired with the others by the one pairing engine,
`reciprocity.placements.engine.pairing.pair_cohort` (also behind `reciprocity placement pair`).

Execution goes through Celery like placement runs (`tasks.pairing_run_execute`, dispatched
after commit); without `REDIS_URL` Celery runs tasks eagerly, so the run executes in the process
that created it. The engine takes milliseconds for a cohort of hundreds, so there is no
progress bar and no cancel flag: a cancel of a queued or running run is immediate, and the
result is stored under the run's row lock only if the run is still running.

Acceptance makes one `placements.Pairing` per accepted proposal in one transaction: the run
and both placements of every proposal are locked (primary-key order), and the whole
acceptance is refused when any of them changed since the run (status, dates, languages,
mission theme: the facts the engine read) or was paired meanwhile. Run again then.

An accepted pair may be dissolved (`pair_dissolve`): by whoever may accept the run, with a
reason, or automatically when one of its placements is cancelled or interrupted
(`pairs_dissolve_for_placement`, answered to the placement's status-change row in
`MatchingConfig.ready`). A `PairDissolution` row records it, the proposal becomes `dissolved`,
and both placements are freed for a later run.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from reciprocity.accounts.models import User
from reciprocity.accounts.selectors import is_platform_staff
from reciprocity.agreements.models import Programme
from reciprocity.core.exceptions import ApplicationError, InvalidTransition, NotAllowed
from reciprocity.matching import permissions
from reciprocity.matching.models import (
    PAIR_TRANSITIONS,
    RUN_TRANSITIONS,
    DissolutionCause,
    PairDecision,
    PairDissolution,
    PairingRun,
    PairingRunStatusChange,
    PairProposal,
    PairUnpaired,
    ProposalDecision,
    RunStatus,
)
from reciprocity.matching.services import Clock
from reciprocity.placements.engine.pairing import Cohort, Person, compatibility, pair_cohort
from reciprocity.placements.models import (
    Pairing,
    PairingMember,
    PairingSide,
    Placement,
    PlacementStatus,
)
from reciprocity.placements.services import pairing_create, pairing_release

logger = logging.getLogger(__name__)

# Placements that may still be paired: not ended, not cancelled.
COHORT_STATUSES = (PlacementStatus.PROPOSED, PlacementStatus.CONFIRMED, PlacementStatus.IN_MISSION)
FRENCH = "FR"
MAX_OVERLAP_DAYS = 366


def _transition(run: PairingRun, to: str, *, actor: User | None = None, note: str = "",
                fields: Iterable[str] = ()) -> None:
    current = run.status
    if to not in RUN_TRANSITIONS.get(current, frozenset()):
        raise InvalidTransition(
            _("A run that is “%(current)s” cannot become “%(target)s”.")
            % {"current": RunStatus(current).label, "target": RunStatus(to).label},
            details={"from": current, "to": to},
        )
    run.status = to
    run.save(update_fields=["status", "updated_at", *fields])
    PairingRunStatusChange.objects.create(
        run=run, from_status=current, to_status=to, actor=actor, note=note
    )


# --- creation -----------------------------------------------------------------------------------


@transaction.atomic
def pairing_run_create(
    *, created_by: User, programme: Programme, season_start: date, season_end: date,
    label: str = "", min_overlap_days: int = 14, start: bool = True,
) -> PairingRun:
    """A queued pairing run over `programme`'s cohort of the season, made for the programme's
    coordinator; with `start`, dispatched to the task layer once the transaction commits."""
    if not permissions.can_run_placements(created_by):
        raise NotAllowed(_("Only platform staff and coordinator officers may run pairings."))
    staff = is_platform_staff(created_by)
    if not staff and programme.coordinator_id not in permissions.coordinator_organisation_ids(created_by):
        raise NotAllowed(_("You are not an officer of this programme's coordinator."))
    errors: dict[str, str] = {}
    if season_start > season_end:
        errors["season"] = _("The season cannot end before it starts.")
    if not 0 <= min_overlap_days <= MAX_OVERLAP_DAYS:
        errors["min_overlap_days"] = _(
            "The minimum days together must be between 0 and %(max)d."
        ) % {"max": MAX_OVERLAP_DAYS}
    if errors:
        raise ApplicationError(
            _("The run cannot be created: %(reasons)s") % {"reasons": " ".join(errors.values())},
            code="invalid_run", details=errors,
        )
    run = PairingRun.objects.create(
        label=label.strip()[:200], organisation_id=programme.coordinator_id, programme=programme,
        season_start=season_start, season_end=season_end, min_overlap_days=min_overlap_days,
        created_by=created_by,
    )
    PairingRunStatusChange.objects.create(
        run=run, from_status="", to_status=RunStatus.QUEUED, actor=created_by
    )
    if start:
        run_id = run.pk
        transaction.on_commit(lambda: pairing_run_dispatch(run_id=run_id))
    return run


def pairing_run_dispatch(*, run_id: int) -> None:
    """Queue the run's task (eager, in this process, when no broker is configured); the
    `"manual"` runner of placement runs leaves it queued for `pairing_run_execute`."""
    if getattr(settings, "MATCHING_RUNNER", "thread") == "manual":
        return
    from reciprocity.matching.tasks import pairing_run_execute as task

    queued = task.delay(run_id)
    PairingRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(task_id=queued.id or "")


# --- the cohort ---------------------------------------------------------------------------------


def cohort_placements(*, programme: Programme, season_start: date, season_end: date
                      ) -> QuerySet[Placement]:
    """The placements a pairing run over this programme and season reads."""
    return (
        Placement.objects.filter(
            Q(mission__programme=programme) | Q(application__programme=programme),
            status__in=COHORT_STATUSES, start_date__gte=season_start, start_date__lte=season_end,
            pairing_member__isnull=True,
        )
        .select_related("volunteer", "mission")
        .order_by("pk")
    )


def placement_facts(placement: Placement) -> dict[str, Any]:
    """One placement as a person of COHORT.json (docs/placement-engine.md)."""
    languages = sorted({
        str(entry.get("code", "")).lower() for entry in placement.volunteer.languages or []
        if isinstance(entry, dict) and entry.get("code")
    })
    return {
        "id": f"p{placement.pk}",
        "nationality": str(placement.nationality),
        "languages": languages,
        "themes": [placement.mission.theme] if placement.mission.theme else [],
        "available_from": placement.start_date.isoformat(),
        "available_to": placement.end_date.isoformat(),
    }


def _person(facts: dict[str, Any]) -> Person:
    return Person(
        facts["id"], frozenset(facts["languages"]), frozenset(facts["themes"]),
        date.fromisoformat(facts["available_from"]), date.fromisoformat(facts["available_to"]),
        facts["nationality"],
    )


def _cohort(instance: dict[str, Any]) -> Cohort:
    # Built directly rather than through parse_cohort: a volunteer whose languages are not
    # recorded stays in the cohort and is reported unpaired ("no compatible partner").
    return Cohort(
        tuple(_person(p) for p in instance["french"]),
        tuple(_person(p) for p in instance["foreign"]),
        instance["min_overlap_days"],
    )


def _placement_id(key: str) -> int:
    return int(key.removeprefix("p"))


# --- execution ----------------------------------------------------------------------------------


def pairing_run_execute(*, run_id: int, clock: Clock) -> PairingRun:
    """Read the cohort, pair it, store the pairs and the unpaired placements.

    Never raises for a failed pairing: the run becomes `failed` with the error. `clock` stamps
    the start and the end (handed in by the task, as for placement runs)."""
    with transaction.atomic():
        run = PairingRun.objects.select_for_update().get(pk=run_id)
        if run.status != RunStatus.QUEUED:
            raise InvalidTransition(
                _("Only a queued run can be executed; this one is “%(status)s”.")
                % {"status": RunStatus(run.status).label},
                code="run_not_queued",
            )
        run.started_at = clock()
        _transition(run, RunStatus.RUNNING, fields=("started_at",))
    try:
        people = [placement_facts(p) for p in cohort_placements(
            programme=run.programme, season_start=run.season_start, season_end=run.season_end)]
        instance = {
            "french": [p for p in people if p["nationality"] == FRENCH],
            "foreign": [p for p in people if p["nationality"] != FRENCH],
            "min_overlap_days": run.min_overlap_days,
        }
        _store_result(run.pk, instance, clock)
    except Exception as exc:
        logger.exception("pairing run %s failed", run.pk)
        _fail(run.pk, _("The run failed: %(error)s") % {"error": exc}, clock())
    run.refresh_from_db()
    return run


@transaction.atomic
def _store_result(run_id: int, instance: dict[str, Any], clock: Clock) -> None:
    run = PairingRun.objects.select_for_update().get(pk=run_id)
    if run.status != RunStatus.RUNNING:
        return  # cancelled meanwhile: nothing is stored
    cohort = _cohort(instance)
    result = pair_cohort(cohort)
    proposals = []
    for pair in result.pairs:
        a = next(p for p in cohort.french if p.id == pair.french)
        b = next(p for p in cohort.foreign if p.id == pair.foreign)
        proposals.append(PairProposal(
            run=run, french_id=_placement_id(pair.french), foreign_id=_placement_id(pair.foreign),
            score=pair.score, shared_languages=list(pair.shared_languages),
            shared_themes=list(pair.shared_themes), overlap_days=pair.overlap_days,
            overlap_start=max(a.available_from, b.available_from),
            overlap_end=min(a.available_to, b.available_to), explanation=pair.explanation,
        ))
    PairProposal.objects.bulk_create(proposals)
    others = {"french": cohort.foreign, "foreign": cohort.french}
    people = {p.id: p for p in (*cohort.french, *cohort.foreign)}
    PairUnpaired.objects.bulk_create(
        PairUnpaired(
            run=run, placement_id=_placement_id(u["volunteer"]), side=u["side"], reason=u["reason"],
            candidates=sum(
                compatibility(people[u["volunteer"]], other, cohort.min_overlap_days) is not None
                for other in others[u["side"]]
            ),
        )
        for u in result.unpaired
    )
    run.instance = instance
    run.french_count, run.foreign_count = len(cohort.french), len(cohort.foreign)
    run.pairs_count = len(result.pairs)
    run.total_score = round(sum(p.score for p in result.pairs), 1)
    run.finished_at = clock()
    _transition(run, RunStatus.SUCCEEDED, fields=(
        "instance", "french_count", "foreign_count", "pairs_count", "total_score", "finished_at"))


@transaction.atomic
def _fail(run_id: int, message: str, now: datetime) -> None:
    run = PairingRun.objects.select_for_update().get(pk=run_id)
    if run.status == RunStatus.RUNNING:
        run.error, run.finished_at = message, now
        _transition(run, RunStatus.FAILED, note=message, fields=("error", "finished_at"))


@transaction.atomic
def pairing_run_cancel(*, run: PairingRun, actor: User, now: datetime) -> PairingRun:
    """Cancel a queued or running run at once (its result, if it comes, is not stored)."""
    if not permissions.can_manage_pairing_run(actor, run):
        raise NotAllowed(_("Only the run's coordinator officers may cancel it."))
    run = PairingRun.objects.select_for_update().get(pk=run.pk)
    if run.is_final:
        raise InvalidTransition(
            _("A run that is “%(status)s” cannot be cancelled.")
            % {"status": RunStatus(run.status).label},
            code="run_final", details={"status": run.status},
        )
    run.finished_at = now
    _transition(run, RunStatus.CANCELLED, actor=actor, fields=("finished_at",))
    return run


# --- review: accept or reject pairs -------------------------------------------------------------


def _lock_for_review(run: PairingRun, actor: User) -> PairingRun:
    if not permissions.can_manage_pairing_run(actor, run):
        raise NotAllowed(_("Only the run's coordinator officers may review its pairs."))
    run = PairingRun.objects.select_for_update().get(pk=run.pk)
    if run.status != RunStatus.SUCCEEDED:
        raise InvalidTransition(
            _("Only the pairs of a succeeded run can be reviewed."), code="run_not_succeeded"
        )
    return run


def _pending(run: PairingRun, pairs: Iterable[PairProposal | int] | None) -> list[PairProposal]:
    pending = PairProposal.objects.select_for_update().filter(
        run=run, decision=ProposalDecision.PENDING
    )
    if pairs is None:
        return list(pending.order_by("pk"))
    ids = {p if isinstance(p, int) else p.pk for p in pairs}
    rows = list(pending.filter(pk__in=ids).order_by("pk"))
    if len(rows) != len(ids):
        raise ApplicationError(
            _("Some pairs are not pending pairs of this run."), code="unknown_pairs",
            details={"pairs": sorted(ids - {r.pk for r in rows})},
        )
    return rows


def _stale(run: PairingRun, rows: list[PairProposal]) -> dict[int, Placement]:
    """Lock both placements of every pair (primary-key order) and refuse, naming each, those
    that changed since the run or were paired meanwhile."""
    ids = sorted({pk for r in rows for pk in (r.french_id, r.foreign_id)})
    placements = {
        p.pk: p for p in Placement.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    }
    # The locked rows' related records, read after the lock (select_related would try to lock
    # the joined rows too, which PostgreSQL refuses on nullable joins).
    read = Placement.objects.filter(pk__in=ids).select_related("volunteer", "mission")
    current = {p.pk: placement_facts(p) for p in read}
    paired = set(PairingMember.objects.filter(placement_id__in=ids)
                 .values_list("placement_id", flat=True))
    stored = {p["id"]: p for side in ("french", "foreign") for p in run.instance.get(side, [])}
    problems = []
    for pk in ids:
        placement = placements.get(pk)
        if placement is None or placement.status not in COHORT_STATUSES:
            reason = _("is no longer proposed, confirmed or in mission")
        elif pk in paired:
            reason = _("was paired since the run")
        elif current[pk] != stored.get(f"p{pk}"):
            reason = _("changed since the run (dates, languages or mission)")
        else:
            continue
        problems.append({"placement": pk, "message": _("Placement %(id)d %(reason)s.")
                         % {"id": pk, "reason": reason}})
    if problems:
        # A conflict with the current rows (409 in the API), as a proposal refused for room.
        raise InvalidTransition(
            _("No pair was accepted: the cohort changed since the run; run it again. %(reasons)s")
            % {"reasons": " ".join(str(p["message"]) for p in problems)},
            code="stale_run", details={"problems": problems},
        )
    return placements


@transaction.atomic
def pairing_run_accept(
    *, run: PairingRun, actor: User, now: datetime,
    pairs: Iterable[PairProposal | int] | None = None,
) -> list[Pairing]:
    """Make a binôme of each pending pair (all, or those given); all or nothing."""
    run = _lock_for_review(run, actor)
    rows = _pending(run, pairs)
    if not rows:
        raise ApplicationError(_("There is no pending pair to accept."), code="nothing_to_accept")
    placements = _stale(run, rows)
    made = []
    for r in rows:
        pairing = pairing_create(french=placements[r.french_id], foreign=placements[r.foreign_id],
                                 created_by=actor, score=r.score)
        r.decision, r.pairing, r.decided_by, r.decided_at = (
            ProposalDecision.ACCEPTED, pairing, actor, now
        )
        r.save(update_fields=["decision", "pairing", "decided_by", "decided_at"])
        made.append(pairing)
    return made


@transaction.atomic
def pairing_run_reject(
    *, run: PairingRun, actor: User, pairs: Iterable[PairProposal | int], now: datetime
) -> int:
    """Set the given pending pairs aside; nothing is created. Returns how many."""
    run = _lock_for_review(run, actor)
    rows = _pending(run, list(pairs))
    for r in rows:
        r.decision, r.decided_by, r.decided_at = ProposalDecision.REJECTED, actor, now
        r.save(update_fields=["decision", "decided_by", "decided_at"])
    return len(rows)


def pairing_run_fail_interrupted(*, run_id: int, now: datetime) -> None:
    """A run found `running` when its task is delivered again: its worker died."""
    _fail(run_id, _("The worker stopped during the run; start it again."), now)


# --- after acceptance: dissolving a pair --------------------------------------------------------

# A placement that ends before its time ends its binôme (a completed one keeps it: the pair
# served together).
ENDING_CAUSES: dict[str, str] = {
    PlacementStatus.CANCELLED: DissolutionCause.PLACEMENT_CANCELLED,
    PlacementStatus.INTERRUPTED: DissolutionCause.PLACEMENT_INTERRUPTED,
}
MAX_REASON = 1000


def check_pair_transition(current: str, to: str) -> None:
    """Raise `InvalidTransition` with a readable message unless `PAIR_TRANSITIONS` allows it."""
    if to not in PAIR_TRANSITIONS.get(current, frozenset()):
        raise InvalidTransition(
            _("A pair that is “%(current)s” cannot become “%(target)s”.")
            % {"current": PairDecision(current).label, "target": PairDecision(to).label},
            code="pair_not_accepted" if to == PairDecision.DISSOLVED else "invalid_transition",
            details={"from": current, "to": to},
        )


def _dissolve(*, pairing: Pairing, proposal: PairProposal | None, cause: str, actor: User | None,
              reason: str, now: datetime, ended: Placement | None = None) -> PairDissolution:
    """Record the dissolution, mark the proposal, free both placements. The caller holds the
    pairing's row lock (taken before the proposal's, in every path: no lock cycle)."""
    sides = dict(PairingMember.objects.filter(pairing=pairing).values_list("side", "placement_id"))
    if PairingSide.FRENCH not in sides or PairingSide.FOREIGN not in sides:
        raise InvalidTransition(_("This pair is already dissolved."), code="pair_not_accepted")
    dissolution = PairDissolution.objects.create(
        pairing=pairing, french_id=sides[PairingSide.FRENCH], foreign_id=sides[PairingSide.FOREIGN],
        cause=cause, ended_placement=ended, reason=reason, actor=actor, occurred_at=now,
    )
    if proposal is not None:
        check_pair_transition(proposal.decision, PairDecision.DISSOLVED)
        proposal.decision = PairDecision.DISSOLVED
        proposal.save(update_fields=["decision"])
    pairing_release(pairing=pairing)
    return dissolution


@transaction.atomic
def pair_dissolve(*, pair: PairProposal, actor: User, reason: str, now: datetime
                  ) -> PairDissolution:
    """Undo one accepted pair, with a reason: both placements lose their partner and may be
    paired again by a later run. Whoever may accept the run may dissolve its pairs."""
    if not permissions.can_manage_pairing_run(actor, pair.run):
        raise NotAllowed(_("Only the run's coordinator officers may dissolve its pairs."))
    reason = reason.strip()
    if not reason:
        raise ApplicationError(_("Give the reason for dissolving the pair."), code="reason_required")
    if len(reason) > MAX_REASON:
        raise ApplicationError(
            _("The reason is too long (%(max)d characters at most).") % {"max": MAX_REASON},
            code="reason_too_long",
        )
    pairing_id = PairProposal.objects.filter(pk=pair.pk).values_list("pairing_id", flat=True).first()
    pairing = (Pairing.objects.select_for_update().filter(pk=pairing_id).first()
               if pairing_id is not None else None)
    locked = PairProposal.objects.select_for_update().get(pk=pair.pk)
    check_pair_transition(locked.decision, PairDecision.DISSOLVED)
    if pairing is None or locked.pairing_id != pairing.pk:
        # Accepted between the two reads: nothing was locked for it; ask again.
        raise InvalidTransition(_("The pair changed meanwhile; try again."), code="pair_changed")
    return _dissolve(pairing=pairing, proposal=locked, cause=DissolutionCause.COORDINATOR,
                     actor=actor, reason=reason, now=now)


def pairs_dissolve_for_placement(*, placement_id: int, status: str, actor: User | None,
                                 reason: str, now: datetime) -> PairDissolution | None:
    """The placement was cancelled or interrupted: its binôme, if any, is dissolved in the same
    transaction (a rolled-back cancellation keeps its pair). Nothing for other statuses."""
    cause = ENDING_CAUSES.get(status)
    if cause is None:
        return None
    member = PairingMember.objects.filter(placement_id=placement_id).first()
    if member is None:
        return None
    with transaction.atomic():
        pairing = Pairing.objects.select_for_update().get(pk=member.pairing_id)
        proposal = PairProposal.objects.select_for_update().filter(pairing=pairing).first()
        return _dissolve(
            pairing=pairing, proposal=proposal, cause=cause, actor=actor,
            reason=reason[:MAX_REASON], now=now, ended=Placement.objects.get(pk=placement_id),
        )
