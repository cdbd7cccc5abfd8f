"""Large-neighbourhood search: re-optimise a slice of the incumbent with HiGHS.

The full MIP is too big above ~3k volunteers (the root LP alone takes the
time budget), but a MIP where all but a few thousand volunteers keep their
current placement solves in a second or two.  A neighbourhood is grown from
unplaced volunteers: the missions they chose, everyone placed in those
missions, every unplaced volunteer who chose them, and all the choices of
those volunteers.  The incumbent is the MIP start, so each step can only
improve; the neighbourhood size adapts to how fast the sub-MIPs solve.
Measured and dropped at 10k: a RINS-like neighbourhood (volunteers on whom
the LP and the incumbent disagree; slow sub-MIPs) and connected neighbourhoods
grown breadth-first from one unplaced volunteer (120k vs 110k objective after
25 s from the same start: the scattered neighbourhoods give HiGHS more slack).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from .mip import MipSession, solve_sub_mip
from .model import Model
from .state import State


def _neighbourhood(
    model: Model, vol_arc: np.ndarray, rng: np.random.Generator, target: int
) -> np.ndarray:
    """Boolean mask of the free arcs of one neighbourhood (about `target` volunteers)."""
    useful = model.arc_rank < model.penalty
    unplaced_arc = useful & (vol_arc[model.arc_v] < 0)
    n_m = len(model.cap_left)
    placed_arcs = vol_arc[vol_arc >= 0]
    # Load of a mission = volunteers it would free: those placed there + unplaced askers.
    load = np.bincount(model.arc_m[placed_arcs], minlength=n_m) + np.bincount(
        model.arc_m[unplaced_arc], minlength=n_m
    )
    # Missions wanted by unplaced volunteers first (random order), then any other.
    wanted = np.unique(model.arc_m[unplaced_arc])
    others = np.setdiff1d(np.arange(n_m), wanted)
    order = np.concatenate([rng.permutation(wanted), rng.permutation(others)])
    agr_arcs = unplaced_arc & (model.arc_agr >= 0)
    if agr_arcs.any() and rng.random() < 0.5:
        # Reciprocity-focused: the missions of both directions of one agreement
        # that has unplaced candidates, so flows can grow in balance.
        k = rng.choice(model.arc_agr[agr_arcs])
        first = rng.permutation(np.unique(model.arc_m[model.arc_agr == k]))
        order = np.concatenate([first, order[~np.isin(order, first)]])
    take = int(np.searchsorted(np.cumsum(load[order]), target)) + 1
    mis = np.zeros(n_m, bool)
    mis[order[:take]] = True
    free_vol = np.zeros(model.n_vol, bool)
    free_vol[model.arc_v[placed_arcs[mis[model.arc_m[placed_arcs]]]]] = True
    free_vol[model.arc_v[unplaced_arc & mis[model.arc_m]]] = True
    return free_vol[model.arc_v]


def lns(
    model: Model,
    session: MipSession,
    incumbent: Callable[[], State],
    offer: Callable[[np.ndarray], None],
    deadline: float,
    done: Callable[[], bool] = lambda: False,
    seed: int = 0,
    first_target: int = 1000,
    step_cap: float = 4.0,
    guard_overrun: bool = False,
) -> int:
    """Run sub-MIPs until the deadline; returns the number of improving steps.

    With `guard_overrun`, each step's limit leaves out the longest time a step has spent
    outside its sub-MIP or past the sub-MIP's limit so far (building the neighbourhood
    and turning the answer into a state are outside HiGHS' limit: 0.1-0.35 s at 50k), so
    that the last step ends by the deadline (50k in 10 s: it ended 0.2-0.35 s after it).
    """
    rng = np.random.default_rng(seed)
    target = min(first_target, max(100, model.n_vol // 6))  # small models: small steps
    improved = 0
    # Guarding, the first step already leaves out what one took at 50k (0.1-0.35 s).
    overrun = 0.3 if guard_overrun else 0.0
    while deadline - time.perf_counter() - overrun > 0.3 and not done():
        step_start = time.perf_counter()
        st = incumbent()
        vol_arc = np.asarray(st.placed, dtype=np.int64)
        start = np.zeros(model.n_arcs)
        start[vol_arc[vol_arc >= 0]] = 1.0
        free = _neighbourhood(model, vol_arc, rng, target)
        step_limit = min(deadline - time.perf_counter() - overrun, step_cap)
        t = time.perf_counter()
        x = solve_sub_mip(session.mat, free, start, step_limit)
        took = time.perf_counter() - t
        if x is not None:
            before = st.objective()
            offer(x)
            if incumbent().objective() < before:
                improved += 1
        if guard_overrun:
            # Time outside the sub-MIP, plus how far the sub-MIP ran past its limit.
            outside = time.perf_counter() - step_start - took
            overrun = max(overrun, outside + max(0.0, took - step_limit))
        # Grow while sub-MIPs are quick, shrink when they hit the limit.
        if took < 0.25 * step_limit:
            target = int(target * 1.3)
        elif took >= 0.9 * step_limit:
            target = max(200, int(target * 0.7))
    return improved
