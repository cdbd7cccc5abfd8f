"""Augmenting paths for large models: place more volunteers than a greedy start (issue 17).

At 50k volunteers the min-cost flow takes 3-26 s on a 2-core machine and is skipped
within 10 s; the greedy start then places about 81 %, where a plain max flow
(capacities and nationality caps only) places 91.7-92.2 % in half a second.
`augment` runs that max flow on the *residual* network of a feasible assignment:
each unit of flow is an augmenting path (an unplaced volunteer takes a seat,
placed volunteers along the path move to another of their choices, the last one
into a seat left free), so nobody placed is unplaced and the greedy's ranks stay
wherever no path passes.

Gender bands are in the network as per-gender seat caps (volunteer ->
(mission, nationality, gender) -> (mission, gender) -> mission -> sink): in a
mission with tolerance t, F - M <= t - g0 and F + M <= cap give
F <= (cap + t - g0) / 2 (M likewise with +g0). A nationality cap is shared by
the genders of its group, which a flow cannot express, so it is split between
them (what is used stays with its gender, the rest by how many choices of each
gender wait). The caps only bound the full missions' bands, and reciprocity
tolerances and direction maxima are not in the network at all: the result may
break them; `project` turns it into a feasible `State` (dropping what does not
fit) for the local moves to repair.
"""

from __future__ import annotations

import numpy as np
from ortools.graph.python import max_flow

from .model import Model
from .state import State


def _split(total: np.ndarray, used: np.ndarray, want: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Split each group's `total` between its sub-groups: `used` first, then by `want`.

    `key[i]` is the group of sub-group i; the parts sum to the group's total when it
    covers what is used (largest remainders get the rounding).
    """
    n = len(key)
    used_g = np.bincount(key, weights=used, minlength=len(total))
    want_g = np.bincount(key, weights=want, minlength=len(total))
    rest = np.maximum(total - used_g, 0)
    share = np.where(want_g[key] > 0, rest[key] * want / np.maximum(want_g[key], 1), 0.0)
    base = np.floor(share).astype(np.int64)
    left = (rest - np.bincount(key, weights=base, minlength=len(total))).astype(np.int64)
    # Hand the units lost to rounding to the largest remainders, group by group.
    order = np.lexsort((-(share - base), key))
    start = np.searchsorted(key[order], np.arange(len(total)))
    pos = np.arange(n) - start[key[order]]
    extra = np.zeros(n, np.int64)
    extra[order] = (pos < left[key[order]]).astype(np.int64)
    return used.astype(np.int64) + base + np.where(want > 0, extra, 0)


def augment(
    model: Model,
    placed: np.ndarray,
    max_rank: int | None = None,
    blocked: np.ndarray | None = None,
    band_slack: bool = False,
) -> np.ndarray:
    """A maximum flow grown from the placed arcs `placed` (a feasible assignment).

    `blocked`: arcs not to use for new or moved placements (a mask over the arcs).
    `band_slack`: cap each gender's net arrivals in a mission with a gender rule at the
    slack its band has for that gender alone in `placed` (a heuristic: a woman arriving
    where a man leaves may still break a band; `project` drops what does not fit).

    Returns the new set of placed arcs (sorted): a superset of the placed volunteers,
    as many more as the network allows, using arcs of rank <= `max_rank` (all useful
    arcs when None) for the new and moved placements. Capacities and nationality caps
    hold; the other rules may not (see the module's docstring).
    """
    placed = np.asarray(placed, dtype=np.int64)
    n_v, n_m = model.n_vol, len(model.cap_left)
    kind = np.where(model.arc_gs > 0, 0, np.where(model.arc_gs < 0, 1, 2))
    # Sub-groups (mission, nationality, gender) and per-gender mission nodes.
    sub_key, arc_sub = np.unique(model.arc_grp * 3 + kind, return_inverse=True)
    arc_sub = arc_sub.ravel()
    sub_grp = sub_key // 3
    sub_mg = model.grp_m[sub_grp] * 3 + sub_key % 3
    n_s = len(sub_key)

    is_placed = np.zeros(model.n_arcs, bool)
    is_placed[placed] = True
    vol_placed = np.zeros(n_v, bool)
    vol_placed[model.arc_v[placed]] = True
    usable = model.arc_rank < model.penalty
    if max_rank is not None:
        usable &= model.arc_rank <= max_rank
    if blocked is not None:
        usable &= ~blocked
    fwd = np.flatnonzero(usable & ~is_placed)
    free_v = np.unique(model.arc_v[fwd][~vol_placed[model.arc_v[fwd]]])

    used_s = np.bincount(arc_sub[placed], minlength=n_s)
    want_s = np.bincount(arc_sub[fwd], minlength=n_s)
    cap_s = _split(model.grp_left.astype(np.int64), used_s, want_s, sub_grp)
    cap_s = np.minimum(cap_s, model.grp_left[sub_grp])
    used_mg = np.bincount(sub_mg, weights=used_s, minlength=3 * n_m).astype(np.int64)
    tol, cap, g0 = model.mis_tol, model.cap_left, model.g0
    rule = tol >= 0
    cap_f = np.where(rule, (cap + tol - g0) // 2, cap)
    cap_m = np.where(rule, (cap + tol + g0) // 2, cap)
    if band_slack:
        # Each gender's net arrivals at most what the band takes of that gender alone now
        # (F - M + g0 <= t): many paths into one band with a seat or two of slack broke it,
        # and the projection dropped them (b3, cycles 2-5: 45 010 / 45 030 / 45 037 / 45 041
        # placed against 44 998 / 45 019 / 45 024 / 45 025; session 9).
        gd = model.gender_difference(placed)
        used_fm = used_mg.reshape(n_m, 3)
        cap_f = np.where(rule, np.minimum(cap_f, used_fm[:, 0] + np.maximum(tol - gd, 0)), cap_f)
        cap_m = np.where(rule, np.minimum(cap_m, used_fm[:, 1] + np.maximum(tol + gd, 0)), cap_m)
    cap_mg = np.stack([cap_f, cap_m, cap], axis=1).ravel()
    used_m = np.bincount(model.arc_m[placed], minlength=n_m)

    # Nodes: source, volunteers, sub-groups, (mission, gender), missions, sink.
    v0, s0 = 1, 1 + n_v
    mg0 = s0 + n_s
    m0 = mg0 + 3 * n_m
    sink = m0 + n_m
    s_all, mg_all, m_all = np.arange(n_s), np.arange(3 * n_m), np.arange(n_m)
    tails = [
        np.zeros(len(free_v), np.int64),
        v0 + model.arc_v[fwd],
        s0 + arc_sub[placed],  # residual: a placed volunteer may leave for another choice
        s0 + s_all,
        mg0 + sub_mg,
        mg0 + mg_all,
        m0 + mg_all // 3,
        m0 + m_all,
    ]
    heads = [
        v0 + free_v,
        s0 + arc_sub[fwd],
        v0 + model.arc_v[placed],
        mg0 + sub_mg,
        s0 + s_all,
        m0 + mg_all // 3,
        mg0 + mg_all,
        np.full(n_m, sink),
    ]
    caps = [
        np.ones(len(free_v), np.int64),
        np.ones(len(fwd), np.int64),
        np.ones(len(placed), np.int64),
        np.maximum(cap_s - used_s, 0),
        used_s,
        np.maximum(np.minimum(cap_mg, 1 << 40) - used_mg, 0),
        used_mg,
        np.maximum(cap - used_m, 0),
    ]
    tail, head, capacity = np.concatenate(tails), np.concatenate(heads), np.concatenate(caps)
    # Arcs of no capacity carry nothing: about 200k of the 720k at 50k (the residual arcs
    # of sub-groups nobody is placed in, 140k after the greedy start, and the forward arcs
    # of seat caps used up), and the solver's time went with them (b3, cycles 2-4: 0.32 /
    # 0.22 / 0.12 s, without them 0.21 / 0.18 / 0.11 s; session 9). The volunteers' arcs
    # come first and all stay: their flows are read by position below.
    keep = capacity > 0
    keep[: len(free_v) + len(fwd) + len(placed)] = True
    smf = max_flow.SimpleMaxFlow()
    smf.add_arcs_with_capacity(
        tail[keep].astype(np.int32), head[keep].astype(np.int32), capacity[keep].astype(np.int64)
    )
    status = smf.solve(0, sink)
    if status != smf.OPTIMAL:  # pragma: no cover - a network with finite capacities
        return np.sort(placed)
    off = len(free_v)
    f_fwd = smf.flows(np.arange(off, off + len(fwd)))
    f_rev = smf.flows(np.arange(off + len(fwd), off + len(fwd) + len(placed)))
    return np.sort(np.concatenate([placed[f_rev == 0], fwd[f_fwd > 0]]))


def project(model: Model, arcs: np.ndarray, first: np.ndarray | None = None) -> State:
    """A feasible `State` with as many of `arcs` as one-at-a-time insertion keeps.

    `first`: arcs (of a feasible assignment) inserted before the others, those of them
    in `arcs` (`regrow`: what the flow kept of an improved state).

    Inserted interleaved by gender and direction (see `heuristics.interleaved`), in
    passes. Measured against inserting first the arcs the flow kept from its start (50k
    unseen 102, 106, 107, 108, after refill and 7 s of local moves: 0.02-0.13 points
    fewer placed) and against keeping the whole start and moving the volunteers that the
    paths move one by one (102: 90.2 % against 90.7 %): the flow's own picks balance
    genders better than the greedy's.
    """
    from .heuristics import interleaved  # deferred: heuristics imports this module

    st = State(model)
    arcs = np.asarray(arcs, dtype=np.int64)
    if first is not None:
        kept = np.intersect1d(arcs, np.asarray(first, dtype=np.int64))
        st.insert_passes(interleaved(model, kept))
        arcs = np.setdiff1d(arcs, kept)
    st.insert_passes(interleaved(model, arcs))
    return st


def refused(st: State) -> np.ndarray:
    """Arcs that a band refuses on their own in `st`: an agreement's reciprocity band, or
    the gender band of a mission with a seat left (full missions' bands are in the
    network as seat caps). A path through one of them breaks the band unless another path
    happens to balance it, and the projection then drops about as many as the flow added.
    """
    model = st.model
    m = model.arc_m
    tol = model.mis_tol[m]
    gdiff, cap = np.asarray(st.gdiff, np.int64), np.asarray(st.cap, np.int64)
    out = (tol >= 0) & (cap[m] > 0) & (np.abs(gdiff[m] + model.arc_gs) > tol)
    if len(model.agr_tol):
        k = np.maximum(model.arc_agr, 0)
        adiff = np.asarray(st.adiff, np.int64)
        out |= (model.arc_agr >= 0) & (np.abs(adiff[k] + model.arc_sig) > model.agr_tol[k])
    return out


def regrow(st: State, guarded: bool = True) -> State:
    """Another round of `augment` from an improved feasible state `st`.

    `guarded`: the new arcs leave out those a band refuses in `st` (`refused`) and each
    gender's net arrivals in a mission stay within its band's slack (`band_slack`).
    The flow's arcs that `st` already had go in first, then the paths' new ones, then a
    refill (the caller compares: the projection may still drop more than the flow added).
    50k bench instance b3 after the first round's local moves (44 900 placed), each round
    followed by one round of moves: 45 010, 45 030, 45 037 placed guarded, against
    44 966, 44 993, 45 014 with every arc and the plain `project` (sessions 8b and 9).
    Unguarded, a round finds about 280 more paths, and the projection drops more than it
    gains, but it reshuffles the bands (`heuristics.augmented_insert`).
    """
    from .heuristics import refill  # deferred: heuristics imports this module

    model = st.model
    placed = st.arcs()
    if guarded:
        flow = augment(model, placed, blocked=refused(st), band_slack=True)
    else:
        flow = augment(model, placed)
    grown = project(model, flow, first=placed)
    refill(grown)
    return grown


def max_placed(model: Model) -> int:
    """Most free volunteers placeable under capacities and nationality caps alone.

    A plain maximum flow volunteer -> (mission, nationality) -> mission -> sink over
    every arc (0.1-0.7 s at 50k): a relaxation, so no feasible assignment places more.
    """
    n_v, n_g, n_m = model.n_vol, len(model.grp_left), len(model.cap_left)
    if model.n_arcs == 0:
        return 0
    free_v = np.unique(model.arc_v)
    v0, g0 = 1, 1 + n_v
    m0 = g0 + n_g
    sink = m0 + n_m
    tails = np.concatenate(
        [
            np.zeros(len(free_v), np.int64),
            v0 + model.arc_v,
            g0 + np.arange(n_g),
            m0 + np.arange(n_m),
        ]
    )
    heads = np.concatenate([v0 + free_v, g0 + model.arc_grp, m0 + model.grp_m, np.full(n_m, sink)])
    caps = np.concatenate(
        [
            np.ones(len(free_v) + model.n_arcs, np.int64),
            np.maximum(model.grp_left, 0),
            np.maximum(model.cap_left, 0),
        ]
    )
    smf = max_flow.SimpleMaxFlow()
    smf.add_arcs_with_capacity(tails.astype(np.int32), heads.astype(np.int32), caps)
    if smf.solve(0, sink) != smf.OPTIMAL:  # pragma: no cover - finite capacities
        return len(free_v)
    return int(smf.optimal_flow())


def placed_bound(model: Model, placeable: int) -> float:
    """A proven lower bound of the objective when at most `placeable` free volunteers with a
    choice can be placed (`max_placed`).

    Each free volunteer costs at least b_v = min(penalty, best rank of their arcs), and an
    unplaced one the penalty: at least (volunteers with an arc - placeable) of them are
    unplaced, so the objective is at least sum b_v plus the smallest that many
    (penalty - b_v). Far stronger than `heuristics.choice_bound` (every volunteer at
    their best choice) when placing is what binds: 50k unseen, about the min-cost flow's
    bound, which does not fit in 10 s.
    """
    pen = model.penalty
    best = np.full(model.n_vol, pen)
    np.minimum.at(best, model.arc_v, np.minimum(model.arc_rank, pen).astype(float))
    free = model.fixed_mission < 0
    with_arc = np.zeros(model.n_vol, bool)
    with_arc[model.arc_v] = True
    must_wait = max(0, int(with_arc.sum()) - placeable)
    extra = np.sort(pen - best[with_arc & free])[:must_wait].sum()
    return float(model.fixed_rank.sum() + best[free].sum() + extra)
