"""Fast feasible heuristics: baselines, the network relaxation and refill.

* `fcfs`        first-come-first-served (serial dictatorship in application order);
* `greedy_rank` all arcs by rank, then application order ("Boston" style);
* `flow_relaxation` min-cost flow exact for capacity + nationality caps (notes §1.3):
  its value is a proven lower bound, its arcs a good starting order;
* `flow_insert` the preview heuristic: insert the flow's arcs under every rule,
  then refill greedily;
* `augmented_insert` the start of large models without the min-cost flow: a greedy
  insertion grown by maximum flows on its residual network (augment.py).

All of them build on `State`, so what they return is feasible.
"""

from __future__ import annotations

import math
import time

import numpy as np
from ortools.graph.python import min_cost_flow

from .model import Model
from .state import State


def useful_arcs(model: Model) -> np.ndarray:
    """Arcs worth placing: a rank below the unplaced penalty lowers the objective."""
    return np.flatnonzero(model.arc_rank < model.penalty)


def fcfs(model: Model) -> State:
    """Each volunteer in application order takes their best choice still feasible."""
    st = State(model)
    useful = model.arc_rank < model.penalty
    starts = model.vol_start.tolist()
    ok = useful.tolist()
    for v in range(model.n_vol):
        for e in range(starts[v], starts[v + 1]):
            if ok[e] and st.try_add(e):
                break
    return st


def by_rank_order(model: Model, arcs: np.ndarray | None = None) -> np.ndarray:
    """Arcs sorted by rank, ties in application order (arcs are in volunteer order)."""
    arcs = useful_arcs(model) if arcs is None else arcs
    return arcs[np.argsort(model.arc_rank[arcs], kind="stable")]


def greedy_rank(model: Model) -> State:
    """All first choices in application order, then all second choices, ... (3 passes)."""
    st = State(model)
    st.insert_passes(by_rank_order(model).tolist(), max_passes=3)
    return st


def refill(st: State) -> None:
    """Give unplaced volunteers any choice still feasible, best ranks first."""
    model = st.model
    placed = np.asarray(st.placed)
    arcs = useful_arcs(model)
    arcs = arcs[placed[model.arc_v[arcs]] < 0]
    st.insert_passes(by_rank_order(model, arcs).tolist())


def flow_relaxation(model: Model) -> tuple[np.ndarray, float | None]:
    """Min-cost flow on capacity + nationality caps; returns (chosen arcs, lower bound).

    The bound is exact for the relaxation that drops gender, reciprocity and
    direction rows, hence a proven lower bound of the objective; it is only
    returned when costs are integers (the flow solver needs integer costs).
    """
    n_v, n_a = model.n_vol, model.n_arcs
    n_g, n_m = len(model.grp_left), len(model.cap_left)
    integral = float(model.penalty).is_integer()
    scale = 1 if integral else 1000  # non-integer penalty: solve a scaled heuristic
    pen = int(round(model.penalty * scale))
    free = np.flatnonzero(model.fixed_mission < 0)
    # Node numbering: source, volunteers, groups, missions, sink.
    src, g_off, m_off = 0, 1 + n_v, 1 + n_v + n_g
    sink = m_off + n_m
    tails = np.concatenate(
        [
            np.zeros(len(free), np.int64),
            1 + model.arc_v,
            g_off + np.arange(n_g),
            m_off + np.arange(n_m),
            1 + free,
        ]
    )
    heads = np.concatenate(
        [
            1 + free,
            g_off + model.arc_grp,
            m_off + model.grp_m,
            np.full(n_m, sink),
            np.full(len(free), sink),
        ]
    )
    caps = np.concatenate(
        [
            np.ones(len(free), np.int64),
            np.ones(n_a, np.int64),
            np.maximum(model.grp_left, 0),
            np.maximum(model.cap_left, 0),
            np.ones(len(free), np.int64),
        ]
    )
    costs = np.concatenate(
        [
            np.zeros(len(free), np.int64),
            model.arc_rank * scale,
            np.zeros(n_g + n_m, np.int64),
            np.full(len(free), pen, np.int64),
        ]
    )
    smcf = min_cost_flow.SimpleMinCostFlow()
    smcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    smcf.set_node_supply(src, len(free))
    smcf.set_node_supply(sink, -len(free))
    status = smcf.solve()
    if status != smcf.OPTIMAL:  # cannot happen: the bypass arcs make it feasible
        return np.zeros(0, np.int64), None
    flows = smcf.flows(np.arange(len(free), len(free) + n_a))
    chosen = np.flatnonzero(flows > 0)
    if not integral:
        return chosen, None
    bound = smcf.optimal_cost() + int(model.fixed_rank.sum())
    return chosen, float(bound)


def interleaved(model: Model, arcs: np.ndarray) -> list[int]:
    """Order arcs so genders alternate inside each mission and directions alternate.

    Inserting F, M, F, M ... into a mission (and a->b, b->a, ... into an
    agreement) lets the two-sided bands accept as many as possible.
    """
    if len(arcs) == 0:
        return []
    # Position of each arc among the same (mission, gender) / (agreement, direction)
    # arcs; sorting on the largest of the two positions interleaves both.
    key_g = model.arc_m[arcs] * 3 + (model.arc_gs[arcs] + 1)
    key_d = np.where(model.arc_dir[arcs] >= 0, model.arc_dir[arcs], -1 - arcs)
    pos = np.maximum(_position(key_g, model.arc_rank[arcs]), _position(key_d, model.arc_rank[arcs]))
    order = np.lexsort((model.arc_rank[arcs], pos))
    return arcs[order].tolist()


def _position(keys: np.ndarray, tiebreak: np.ndarray) -> np.ndarray:
    order = np.lexsort((tiebreak, keys))
    sk = keys[order]
    start = np.r_[0, np.flatnonzero(sk[1:] != sk[:-1]) + 1]
    run = np.repeat(start, np.diff(np.r_[start, len(sk)]))
    pos = np.empty(len(keys), np.int64)
    pos[order] = np.arange(len(keys)) - run
    return pos


def flow_insert(model: Model, deadline: float, search_seconds: float) -> tuple[State, float | None]:
    """Preview heuristic: flow relaxation, interleaved insertion, refill, local moves.

    Local moves get `search_seconds` after the flow, but never past `deadline`.
    """
    from .localsearch import improve  # deferred: localsearch builds on this module

    chosen, bound = flow_relaxation(model)
    st = State(model)
    st.insert_passes(interleaved(model, chosen))
    refill(st)
    improve(st, min(deadline, time.perf_counter() + search_seconds))
    return st, bound


def choice_bound(model: Model) -> float:
    """The weakest proven bound: every free volunteer costs at least their best useful rank,
    or the penalty when unplaced (no rule at all). For when the flow cannot run in time."""
    pen = model.penalty
    best = np.full(model.n_vol, pen)
    np.minimum.at(best, model.arc_v, np.minimum(model.arc_rank, pen).astype(float))
    free = model.fixed_mission < 0
    return float(model.fixed_rank.sum() + best[free].sum())


#: Another round of the flow (`augment.regrow`) and the moves starts only with this many
#: first rounds' flow, projection and refill left (0.5-0.9 s at 50k): the flow takes about
#: one, a round of moves about one (b3, load 2.5: 0.5-0.7 s and 0.8-1.0 s).
REGROW_ROUNDS = 2.0

#: Which cycle of `augmented_insert` runs `augment.regrow` unguarded (see there).
LOOSE_CYCLE = 2

#: After the first cycle, the next one starts with this share of the last one's time left.
CYCLE_SHARE = 0.75


def augmented_insert(
    model: Model, deadline: float, search_seconds: float, second_round: bool = False
) -> State:
    """Preview without the min-cost flow, for large models: a greedy insertion (all arcs by
    rank, interleaved by gender and direction; fewer placed than `flow_insert`, but no
    min-cost flow, which holds the GIL and took 3-26 s at 50k), grown by a maximum flow on
    its residual network (`augment.augment`: augmenting paths, 0.5-0.9 s at 50k), made
    feasible again (`augment.project`), refilled, then local moves. 50k unseen, 7 s, load 2 (issue 17, session 8): 102 90.7 % placed
    (greedy start and the same moves: 87.2 %), 106 90.7 %, 108 90.9 %, 105 82.7 %.

    With `second_round` (optimal mode), cycles of the flow from the moves' result
    (`augment.regrow`) and one round of moves follow while time allows (session 8b: b3
    89.87 -> 90.05-90.07 % placed in 10 s, 107 89.14 -> 89.41-89.45 %; session 9, the
    flow's band slack and one unguarded cycle: b3 90.11 %, 45 053 placed)."""
    from .augment import augment, project, regrow  # deferred: augment uses `interleaved`
    from .localsearch import improve  # deferred: localsearch builds on this module

    t = time.perf_counter()
    st = State(model)
    st.insert_passes(interleaved(model, useful_arcs(model)), max_passes=3)
    greedy_seconds = time.perf_counter() - t
    refill_seconds = 0.0
    grow_seconds = 0.0
    # The flow, its projection and the refill take about 1.3 greedy insertions (50k: 1.0-1.5
    # s quiet) and cannot stop early: on a machine too loaded for them the greedy start goes
    # straight to the moves (50k, load 3-4: the start ended 3.5 s after its deadline). They
    # gain more than the moves would in that time (50k 102: 89.0 % placed before any move,
    # the greedy start after 5 s of moves 87.2 %), so they run even with little time after.
    if deadline - time.perf_counter() > 1.8 * greedy_seconds:
        t_grow = time.perf_counter()
        grown = project(model, augment(model, st.arcs()))
        t = time.perf_counter()
        refill(grown)
        # The moves end each round with a refill like this one, after their last look at
        # the clock: keep its time out of theirs (50k, load 6: the start ended 0.4-0.6 s
        # late).
        refill_seconds = time.perf_counter() - t
        grow_seconds = time.perf_counter() - t_grow
        # Never worse than the greedy start (the projection may drop more than the flow
        # added).
        if grown.objective() <= st.objective():
            st = grown
    end = min(deadline - refill_seconds, time.perf_counter() + search_seconds)
    if not (second_round and grow_seconds):
        improve(st, end)
        return st
    # One round of moves, then the flow again from what they reached and one round of moves
    # again, while time allows and a cycle gains: the moves' later rounds gain little (b3:
    # 393 + 150 placed in the first, 12 in the second, then nothing), the flow's next round
    # finds paths through the moves' changes (b3, cycles 2-4: +66, +27, +21; session 8b).
    improve(st, end, rounds=1)
    cycle = 0
    needed = REGROW_ROUNDS * grow_seconds
    while end - time.perf_counter() > needed:
        cycle += 1
        t = time.perf_counter()
        # The second cycle without the guards: it places no more itself, but the cycles
        # after it find more paths than guarded ones alone (b3, cycles 2-5 after round 1:
        # 45 010 / 45 030 / 45 050 / 45 053 placed against 45 010 / 45 030 / 45 037 /
        # 45 041; 107 44 742 / 44 753 against 44 692 / 44 702; session 9). One unguarded
        # cycle that is not kept does not end the cycles.
        loose = cycle == LOOSE_CYCLE
        again = regrow(st, guarded=not loose)
        improve(again, end, rounds=1)
        if again.objective() < st.objective():
            st = again
        elif not loose:
            break
        # The next cycle's flow (about half a cycle) cannot stop early, its moves can: the
        # first round's time twice over (2.0-2.6 s at 50k) left out a third cycle that fit
        # (106: 1.9 s left, cycles of 1.2-1.5 s; +38 placed with it; session 9).
        needed = CYCLE_SHARE * (time.perf_counter() - t)
    # Less than a cycle's time left: more rounds of moves, until one gains nothing (LNS
    # only starts with a second left: b3 ended its last cycle 0.97 s before its deadline).
    improve(st, end)
    return st


def round_fractional(model: Model, x: np.ndarray) -> State:
    """Insert arcs by decreasing LP value (those > 0.5 first), then refill."""
    arcs = np.flatnonzero(x > 0.5)
    arcs = arcs[np.argsort(-x[arcs], kind="stable")]
    st = State(model)
    st.insert_passes(arcs.tolist())
    refill(st)
    return st


def integral_bound(model: Model, value: float) -> float:
    """Round a lower bound up when every objective value is an integer."""
    if float(model.penalty).is_integer():
        return float(math.ceil(value - 1e-6))
    return value
