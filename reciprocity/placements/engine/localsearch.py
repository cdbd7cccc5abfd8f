"""Moves that one-at-a-time insertion cannot make, each kept only if every rule holds.

* pair insertion: a woman and a man into the same mission (a gender band at
  its edge, or tolerance 0), or an a->b and a b->a volunteer under one agreement
  (a reciprocity band at its edge);
* ejection: move a placed volunteer to another of their choices to free a
  place for an unplaced one;
* gender chains: an unplaced volunteer blocked by a mission's gender band alone
  gets a partner of the other sign *moved in* from another mission, and when
  that mission's own band then breaks, one moved in from a third, and so on (an
  ejection chain, issue 17: after LP rounding at 10k, flat popularity, the
  integer solution placed more men than the LP but in missions where no woman
  waited; 123 fewer women).

Each move is applied, the rows it touched are checked, and it is undone when
a rule breaks or the objective would not improve: the state stays feasible.
"""

from __future__ import annotations

import time
from collections import defaultdict

import numpy as np

from .heuristics import refill
from .model import Model
from .state import State


def _touched_ok(st: State, arcs: list[int]) -> bool:
    for e in arcs:
        m = st.am[e]
        if st.cap[m] < 0 or st.grp[st.ag[e]] < 0:
            return False
        if st.tol[m] >= 0 and abs(st.gdiff[m]) > st.tol[m]:
            return False
        k = st.ak[e]
        if k >= 0 and (abs(st.adiff[k]) > st.atol[k] or st.dirl[st.dr[e]] < 0):
            return False
    return True


def try_move(st: State, removes: list[int], adds: list[int]) -> bool:
    """Apply removals then additions atomically; undo unless every rule holds."""
    for e in removes:
        st.remove(e)
    vols = [st.av[e] for e in adds]
    if len(set(vols)) != len(vols) or any(st.placed[v] >= 0 for v in vols):
        for e in removes:
            st.add(e)
        return False
    for e in adds:
        st.add(e)
    if _touched_ok(st, removes + adds):
        return True
    for e in adds:
        st.remove(e)
    for e in removes:
        st.add(e)
    return False


def _unplaced_arcs(st: State) -> np.ndarray:
    model = st.model
    placed = np.asarray(st.placed)
    arcs = np.flatnonzero(model.arc_rank < model.penalty)
    return arcs[placed[model.arc_v[arcs]] < 0]


def pair_insert(st: State, deadline: float) -> int:
    """Insert pairs that balance each other; returns the number of volunteers added."""
    model = st.model
    added = 0
    arcs = _unplaced_arcs(st)
    arcs = arcs[np.argsort(model.arc_rank[arcs], kind="stable")]
    # Gender pairs per mission, direction pairs per agreement.
    for key_of, sign_of in (
        (lambda e: st.am[e] if st.gs[e] else -1, lambda e: st.gs[e]),
        (lambda e: st.ak[e], lambda e: st.sg[e]),
    ):
        plus: dict[int, list[int]] = defaultdict(list)
        minus: dict[int, list[int]] = defaultdict(list)
        for e in arcs.tolist():
            # Only arcs blocked by a band alone can be unblocked by a partner.
            m = st.am[e]
            if (
                st.cap[m] <= 0
                or st.grp[st.ag[e]] <= 0
                or (st.dr[e] >= 0 and st.dirl[st.dr[e]] <= 0)
            ):
                continue
            k = key_of(e)
            if k >= 0:
                (plus if sign_of(e) > 0 else minus)[k].append(e)
        for k, ps in plus.items():
            ms = minus.get(k)
            if not ms:
                continue
            for e in ps:
                if st.placed[st.av[e]] >= 0:
                    continue
                for f in ms:
                    if st.placed[st.av[f]] < 0 and try_move(st, [], [e, f]):
                        added += 2
                        break
                if time.perf_counter() > deadline:
                    return added
    return added


def eject(st: State, deadline: float, max_tries: int = 200_000) -> int:
    """For unplaced volunteers, move someone out of a chosen mission to make room."""
    model = st.model
    members: dict[int, set[int]] = defaultdict(set)
    for e in st.placed:
        if e >= 0:
            members[st.am[e]].add(e)
    starts = model.vol_start.tolist()
    pen = model.penalty
    rank = st.rank
    home = (model.vol_nat[model.arc_v] == model.mis_host[model.arc_m]).tolist()
    # Placed arcs whose volunteer has no other useful choice with a seat left. A move here
    # never frees a seat (w's seat goes to e, f takes one), so they stay so: most of the
    # time at 50k went to trying them again for every newcomer (session 8b).
    stuck: set[int] = set()
    gained = 0
    tries = 0
    for e in _unplaced_arcs(st).tolist():
        if st.placed[st.av[e]] >= 0:
            continue
        m = st.am[e]
        nat_full = st.grp[st.ag[e]] <= 0
        # Leaving m, w changes m's band by -gs[w] and e adds gs[e]: w of the wrong sign
        # cannot make room (the move's check would refuse it after trying every choice of w).
        band = st.tol[m] >= 0
        g_after = st.gdiff[m] + st.gs[e]
        # An agreement row refusing e is freed only by someone of that agreement leaving,
        # or by a national of the host country (no agreement here) moving to e's country.
        k = st.ak[e]
        agr_blocked = k >= 0 and (
            abs(st.adiff[k] + st.sg[e]) > st.atol[k] or st.dirl[st.dr[e]] <= 0
        )
        for w_arc in list(members[m]):
            if w_arc in stuck:
                continue
            if nat_full and st.ag[w_arc] != st.ag[e]:
                continue  # only a compatriot leaving frees the nationality place
            if band and abs(g_after - st.gs[w_arc]) > st.tol[m]:
                continue
            if agr_blocked and st.ak[w_arc] != k and not home[w_arc]:
                continue
            w = st.av[w_arc]
            seat = False
            for f in range(starts[w], starts[w + 1]):
                if f == w_arc or rank[f] >= pen or st.cap[st.am[f]] <= 0:
                    continue
                seat = True
                if st.grp[st.ag[f]] <= 0:
                    continue  # w cannot go there anyway
                # Gain: one more placed (pen - rank e) minus w's rank change.
                if pen - rank[e] - (rank[f] - rank[w_arc]) <= 0:
                    continue
                tries += 1
                if try_move(st, [w_arc], [e, f]):
                    members[m].discard(w_arc)
                    members[m].add(e)
                    members[st.am[f]].add(f)
                    gained += 1
                    break
            if not seat:
                stuck.add(w_arc)
            if st.placed[st.av[e]] >= 0:
                break
        if tries > max_tries or time.perf_counter() > deadline:
            break
    return gained


def chain_index(model: Model) -> dict[tuple[int, int], list[int]]:
    """Useful gendered arcs by (mission, sign), by rank then arc order (`gender_chains`).

    Grouped with one sort instead of appending arc by arc: 0.19 s at 50k was 0.03 s,
    paid at every round of moves (session 8b).
    """
    useful = np.flatnonzero((model.arc_rank < model.penalty) & (model.arc_gs != 0))
    if len(useful) == 0:
        return {}
    key = model.arc_m[useful] * 2 + (model.arc_gs[useful] > 0)
    # lexsort is stable: ties in rank keep arc order, as the former stable argsort did.
    order = np.lexsort((model.arc_rank[useful], key))
    useful, key = useful[order], key[order]
    cut = np.flatnonzero(key[1:] != key[:-1]) + 1
    starts = np.r_[0, cut].tolist()
    ends = np.r_[cut, len(key)].tolist()
    arcs = useful.tolist()
    return {
        (int(k) // 2, 1 if k % 2 else -1): arcs[a:b]
        for k, a, b in zip(key[starts].tolist(), starts, ends, strict=True)
    }


def gender_chains(st: State, deadline: float, depth: int = 4, max_visit: int = 300) -> int:
    """Place volunteers blocked by a gender band alone, pulling partners along a chain.

    For an unplaced arc e into mission m whose band refuses e's sign s, search
    breadth-first for a volunteer of sign -s to move into m: an unplaced one
    (the chain ends), or one placed in a mission a whose band allows losing
    them (ends), or one placed in a mission a that then needs its own partner
    of sign -s (the search continues from a). The whole chain is one atomic
    move (`try_move`), kept only if every rule holds and the objective drops.
    Returns the number of volunteers added.
    """
    model = st.model
    pen = model.penalty
    rank = st.rank
    into = chain_index(model)
    failed: set[tuple[int, int]] = set()  # (mission, sign) whose search found nothing
    gained = 0
    for e in _unplaced_arcs(st).tolist():
        if time.perf_counter() > deadline:
            break
        if st.placed[st.av[e]] >= 0:
            continue
        m, s = st.am[e], st.gs[e]
        if not s or (m, s) in failed or st.cap[m] < 2 or st.grp[st.ag[e]] <= 0:
            continue
        if abs(st.gdiff[m] + s) <= st.tol[m]:
            continue  # not blocked by the band: refill's business
        k = st.ak[e]
        if k >= 0 and (abs(st.adiff[k] + st.sg[e]) > st.atol[k] or st.dirl[st.dr[e]] <= 0):
            continue
        need = -s
        # parent[a] = (f, w): the volunteer placed at a by arc w moves by arc f into
        # mission am[f], so a needs a partner of sign `need` in turn.
        parent: dict[int, tuple[int, int]] = {m: (-1, -1)}
        frontier = [m]
        done = False
        for _ in range(depth):
            nxt: list[int] = []
            for b in frontier:
                for f in into.get((b, need), ()):
                    u = st.av[f]
                    w = st.placed[u]
                    if w == f:
                        continue
                    a = -1 if w < 0 else st.am[w]
                    if a in parent:
                        continue
                    # Chain ends when u is unplaced or a tolerates u leaving.
                    ends = w < 0 or not st.gs[w] or abs(st.gdiff[a] - st.gs[w]) <= st.tol[a]
                    if not ends:
                        if len(parent) < max_visit:
                            parent[a] = (f, w)
                            nxt.append(a)
                        continue
                    adds, removes = [e, f], [] if w < 0 else [w]
                    c = b
                    while c != m:
                        f2, w2 = parent[c]
                        adds.append(f2)
                        removes.append(w2)
                        c = st.am[f2]  # the mission w2's volunteer moves into
                    delta = sum(rank[x] for x in adds) - sum(rank[x] for x in removes)
                    placed_more = 1 + (w < 0)
                    if pen * placed_more - delta > 0 and try_move(st, removes, adds):
                        gained += placed_more
                        done = True
                        break
                if done:
                    break
            if done or not nxt:
                break
            frontier = nxt
        if not done:
            failed.add((m, s))
    return gained


def improve(st: State, deadline: float, rounds: int = 3) -> None:
    """Pair insertion, ejection and gender chains, a few rounds, within the deadline."""
    for _ in range(rounds):
        gained = pair_insert(st, deadline)
        if time.perf_counter() > deadline:
            return
        gained += eject(st, deadline)
        if time.perf_counter() <= deadline:
            # Its index over every gendered arc takes 0.3-0.5 s at 50k before it looks at
            # the clock: past the deadline it would find nothing anyway (session 8: the
            # 50k start ended 0.4 s after its deadline under load 2.5).
            gained += gender_chains(st, deadline)
        refill(st)
        if not gained or time.perf_counter() > deadline:
            return
