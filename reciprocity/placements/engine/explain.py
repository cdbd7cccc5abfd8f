"""Why was a volunteer not placed?  Reason codes and words for coordinators.

Each choice of an unplaced volunteer is first checked against the mission's
requirements (age bounds on its start date, languages and levels: such a
choice was never open to the volunteer), then against the *final*
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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .model import Model
from .requirements import REASON_OF_KEY, unmet

REASONS = (
    "no_choice",
    "age_limit",
    "language_requirement",
    "choices_full",
    "nationality_cap",
    "gender_balance",
    "reciprocity_tolerance",
    "agreement_maximum",
    "outranked",
)
# The words of every explanation, per language: the engine has no Django, so its catalogue is
# its own (as the procedures engine's). A part is (key, params); `render_explanation` joins them.
MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "frame": "Not placed: {parts}.",
        "no_choice": "Not placed: no eligible mission was chosen.",
        "age_unknown": "{mission} has an age limit and the volunteer's birth date is not known",
        "too_young": "too young for {mission}: {age} on {on}, minimum {minimum}",
        "too_old": "too old for {mission}: {age} on {on}, maximum {maximum}",
        "language_missing": "{mission} requires {language}, which the volunteer does not list",
        "language_missing_level": (
            "{mission} requires {language} at level {level} or above, which the volunteer does "
            "not list"
        ),
        "language_level": (
            "{mission} requires {language} at level {level} or above; the volunteer has {has}"
        ),
        "language_level_unknown": (
            "{mission} requires {language} at level {level} or above; the volunteer's level is "
            "not stated"
        ),
        "choices_full": "{mission} is full ({taken} of {capacity} places taken)",
        "nationality_cap": (
            "{mission} already has {count} volunteer(s) from {nationality} "
            "(at most {cap} per nationality)"
        ),
        "agreement_maximum": (
            "{mission} is in {host} and the {a}-{b} agreement allows at most {maximum} "
            "volunteer(s) from {nationality} in {host}, already reached"
        ),
        "gender_balance_F": (
            "{mission} has {women} women and {men} men; one more woman would exceed its gender "
            "tolerance of {tolerance}"
        ),
        "gender_balance_M": (
            "{mission} has {women} women and {men} men; one more man would exceed its gender "
            "tolerance of {tolerance}"
        ),
        "reciprocity_tolerance": (
            "{mission} is in {host}; the {a}-{b} agreement stands at {ab} {a}->{b} and {ba} "
            "{b}->{a}, one more volunteer from {nationality} in {host} would exceed its "
            "tolerance of {tolerance}"
        ),
        "gender_ceiling": (
            "the remaining places in {mission} are held for the other gender, to keep its "
            "balance within {tolerance} for earlier applicants"
        ),
        "direction_ceiling": (
            "{mission} is in {host}; the {a}-{b} agreement has no more room in the "
            "{nationality}->{host} direction without breaking its tolerance of {tolerance}"
        ),
        "outranked_penalty": (
            "{mission} had room, but as choice #{rank} it costs more than leaving the "
            "volunteer unplaced (penalty {penalty})"
        ),
        "outranked": "{mission} had room, kept for volunteers with better claims",
    },
    "fr": {
        "frame": "Non affecté : {parts}.",
        "no_choice": "Non affecté : aucune mission éligible n'a été choisie.",
        "age_unknown": (
            "{mission} a une limite d'âge et la date de naissance du volontaire n'est pas connue"
        ),
        "too_young": "trop jeune pour {mission} : {age} ans le {on}, minimum {minimum}",
        "too_old": "trop âgé pour {mission} : {age} ans le {on}, maximum {maximum}",
        "language_missing": "{mission} demande la langue {language}, que le volontaire n'indique pas",
        "language_missing_level": (
            "{mission} demande la langue {language} au niveau {level} au moins, que le volontaire "
            "n'indique pas"
        ),
        "language_level": (
            "{mission} demande la langue {language} au niveau {level} au moins ; le volontaire a "
            "le niveau {has}"
        ),
        "language_level_unknown": (
            "{mission} demande la langue {language} au niveau {level} au moins ; le niveau du "
            "volontaire n'est pas indiqué"
        ),
        "choices_full": "{mission} est complète (places prises : {taken} sur {capacity})",
        "nationality_cap": (
            "{mission} compte déjà {count} volontaire(s) de cette nationalité ({nationality} ; "
            "au plus {cap} par nationalité)"
        ),
        "agreement_maximum": (
            "{mission} (pays d'accueil : {host}) : l'accord {a}-{b} permet au plus {maximum} "
            "volontaire(s) dans le sens {nationality}->{host}, maximum déjà atteint"
        ),
        "gender_balance_F": (
            "{mission} compte {women} femmes et {men} hommes ; une femme de plus dépasserait sa "
            "tolérance d'écart de {tolerance}"
        ),
        "gender_balance_M": (
            "{mission} compte {women} femmes et {men} hommes ; un homme de plus dépasserait sa "
            "tolérance d'écart de {tolerance}"
        ),
        "reciprocity_tolerance": (
            "{mission} (pays d'accueil : {host}) : l'accord {a}-{b} en est à {ab} {a}->{b} et "
            "{ba} {b}->{a}, un volontaire de plus dans le sens {nationality}->{host} dépasserait "
            "sa tolérance de {tolerance}"
        ),
        "gender_ceiling": (
            "les places restantes de {mission} sont gardées pour l'autre genre, afin de tenir "
            "l'équilibre à {tolerance} près pour les candidats arrivés avant"
        ),
        "direction_ceiling": (
            "{mission} (pays d'accueil : {host}) : l'accord {a}-{b} n'a plus de place dans le "
            "sens {nationality}->{host} sans dépasser sa tolérance de {tolerance}"
        ),
        "outranked_penalty": (
            "{mission} avait de la place, mais en choix n° {rank} elle coûte plus que de laisser "
            "le volontaire non affecté (pénalité {penalty})"
        ),
        "outranked": (
            "{mission} avait de la place, gardée pour des volontaires mieux placés"
        ),
    },
}

Part = tuple[str, dict[str, object]]
#: Parameters that hold a country code (ISO 3166-1 alpha-2, `reciprocity.domain.countries`).
COUNTRY_PARAMS = ("nationality", "host", "a", "b")


def country_codes(parts: Sequence[Part]) -> set[str]:
    """The country codes the parts mention: what a caller needs names for."""
    return {str(p[k]) for _, p in parts for k in COUNTRY_PARAMS if p.get(k)}


def render_explanation(
    parts: Sequence[Part],
    lang: str = "en",
    names: Mapping[str, str] | None = None,
    country_names: Mapping[str, str] | None = None,
) -> str:
    """The explanation in words; `names` may give missions a display name (a title) and
    `country_names` countries theirs, in `lang` (the engine keeps codes only: the platform
    passes the names of its one country list, translated)."""
    catalogue = MESSAGES.get(lang, MESSAGES["en"])
    if len(parts) == 1 and parts[0][0] == "no_choice":
        return catalogue["no_choice"]
    texts = [render_part(part, lang, names, country_names) for part in parts]
    return catalogue["frame"].format(parts="; ".join(texts))


def render_part(
    part: Part,
    lang: str = "en",
    names: Mapping[str, str] | None = None,
    country_names: Mapping[str, str] | None = None,
) -> str:
    """One part in words, without the frame."""
    key, params = part
    values = dict(params)
    if names and "mission" in values:
        values["mission"] = names.get(str(values["mission"]), values["mission"])
    if country_names:
        for k in COUNTRY_PARAMS:
            if k in values:
                values[k] = country_names.get(str(values[k]), values[k])
    return MESSAGES.get(lang, MESSAGES["en"])[key].format(**values)


@dataclass(frozen=True, slots=True)
class Unplaced:
    """An unplaced volunteer with a reason code and an explanation in words (English; `parts`
    renders it in another language with `render_explanation`)."""

    volunteer: str
    reason: str
    explanation: str
    parts: tuple[Part, ...] = ()


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

    def blocked(v_i: int, c: str, rank: int) -> tuple[str, Part]:
        v = vols[v_i]
        m_i = mindex[c]
        m = missions[m_i]
        if m.has_requirements:
            part = unmet(v, m)
            if part is not None:
                return REASON_OF_KEY[part[0]], part
        if count[m_i] >= m.capacity:
            return "choices_full", ("choices_full", {
                "mission": c, "taken": count[m_i], "capacity": m.capacity})
        nat_here = natcount[(m_i, cidx[v.nationality])]
        if nat_here >= m.max_per_nationality:
            return "nationality_cap", ("nationality_cap", {
                "mission": c, "count": nat_here, "nationality": v.nationality,
                "cap": m.max_per_nationality})
        agr = agreements.get((v.nationality, m.host_country))
        if agr is not None:
            k, j = agr
            ag = inst.agreements[k]
            a, b = ag.countries
            here = flow[(cidx[v.nationality], cidx[m.host_country])]
            mx = ag.maximum[j]
            if mx is not None and here >= mx:
                return "agreement_maximum", ("agreement_maximum", {
                    "mission": c, "host": m.host_country, "a": a, "b": b, "maximum": mx,
                    "nationality": v.nationality})
        s = {"F": 1, "M": -1}.get(v.gender, 0)
        t = m.gender_tolerance
        if s and t is not None and abs(fcount[m_i] - mcount[m_i] + s) > t:
            return "gender_balance", (f"gender_balance_{v.gender}", {
                "mission": c, "women": fcount[m_i], "men": mcount[m_i], "tolerance": t})
        if agr is not None:
            ab = flow[(cidx[a], cidx[b])]
            ba = flow[(cidx[b], cidx[a])]
            step = 1 if j == 0 else -1
            if abs(ab - ba + step) > ag.tolerance:
                return "reciprocity_tolerance", ("reciprocity_tolerance", {
                    "mission": c, "host": m.host_country, "a": a, "b": b, "ab": ab, "ba": ba,
                    "nationality": v.nationality, "tolerance": ag.tolerance})
        if ceilings is not None:
            if (s > 0 and free_f[m_i] >= ceilings.f[m_i]) or (
                s < 0 and free_m[m_i] >= ceilings.m[m_i]
            ):
                return "gender_balance", ("gender_ceiling", {"mission": c, "tolerance": t})
            if agr is not None:
                d = 2 * agr[0] + agr[1]
                src, dst = cidx[v.nationality], cidx[m.host_country]
                if free_flow[(src, dst)] >= ceilings.direction[d]:
                    return "reciprocity_tolerance", ("direction_ceiling", {
                        "mission": c, "host": m.host_country, "a": a, "b": b,
                        "nationality": v.nationality,
                        "tolerance": inst.agreements[agr[0]].tolerance})
        if rank >= model.penalty:
            return "outranked", ("outranked_penalty", {
                "mission": c, "rank": rank, "penalty": f"{model.penalty:g}"})
        return "outranked", ("outranked", {"mission": c})

    out: list[Unplaced] = []
    for v_i in np.flatnonzero(vol_mission < 0).tolist():
        v = vols[v_i]
        if not v.choices:
            none: tuple[Part, ...] = (("no_choice", {}),)
            out.append(Unplaced(v.id, "no_choice", render_explanation(none), none))
            continue
        codes = [blocked(v_i, c, r) for r, c in enumerate(v.choices, 1)]
        tally = Counter(code for code, _ in codes)
        best = max(tally.values())
        reason = next(code for code, _ in codes if tally[code] == best)
        parts = tuple(part for _, part in codes)
        out.append(Unplaced(v.id, reason, render_explanation(parts), parts))
    return out
