"""The MIP of the notes (§1.2) on HiGHS: LP relaxation bound and (sub-)MIP solves.

Only free arcs are columns; fixed placements are constants already folded into
the model's residual counters.  The objective is sum (rank - U) x + constant,
so minimising it maximises placements first, ranks second.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np
import scipy.sparse as sp

from .model import Model

INF = highspy.kHighsInf
#: Interior-point optimality tolerance of the LP bound (HiGHS' default is 1e-8).
IPM_TOLERANCE = 1e-4


@dataclass
class Matrix:
    """The constraint matrix and bounds of the model's MIP."""

    cost: np.ndarray  # per arc: rank - U
    constant: float  # objective when no free arc is placed
    a: sp.csc_matrix
    row_lo: np.ndarray
    row_hi: np.ndarray
    integral: bool = True  # every objective value is an integer (U is)


def build_matrix(model: Model, cuts: bool = True) -> Matrix:
    """Rows of every family; rows that can never bind are left out (smaller LP).

    With `cuts`, valid inequalities that no integer solution violates are added
    (gender parity, below): the LP's bound is then a bound of the integer problem
    stronger than the plain relaxation's (`cuts=False`, the bench's yardstick).
    """
    n_a = model.n_arcs
    cols = np.arange(n_a)
    rows: list[np.ndarray] = []
    colss: list[np.ndarray] = []
    vals: list[np.ndarray] = []
    lo: list[np.ndarray] = []
    hi: list[np.ndarray] = []
    n_rows = 0

    def family(keys: np.ndarray, sel: np.ndarray, coef: np.ndarray, lo_k, hi_k, keep) -> None:
        # keys[sel] index an entity; entities with keep=True become rows.
        nonlocal n_rows
        idx = np.flatnonzero(keep)
        row_of = np.full(len(keep), -1, np.int64)
        row_of[idx] = n_rows + np.arange(len(idx))
        r = row_of[keys[sel]]
        ok = r >= 0
        rows.append(r[ok])
        colss.append(cols[sel][ok])
        vals.append(coef[ok].astype(float))
        lo.append(np.asarray(lo_k, float)[idx])
        hi.append(np.asarray(hi_k, float)[idx])
        n_rows += len(idx)

    all_arcs = np.ones(n_a, bool)
    ones = np.ones(n_a)
    n_vol_arcs = np.diff(model.vol_start)
    family(
        model.arc_v,
        all_arcs,
        ones,
        np.full(model.n_vol, -INF),
        np.ones(model.n_vol),
        n_vol_arcs > 1,
    )
    n_m = len(model.cap_left)
    m_arcs = np.bincount(model.arc_m, minlength=n_m)
    family(model.arc_m, all_arcs, ones, np.full(n_m, -INF), model.cap_left, m_arcs > model.cap_left)
    n_g = len(model.grp_left)
    g_arcs = np.bincount(model.arc_grp, minlength=n_g)
    family(
        model.arc_grp, all_arcs, ones, np.full(n_g, -INF), model.grp_left, g_arcs > model.grp_left
    )
    gsel = model.arc_gs != 0
    tol = model.mis_tol
    has_g = (tol >= 0) & (np.bincount(model.arc_m[gsel], minlength=n_m) > 0)
    family(model.arc_m, gsel, model.arc_gs[gsel], -tol - model.g0, tol - model.g0, has_g)
    asel = model.arc_agr >= 0
    n_k = len(model.agr_tol)
    has_k = np.bincount(model.arc_agr[asel], minlength=n_k) > 0
    family(
        model.arc_agr,
        asel,
        model.arc_sig[asel],
        -model.agr_tol - model.d0,
        model.agr_tol - model.d0,
        has_k,
    )
    d_arcs = np.bincount(model.arc_dir[asel], minlength=2 * n_k)
    family(
        model.arc_dir,
        asel,
        ones[asel],
        np.full(2 * n_k, -INF),
        model.dir_left,
        d_arcs > model.dir_left,
    )
    if cuts:
        # Gender parity cuts (Chvatal-Gomory): women F, men M, others X free in a mission
        # with c places left, band t and fixed balance g0. F + M + X <= c and
        # F - M <= t - g0 give 2F <= c + t - g0, so F <= floor((c + t - g0) / 2); the same
        # for men with +g0. Valid for every integer assignment, cutting off only
        # fractional ones; they bind only when c + t -/+ g0 is odd (else implied). The LP
        # splits a man in halves there (9 places, band 2: 5.5 women, 3.5 men), which no
        # integer solution can copy: at 10k on flat demand (issue 17, unseen 106) 560 of
        # 786 missions sit at the band's edge and the plain LP is ~3 % below what
        # integers reach. With these 645 rows the bound rose 93 607 -> 96 482 and the
        # rounding + local moves went 104 197 -> 98 236 (fewer half-men to round).
        for s in (1, -1):
            lim = model.cap_left + model.mis_tol - s * model.g0
            sel = model.arc_gs == s
            n_s = np.bincount(model.arc_m[sel], minlength=n_m)
            keep = (model.mis_tol >= 0) & (lim % 2 == 1) & (n_s > lim // 2)
            family(model.arc_m, sel, ones[sel], np.full(n_m, -INF), lim // 2, keep)
    a = sp.csc_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(colss))), shape=(n_rows, n_a)
    )
    n_free = int((model.fixed_mission < 0).sum())
    constant = float(model.fixed_rank.sum()) + model.penalty * n_free
    cost = model.arc_rank.astype(float) - model.penalty
    integral = float(model.penalty).is_integer()
    return Matrix(cost, constant, a, np.concatenate(lo), np.concatenate(hi), integral)


class _QuietHighs(highspy.Highs):
    """highspy.Highs with its log off before its first HiGHS call. The stock constructor sets up
    Python callbacks first, and that call prints HiGHS's banner on the standard output once per
    process: in `make run`, the demo command and between the worker's JSON log lines. The engine
    uses no callback, so the solver is built without them."""

    def __init__(self) -> None:
        super(highspy.Highs, self).__init__()  # the solver itself (highspy's base class)
        self.setOptionValue("output_flag", False)


def _highs(
    mat: Matrix, integer: bool, col_hi: np.ndarray | None = None, col_lo: np.ndarray | None = None
) -> highspy.Highs:
    h = _QuietHighs()
    lp = highspy.HighsLp()
    n = len(mat.cost)
    lp.num_col_ = n
    lp.num_row_ = mat.a.shape[0]
    lp.col_cost_ = mat.cost
    lp.col_lower_ = np.zeros(n) if col_lo is None else col_lo
    lp.col_upper_ = np.ones(n) if col_hi is None else col_hi
    lp.row_lower_ = mat.row_lo
    lp.row_upper_ = mat.row_hi
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = mat.a.indptr
    lp.a_matrix_.index_ = mat.a.indices
    lp.a_matrix_.value_ = mat.a.data
    if integer:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * n
    h.passModel(lp)
    return h


@dataclass
class LpResult:
    x: np.ndarray | None
    bound: float | None  # proven lower bound of the full objective


def lagrangian_bound(mat: Matrix, row_dual: np.ndarray) -> float:
    """A proven lower bound from *any* row multipliers (weak duality).

    L(y) = sum_i y_i * (lo_i if y_i > 0 else hi_i) + sum_j min(0, c_j - (A^T y)_j)
    over x in [0, 1]; signs are clipped so that infinite sides get no weight.
    Valid even if the IPM stopped early or without crossover.
    """
    y = np.asarray(row_dual, float).copy()
    y[np.isinf(mat.row_lo) & (y > 0)] = 0.0
    y[np.isinf(mat.row_hi) & (y < 0)] = 0.0
    side = np.where(y > 0, mat.row_lo, mat.row_hi)
    side = np.where(y == 0, 0.0, side)
    reduced = mat.cost - mat.a.T @ y
    return float(mat.constant + (y * side).sum() + np.minimum(reduced, 0.0).sum())


def solve_lp(mat: Matrix, time_limit: float, crossover: bool = False) -> LpResult:
    """LP relaxation with interior point, by default without crossover (the notes' fastest).

    With `crossover`, the interior point's answer is moved to a vertex: a few seconds more
    at 10k (unseen 108: 15.4 vs 13.8 s), but a vertex has far fewer fractional arcs (1 386
    vs 4 401), so its rounding starts the search lower (after the local moves 103 752 vs
    104 538; session 7). Either way nothing comes back when the time limit stops it.
    """
    if len(mat.cost) == 0:
        return LpResult(np.zeros(0), mat.constant)
    h = _highs(mat, integer=False)
    h.setOptionValue("solver", "ipm")
    h.setOptionValue("run_crossover", "on" if crossover else "off")
    # The bound is computed from the duals by weak duality, valid at any tolerance:
    # a looser one saves about a quarter of the iterations (29 -> 22 at 2k) for a
    # bound 3e-5 lower (rounded up, the same integer), which decides whether the
    # LP finishes at 10k on a loaded machine (issue 17).
    h.setOptionValue("ipm_optimality_tolerance", IPM_TOLERANCE)
    h.setOptionValue("time_limit", max(0.05, float(time_limit)))
    h.run()
    sol = h.getSolution()
    x = np.asarray(sol.col_value) if sol.value_valid else None
    bound = lagrangian_bound(mat, np.asarray(sol.row_dual)) if sol.dual_valid else None
    return LpResult(x, bound)


@dataclass
class MipResult:
    x: np.ndarray | None
    bound: float | None
    optimal: bool


class MipSession:
    """One HiGHS MIP model reused across solves that only change column bounds (LNS)."""

    def __init__(self, mat: Matrix) -> None:
        self.mat = mat
        self.n = len(mat.cost)
        self.h: highspy.Highs | None = None  # built on first use (LNS may never need it)

    def solve(
        self,
        time_limit: float,
        start: np.ndarray | None = None,
        col_lo: np.ndarray | None = None,
        col_hi: np.ndarray | None = None,
        rel_gap: float = 0.0,
    ) -> MipResult:
        """Branch and bound with an optional MIP start (a feasible 0/1 vector).

        The bound is only meaningful (and returned) when no column is restricted.
        """
        if self.n == 0:
            return MipResult(np.zeros(0), self.mat.constant, True)
        if self.h is None:
            self.h = _highs(self.mat, integer=True)
        h = self.h
        idx = np.arange(self.n, dtype=np.int32)
        lo = np.zeros(self.n) if col_lo is None else np.asarray(col_lo, float)
        hi = np.ones(self.n) if col_hi is None else np.asarray(col_hi, float)
        h.changeColsBounds(self.n, idx, lo, hi)
        h.setOptionValue("time_limit", max(0.05, float(time_limit)))
        h.setOptionValue("mip_rel_gap", rel_gap)
        # Objective values are integers when U is: a gap below 1 proves optimality.
        h.setOptionValue("mip_abs_gap", 0.999 if self.mat.integral else 1e-6)
        if start is not None:
            sol = highspy.HighsSolution()
            sol.col_value = list(map(float, start))
            sol.value_valid = True
            h.setSolution(sol)
        h.run()
        sol = h.getSolution()
        info = h.getInfo()
        ok = sol.value_valid and info.primal_solution_status == 2
        x = np.asarray(sol.col_value) if ok else None
        restricted = col_lo is not None or col_hi is not None
        bound = None if restricted else float(info.mip_dual_bound) + self.mat.constant
        optimal = (not restricted) and h.getModelStatus() == highspy.HighsModelStatus.kOptimal
        return MipResult(x, bound, optimal)


def solve_sub_mip(
    mat: Matrix, free: np.ndarray, start: np.ndarray, time_limit: float
) -> np.ndarray | None:
    """Re-optimise only the `free` columns, the others kept at `start` (an LNS step).

    The sub-model holds just the free columns and the rows they touch, with row
    bounds shifted by the contribution of the kept columns: far smaller than
    passing the whole model with fixed bounds (HiGHS would presolve it all).
    Returns the full 0/1 vector, or None when no solution came back.
    """
    cols = np.flatnonzero(free)
    if not len(cols):
        return start
    kept = np.where(free, 0.0, start)
    shift = mat.a @ kept
    sub = mat.a[:, cols].tocsr()
    rows = np.flatnonzero(np.diff(sub.indptr) > 0)
    sub_mat = Matrix(
        cost=mat.cost[cols],
        constant=0.0,
        a=sub[rows].tocsc(),
        row_lo=mat.row_lo[rows] - shift[rows],
        row_hi=mat.row_hi[rows] - shift[rows],
        integral=mat.integral,
    )
    res = MipSession(sub_mat).solve(time_limit, start[cols])
    if res.x is None:
        return None
    x = kept.copy()
    x[cols] = res.x
    return x


def solve_mip(
    mat: Matrix,
    time_limit: float,
    start: np.ndarray | None = None,
    col_lo: np.ndarray | None = None,
    col_hi: np.ndarray | None = None,
    rel_gap: float = 0.0,
) -> MipResult:
    """One-off branch and bound (see `MipSession.solve`)."""
    return MipSession(mat).solve(time_limit, start, col_lo, col_hi, rel_gap)
