"""A mutable partial assignment that is feasible at every step.

The heuristics (greedy, FCFS, repair, refill, local search) only ever call
`add` when `can_add` holds and `remove` when `can_remove` holds.  Fixed
placements alone respect every rule (checked at validation), so starting from
them and keeping every rule after each move means the final assignment is
feasible: this is how every mode guarantees feasibility, even on a time-out.

Plain Python lists are used instead of numpy arrays on purpose: these loops
touch one element at a time and list indexing is ~10x faster than numpy
scalar indexing.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .model import Model


class State:
    """Counters of a feasible partial assignment over the free arcs of a model."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.av = model.arc_v.tolist()
        self.am = model.arc_m.tolist()
        self.ag = model.arc_grp.tolist()
        self.gs = model.arc_gs.tolist()
        self.ak = model.arc_agr.tolist()
        self.sg = model.arc_sig.tolist()
        self.dr = model.arc_dir.tolist()
        self.rank = model.arc_rank.tolist()
        self.tol = model.mis_tol.tolist()
        self.atol = model.agr_tol.tolist()
        self.cap = model.cap_left.tolist()
        self.grp = model.grp_left.tolist()
        self.gdiff = model.g0.tolist()
        self.adiff = model.d0.tolist()
        self.dirl = model.dir_left.tolist()
        self.placed = [-1] * model.n_vol  # free arc of each volunteer, -1 if none

    def can_add(self, e: int) -> bool:
        """True if placing arc e keeps every rule (volunteer free, all rows)."""
        if self.placed[self.av[e]] >= 0:
            return False
        m = self.am[e]
        if self.cap[m] <= 0 or self.grp[self.ag[e]] <= 0:
            return False
        s = self.gs[e]
        if s and abs(self.gdiff[m] + s) > self.tol[m]:
            return False
        k = self.ak[e]
        return k < 0 or (
            abs(self.adiff[k] + self.sg[e]) <= self.atol[k] and self.dirl[self.dr[e]] > 0
        )

    def can_remove(self, e: int) -> bool:
        """True if un-placing arc e keeps the two-sided rows (the others are upper bounds)."""
        m = self.am[e]
        s = self.gs[e]
        if s and abs(self.gdiff[m] - s) > self.tol[m]:
            return False
        k = self.ak[e]
        return not (k >= 0 and abs(self.adiff[k] - self.sg[e]) > self.atol[k])

    def add(self, e: int) -> None:
        m = self.am[e]
        self.placed[self.av[e]] = e
        self.cap[m] -= 1
        self.grp[self.ag[e]] -= 1
        self.gdiff[m] += self.gs[e]
        k = self.ak[e]
        if k >= 0:
            self.adiff[k] += self.sg[e]
            self.dirl[self.dr[e]] -= 1

    def remove(self, e: int) -> None:
        m = self.am[e]
        self.placed[self.av[e]] = -1
        self.cap[m] += 1
        self.grp[self.ag[e]] += 1
        self.gdiff[m] -= self.gs[e]
        k = self.ak[e]
        if k >= 0:
            self.adiff[k] -= self.sg[e]
            self.dirl[self.dr[e]] += 1

    def try_add(self, e: int) -> bool:
        if self.can_add(e):
            self.add(e)
            return True
        return False

    def insert_passes(self, arcs: Iterable[int], max_passes: int = 6) -> None:
        """Add arcs in the given order, repeating while some blocked arc becomes addable.

        A two-sided band can block an arc now (a third F in a row) that becomes
        addable once another arc is in (an M): later passes pick those up.
        """
        pending = list(arcs)
        for _ in range(max_passes):
            rest = [e for e in pending if not self.try_add(e)]
            if len(rest) == len(pending):
                return
            pending = [e for e in rest if self.placed[self.av[e]] < 0]

    def arcs(self) -> np.ndarray:
        """The free arcs currently placed, as a sorted array."""
        return np.asarray(sorted(e for e in self.placed if e >= 0), dtype=np.int64)

    def objective(self) -> float:
        return self.model.objective(self.arcs())


def violations(model: Model, arcs: np.ndarray) -> list[str]:
    """Vectorised safety net: every rule broken by fixed placements + `arcs` (empty = feasible).

    The solvers keep feasibility by construction; this re-check guards the
    contract "every assignment respects every rule" against solver tolerances.
    """
    arcs = np.asarray(arcs, dtype=np.int64)
    out: list[str] = []
    if len(np.unique(model.arc_v[arcs])) != len(arcs):
        out.append("a volunteer is placed twice")
    n_m = len(model.cap_left)
    if (np.bincount(model.arc_m[arcs], minlength=n_m) > model.cap_left).any():
        out.append("capacity")
    if (np.bincount(model.arc_grp[arcs], minlength=len(model.grp_left)) > model.grp_left).any():
        out.append("nationality cap")
    if ((model.mis_tol >= 0) & (np.abs(model.gender_difference(arcs)) > model.mis_tol)).any():
        out.append("gender balance")
    n_k = len(model.agr_tol)
    sel = arcs[model.arc_agr[arcs] >= 0]
    adiff = model.d0 + np.bincount(model.arc_agr[sel], weights=model.arc_sig[sel], minlength=n_k)
    if (np.abs(adiff) > model.agr_tol).any():
        out.append("reciprocity tolerance")
    if (np.bincount(model.arc_dir[sel], minlength=2 * n_k) > model.dir_left).any():
        out.append("agreement maximum")
    return out


def state_from_arcs(model: Model, arcs: np.ndarray) -> State | None:
    """A `State` holding exactly `arcs`, or None when they break a rule."""
    if violations(model, arcs):
        return None
    st = State(model)
    for e in np.asarray(arcs, dtype=np.int64).tolist():
        st.add(e)
    return st
