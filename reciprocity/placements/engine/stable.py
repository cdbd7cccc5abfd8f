"""`stable` mode: volunteer-proposing deferred acceptance with application order as priority.

Every mission ranks applicants by the same priority (application order, the
order of `volunteers`).  With a common priority and *hereditary* constraints
(upper bounds on counts: capacity, max per nationality, agreement maxima,
per-gender and per-direction ceilings), volunteer-proposing deferred
acceptance yields exactly the serial dictatorship outcome: volunteers in
priority order each take their best choice that still fits.  We compute it
that way (one pass, no proposal rounds), which is the same matching.

Gender balance (|F - M| <= t) and reciprocity tolerance (|S(a->b) - S(b->a)| <= T)
are two-sided, not hereditary: removing a volunteer can break them, so no
stable mechanism can guarantee them directly (notes §5.3).  Since every
assignment must respect every rule, we turn them into hereditary ceilings
adaptively: after a pass, a mission with too many F gets a ceiling of
(M + t) women, an agreement direction with too many a->b placements gets a
ceiling (S(b->a) + T), and the pass is re-run.  Ceilings only decrease, so
this ends; the final matching respects every rule and is stable with respect
to capacity, nationality caps, agreement maxima and the final ceilings (no
volunteer prefers a mission that could take them within those ceilings over
someone with lower priority).
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import UNBOUNDED, Model
from .state import State


@dataclass
class StableOutcome:
    """The stable matching and the ceilings it ended with (used to explain)."""

    state: State
    f_ceiling: list[int]  # per mission, max women among free placements
    m_ceiling: list[int]  # per mission, max men among free placements
    dir_ceiling: list[int]  # per direction, max free placements
    rounds: int


def _serial_dictatorship(
    model: Model, f_ceil: list[int], m_ceil: list[int], d_ceil: list[int]
) -> tuple[State, list[int], list[int], list[int]]:
    st = State(model)
    n_m = len(f_ceil)
    fcount, mcount = [0] * n_m, [0] * n_m
    dcount = [0] * len(d_ceil)
    starts = model.vol_start.tolist()
    am, ag, gs, dr = st.am, st.ag, st.gs, st.dr
    cap, grp, dirl = st.cap, st.grp, st.dirl
    for v in range(model.n_vol):
        for e in range(starts[v], starts[v + 1]):
            m = am[e]
            if cap[m] <= 0 or grp[ag[e]] <= 0:
                continue
            s = gs[e]
            if (s > 0 and fcount[m] >= f_ceil[m]) or (s < 0 and mcount[m] >= m_ceil[m]):
                continue
            d = dr[e]
            if d >= 0 and (dirl[d] <= 0 or dcount[d] >= d_ceil[d]):
                continue
            st.add(e)  # hereditary rules only: the two-sided ones are checked after the pass
            if s > 0:
                fcount[m] += 1
            elif s < 0:
                mcount[m] += 1
            if d >= 0:
                dcount[d] += 1
            break
    return st, fcount, mcount, dcount


def stable_matching(model: Model, max_rounds: int = 10_000) -> StableOutcome:
    """Deferred acceptance (application-order priority) under adaptive ceilings."""
    n_m, n_d = len(model.cap_left), len(model.dir_left)
    f_ceil = [UNBOUNDED] * n_m
    m_ceil = [UNBOUNDED] * n_m
    d_ceil = [UNBOUNDED] * n_d
    tol = model.mis_tol.tolist()
    g0 = model.g0.tolist()
    atol, d0 = model.agr_tol.tolist(), model.d0.tolist()
    for rounds in range(1, max_rounds + 1):
        st, fc, mc, dc = _serial_dictatorship(model, f_ceil, m_ceil, d_ceil)
        changed = False
        for m in range(n_m):
            if tol[m] < 0:
                continue
            diff = g0[m] + fc[m] - mc[m]
            # fixed placements alone respect the band, so the new ceiling is >= 0
            if diff > tol[m]:
                f_ceil[m] = mc[m] + tol[m] - g0[m]
                changed = True
            elif diff < -tol[m]:
                m_ceil[m] = fc[m] + tol[m] + g0[m]
                changed = True
        for k in range(len(atol)):
            diff = d0[k] + dc[2 * k] - dc[2 * k + 1]
            if diff > atol[k]:
                d_ceil[2 * k] = dc[2 * k + 1] + atol[k] - d0[k]
                changed = True
            elif diff < -atol[k]:
                d_ceil[2 * k + 1] = dc[2 * k] + atol[k] + d0[k]
                changed = True
        if not changed:
            return StableOutcome(st, f_ceil, m_ceil, d_ceil, rounds)
    # Unreachable in practice (ceilings strictly decrease); keep a feasible answer.
    return StableOutcome(State(model), [0] * n_m, [0] * n_m, [0] * n_d, max_rounds)
