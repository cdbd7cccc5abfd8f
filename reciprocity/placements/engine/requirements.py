"""A mission's requirements of each volunteer: age bounds and languages (hard rules).

Unlike the group rules they concern one (volunteer, mission) pair, whatever else is placed, so
`model.build_model` simply leaves out the arcs of pairs that break one: no mode can then propose
them (optimal, preview, stable, the baselines, local search and LNS all work on arcs), and the
explainer names the rule from the same function.

* Age: completed years on the mission's start date (`reciprocity.domain.dates.age_on`, so someone
  born on 29 February is a year older on 1 March of a common year), within age_min..age_max, both
  included. A volunteer without a birth date meets no age bound: a hard rule is met only when it
  can be shown.
* Languages: every required language, at its level or above (CEFR ranks; the VEF's 1-4 mapped by
  `reciprocity.domain.languages`). A requirement without a level asks only that the volunteer lists
  the language; a volunteer's language without a level meets only such requirements.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reciprocity.domain.dates import age_on
from reciprocity.domain.languages import level_label

if TYPE_CHECKING:
    from .instance import Mission, Volunteer

Part = tuple[str, dict[str, object]]

#: Explanation key -> the unplaced reason code it counts for.
REASON_OF_KEY = {
    "age_unknown": "age_limit",
    "too_young": "age_limit",
    "too_old": "age_limit",
    "language_missing": "language_requirement",
    "language_missing_level": "language_requirement",
    "language_level": "language_requirement",
    "language_level_unknown": "language_requirement",
}


def unmet(volunteer: Volunteer, mission: Mission) -> Part | None:
    """The first requirement of `mission` that `volunteer` does not meet (None: all met)."""
    if mission.age_min is not None or mission.age_max is not None:
        if volunteer.birth_date is None or mission.start_date is None:
            return "age_unknown", {"mission": mission.id}
        age = age_on(volunteer.birth_date, mission.start_date)
        on = mission.start_date.isoformat()
        if mission.age_min is not None and age < mission.age_min:
            return "too_young", {"mission": mission.id, "age": age, "on": on,
                                 "minimum": mission.age_min}
        if mission.age_max is not None and age > mission.age_max:
            return "too_old", {"mission": mission.id, "age": age, "on": on,
                               "maximum": mission.age_max}
    if mission.languages:
        spoken = {lang.code: lang.level for lang in volunteer.languages}
        for need in mission.languages:
            params: dict[str, object] = {"mission": mission.id, "language": need.code}
            if need.level is not None:
                params["level"] = level_label(need.level)
            if need.code not in spoken:
                return ("language_missing" if need.level is None else "language_missing_level",
                        params)
            has = spoken[need.code]
            if need.level is None:
                continue
            if has is None:
                return "language_level_unknown", params
            if has < need.level:
                return "language_level", {**params, "has": level_label(has)}
    return None


def describe_unmet(part: Part, lang: str = "en") -> str:
    """The requirement in words (the explainer's catalogue)."""
    from .explain import render_part  # deferred: explain builds on the model, which builds on this

    return render_part(part, lang)
