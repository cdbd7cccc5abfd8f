"""Compile an `Instance` into flat numpy arrays (the model of the notes, §1.2).

Every (volunteer, chosen mission) pair is an *arc*, unless the volunteer does
not meet the mission's requirements (age bounds, languages: `requirements.py`),
in which case no mode can ever propose it; fixed volunteers get no free arc, their placement is folded into residual capacities and the base
values of the two-sided balance rows.  Everything is indexed by integers so the
solvers can build sparse matrices and the heuristics can use plain lists.

Row families (all on the free arcs x_e in {0, 1}):
  volunteer      sum_{e in v} x_e <= 1
  capacity       sum_{e in m} x_e <= cap_left[m]
  nationality    sum_{e in (m, n)} x_e <= grp_left[(m, n)]
  gender         -t - g0[m] <= sum_{e in m} sg_e x_e <= t - g0[m]      (sg: F +1, M -1, X 0)
  reciprocity    -T - d0[k] <= sum_e sigma_e x_e <= T - d0[k]           (sigma: a->b +1, b->a -1)
  direction max  sum_{e in direction} x_e <= dir_left[direction]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .instance import Instance
from .requirements import unmet

IntArray = npt.NDArray[np.int64]
#: Stand-in for "no maximum" in residual counters (larger than any instance).
UNBOUNDED = 1 << 40


@dataclass
class Model:
    """The compiled instance; `arc_*` arrays are sorted by volunteer, then rank."""

    instance: Instance
    penalty: float
    mission_ids: list[str]
    volunteer_ids: list[str]
    countries: list[str]
    vol_nat: IntArray  # country index of each volunteer
    vol_sign: IntArray  # +1 F, -1 M, 0 X
    mis_host: IntArray  # country index of each mission's host
    mis_tol: IntArray  # gender tolerance, -1 = no gender rule
    cap_left: IntArray  # capacity left after fixed placements
    g0: IntArray  # F - M of fixed placements per mission
    fixed_mission: IntArray  # per volunteer: fixed mission index or -1
    fixed_rank: IntArray  # per volunteer: rank of the fixed placement (0 if none)
    arc_v: IntArray
    arc_m: IntArray
    arc_rank: IntArray
    arc_grp: IntArray  # (mission, nationality) group index
    arc_gs: IntArray  # gender sign if the mission has a gender rule, else 0
    arc_agr: IntArray  # agreement index or -1
    arc_sig: IntArray  # +1 if a->b, -1 if b->a, 0 if no agreement
    arc_dir: IntArray  # 2k (a->b) / 2k+1 (b->a) / -1
    grp_left: IntArray  # nationality places left per group
    grp_m: IntArray  # mission of each group
    agr_tol: IntArray
    d0: IntArray  # S(a->b) - S(b->a) of fixed placements per agreement
    dir_left: IntArray  # maximum left per direction (UNBOUNDED when none)
    vol_start: IntArray  # arcs of volunteer v are vol_start[v]:vol_start[v+1]
    n_ineligible: int = 0  # choices left out because a requirement is not met

    @property
    def n_vol(self) -> int:
        return len(self.volunteer_ids)

    @property
    def n_arcs(self) -> int:
        return len(self.arc_v)

    @property
    def n_fixed(self) -> int:
        return int((self.fixed_mission >= 0).sum())

    def objective(self, placed_arcs: npt.ArrayLike) -> float:
        """Objective of fixed placements plus the given free arcs (the issue's formula)."""
        arcs = np.asarray(placed_arcs, dtype=np.int64)
        placed = self.n_fixed + len(arcs)
        ranks = int(self.fixed_rank.sum()) + int(self.arc_rank[arcs].sum())
        return ranks + self.penalty * (self.n_vol - placed)

    def gender_difference(self, placed_arcs: npt.ArrayLike) -> IntArray:
        """Women minus men per mission, fixed placements plus the given free arcs (what a
        mission's gender band bounds)."""
        arcs = np.asarray(placed_arcs, dtype=np.int64)
        n_m = len(self.cap_left)
        return self.g0 + np.bincount(
            self.arc_m[arcs], weights=self.arc_gs[arcs], minlength=n_m
        ).astype(np.int64)


def build_model(instance: Instance) -> Model:
    """Compile a *validated* instance (see `instance.validate`)."""
    missions = instance.missions
    vols = instance.volunteers
    mission_index = {m.id: i for i, m in enumerate(missions)}
    countries = sorted(
        {m.host_country for m in missions}
        | {v.nationality for v in vols}
        | {c for a in instance.agreements for c in a.countries}
    )
    cidx = {c: i for i, c in enumerate(countries)}
    n_c = len(countries)
    n_m, n_v = len(missions), len(vols)

    vol_nat = np.fromiter((cidx[v.nationality] for v in vols), np.int64, n_v)
    vol_sign = np.fromiter(({"F": 1, "M": -1}.get(v.gender, 0) for v in vols), np.int64, n_v)
    mis_host = np.fromiter((cidx[m.host_country] for m in missions), np.int64, n_m)
    mis_tol = np.fromiter(
        (-1 if m.gender_tolerance is None else m.gender_tolerance for m in missions), np.int64, n_m
    )
    capacity = np.fromiter((m.capacity for m in missions), np.int64, n_m)
    mpn = np.fromiter((m.max_per_nationality for m in missions), np.int64, n_m)

    # Agreement lookup by (nationality, host) pair: a dense n_c x n_c table is tiny.
    n_agr = len(instance.agreements)
    pair_agr = np.full(n_c * n_c, -1, np.int64)
    pair_sig = np.zeros(n_c * n_c, np.int64)
    agr_tol = np.zeros(n_agr, np.int64)
    dir_max = np.full(2 * n_agr, UNBOUNDED, np.int64)
    for k, ag in enumerate(instance.agreements):
        a, b = cidx[ag.countries[0]], cidx[ag.countries[1]]
        pair_agr[a * n_c + b], pair_sig[a * n_c + b] = k, 1
        pair_agr[b * n_c + a], pair_sig[b * n_c + a] = k, -1
        agr_tol[k] = ag.tolerance
        for j, mx in enumerate(ag.maximum):
            if mx is not None:
                dir_max[2 * k + j] = mx

    # Fixed placements: residual counters and base values of the balance rows.
    vol_index = {v.id: i for i, v in enumerate(vols)}
    fixed_mission = np.full(n_v, -1, np.int64)
    fixed_rank = np.zeros(n_v, np.int64)
    for f in instance.fixed:
        vi, mi = vol_index[f.volunteer], mission_index[f.mission]
        fixed_mission[vi] = mi
        choices = vols[vi].choices
        # A fixed mission outside the choices (a placement made by hand) ranks after them.
        fixed_rank[vi] = choices.index(f.mission) + 1 if f.mission in choices else len(choices) + 1
    fv = np.flatnonzero(fixed_mission >= 0)
    fm = fixed_mission[fv]
    cap_left = capacity - np.bincount(fm, minlength=n_m)
    g0 = np.bincount(fm, weights=vol_sign[fv], minlength=n_m).astype(np.int64)
    fpair = vol_nat[fv] * n_c + mis_host[fm]
    fk, fs = pair_agr[fpair], pair_sig[fpair]
    has = fk >= 0
    d0 = np.bincount(fk[has], weights=fs[has], minlength=n_agr).astype(np.int64)
    fdir = 2 * fk[has] + (fs[has] < 0)
    dir_left = dir_max - np.bincount(fdir, minlength=2 * n_agr)
    fixed_grp_key = fm * n_c + vol_nat[fv]

    # Free arcs, in volunteer order then rank order. A choice whose requirements the
    # volunteer does not meet gets no arc (its rank stays: ranks are the stated order).
    av: list[int] = []
    am: list[int] = []
    ar: list[int] = []
    demanding = [m.has_requirements for m in missions]
    n_ineligible = 0
    for vi, v in enumerate(vols):
        if fixed_mission[vi] >= 0:
            continue
        for r, c in enumerate(v.choices, 1):
            mi = mission_index[c]
            if demanding[mi] and unmet(v, missions[mi]) is not None:
                n_ineligible += 1
                continue
            av.append(vi)
            am.append(mi)
            ar.append(r)
    arc_v = np.asarray(av, np.int64)
    arc_m = np.asarray(am, np.int64)
    arc_rank = np.asarray(ar, np.int64)
    grp_key = arc_m * n_c + vol_nat[arc_v]
    keys, arc_grp = np.unique(grp_key, return_inverse=True)
    arc_grp = arc_grp.astype(np.int64).ravel()
    grp_m = keys // n_c
    fixed_in_grp = np.zeros(len(keys), np.int64)
    if len(fixed_grp_key) and len(keys):
        pos = np.searchsorted(keys, fixed_grp_key)
        ok = (pos < len(keys)) & (keys[np.minimum(pos, len(keys) - 1)] == fixed_grp_key)
        np.add.at(fixed_in_grp, pos[ok], 1)
    grp_left = mpn[grp_m] - fixed_in_grp
    arc_gs = np.where(mis_tol[arc_m] >= 0, vol_sign[arc_v], 0)
    apair = vol_nat[arc_v] * n_c + mis_host[arc_m]
    arc_agr = pair_agr[apair]
    arc_sig = pair_sig[apair]
    arc_dir = np.where(arc_agr >= 0, 2 * arc_agr + (arc_sig < 0), -1)

    # Arcs that can never be used (no seat, no nationality place, no direction
    # quota left) are dropped: smaller models, and the explainer still sees them.
    usable = (cap_left[arc_m] > 0) & (grp_left[arc_grp] > 0)
    has_dir = arc_dir >= 0
    usable[has_dir] &= dir_left[arc_dir[has_dir]] > 0
    sel = np.flatnonzero(usable)
    arc_v, arc_m, arc_rank, arc_grp = arc_v[sel], arc_m[sel], arc_rank[sel], arc_grp[sel]
    arc_gs, arc_agr, arc_sig, arc_dir = arc_gs[sel], arc_agr[sel], arc_sig[sel], arc_dir[sel]
    vol_start = np.searchsorted(arc_v, np.arange(n_v + 1)).astype(np.int64)

    return Model(
        instance=instance,
        penalty=float(instance.unplaced_penalty),
        mission_ids=[m.id for m in missions],
        volunteer_ids=[v.id for v in vols],
        countries=countries,
        vol_nat=vol_nat,
        vol_sign=vol_sign,
        mis_host=mis_host,
        mis_tol=mis_tol,
        cap_left=cap_left,
        g0=g0,
        fixed_mission=fixed_mission,
        fixed_rank=fixed_rank,
        arc_v=arc_v,
        arc_m=arc_m,
        arc_rank=arc_rank,
        arc_grp=arc_grp,
        arc_gs=arc_gs,
        arc_agr=arc_agr,
        arc_sig=arc_sig,
        arc_dir=arc_dir,
        grp_left=grp_left,
        grp_m=grp_m,
        agr_tol=agr_tol,
        d0=d0,
        dir_left=dir_left,
        vol_start=vol_start,
        n_ineligible=n_ineligible,
    )
