"""Code lists of the exchange formats (shared note §7) and their normalisation.

Canonical forms we store and write: ISO 3166 alpha-3 countries, ISO 639-2 languages (the
terminology code, lower case: `deu`, `fra`, `nld`), PLATO's 4-letter work codes, and the
project types of §7.2. Readers accept the variants seen in real files with a warning.
"""

from __future__ import annotations

import pycountry

from .base import Report

# --- countries -----------------------------------------------------------------------------------

# Nationality and country codes sent by PLATO that are not ISO 3166 (shared note §7.6).
PLATO_COUNTRIES = {
    "GER": "DEU", "HOL": "NLD", "ALG": "DZA", "AZB": "AZE", "BLG": "BGR", "BRZ": "BRA",
    "BYE": "BLR",
}

# Free-text nationalities seen in VEFs ("czech"): the common adjectives of partner countries.
NATIONALITY_WORDS = {
    "albanian": "ALB", "algerian": "DZA", "american": "USA", "armenian": "ARM",
    "austrian": "AUT", "belarusian": "BLR", "belgian": "BEL", "beninese": "BEN",
    "bosnian": "BIH", "brazilian": "BRA", "british": "GBR", "bulgarian": "BGR",
    "burkinabe": "BFA", "burkinabé": "BFA", "cameroonian": "CMR", "canadian": "CAN",
    "chinese": "CHN", "croatian": "HRV", "czech": "CZE", "danish": "DNK", "dutch": "NLD",
    "english": "GBR", "estonian": "EST", "finnish": "FIN", "french": "FRA", "georgian": "GEO",
    "german": "DEU", "ghanaian": "GHA", "greek": "GRC", "hungarian": "HUN", "icelandic": "ISL",
    "indian": "IND", "indonesian": "IDN", "irish": "IRL", "italian": "ITA", "ivorian": "CIV",
    "japanese": "JPN", "kenyan": "KEN", "korean": "KOR", "kosovar": "XKX", "latvian": "LVA",
    "lithuanian": "LTU", "malagasy": "MDG", "malian": "MLI", "mexican": "MEX",
    "moldovan": "MDA", "moroccan": "MAR", "nepalese": "NPL", "norwegian": "NOR",
    "polish": "POL", "portuguese": "PRT", "romanian": "ROU", "russian": "RUS",
    "senegalese": "SEN", "serbian": "SRB", "slovak": "SVK", "slovenian": "SVN",
    "spanish": "ESP", "swedish": "SWE", "swiss": "CHE", "taiwanese": "TWN",
    "tanzanian": "TZA", "togolese": "TGO", "tunisian": "TUN", "turkish": "TUR",
    "ugandan": "UGA", "ukrainian": "UKR", "vietnamese": "VNM",
}


# User-assigned codes the platform accepts besides ISO 3166 (reciprocity/domain/countries.py):
# Kosovo is XK in alpha-2 and XKX in alpha-3 (the EU's and CLDR's convention). pycountry knows
# neither, so without this a Kosovar volunteer would be exported with no nationality.
USER_ASSIGNED_ALPHA3 = {"XK": "XKX"}
_USER_ASSIGNED_ALPHA2 = {alpha3: alpha2 for alpha2, alpha3 in USER_ASSIGNED_ALPHA3.items()}


def alpha3_of_alpha2(code: str) -> str | None:
    upper = code.upper()
    if upper in USER_ASSIGNED_ALPHA3:
        return USER_ASSIGNED_ALPHA3[upper]
    country = pycountry.countries.get(alpha_2=upper)
    return country.alpha_3 if country else None


def alpha2_of_alpha3(code: str) -> str | None:
    upper = code.upper()
    if upper in _USER_ASSIGNED_ALPHA2:
        return _USER_ASSIGNED_ALPHA2[upper]
    country = pycountry.countries.get(alpha_3=upper)
    return country.alpha_2 if country else None


def is_alpha3(code: str) -> bool:
    return len(code) == 3 and alpha2_of_alpha3(code) is not None


def read_country(
    value: str | None, report: Report, where: str, element: str, *, required: bool = False,
    nationality: bool = False,
) -> str:
    """An ISO 3166 alpha-3 code, or "" when unknown (an error if `required`)."""
    text = (value or "").strip()
    if not text:
        if required:
            report.error(where, element, "missing country (ISO 3166 alpha-3)." if value is None
                         else "empty; a country (ISO 3166 alpha-3) is required.")
        return ""
    upper = text.upper()
    if len(upper) == 3 and upper in PLATO_COUNTRIES:
        code = PLATO_COUNTRIES[upper]
        report.warn(where, element, f"“{text}” is a PLATO code, not ISO 3166; read as {code}.")
        return code
    if is_alpha3(upper):
        return upper
    if len(upper) == 2 and alpha3_of_alpha2(upper):
        code = alpha3_of_alpha2(upper) or ""
        report.warn(where, element, f"“{text}” is a 2-letter code; read as {code}.")
        return code
    guess = NATIONALITY_WORDS.get(text.lower()) if nationality else None
    if guess is None:
        try:
            guess = "XKX" if text.lower() == "kosovo" else pycountry.countries.lookup(text).alpha_3
        except LookupError:
            guess = None
    if guess:
        report.warn(where, element, f"“{text}” is not a country code; read as {guess}.")
        return guess
    message = f"“{text}” is not a country (ISO 3166 alpha-3)."
    if required:
        report.error(where, element, message)
    else:
        report.warn(where, element, message + " Ignored.")
    return ""


# --- languages -----------------------------------------------------------------------------------

# PLATO's language codes that are not ISO 639-2 (shared note §7.5), with their ISO code.
PLATO_LANGUAGES = {"CHN": "zho", "DNK": "dan", "ESP": "spa", "HOL": "nld", "JAP": "jpn"}


def _language(code: str) -> object | None:
    lowered = code.lower()
    return (
        pycountry.languages.get(bibliographic=lowered)
        or pycountry.languages.get(alpha_3=lowered)
    )


def language_code(value: str) -> str | None:
    """The canonical ISO 639-2 code of an ISO 639-1/639-2 code, or None (no warning)."""
    text = value.strip()
    if len(text) == 2:
        found = pycountry.languages.get(alpha_2=text.lower())
        return found.alpha_3 if found else None
    if len(text) == 3:
        found = _language(text)
        return getattr(found, "alpha_3", None)
    return None


def read_language(value: str, report: Report, where: str, element: str) -> str:
    """One language code, canonical (`deu`), or "" with a warning when it is unknown."""
    text = value.strip()
    if not text:
        return ""
    upper = text.upper()
    if upper in PLATO_LANGUAGES:
        code = PLATO_LANGUAGES[upper]
        report.warn(where, element, f"“{text}” is a PLATO language code, not ISO 639-2; read "
                                    f"as {code}.")
        return code
    if len(text) == 3 and (found := language_code(text)):
        return found
    if len(text) == 2 and (found := language_code(text)):
        report.warn(where, element, f"“{text}” is a 2-letter code (ISO 639-1); read as {found}.")
        return found
    try:
        found = pycountry.languages.lookup(text).alpha_3
    except LookupError:
        found = None
    if found:
        report.warn(where, element, f"“{text}” is not a language code; read as {found}.")
        return str(found)
    report.warn(where, element, f"“{text}” is not a language (ISO 639-2). Ignored.")
    return ""


def read_languages(values: list[str], report: Report, where: str, element: str) -> list[str]:
    result: list[str] = []
    for value in values:
        code = read_language(value, report, where, element)
        if code and code not in result:
            result.append(code)
        elif code:
            report.warn(where, element, f"“{value}” repeats {code}; kept once.")
    return result


def language_alpha2(code: str) -> str | None:
    found = pycountry.languages.get(alpha_3=code.lower())
    return getattr(found, "alpha_2", None) if found else None


def language_of_alpha2(code: str) -> str | None:
    found = pycountry.languages.get(alpha_2=code.lower())
    return found.alpha_3 if found else None


# --- work types, project types, occupations ------------------------------------------------------

WORK_CODES = {
    "AGRI": "Agriculture", "ANIM": "Animals", "ARCH": "Archaeology", "ART": "Art",
    "CONS": "Construction", "CULT": "Culture", "DISA": "Disabilities", "EDU": "Education",
    "ELDE": "Elderly", "ENVI": "Environment", "FEST": "Festival", "HERI": "Heritage",
    "KIDS": "Children", "LANG": "Language course", "MANU": "Manual work", "REFU": "Refugees",
    "RENO": "Renovation", "SOCI": "Social", "SPOR": "Sport", "STUD": "Study", "YOGA": "Yoga",
}
# Volant's spellings and older aliases (§7.1) -> PLATO's code.
WORK_ALIASES = {
    "ANIMAL": "ANIM", "ARTS": "ART", "CONC": "CONS", "DIS": "DISA", "DISABLED": "DISA",
    "EDUC": "EDU", "ENV": "ENVI", "KID": "KIDS", "MANUAL": "MANU", "REFUGEE": "REFU",
    "REN": "RENO", "SPORT": "SPOR", "STUDY": "STUD",
}
# Volant-only codes with no PLATO equivalent: kept as they are, with a warning.
WORK_EXTRA = {"ECO", "ETHNO", "HIST", "LEAD", "MENT", "PHYS", "PLAY", "SP NEEDS", "TEACH", "TEEN"}


def read_work(values: list[str], report: Report, where: str, element: str) -> list[str]:
    result: list[str] = []
    for value in values:
        upper = value.strip().upper()
        if upper in WORK_CODES:
            code = upper
        elif upper in WORK_ALIASES:
            code = WORK_ALIASES[upper]
            report.warn(where, element, f"“{value}” read as {code}.")
        elif upper in WORK_EXTRA:
            code = upper
            report.warn(where, element, f"“{value}” is not a PLATO work code; kept as it is.")
        else:
            code = upper
            report.warn(where, element, f"“{value}” is not a known work code; kept as it is.")
        if code in result:
            report.warn(where, element, f"“{value}” repeats {code}; kept once.")
            continue
        result.append(code)
    return result


PROJECT_TYPES = {
    "STV": "Short-term volunteering (work camp)", "MTV": "Mid-term", "LTV": "Long-term",
    "TEEN": "Teenage project", "FAM": "Family project", "VIRT": "Virtual project",
    "ESC": "European Solidarity Corps", "PER": "Permanent project", "TRA": "Training",
    "SEN": "Senior project",
}
PROJECT_TYPE_ALIASES = {"TEE": "TEEN"}


def read_project_type(value: str | None, report: Report, where: str, element: str) -> str:
    text = (value or "").strip().upper()
    if not text:
        return ""
    if text in PROJECT_TYPES:
        return text
    if text in PROJECT_TYPE_ALIASES:
        code = PROJECT_TYPE_ALIASES[text]
        report.warn(where, element, f"“{value}” read as {code}.")
        return code
    report.warn(where, element, f"“{value}” is not a known project type; kept as it is.")
    return text[:10]


OCCUPATIONS = {
    "STH": "High-school student", "STU": "University student", "EMP": "Employed",
    "UNE": "Unemployed", "OTH": "Other",
}


def read_occupation(value: str | None, report: Report, where: str, element: str) -> str:
    text = (value or "").strip()
    if not text:
        return ""
    if text.upper() in OCCUPATIONS:
        return text.upper()
    lowered = text.lower()
    code = "STU" if "student" in lowered else "UNE" if "unemploy" in lowered else "OTH"
    report.warn(where, element, f"“{text}” is not an occupation code; read as {code}.")
    return code


def read_sex(value: str | None, report: Report, where: str, element: str) -> str:
    """`M`/`F`; `male`/`female` and the like with a warning; anything else is "" (unknown)."""
    text = (value or "").strip()
    if text in {"M", "F"}:
        return text
    lowered = text.lower()
    if lowered in {"m", "male", "man", "h", "homme"}:
        code = "M"
    elif lowered in {"f", "female", "woman", "w", "femme"}:
        code = "F"
    else:
        code = ""
    if text and code:
        report.warn(where, element, f"“{text}” read as {code}.")
    elif text:
        report.warn(where, element, f"“{text}” is neither M nor F; recorded as not stated.")
    return code


def read_currency(value: str | None, report: Report, where: str, element: str) -> str:
    text = (value or "").strip().upper()
    if not text:
        return ""
    if pycountry.currencies.get(alpha_3=text) is None:
        report.warn(where, element, f"“{value}” is not an ISO 4217 currency; kept as it is.")
    return text[:10]
