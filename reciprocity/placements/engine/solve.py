"""The engine's entry point: `solve(instance, mode, time_limit, progress)` -> `Result`.

Modes
  optimal  LP-guided search on HiGHS (notes §5.1): a fast feasible start, the
           LP relaxation bound (interior point), rounding, then local moves and
           LNS (large models), a sub-MIP with LP-integral arcs fixed (mid-size),
           or the full MIP (small models).
  preview  the network relaxation + interleaved insertion + refill (about a
           second up to 10k volunteers); the flow value is its proven bound.
  stable   deferred acceptance with application order as priority (see stable.py).

Every path builds its answer through `State`, which keeps every rule after
each move, and the final answer is re-checked (`violations`): the contract
"every assignment respects every rule" holds in every mode, even on time-out.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import heuristics as heur
from . import mip
from .augment import max_placed, placed_bound
from .explain import Ceilings, Unplaced, explain_unplaced
from .instance import Instance
from .lns import lns
from .localsearch import improve
from .model import Model, build_model
from .stable import stable_matching
from .state import State, state_from_arcs, violations

MODES = ("optimal", "preview", "stable")
#: Full branch and bound is only tried on models up to this many arcs (≈3k volunteers).
FULL_MIP_MAX_ARCS = 25_000
#: Below this many seconds left, small models stay with LNS instead of full branch and bound.
FULL_MIP_MIN_SECONDS = 10.0
#: Models this small go straight to full branch and bound.
TINY_ARCS = 3_000
#: Share of the time left given to the fix-and-optimise sub-MIP (small models).
FIX_SHARE = 0.3
#: Cap on the share of the time left for local moves on the LP rounding (large models).
#: They stop by themselves when a round gains nothing (1.5-4 s at 10k under load 7); a
#: late LP (10k unseen seed 108: 52 s of 60) must not cut them short: they gain more per
#: second than LNS.
LOCAL_SHARE = 0.5
#: Share of the time left that the LP of a large model may take (LNS runs beside it).
LP_SHARE = 0.92
#: An LP expected to take at most this share of the time left runs alone at first ...
LP_ALONE_SHARE = 0.4
#: ... until it overruns its estimate this many times; then LNS runs beside it.
LP_ALONE_OVERRUN = 2.0
#: Longest LNS step (sub-MIP seconds) after the LP, when a quarter of the time left allows it.
LNS_STEP_CAP = 10.0
#: Without an LP, the least time left worth building the matrix for LNS (large models).
LNS_MIN_SECONDS = 1.0
#: Share of the time limit that the preview's min-cost flow may be expected to take.
FLOW_SHARE = 0.5
#: Share of the time limit for the augmented start's moves in optimal mode without an LP:
#: a second round of the flow and the moves gains more than LNS there (50k b3: +66 placed
#: against +23 for LNS's 3-4 s; session 8b).
REGROW_SHARE = 0.75
#: Time kept for building the result, in model builds.
RESULT_BUILDS = 4.0
#: Local-search budget of the preview, in seconds.
PREVIEW_SECONDS = 1.0

#: progress(stage, best objective so far or None) - for a background job's progress bar.
Progress = Callable[[str, float | None], None]


@dataclass(frozen=True, slots=True)
class Assignment:
    volunteer: str
    mission: str
    rank: int
    fixed: bool = False


@dataclass
class Result:
    """What a solve returns; `to_json` gives the command-line contract's object."""

    status: str  # "optimal" (proven) or "feasible"
    objective: float
    bound: float | None
    gap: float | None
    seconds: float
    assignments: list[Assignment]
    unplaced: list[Unplaced]
    stats: dict[str, Any] = field(default_factory=dict)
    #: where the bound comes from: "lp" (LP duals, weak duality), "mip" (branch and
    #: bound's dual bound), "flow" (the network relaxation), "placed" (each volunteer at
    #: their best choice, and as many unplaced as a max flow proves: large models without
    #: the flow, see `augment.placed_bound`), "choices" (each volunteer at their best
    #: choice), None without a bound.
    bound_source: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "objective": _num(self.objective),
            "bound": None if self.bound is None else _num(self.bound),
            "gap": self.gap,
            "bound_source": self.bound_source,
            "seconds": round(self.seconds, 3),
            "assignments": [
                {"volunteer": a.volunteer, "mission": a.mission, "rank": a.rank}
                for a in self.assignments
            ],
            "unplaced": [
                {"volunteer": u.volunteer, "reason": u.reason, "explanation": u.explanation}
                for u in self.unplaced
            ],
        }


def _num(x: float) -> float | int:
    return int(x) if float(x).is_integer() else x


class _Best:
    """The incumbent: best feasible state seen and the best proven bound."""

    def __init__(self, model: Model, progress: Progress | None) -> None:
        self.model = model
        self.state: State | None = None
        self.value = float("inf")
        self.bound: float | None = None
        self.bound_source: str | None = None
        self.progress = progress

    def offer(self, st: State | None, stage: str) -> None:
        if st is None:
            return
        value = st.objective()
        if value < self.value - 1e-9:
            self.state, self.value = st, value
        if self.progress is not None:
            self.progress(stage, self.value)

    def offer_bound(self, bound: float | None, source: str) -> None:
        if bound is not None:
            b = heur.integral_bound(self.model, bound)
            if self.bound is None or b > self.bound:
                self.bound, self.bound_source = b, source

    def proven(self) -> bool:
        return self.bound is not None and self.value - self.bound <= 1e-9 * max(1.0, self.value)


def solve(
    instance: Instance,
    mode: str = "optimal",
    time_limit: float = 60.0,
    progress: Progress | None = None,
) -> Result:
    """Solve a validated instance; the wall time of the whole solve is `seconds`."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}")
    start = time.perf_counter()
    # A small margin leaves time to build the result within the limit.
    deadline = start + max(0.0, 0.97 * time_limit - 0.1)
    model = build_model(instance)
    build_seconds = time.perf_counter() - start
    # Building the result (explanations of every unplaced volunteer) takes a few times the
    # model build, after the search: keep that time inside the limit (50k on a loaded
    # machine: the result came 1.2 s after a 10 s limit).
    deadline -= RESULT_BUILDS * build_seconds
    best = _Best(model, progress)
    ceilings: Ceilings | None = None
    stats: dict[str, Any] = {"arcs": model.n_arcs, "ineligible_choices": model.n_ineligible}
    if mode == "stable":
        outcome = stable_matching(model)
        best.offer(outcome.state, "stable")
        ceilings = Ceilings(outcome.f_ceiling, outcome.m_ceiling, outcome.dir_ceiling)
        stats["rounds"] = outcome.rounds
    else:
        # Local moves after the flow: about a second (more above 20k volunteers).
        # Optimal mode keeps its time for the LP path when that path can run.
        budget = max(PREVIEW_SECONDS, model.n_vol / 20_000)
        lp_runs = lp_seconds_estimate(model.n_arcs) <= 0.7 * time_limit
        if mode == "optimal" and lp_runs:
            budget = min(budget, 0.05 * time_limit)  # the LP path will do better
        flow_fits = flow_seconds_estimate(model.n_arcs, build_seconds) <= FLOW_SHARE * time_limit
        if flow_fits and (mode == "preview" or lp_runs):
            stats["start"] = "flow"
            st, flow_bound = heur.flow_insert(model, deadline, budget)
            best.offer_bound(flow_bound, "flow")
        else:
            # Without the LP (50k in 10 s) the start is most of the answer, and placing
            # counts most: the greedy start grown by a maximum flow on its residual network
            # (about a second at 50k) places more than the min-cost flow's start, which may
            # not even fit (3-26 s at 50k; it cannot be interrupted). 50k unseen 105, where
            # the min-cost flow fits: 82.7 % placed in 5 s against 82.0 % in 9.3 s (session 8).
            stats["start"] = "augmented"
            stats["flow_skipped"] = not flow_fits
            # The bound: how many can be placed at all (a plain max flow, 0.1-0.7 s at 50k)
            # prices the unplaced; the best-choice bound alone was 88-92 % below (session 8).
            # Before the start, whose local moves run up to the deadline.
            best.offer_bound(placed_bound(model, max_placed(model)), "placed")
            st = heur.augmented_insert(
                model,
                deadline,
                max(budget, (REGROW_SHARE if mode == "optimal" else 0.5) * time_limit),
                second_round=mode == "optimal",
            )
        best.offer(st, "preview")
        if mode == "optimal" and not best.proven():
            _optimise(model, best, deadline, stats)
    assert best.state is not None
    arcs = best.state.arcs()
    if violations(model, arcs):  # pragma: no cover - safety net, solvers keep rules
        fallback = heur.fcfs(model)
        best.state, arcs = fallback, fallback.arcs()
    return _result(model, best, arcs, ceilings, time.perf_counter() - start, stats)


def _optimise(model: Model, best: _Best, deadline: float, stats: dict[str, Any]) -> None:
    def left() -> float:
        return deadline - time.perf_counter()

    if left() <= 0.05:
        return
    small = model.n_arcs <= FULL_MIP_MAX_ARCS
    if not small and lp_seconds_estimate(model.n_arcs) > 0.7 * left() and left() < LNS_MIN_SECONDS:
        # No LP, and too little time for the matrix (up to 0.4 s at 50k) and a step of LNS:
        # 50k in 10 s under load 2-4 built it past the deadline and ended at 10.5 s.
        return
    mat = mip.build_matrix(model)
    session = mip.MipSession(mat)
    # The interior point checks its time limit only between iterations (seconds
    # each at 50k), so an LP that cannot finish in time is not started at all:
    # the flow bound stands and the time goes to the neighbourhood search.
    lp = mip.LpResult(None, None)
    estimate = lp_seconds_estimate(model.n_arcs)
    if estimate <= 0.7 * left():
        t = time.perf_counter()
        box: dict[str, mip.LpResult] = {}
        # Large models: the LP may use nearly all the time (LNS runs beside it on the
        # other core); cut at 0.8 it missed the bound on 3 of 8 unseen 10k instances
        # under load 8-10 (issue 17), leaving only the flow bound (11-24 % off).
        limit = left() * (0.5 if small else LP_SHARE)
        # An LP with time to spare ends at a vertex (see `mip.solve_lp`); not one that may
        # take most of the time (50k in 300 s), where the crossover could cost the bound.
        alone = estimate <= LP_ALONE_SHARE * left()
        # HiGHS releases the GIL: on 2 cores the neighbourhood search can improve
        # the preview while the LP runs (measured: the main thread keeps its full
        # speed, but the LP does not, below).  Only the main thread touches `best`.
        thread = threading.Thread(
            target=lambda: box.update(lp=mip.solve_lp(mat, limit, crossover=alone)),
            daemon=True,
        )
        thread.start()
        if not small and alone:
            # An LP expected to end well within the time gets both cores first: with the
            # LNS sub-MIPs beside it, the interior point on 10k unseen 108 did not end in
            # 52 s (load 4), alone it ended in 20 s and the rounding then beat anything the
            # LNS had found from the preview (103 766 vs 112 616; session 7). Only an LP
            # overrunning twice its estimate (a loaded machine) gets the search beside it,
            # as the fallback should it not end at all.
            thread.join(timeout=max(0.0, min(LP_ALONE_OVERRUN * estimate, left())))
        if not small and thread.is_alive():
            stats["lns_steps_during_lp"] = lns(
                model,
                session,
                _incumbent(best),
                _offer(model, best),
                deadline,
                lambda: not thread.is_alive() or best.proven(),
            )
        thread.join()
        lp = box.get("lp", lp)
        stats["lp_seconds"] = round(time.perf_counter() - t, 3)
        best.offer_bound(lp.bound, "lp")
        stats["lp_bound"] = lp.bound
    if lp.x is not None:
        rounded = heur.round_fractional(model, lp.x)
        best.offer(rounded, "lp-round")
        if not small and left() > 0.3:
            # Large models: local moves (pair insertion, ejection, gender chains) on a
            # copy of the rounding, instead of the fix-and-optimise sub-MIP, whose few
            # thousand free volunteers HiGHS spent in presolve and feasibility jump
            # (issue 17, 10k unseen, same LP, 20 s after it, load 7: objective 102 357
            # vs 105 930 on seed 106, 137 731 vs 138 545 on 101).
            searched = heur.round_fractional(model, lp.x)
            improve(searched, min(deadline, time.perf_counter() + LOCAL_SHARE * left()))
            best.offer(searched, "lp-round")
    # Small models with time left: straight to full branch and bound (it proves
    # optimality; measured better than spending part of the time on sub-MIPs).
    full_mip = small and (left() >= FULL_MIP_MIN_SECONDS or model.n_arcs <= TINY_ARCS)
    if lp.x is not None and small and not full_mip:
        if best.proven() or left() <= 0.05:
            return
        # Fix arcs the LP puts at 1 that the rounding kept: the rounding itself
        # is a feasible completion, so the sub-MIP is feasible and warm-started.
        start_vec = np.zeros(model.n_arcs)
        start_vec[rounded.arcs()] = 1.0
        fix = (lp.x >= 0.99) & (start_vec > 0.5)
        fixed_vol = np.zeros(model.n_vol, bool)
        fixed_vol[model.arc_v[fix]] = True
        # Only the arcs of volunteers left free enter the sub-MIP (rows shifted by the
        # fixed ones), as in LNS: the same problem as the full model with fixed column
        # bounds, without HiGHS presolving the whole model in the little time left after
        # a late LP (issue 17: the LP ends at 35-52 s of 60 at 10k under load 9).
        free = ~fixed_vol[model.arc_v]
        x = mip.solve_sub_mip(mat, free, start_vec, left() * FIX_SHARE)
        best.offer(_state_from_x(model, x), "fix-and-optimise")
    if best.proven() or left() <= 0.1:
        return

    incumbent = _incumbent(best)
    offer = _offer(model, best)
    if full_mip:
        start_vec = np.zeros(model.n_arcs)
        start_vec[incumbent().arcs()] = 1.0
        res = session.solve(left(), start_vec)
        best.offer_bound(res.bound, "mip")
        best.offer(_state_from_x(model, res.x), "mip")
    else:
        # Longer sub-MIPs when there is time: after the LP at 10k (about 40 s left) steps of
        # up to 10 s ended lower than steps of 4 (unseen 108: 103 686 vs 103 742 in 40 s
        # from the same start; 106: 96 918 vs 96 980; 15 s: 103 683; session 7).
        step_cap = min(LNS_STEP_CAP, max(4.0, 0.25 * left()))
        stats["lns_steps"] = lns(
            model,
            session,
            incumbent,
            offer,
            deadline,
            best.proven,
            step_cap=step_cap,
            # Without an LP (50k in 10 s) the steps are the last thing before the result:
            # keep them inside the deadline (they ended up to 0.35 s after it).
            guard_overrun=lp.x is None,
        )


def _incumbent(best: _Best) -> Callable[[], State]:
    def incumbent() -> State:
        assert best.state is not None
        return best.state

    return incumbent


def _offer(model: Model, best: _Best) -> Callable[[np.ndarray], None]:
    def offer(x: np.ndarray) -> None:
        best.offer(_state_from_x(model, x), "lns")

    return offer


def flow_seconds_estimate(n_arcs: int, build_seconds: float) -> float:
    """Min-cost flow time, scaled by how fast this machine built the model just now.

    Fitted on issue 17's runs (load 5-7): the flow takes about 5x the model build at
    72-86k arcs (10k volunteers) and 17-26x at 367k arcs (50k), whatever the load, since
    both are single-threaded CPU work (50k: build 0.2-0.4 s, flow 3.6-11 s; 20-26 s seen).
    Taken twice as large: its spread is wide (50k unseen 103 at 10 s: estimated under 5 s,
    the solve took 19 s), and a skipped flow costs less than an overrun.
    """
    return 10.0 * build_seconds * max(1.0, n_arcs / 86_000)


def lp_seconds_estimate(n_arcs: int) -> float:
    """Interior-point LP time on 2 cores, fitted on the notes' figures (10k: 8 s, 50k: 120 s)."""
    return 8.0 * (n_arcs / 71_000) ** 1.7


def _state_from_x(model: Model, x: np.ndarray | None) -> State | None:
    if x is None:
        return None
    st = state_from_arcs(model, np.flatnonzero(x > 0.5))
    if st is not None:
        heur.refill(st)  # never worse: only adds arcs ranked below the penalty
    return st


def _result(
    model: Model,
    best: _Best,
    arcs: np.ndarray,
    ceilings: Ceilings | None,
    seconds: float,
    stats: dict[str, Any],
) -> Result:
    objective = model.objective(arcs)
    vol_mission = model.fixed_mission.copy()
    vol_mission[model.arc_v[arcs]] = model.arc_m[arcs]
    vol_rank = model.fixed_rank.copy()
    vol_rank[model.arc_v[arcs]] = model.arc_rank[arcs]
    assignments = [
        Assignment(
            model.volunteer_ids[v],
            model.mission_ids[vol_mission[v]],
            int(vol_rank[v]),
            bool(model.fixed_mission[v] >= 0),
        )
        for v in np.flatnonzero(vol_mission >= 0).tolist()
    ]
    bound = best.bound
    if bound is not None:
        bound = min(bound, objective)  # a bound above a feasible value is numerical noise
    status = (
        "optimal"
        if bound is not None and objective - bound <= 1e-9 * max(1, objective)
        else "feasible"
    )
    gap: float | None = None
    if bound is not None:
        gap = 0.0 if objective <= 0 else max(0.0, (objective - bound) / objective)
    stats.update(placed=len(assignments), volunteers=model.n_vol)
    return Result(
        status=status,
        objective=objective,
        bound=bound,
        gap=gap,
        seconds=seconds,
        assignments=assignments,
        unplaced=explain_unplaced(model, vol_mission, ceilings),
        stats=stats,
        bound_source=None if bound is None else best.bound_source,
    )
