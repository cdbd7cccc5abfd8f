"""How file records become platform values and back (no database access here).

Each mapping returns the values our records take from a file record ("derived" values). They
are stored beside the file record, so that an export can tell a value the host changed here
(written from our record) from one still as imported (written back exactly as the file had
it): that is what makes import -> export -> import change nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from reciprocity.exchange.formats.codes import (
    alpha2_of_alpha3,
    alpha3_of_alpha2,
    language_alpha2,
    language_of_alpha2,
)
from reciprocity.exchange.formats.pef import PefProject
from reciprocity.exchange.formats.vef import Vef, VefLanguage

Warn = Callable[[str, str], None]  # (element, message)

# PLATO work code -> our mission theme (missions.Theme values).
WORK_THEMES = {
    "AGRI": "agriculture", "ANIM": "environment", "ARCH": "heritage", "ART": "culture",
    "CONS": "heritage", "CULT": "culture", "DISA": "solidarity", "EDU": "education",
    "ELDE": "solidarity", "ENVI": "environment", "FEST": "culture", "HERI": "heritage",
    "KIDS": "education", "LANG": "education", "MANU": "solidarity", "REFU": "solidarity",
    "RENO": "heritage", "SOCI": "solidarity", "SPOR": "sport", "STUD": "education",
    "YOGA": "health",
}
# Our theme -> the work code written for a mission that has no imported work codes.
THEME_WORK = {
    "solidarity": "SOCI", "health": "SOCI", "education": "EDU", "culture": "CULT",
    "sport": "SPOR", "environment": "ENVI", "memory": "HERI", "development": "SOCI",
    "emergency": "SOCI", "european_citizenship": "STUD", "heritage": "HERI",
    "agriculture": "AGRI",
}
DEFAULT_THEME = "solidarity"

# The description sections of a PEF, in the order a reader wants them, with their heading
# (English, like the files' content: the handbook's content language).
SECTIONS = (
    ("project_summary", ""),
    ("description", ""),
    ("descr_work", "Work"),
    ("descr_partner", "Partner"),
    ("descr_accomodation_and_food", "Accommodation and food"),
    ("descr_location_and_leisure", "Location and leisure"),
    ("descr_requirements", "Requirements"),
    ("descr_appointement", "Meeting point"),
)

TITLE_MAX, REFERENCE_MAX, CITY_MAX = 200, 40, 100
NO_MIN_AGE, NO_MAX_AGE = 1, 99  # the handbook's defaults: no limit


def mission_values(project: PefProject, *, warn: Warn) -> dict[str, Any]:
    """The mission fields a PEF project gives (JSON-ready: dates as ISO strings)."""
    if len(project.name) > TITLE_MAX:
        warn("name", f"longer than {TITLE_MAX} characters; the mission title is cut.")
    if len(project.code) > REFERENCE_MAX:
        warn("code", f"longer than {REFERENCE_MAX} characters; the mission reference is cut, "
                     "and VEF choices naming this code will not find it.")
    city = project.location or project.region
    if not city:
        warn("location", "empty; the mission's city is the project's country.")
        city = project.country
    if len(city) > CITY_MAX:
        warn("location", f"longer than {CITY_MAX} characters; the mission's city is cut.")
    country = alpha2_of_alpha3(project.country) or ""
    languages = []
    for code in project.languages:
        short = language_alpha2(code)
        if short:
            languages.append(short)
        else:
            warn("languages", f"{code} has no two-letter code; kept for exports only.")
    theme = next((WORK_THEMES[w] for w in project.work if w in WORK_THEMES), DEFAULT_THEME)
    age_min = project.min_age if project.min_age is not None and project.min_age > NO_MIN_AGE \
        else None
    age_max = project.max_age if project.max_age is not None and project.max_age < NO_MAX_AGE \
        else None
    cap = project.max_vols_per_country
    if cap is not None and not 1 <= cap <= project.numvol:
        if cap != 0:
            warn("max_vols_per_country", f"{cap} is not between 1 and the places; no cap.")
        cap = None
    return {
        "title": project.name[:TITLE_MAX],
        "reference": project.code[:REFERENCE_MAX],
        "theme": theme,
        "country": country,
        "city": city[:CITY_MAX],
        "start_date": project.start_date.isoformat(),
        "end_date": project.end_date.isoformat(),
        "capacity": project.numvol,
        "languages": sorted(set(languages)),
        "age_min": age_min,
        "age_max": age_max,
        "max_per_nationality": cap,
        "description": description_of(project),
    }


def description_of(project: PefProject) -> str:
    parts = []
    for name, heading in SECTIONS:
        text = getattr(project, name)
        if text:
            parts.append(f"{heading}: {text}" if heading else text)
    return "\n\n".join(parts)


def project_for_export(
    *, mission: dict[str, Any], stored: PefProject | None, derived: dict[str, Any],
    project_id: str, cancelled: bool, last_update: date,
) -> PefProject:
    """The PEF project of a mission: the stored file values, except where the mission now
    differs from what the file gave it (the host changed it here, so ours is newer)."""

    def changed(name: str) -> bool:
        return stored is None or derived.get(name) != mission[name]

    start, end = date.fromisoformat(mission["start_date"]), date.fromisoformat(mission["end_date"])
    if stored is None:
        project = PefProject(
            project_id=project_id, code=mission["reference"], start_date=start, end_date=end,
            name=mission["title"], country=alpha3_of_alpha2(mission["country"]) or "",
            numvol=mission["capacity"], project_type="STV",
            work=[THEME_WORK.get(mission["theme"], "SOCI")],
            description=mission["description"], last_update=last_update,
        )
    else:
        project = stored
        project.project_id = project_id
    if stored is not None and changed("theme"):
        work = THEME_WORK.get(mission["theme"], "SOCI")
        project.work = [work, *[w for w in project.work if w != work]]
    if changed("title"):
        project.name = mission["title"]
    if changed("reference"):
        project.code = mission["reference"]
    if changed("country"):
        project.country = alpha3_of_alpha2(mission["country"]) or ""
    if changed("city"):
        project.location = mission["city"]
    if changed("start_date"):
        project.start_date = start
    if changed("end_date"):
        project.end_date = end
    if changed("capacity"):
        project.numvol = mission["capacity"]
    if changed("languages"):
        kept = [c for c in project.languages if language_alpha2(c) in mission["languages"]
                or language_alpha2(c) is None and stored is not None]
        added = [language_of_alpha2(c) or c for c in mission["languages"]
                 if not any(language_alpha2(k) == c for k in kept)]
        project.languages = kept + added
    if changed("age_min"):
        project.min_age = mission["age_min"]
    if changed("age_max"):
        project.max_age = mission["age_max"]
    if changed("max_per_nationality"):
        project.max_vols_per_country = mission["max_per_nationality"]
    if stored is not None and changed("description"):
        # Edited here: our text replaces the file's sections (kept apart only by the file).
        project.description = mission["description"]
        for name, _heading in SECTIONS:
            if name != "description":
                setattr(project, name, "")
    project.cancelled = cancelled  # our status is the truth: cancelled here or in the file
    return project


# --- VEF ---------------------------------------------------------------------------------------

CEFR_OF_LEVEL = {1: "A1", 2: "A2", 3: "B2", 4: "C1"}
LEVEL_OF_CEFR = {"A1": 1, "A2": 2, "B1": 2, "B2": 3, "C1": 4, "C2": 4}


def volunteer_values(vef: Vef, *, warn: Warn) -> dict[str, Any]:
    """The volunteer fields a VEF gives (JSON-ready). Nationality and residence fall back on
    each other; an empty result for both is the caller's error."""
    nationality = alpha2_of_alpha3(vef.nationality) if vef.nationality else None
    residence = alpha2_of_alpha3(vef.country) if vef.country else None
    if not nationality and residence:
        warn("nationality", f"unknown; the country of residence ({vef.country}) is used.")
        nationality = residence
    if not residence and nationality:
        residence = nationality
    languages = []
    for lang in vef.languages:
        short = language_alpha2(lang.code)
        if short:
            entry = {"code": short}
            if lang.level is not None:
                entry["level"] = CEFR_OF_LEVEL[lang.level]
            languages.append(entry)
        else:
            warn("language", f"{lang.code} has no two-letter code; kept for exports only.")
    number, expiry = passport_parts(vef.passport)
    return {
        "first_name": vef.firstname[:100],
        "last_name": vef.lastname[:100],
        "birth_date": vef.birthdate.isoformat(),
        "email": vef.email[:254],
        "phone": (vef.telephone or vef.cellphone)[:40],
        "gender": vef.sex or "X",
        "nationality": nationality or "",
        "residence_country": residence or "",
        "languages": languages,
        "has_disability": vef.disability,
        "id_document_kind": "passport" if number else "",
        "id_document_number": number,
        "id_document_expiry": expiry.isoformat() if expiry else None,
    }


def passport_parts(text: str) -> tuple[str, date | None]:
    """The handbook's free text "number, issued on, issued by, valid until": the number, and
    the expiry when the last part is an ISO date. Anything else stays in the free text only."""
    parts = [p.strip() for p in text.split(",")] if text.strip() else []
    if not parts:
        return "", None
    expiry = None
    if len(parts) >= 2:
        try:
            expiry = date.fromisoformat(parts[-1])
        except ValueError:
            expiry = None
    return parts[0][:60], expiry


def vef_for_export(*, stored: Vef, volunteer: dict[str, Any], derived: dict[str, Any]) -> Vef:
    """The stored VEF, with the volunteer's values where they changed here since the import."""

    def changed(name: str) -> bool:
        return derived.get(name) != volunteer[name]

    if changed("first_name"):
        stored.firstname = volunteer["first_name"]
    if changed("last_name"):
        stored.lastname = volunteer["last_name"]
    if changed("birth_date") and volunteer["birth_date"]:
        stored.birthdate = date.fromisoformat(volunteer["birth_date"])
    if changed("email"):
        stored.email = volunteer["email"]
    if changed("phone"):
        stored.telephone = volunteer["phone"]
    if changed("gender"):
        stored.sex = volunteer["gender"] if volunteer["gender"] in {"M", "F"} else ""
    if changed("nationality"):
        stored.nationality = alpha3_of_alpha2(volunteer["nationality"]) or ""
    if changed("residence_country"):
        stored.country = alpha3_of_alpha2(volunteer["residence_country"]) or ""
    if changed("has_disability"):
        stored.disability = volunteer["has_disability"]
    if changed("languages"):
        stored.languages = languages_for_export(volunteer["languages"])
    return stored


def languages_for_export(languages: list[dict[str, Any]]) -> list[VefLanguage]:
    result = []
    for entry in languages:
        code = language_of_alpha2(str(entry.get("code", "")))
        if code:
            result.append(VefLanguage(code=code, level=LEVEL_OF_CEFR.get(
                str(entry.get("level", "")).upper())))
    return result
