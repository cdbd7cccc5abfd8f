"""Placement runs: create, execute (in the background), accept or reject proposals.

    queued ─▶ running ─▶ succeeded
       ├─────────┴─────▶ failed
       └─────────┴─────▶ cancelled

Cancel (`run_cancel`): a queued run is cancelled at once (its Celery task, if any, is revoked and
would find the run final anyway); a running run gets `cancel_requested_at`, which the executing
process reads between stages (and at each progress report while building the instance) and then
stops. The result is stored in one transaction that re-reads the flag, so a cancelled run never
has proposals. The engine's solve is not interrupted from inside (HiGHS calls back into Python
from its own loops): a cancel during the solve is honoured when it returns, within the time limit.

Background execution: `run_create` schedules `run_dispatch` with `transaction.on_commit`, so
the run row exists for whoever picks it up. With `REDIS_URL` set the default runner is
`"celery"`: the run is a task (matching/tasks.py) executed by a Celery worker, acknowledged only
once finished, so a worker killed mid-run hands it back and the run is marked failed with its
reason (never left running). Without Redis (the local default, `MATCHING_RUNNER = "thread"`)
the run executes in a daemon thread of the process that created it. `"inline"` executes it in the request (tests, tiny seasons); `"manual"` leaves
it queued for `reciprocity matching run <id>` (a cron job or an operator). A thread dies with
its process: a run left `running` by a restarted server is marked failed with
`reciprocity matching fail-stale` and run again as a new run.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime

from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections, connection, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from reciprocity.accounts.models import User
from reciprocity.accounts.selectors import is_platform_staff
from reciprocity.agreements.models import Programme
from reciprocity.applications.models import ApplicationChoice
from reciprocity.core.exceptions import (
    ApplicationError,
    CapacityExceeded,
    InvalidTransition,
    NotAllowed,
)
from reciprocity.matching import permissions
from reciprocity.matching.building import (
    KEPT_STATUSES,
    MISSION_KEY,
    OPEN_APPLICATION_STATUSES,
    OPEN_CHOICE_STATUSES,
    instance_build,
)
from reciprocity.matching.figures import placement_figures
from reciprocity.matching.models import (
    ACTIVE_ACCEPTANCE,
    MAX_TIME_LIMIT,
    AcceptanceStatus,
    PlacementRun,
    PlacementRunStatusChange,
    ProposalDecision,
    RunAcceptance,
    RunMode,
    RunProposal,
    RunStatus,
    RunUnplaced,
)
from reciprocity.missions.models import Mission
from reciprocity.notifications.selectors import organisation_officers
from reciprocity.notifications.services import notify
from reciprocity.partners.models import Organisation
from reciprocity.placements.engine import InvalidInstance, Result, parse_instance, solve
from reciprocity.placements.models import Placement
from reciprocity.placements.services import placement_propose
from reciprocity.volunteers.models import Volunteer

logger = logging.getLogger(__name__)

RUNNERS = ("thread", "inline", "manual", "celery")
#: Progress rows are written at most this often (seconds): the solver reports many improvements.
PROGRESS_EVERY = 0.5

#: The clock of a long execution (a run's start, progress and end; an acceptance's end are
#: moments apart): the edge that starts it (the Celery task, the command, the dispatcher below)
#: hands one in, so the service reads no clock of its own and a test can give it any.
Clock = Callable[[], datetime]


def _transition(run: PlacementRun, to: str, *, actor: User | None = None, note: str = "",
                fields: Sequence[str] = ()) -> None:
    current = run.status
    if not run.can_transition_to(to):
        raise InvalidTransition(
            _("A run that is “%(current)s” cannot become “%(target)s”.")
            % {"current": RunStatus(current).label, "target": RunStatus(to).label},
            details={"from": current, "to": to},
        )
    run.status = to
    run.save(update_fields=["status", "updated_at", *fields])
    PlacementRunStatusChange.objects.create(
        run=run, from_status=current, to_status=to, actor=actor, note=note
    )


# --- creation -----------------------------------------------------------------------------------


def _run_organisation(created_by: User, organisation: Organisation | None) -> Organisation | None:
    if not permissions.can_run_placements(created_by):
        raise NotAllowed(_("Only platform staff and coordinator officers may run placements."))
    allowed = permissions.coordinator_organisation_ids(created_by)
    if organisation is not None:
        if not is_platform_staff(created_by) and organisation.pk not in allowed:
            raise NotAllowed(_("You are not an officer of this coordinator organisation."))
        if not organisation.is_coordinator:
            raise ApplicationError(_("The organisation is not a coordinator."), code="not_coordinator")
        return organisation
    if is_platform_staff(created_by):
        return None
    if len(allowed) > 1:
        raise ApplicationError(
            _("Choose the coordinator organisation the run is for."), code="organisation_required"
        )
    return Organisation.objects.get(pk=next(iter(allowed)))


@transaction.atomic
def run_create(
    *, created_by: User, organisation: Organisation | None = None, label: str = "",
    season_start: date | None = None, season_end: date | None = None,
    programme: Programme | None = None, missions: Iterable[Mission] = (),
    mode: str = RunMode.OPTIMAL, time_limit: int = 60, unplaced_penalty: int = 100,
    start: bool = True,
) -> PlacementRun:
    """A queued run for a season, a programme and/or a set of missions; with `start`, it is
    dispatched once the transaction commits (see the module's docstring)."""
    organisation = _run_organisation(created_by, organisation)
    missions = list(missions)
    errors: dict[str, str] = {}
    if (season_start is None) != (season_end is None):
        errors["season"] = _("Give both the first and the last day of the season, or neither.")
    elif season_start and season_end and season_start > season_end:
        errors["season"] = _("The season cannot end before it starts.")
    if season_start is None and programme is None and not missions:
        errors["scope"] = _("Choose a season, a programme or missions to place.")
    if mode not in RunMode.values:
        errors["mode"] = _("Unknown mode.")
    if not 1 <= time_limit <= MAX_TIME_LIMIT:
        errors["time_limit"] = _("The time limit must be between 1 and %(max)d seconds.") % {
            "max": MAX_TIME_LIMIT}
    if unplaced_penalty < 1:
        errors["unplaced_penalty"] = _("The unplaced penalty must be at least 1.")
    if errors:
        raise ApplicationError(
            _("The run cannot be created: %(reasons)s") % {"reasons": " ".join(errors.values())},
            code="invalid_run", details=errors,
        )
    run = PlacementRun(
        label=label.strip()[:200], organisation=organisation, season_start=season_start,
        season_end=season_end, programme=programme, mode=mode, time_limit=time_limit,
        unplaced_penalty=unplaced_penalty, created_by=created_by,
    )
    run.full_clean(exclude=["instance", "references", "warnings"])
    run.save()
    if missions:
        run.missions.set(missions)
    PlacementRunStatusChange.objects.create(
        run=run, from_status="", to_status=RunStatus.QUEUED, actor=created_by
    )
    if start:
        run_id = run.pk
        transaction.on_commit(lambda: run_dispatch(run_id=run_id))
    return run


def run_dispatch(*, run_id: int) -> None:
    """Start the run according to `settings.MATCHING_RUNNER` (thread, inline, manual, celery)."""
    runner = getattr(settings, "MATCHING_RUNNER", "thread")
    if runner == "manual":
        return
    if runner == "celery":
        from reciprocity.matching.tasks import placement_run_execute

        task = placement_run_execute.delay(run_id)
        # Kept so that a cancel can revoke the task while it waits in the queue.
        PlacementRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(task_id=task.id or "")
        return
    # The thread and inline runners are this process's background work, whose edge is here:
    # like the Celery task, they hand the wall clock to the run.
    if runner == "inline":
        run_execute(run=PlacementRun.objects.get(pk=run_id), clock=timezone.now)
        return
    threading.Thread(target=_execute_in_thread, args=(run_id,), daemon=True,
                     name=f"placement-run-{run_id}").start()


def _execute_in_thread(run_id: int) -> None:
    close_old_connections()
    try:
        run_execute(run=PlacementRun.objects.get(pk=run_id), clock=timezone.now)
    except Exception:  # noqa: BLE001 - a background thread has nobody to raise to
        logger.exception("placement run %s crashed", run_id)
    finally:
        connection.close()


# --- execution ----------------------------------------------------------------------------------


class RunCancelled(Exception):
    """The run's cancel flag was found set: stop, store nothing."""


def _cancel_requested(run_id: int) -> bool:
    return PlacementRun.objects.filter(pk=run_id, cancel_requested_at__isnull=False).exists()


class _Progress:
    """The engine's progress callback: stage and best objective, written to the run row.

    Each write is conditional on the cancel flag being unset (one query for both): while the
    instance is built, a set flag stops the run at once; during the solve it is only noted (the
    callback runs inside HiGHS' loops, which an exception must not cross)."""

    def __init__(self, run: PlacementRun, clock: Clock) -> None:
        self.run_id, self.limit, self.clock = run.pk, run.time_limit, clock
        self.start = time.monotonic()
        self.last = 0.0
        self.cancelled = False

    def _write(self, **fields: object) -> bool:
        written = PlacementRun.objects.filter(
            pk=self.run_id, cancel_requested_at__isnull=True
        ).update(**fields, updated_at=self.clock())
        self.cancelled = self.cancelled or not written
        return bool(written)

    def building(self, fraction: float) -> None:
        """The instance's share of the bar: 0 to 10 %."""
        now = time.monotonic()
        if now - self.last >= PROGRESS_EVERY:
            self.last = now
            if not self._write(progress=int(10 * fraction)):
                raise RunCancelled

    def __call__(self, stage: str, best: float | None) -> None:
        now = time.monotonic()
        if self.cancelled or now - self.last < PROGRESS_EVERY:
            return
        self.last = now
        # The solve's share of the bar: 10 % (instance built) to 95 % at the time limit.
        percent = 10 + int(85 * min(1.0, (now - self.start) / max(1, self.limit)))
        self._write(stage=stage[:40], best_objective=best, progress=percent)


def run_execute(*, run: PlacementRun, clock: Clock) -> PlacementRun:
    """Build the instance, solve it, store proposals, unplaced volunteers and figures.

    Never raises for a failed solve: the run becomes `failed` with the error, which the page,
    the API and the command show. Each stage commits on its own, so progress is visible.
    """
    with transaction.atomic():
        run = PlacementRun.objects.select_for_update().get(pk=run.pk)
        if run.status != RunStatus.QUEUED:
            raise InvalidTransition(
                _("Only a queued run can be executed; this one is “%(status)s”.")
                % {"status": RunStatus(run.status).label},
                code="run_not_queued",
            )
        run.started_at, run.stage = clock(), "building"
        _transition(run, RunStatus.RUNNING, fields=("started_at", "stage"))
    try:
        built = instance_build(run=run, progress=_Progress(run, clock).building)
        if _cancel_requested(run.pk):
            raise RunCancelled
        run.instance, run.references, run.warnings = built.instance, built.references, built.warnings
        run.stage, run.progress = "solving", 10
        run.save(update_fields=["instance", "references", "warnings", "stage", "progress",
                                "updated_at"])
        instance = parse_instance(built.instance)
        result = solve(instance, mode=run.mode, time_limit=float(run.time_limit),
                       progress=_Progress(run, clock))
        _store_result(run, result, clock)
    except RunCancelled:
        _cancelled(run, clock())
    except InvalidInstance as exc:
        _fail(run, _("The instance is not valid: %(errors)s") % {"errors": "; ".join(exc.errors)},
              clock())
    except Exception as exc:
        logger.exception("placement run %s failed", run.pk)
        _fail(run, _("The run failed: %(error)s") % {"error": exc}, clock())
    run.refresh_from_db()
    return run


def run_fail_interrupted(*, run_id: int, now: datetime) -> bool:
    """A run found `running` when its task is delivered again: the worker that ran it died (the
    task is acknowledged only at its end). Mark it failed with that reason; True if it was."""
    with transaction.atomic():
        run = PlacementRun.objects.select_for_update().get(pk=run_id)
        if run.status != RunStatus.RUNNING:
            return False
        if run.cancel_requested_at is not None:
            # It was being cancelled anyway: say so rather than ask to start it again.
            _cancel_locked(run, now)
            return True
        run.error, run.finished_at = _("The worker stopped during the run; start it again."), now
        _transition(run, RunStatus.FAILED, note=run.error, fields=("error", "finished_at"))
    return True


def _cancel_locked(run: PlacementRun, now: datetime, actor: User | None = None) -> None:
    run.finished_at, run.stage = now, "cancelled"
    _transition(run, RunStatus.CANCELLED, actor=actor, fields=("finished_at", "stage"))


def _cancelled(run: PlacementRun, now: datetime) -> None:
    with transaction.atomic():
        run = PlacementRun.objects.select_for_update().get(pk=run.pk)
        if run.status == RunStatus.RUNNING:
            _cancel_locked(run, now)


@transaction.atomic
def run_cancel(*, run: PlacementRun, actor: User, now: datetime) -> PlacementRun:
    """Stop a queued or running run (who may run it may cancel it; see the module's docstring).

    A queued run is cancelled now; a running one is asked to stop and becomes `cancelled` when
    the executing process reads the request. Asking twice is harmless; a finished run refuses."""
    if not permissions.can_manage_run(actor, run):
        raise NotAllowed(_("Only the run's coordinator officers may cancel it."))
    run = PlacementRun.objects.select_for_update().get(pk=run.pk)
    if run.is_final:
        raise InvalidTransition(
            _("A run that is “%(status)s” cannot be cancelled.")
            % {"status": RunStatus(run.status).label},
            code="run_final", details={"status": run.status},
        )
    if run.cancel_requested_at is None:
        run.cancel_requested_at = now
        run.save(update_fields=["cancel_requested_at", "updated_at"])
    if run.status == RunStatus.QUEUED:
        _cancel_locked(run, now, actor)
        if run.task_id:
            task_id = run.task_id
            transaction.on_commit(lambda: _revoke(task_id))
    return run


def _revoke(task_id: str) -> None:
    """Drop a queued task from the workers' list; the task would find its run final anyway."""
    from reciprocity.celery import app

    try:
        app.control.revoke(task_id)
    except Exception:  # noqa: BLE001 - a broker outage must not undo the cancel
        logger.warning("could not revoke task %s", task_id, exc_info=True)


def _fail(run: PlacementRun, message: str, now: datetime) -> None:
    with transaction.atomic():
        run = PlacementRun.objects.select_for_update().get(pk=run.pk)
        run.error, run.finished_at = message, now
        _transition(run, RunStatus.FAILED, note=message, fields=("error", "finished_at"))


def _mission_titles(run: PlacementRun) -> dict[str, str]:
    ids = run.references["missions"]
    titles = dict(Mission.objects.filter(pk__in=ids.values()).values_list("pk", "title"))
    return {key: f"“{titles.get(pk, key)}”" for key, pk in ids.items()}


def _left_out(run: PlacementRun) -> dict[int, str]:
    """Per volunteer, the choices left out before the run, in words."""
    dropped = run.references.get("dropped", [])
    titles = dict(Mission.objects.filter(pk__in={d["mission"] for d in dropped}).values_list("pk", "title"))
    parts: dict[int, list[str]] = {}
    for d in dropped:
        why = "; ".join(d.get("messages") or d["reasons"])
        parts.setdefault(d["volunteer"], []).append(f"“{titles.get(d['mission'], d['mission'])}” ({why})")
    return {
        vid: _("Choices left out before the run: %(choices)s.") % {"choices": ", ".join(items)}
        for vid, items in parts.items()
    }


@transaction.atomic
def _store_result(run: PlacementRun, result: Result, clock: Clock) -> None:
    run = PlacementRun.objects.select_for_update().get(pk=run.pk)
    # Under the run's lock: a cancel asked during the solve wins, and nothing is stored.
    if run.cancel_requested_at is not None:
        raise RunCancelled
    refs = run.references
    missions, volunteers = refs["missions"], refs["volunteers"]
    facts = {v["id"]: v for v in run.instance["volunteers"]}
    people = Volunteer.objects.in_bulk([v["volunteer"] for v in volunteers.values()])
    proposals = []
    for a in result.assignments:
        if a.fixed or a.volunteer not in volunteers:
            continue
        ref = volunteers[a.volunteer]
        proposals.append(RunProposal(
            run=run, volunteer_id=ref["volunteer"], mission_id=missions[a.mission], rank=a.rank,
            choice_id=ref["choices"][a.rank - 1], nationality=facts[a.volunteer]["nationality"],
            gender=facts[a.volunteer]["gender"],
        ))
    RunProposal.objects.bulk_create(proposals)
    titles = _mission_titles(run)
    left_out = _left_out(run)
    unplaced = []
    for u in result.unplaced:
        ref = volunteers.get(u.volunteer)
        if ref is None:
            continue
        # The engine names missions by their instance ids; coordinators know them by title.
        text = MISSION_KEY.sub(lambda m: titles.get(m.group(0), m.group(0)), u.explanation)
        parts = [
            [key, {**params, "mission": titles.get(str(params["mission"]), params["mission"])}
             if "mission" in params else params]
            for key, params in u.parts
        ]
        note = left_out.get(ref["volunteer"], "")
        if note:
            text = f"{text} {note}"
        first_app = ref["applications"][0] if ref["applications"] else None
        unplaced.append(RunUnplaced(
            run=run, volunteer=people[ref["volunteer"]], application_id=first_app,
            nationality=facts[u.volunteer]["nationality"], gender=facts[u.volunteer]["gender"],
            reason=u.reason, explanation=text, explanation_parts=parts, note=note,
        ))
    RunUnplaced.objects.bulk_create(unplaced)
    figures = placement_figures(
        run.instance, [(a.volunteer, a.mission, a.rank) for a in result.assignments if not a.fixed]
    )
    run.result_status = result.status
    run.volunteers_count, run.placed_count = figures.volunteers, figures.placed
    run.fixed_count = len(run.instance["fixed"])
    run.placed_percent, run.first_choice_percent = figures.placed_percent, figures.first_choice_percent
    run.mean_rank = figures.mean_rank
    run.worst_nationality, run.worst_nationality_rate = (
        figures.worst_nationality, figures.worst_nationality_rate
    )
    run.objective, run.bound, run.gap = result.objective, result.bound, result.gap
    run.seconds, run.best_objective = result.seconds, result.objective
    run.save()
    run.stage, run.progress, run.finished_at = "done", 100, clock()
    _transition(run, RunStatus.SUCCEEDED, fields=("stage", "progress", "finished_at"))


# --- review: accept or reject proposals ---------------------------------------------------------


def _selected(run: PlacementRun, proposals: Iterable[RunProposal | int] | None) -> list[RunProposal]:
    pending = RunProposal.objects.select_for_update().filter(
        run=run, decision=ProposalDecision.PENDING
    )
    if proposals is None:
        return list(pending.order_by("pk"))
    ids = {p if isinstance(p, int) else p.pk for p in proposals}
    rows = list(pending.filter(pk__in=ids).order_by("pk"))
    if len(rows) != len(ids):
        raise ApplicationError(
            _("Some proposals are not pending proposals of this run."), code="unknown_proposals",
            details={"proposals": sorted(ids - {r.pk for r in rows})},
        )
    return rows


def _lock_run_for_review(run: PlacementRun, actor: User) -> PlacementRun:
    if not permissions.can_manage_run(actor, run):
        raise NotAllowed(_("Only the run's coordinator officers may review its proposals."))
    run = PlacementRun.objects.select_for_update().get(pk=run.pk)
    if run.status != RunStatus.SUCCEEDED:
        raise InvalidTransition(
            _("Only the proposals of a succeeded run can be reviewed."), code="run_not_succeeded"
        )
    return run


def _accept_check(
    run: PlacementRun, rows: list[RunProposal]
) -> tuple[dict[int, Mission], dict[int, ApplicationChoice], dict[int, int]]:
    """Lock the missions (primary-key order) and refuse, with every reason, proposals that no
    longer fit: a mission without room for them, an application closed since the run."""
    if not rows:
        raise ApplicationError(_("There is no pending proposal to accept."), code="nothing_to_accept")
    mission_ids = sorted({r.mission_id for r in rows})
    missions = {m.pk: m for m in Mission.objects.select_for_update().filter(pk__in=mission_ids).order_by("pk")}
    choices = ApplicationChoice.objects.select_related("application").in_bulk(
        [r.choice_id for r in rows if r.choice_id]
    )
    # One grouped count, not one per mission (a season has hundreds of missions).
    taken: dict[int, int] = dict(
        Placement.objects.filter(mission_id__in=mission_ids, status__in=KEPT_STATUSES)
        .order_by().values("mission_id").annotate(n=Count("pk")).values_list("mission_id", "n")
    )
    wanted: dict[int, int] = {}
    for r in rows:
        wanted[r.mission_id] = wanted.get(r.mission_id, 0) + 1
    problems: list[dict[str, object]] = []
    for mid in mission_ids:
        m, held = missions[mid], taken.get(mid, 0)
        if held + wanted[mid] > m.capacity:
            problems.append({
                "code": "mission_full", "mission": mid,
                "proposals": [r.pk for r in rows if r.mission_id == mid],
                "message": _("“%(mission)s” has room for %(left)d more, %(wanted)d proposed.")
                % {"mission": m.title, "left": max(0, m.capacity - held), "wanted": wanted[mid]},
            })
    for r in rows:
        choice = choices.get(r.choice_id) if r.choice_id else None
        if (choice is None or choice.status not in OPEN_CHOICE_STATUSES
                or choice.application.status not in OPEN_APPLICATION_STATUSES):
            problems.append({
                "code": "application_closed", "proposal": r.pk, "mission": r.mission_id,
                "message": _("The application of proposal %(id)d was withdrawn, refused or "
                             "placed since the run.") % {"id": r.pk},
            })
    if problems:
        raise CapacityExceeded(
            _("No proposal was accepted: %(reasons)s")
            % {"reasons": " ".join(str(p["message"]) for p in problems)},
            code="proposals_refused", details={"problems": problems},
        )
    return missions, choices, wanted


@transaction.atomic
def run_accept(
    *, run: PlacementRun, actor: User, now: datetime,
    proposals: Iterable[RunProposal | int] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Placement]:
    """Turn the pending proposals (all of them, or those given) into proposed placements for
    the hosts to confirm; all or nothing. Pages and the API call it through a background task
    (`acceptance_request`); `progress(done, total)` is told every `ACCEPT_PROGRESS_EVERY` rows.

    Refused, with every reason, when a mission no longer has room for the proposals accepted
    on it (places held or already proposed since the run), or when an application was closed.
    Missions are locked in primary-key order (concurrent acceptances queue, never deadlock) so
    the room counted cannot change before this transaction commits.
    """
    run = _lock_run_for_review(run, actor)
    rows = _selected(run, proposals)
    missions, choices, wanted = _accept_check(run, rows)
    placements = []
    for n, r in enumerate(rows, 1):
        assert r.choice_id is not None  # _accept_check refused every row without a choice
        choice = choices[r.choice_id]
        placement = placement_propose(
            volunteer=choice.application.volunteer, mission=missions[r.mission_id], actor=actor,
            application=choice.application,
        )
        r.decision, r.placement, r.decided_by, r.decided_at = (
            ProposalDecision.ACCEPTED, placement, actor, now
        )
        r.save(update_fields=["decision", "placement", "decided_by", "decided_at"])
        placements.append(placement)
        if progress is not None and (n % ACCEPT_PROGRESS_EVERY == 0 or n == len(rows)):
            progress(n, len(rows))
    _tell_hosts(run, missions.values(), wanted)
    return placements


# --- acceptance as a background task ------------------------------------------------------------

#: Rows between two progress reports of an acceptance.
ACCEPT_PROGRESS_EVERY = 50
#: A task delivered this many times without finishing (its worker killed each time) fails.
ACCEPT_MAX_ATTEMPTS = 3


def _progress_key(acceptance_id: int) -> str:
    return f"matching:acceptance:{acceptance_id}:done"


def acceptance_done(acceptance: RunAcceptance) -> int:
    """Proposals written so far. The acceptance is one transaction, invisible to other
    connections until it commits, so the running count lives in the cache (Redis when
    configured: shared by the worker and the web processes)."""
    if not acceptance.is_active:
        return acceptance.done
    return min(acceptance.total, int(cache.get(_progress_key(acceptance.pk)) or 0))


@transaction.atomic
def acceptance_request(
    *, run: PlacementRun, actor: User, proposals: Iterable[RunProposal | int] | None = None
) -> RunAcceptance:
    """Check now what can be checked (permission, run, proposals, room, applications: the same
    refusals as `run_accept`, at once) and queue the writes as a task; it runs in this process
    when no broker is configured (then the returned acceptance is already finished)."""
    run = _lock_run_for_review(run, actor)
    rows = _selected(run, proposals)
    _accept_check(run, rows)
    if RunAcceptance.objects.filter(run=run, status__in=ACTIVE_ACCEPTANCE).exists():
        raise InvalidTransition(
            _("Proposals of this run are being accepted; wait for it to finish."),
            code="acceptance_in_progress",
        )
    acceptance = RunAcceptance.objects.create(
        run=run, requested_by=actor, proposals=[r.pk for r in rows], total=len(rows)
    )
    acceptance_id = acceptance.pk
    transaction.on_commit(lambda: _acceptance_dispatch(acceptance_id))
    return acceptance


def _acceptance_dispatch(acceptance_id: int) -> None:
    from reciprocity.matching.tasks import proposals_accept

    task = proposals_accept.delay(acceptance_id)
    RunAcceptance.objects.filter(pk=acceptance_id, status=AcceptanceStatus.QUEUED).update(
        task_id=task.id or ""
    )


def acceptance_execute(*, acceptance_id: int, clock: Clock) -> RunAcceptance:
    """Execute a queued acceptance; idempotent: a finished one is left as it is, and one found
    running was interrupted (its transaction rolled back with its worker), so it starts over,
    at most `ACCEPT_MAX_ATTEMPTS` times."""
    with transaction.atomic():
        acceptance = RunAcceptance.objects.select_for_update().get(pk=acceptance_id)
        if not acceptance.is_active:
            return acceptance
        acceptance.attempts += 1
        if acceptance.attempts > ACCEPT_MAX_ATTEMPTS:
            return _acceptance_failed(
                acceptance, _("The acceptance was interrupted %(n)d times; nothing was accepted.")
                % {"n": ACCEPT_MAX_ATTEMPTS}, now=clock(),
            )
        acceptance.status = AcceptanceStatus.RUNNING
        acceptance.save(update_fields=["attempts", "status", "updated_at"])
    cache.set(_progress_key(acceptance_id), 0, 86400)
    actor = acceptance.requested_by
    try:
        if actor is None:
            raise NotAllowed(_("The person who asked for this acceptance no longer exists."))
        with transaction.atomic():
            placements = run_accept(
                run=acceptance.run, actor=actor, now=clock(),
                proposals=list(acceptance.proposals or []),
                progress=lambda done, total: cache.set(_progress_key(acceptance_id), done, 86400),
            )
            acceptance.status, acceptance.done = AcceptanceStatus.SUCCEEDED, acceptance.total
            acceptance.placements_count, acceptance.finished_at = len(placements), clock()
            acceptance.save(update_fields=["status", "done", "placements_count", "finished_at",
                                           "updated_at"])
    except ApplicationError as exc:
        return _acceptance_failed(acceptance, exc.message, now=clock(),
                                  problems=(exc.details or {}).get("problems", []))
    finally:
        cache.delete(_progress_key(acceptance_id))
    return acceptance


def _acceptance_failed(acceptance: RunAcceptance, message: str, *, now: datetime,
                       problems: list[dict[str, object]] | None = None) -> RunAcceptance:
    RunAcceptance.objects.filter(pk=acceptance.pk).update(
        status=AcceptanceStatus.FAILED, error=message, problems=problems or [], done=0,
        finished_at=now, updated_at=now,
    )
    acceptance.refresh_from_db()
    return acceptance


def _tell_hosts(run: PlacementRun, missions: Iterable[Mission], wanted: dict[int, int]) -> None:
    for m in missions:
        notify(
            users=organisation_officers([m.host_id]),
            subject=_("Placements proposed for “%(mission)s”") % {"mission": m.title},
            body=_("The coordinator proposes %(n)d volunteer(s) for this mission; please confirm "
                   "or decline each placement.") % {"n": wanted[m.pk]},
            link=reverse("placements:list") + "?status=proposed", verb="placement.proposed",
        )


@transaction.atomic
def run_reject(
    *, run: PlacementRun, actor: User, proposals: Iterable[RunProposal | int], now: datetime
) -> int:
    """Set the given pending proposals aside; nothing is created. Returns how many."""
    run = _lock_run_for_review(run, actor)
    rows = _selected(run, list(proposals))
    for r in rows:
        r.decision, r.decided_by, r.decided_at = ProposalDecision.REJECTED, actor, now
        r.save(update_fields=["decision", "decided_by", "decided_at"])
    return len(rows)


@transaction.atomic
def runs_fail_stale(*, older_than_seconds: int, now: datetime) -> list[PlacementRun]:
    """Mark failed the runs left `running` longer than their time limit plus a margin (a
    process that died with its thread), as of `now`."""
    failed = []
    for run in PlacementRun.objects.select_for_update().filter(status=RunStatus.RUNNING).order_by("pk"):
        started = run.started_at or run.created_at
        if (now - started).total_seconds() > run.time_limit + older_than_seconds:
            run.error, run.finished_at = _("The run stopped without finishing."), now
            _transition(run, RunStatus.FAILED, note=run.error, fields=("error", "finished_at"))
            failed.append(run)
    return failed
