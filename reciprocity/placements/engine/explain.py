"""Why was a volunteer not placed?  Reason codes and words for coordinators.

Each choice of an unplaced volunteer is checked against the *final*
assignment, in the order a coordinator would look: is the mission full, does
it already have its nationals, is the agreement's maximum reached, would one
more break the gender balance or the agreement's tolerance.  The volunteer's
reason is the code blocking most of their choices (ties: the better-ranked
choice decides); the explanation lists every choice.

`outranked` means a choice was not blocked by any rule at the end: placing the
volunteer there was possible but cost more than leaving them unplaced (rank at
least the unplaced penalty), or, in stable mode, the place was held back by
an adaptive ceiling that keeps a balance for earlier applicants.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from .model import Model

REASONS = (
    "no_choice",
    "choices_full",
    "nationality_cap",
    "gender_balance",
    "reciprocity_tolerance",
    "agreement_maximum",
    "outranked",
)
_WORD = {"F": "woman", "M": "man"}


@dataclass(frozen=True, slots=True)
class Unplaced:
    """An unplaced volunteer with a reason code and an explanation in words."""

    volunteer: str
    reason: str
    explanation: str


@dataclass
class Ceilings:
    """Adaptive ceilings of the stable mode (on free placements), if any."""

    f: list[int]
    m: list[int]
    direction: list[int]


def explain_unplaced(
    model: Model, vol_mission: np.ndarray, ceilings: Ceilings | None = None
) -> list[Unplaced]:
    """Explain every volunteer with vol_mission == -1 (in application order)."""
    inst = model.instance
    missions = inst.missions
    mindex = {m.id: i for i, m in enumerate(missions)}
    vols = inst.volunteers
    placed = np.flatnonzero(vol_mission >= 0)
    pm = vol_mission[placed]
    n_m = len(missions)
    count = np.bincount(pm, minlength=n_m).tolist()
    sign = model.vol_sign[placed]
    fcount = np.bincount(pm[sign > 0], minlength=n_m).tolist()
    mcount = np.bincount(pm[sign < 0], minlength=n_m).tolist()
    free = model.fixed_mission[placed] < 0
    free_f = np.bincount(pm[(sign > 0) & free], minlength=n_m).tolist()
    free_m = np.bincount(pm[(sign < 0) & free], minlength=n_m).tolist()
    natcount = Counter(zip(pm.tolist(), model.vol_nat[placed].tolist(), strict=True))
    countries = model.countries
    flow = Counter(zip(model.vol_nat[placed].tolist(), model.mis_host[pm].tolist(), strict=True))
    free_flow = Counter(
        zip(model.vol_nat[placed[free]].tolist(), model.mis_host[pm[free]].tolist(), strict=True)
    )
    agreements: dict[tuple[str, str], tuple[int, int]] = {}
    for k, ag in enumerate(inst.agreements):
        agreements[ag.countries] = (k, 0)
        agreements[(ag.countries[1], ag.countries[0])] = (k, 1)
    cidx = {c: i for i, c in enumerate(countries)}

    def blocked(v_i: int, c: str, rank: int) -> tuple[str, str]:
        v = vols[v_i]
        m_i = mindex[c]
        m = missions[m_i]
        if count[m_i] >= m.capacity:
            return "choices_full", f"{c} is full ({count[m_i]} of {m.capacity} places taken)"
        nat_here = natcount[(m_i, cidx[v.nationality])]
        if nat_here >= m.max_per_nationality:
            return "nationality_cap", (
                f"{c} already has {nat_here} volunteer(s) from {v.nationality} "
                f"(at most {m.max_per_nationality} per nationality)"
            )
        agr = agreements.get((v.nationality, m.host_country))
        a_b = ""
        if agr is not None:
            k, j = agr
            ag = inst.agreements[k]
            a, b = ag.countries
            a_b = f"the {a}-{b} agreement"
            here = flow[(cidx[v.nationality], cidx[m.host_country])]
            mx = ag.maximum[j]
            if mx is not None and here >= mx:
                return "agreement_maximum", (
                    f"{c} is in {m.host_country} and {a_b} allows at most {mx} "
                    f"{v.nationality} volunteer(s) in {m.host_country}, already reached"
                )
        s = {"F": 1, "M": -1}.get(v.gender, 0)
        t = m.gender_tolerance
        if s and t is not None and abs(fcount[m_i] - mcount[m_i] + s) > t:
            return "gender_balance", (
                f"{c} has {fcount[m_i]} women and {mcount[m_i]} men; one more "
                f"{_WORD[v.gender]} would exceed its gender tolerance of {t}"
            )
        if agr is not None:
            ab = flow[(cidx[a], cidx[b])]
            ba = flow[(cidx[b], cidx[a])]
            step = 1 if j == 0 else -1
            if abs(ab - ba + step) > ag.tolerance:
                return "reciprocity_tolerance", (
                    f"{c} is in {m.host_country}; {a_b} stands at {ab} {a}->{b} and "
                    f"{ba} {b}->{a}, one more {v.nationality} volunteer in {m.host_country} "
                    f"would exceed its tolerance of {ag.tolerance}"
                )
        if ceilings is not None:
            if (s > 0 and free_f[m_i] >= ceilings.f[m_i]) or (
                s < 0 and free_m[m_i] >= ceilings.m[m_i]
            ):
                return "gender_balance", (
                    f"the remaining places in {c} are held for the other gender, to keep "
                    f"its balance within {t} for earlier applicants"
                )
            if agr is not None:
                d = 2 * agr[0] + agr[1]
                src, dst = cidx[v.nationality], cidx[m.host_country]
                if free_flow[(src, dst)] >= ceilings.direction[d]:
                    return "reciprocity_tolerance", (
                        f"{c} is in {m.host_country}; {a_b} has no more room in the "
                        f"{v.nationality}->{m.host_country} direction without breaking "
                        f"its tolerance of {inst.agreements[agr[0]].tolerance}"
                    )
        if rank >= model.penalty:
            return "outranked", (
                f"{c} had room, but as choice #{rank} it costs more than leaving the "
                f"volunteer unplaced (penalty {model.penalty:g})"
            )
        return "outranked", f"{c} had room, kept for volunteers with better claims"

    out: list[Unplaced] = []
    for v_i in np.flatnonzero(vol_mission < 0).tolist():
        v = vols[v_i]
        if not v.choices:
            out.append(Unplaced(v.id, "no_choice", "Not placed: no eligible mission was chosen."))
            continue
        codes = [blocked(v_i, c, r) for r, c in enumerate(v.choices, 1)]
        tally = Counter(code for code, _ in codes)
        best = max(tally.values())
        reason = next(code for code, _ in codes if tally[code] == best)
        words = "; ".join(text for _, text in codes)
        out.append(Unplaced(v.id, reason, f"Not placed: {words}."))
    return out
