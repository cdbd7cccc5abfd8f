"""The annual report's one-paragraph summary, in English, French and Spanish.

Pure functions over counts and ISO codes; country names come from django-countries (English and
French catalogues), with the articles and prepositions each language needs around them. These
sentences are published as such (press releases, activity reports), so they are written out in
each language here rather than assembled from translated fragments: French agreement (articles,
"au/en/aux/à", feminine plural) does not survive word-by-word translation.
"""

from collections.abc import Sequence

from django.utils import translation
from django_countries import countries

# Scheme phrases after "were hosted in X ..." / "ont été accueillis en X ...".
SCHEME_PHRASE_EN = {
    "service_civique": "on reciprocal civic service missions",
    "vsi": "on reciprocal international solidarity volunteering missions",
    "workcamp": "on international work camps",
    "esc": "on European Solidarity Corps missions",
    None: "on volunteering missions",
}
SCHEME_PHRASE_FR = {
    "service_civique": "en mission de service civique de réciprocité",
    "vsi": "en mission de volontariat de solidarité internationale de réciprocité",
    "workcamp": "sur des chantiers internationaux de bénévoles",
    "esc": "en mission du Corps européen de solidarité",
    None: "en mission de volontariat",
}

SCHEME_PHRASE_ES = {
    "service_civique": "en misiones de servicio cívico de reciprocidad",
    "vsi": "en misiones de voluntariado de solidaridad internacional de reciprocidad",
    "workcamp": "en campos de trabajo internacionales",
    "esc": "en misiones del Cuerpo Europeo de Solidaridad",
    None: "en misiones de voluntariado",
}

# English: names read after "in"/"from" that take "the".
_THE_EN = {
    "BS", "CD", "CF", "DO", "GM", "NL", "PH", "US", "GB", "AE", "KM", "MV", "MH", "SB", "KY",
    "VG", "VI", "FK", "FO", "TC", "CK", "MP", "CC", "CZ",
}
_NAME_EN = {"US": "United States", "CZ": "Czech Republic", "CG": "Republic of the Congo"}

# French: plural names (les Philippines, aux Philippines) and names used without an article
# (Madagascar, à Madagascar); the others take le/la/l' by their gender.
_PLURAL_FR = {
    "PH", "KM", "MV", "SC", "BS", "US", "NL", "AE", "MH", "SB", "FJ", "KY", "VG", "VI", "FK",
    "FO", "TC", "CK", "MP", "CC", "UM", "AX", "BM", "PW", "WS", "TO",
}
_NO_ARTICLE_FR = {
    "MG", "HT", "CU", "CY", "MT", "MU", "SG", "TW", "BH", "OM", "IL", "MC", "DJ", "TV", "NR",
    "KI", "ST", "TT", "SM", "LC", "KN", "VC", "AG", "PR", "HK", "MO", "GU", "NU", "AW", "CW",
    "GI", "JE", "GG", "YT", "BL", "MF", "SX", "PM", "WF", "BQ", "TK",
}
# Names ending in -e that are masculine, and feminine names the -e rule misses.
_MASCULINE_FR = {"MX", "KH", "MZ", "ZW", "BZ", "SR"}
_FEMININE_FR = {"SL"}
_NAME_FR = {"US": "États-Unis", "RE": "Réunion", "PS": "Palestine"}
_VOWELS = "AEIOUYÉÈÊÎÏÔÖÛÜÀÂ"
# Haïti elides (d'Haïti) and is said "en Haïti", unlike the other article-less names.
_MUTE_H_FR = {"HT"}


def country_name_en(code: str) -> str:
    """'Tunisia', 'the Philippines'."""
    name = _NAME_EN.get(code) or _clean(_catalogue_name(code, "en"))
    return f"the {name}" if code in _THE_EN else name


def country_name_fr(code: str) -> str:
    """The bare French name: 'Tunisie', 'Sénégal', 'Inde'."""
    return _NAME_FR.get(code) or _clean(_catalogue_name(code, "fr"))


# Spanish: most country names take no article ("en Francia", "de Senegal"); names that are a
# description take one, by their first word ("el Reino Unido", "la República Dominicana").
_ARTICLE_ES = {"República": "la", "Reino": "el", "Emiratos": "los", "Países": "los",
               "Islas": "las", "Estados": "los"}


def country_name_es(code: str) -> str:
    """'Túnez', 'el Reino Unido', 'la República Centroafricana'."""
    name = _clean(_catalogue_name(code, "es"))
    article = _ARTICLE_ES.get(name.split(" ")[0])
    return f"{article} {name}" if article else name


def from_country_es(code: str) -> str:
    """'de Senegal', 'del Reino Unido'."""
    name = country_name_es(code)
    return f"del {name[3:]}" if name.startswith("el ") else f"de {name}"


def _catalogue_name(code: str, language: str) -> str:
    with translation.override(language):
        return str(countries.name(code)) or code


def _clean(name: str) -> str:
    # "Bahamas (The)", "Palestine, État de", "Eswatini (République d')": keep the usual name.
    return name.split(" (")[0].split(", ")[0].strip()


def _kind_fr(code: str) -> str:
    """'plural', 'none' (no article), 'f' or 'm'."""
    if code in _PLURAL_FR:
        return "plural"
    if code in _NO_ARTICLE_FR:
        return "none"
    if code in _MASCULINE_FR:
        return "m"
    if code in _FEMININE_FR:
        return "f"
    name = country_name_fr(code)
    first = name.replace("-", " ").split(" ")[0]
    return "f" if first.lower().endswith("e") or first == "République" else "m"


def _elides(code: str, name: str) -> bool:
    return name[:1].upper() in _VOWELS or code in _MUTE_H_FR


def with_article_fr(code: str) -> str:
    """'la Tunisie', 'le Sénégal', "l'Inde", 'les Philippines', 'Madagascar'."""
    name, kind = country_name_fr(code), _kind_fr(code)
    if kind == "none":
        return name
    if kind == "plural":
        return f"les {name}"
    if _elides(code, name):
        return f"l'{name}"
    return f"{'la' if kind == 'f' else 'le'} {name}"


def in_country_fr(code: str) -> str:
    """'en France', 'au Sénégal', 'aux Philippines', 'à Madagascar', 'en Iran'."""
    name, kind = country_name_fr(code), _kind_fr(code)
    if kind == "none":
        return f"en {name}" if code in _MUTE_H_FR else f"à {name}"
    if kind == "plural":
        return f"aux {name}"
    if kind == "f" or _elides(code, name):
        return f"en {name}"
    return f"au {name}"


def from_country_fr(code: str) -> str:
    """'de Tunisie', 'du Sénégal', "d'Inde", 'des Philippines', 'de Madagascar'."""
    name, kind = country_name_fr(code), _kind_fr(code)
    if kind == "plural":
        return f"des {name}"
    if _elides(code, name):
        return f"d'{name}"
    if kind == "m":
        return f"du {name}"
    return f"de {name}"


def _join(items: Sequence[str], conjunction: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def sentence_en(
    *, year: int, host_country: str, scheme: str | None, volunteers: int, countries: int,
    top: Sequence[str], withheld: bool = False, fewer_than: int | None = None,
) -> str:
    """'In 2019, 251 volunteers from 40 countries were hosted in France on reciprocal civic
    service missions. The most represented countries were Tunisia, Senegal and Burkina Faso.'

    With `withheld`, the number is not said (small numbers, balance/disclosure.py): 'In 2019,
    fewer than 3 volunteers from Senegal were hosted...' with `fewer_than`, else 'volunteers'."""
    where = country_name_en(host_country)
    what = SCHEME_PHRASE_EN.get(scheme, SCHEME_PHRASE_EN[None])
    if volunteers == 0:
        return f"In {year}, no volunteers were hosted in {where} {what}."
    who = f"{volunteers} volunteer{'s' if volunteers != 1 else ''}"
    verb = "were" if volunteers != 1 else "was"
    if withheld:
        who = f"fewer than {fewer_than} volunteers" if fewer_than else "volunteers"
        verb = "were"
    if countries == 1:
        return f"In {year}, {who} from {country_name_en(top[0])} {verb} hosted in {where} {what}."
    first = f"In {year}, {who} from {countries} countries {verb} hosted in {where} {what}."
    names = [country_name_en(code) for code in top[:3]]
    return f"{first} The most represented countries were {_join(names, 'and')}."


def sentence_fr(
    *, year: int, host_country: str, scheme: str | None, volunteers: int, countries: int,
    top: Sequence[str], all_women: bool = False, withheld: bool = False,
    fewer_than: int | None = None,
) -> str:
    """'En 2019, 251 volontaires de 40 pays ont été accueillis en France en mission de service
    civique de réciprocité. Les pays les plus représentés étaient la Tunisie, le Sénégal et le
    Burkina Faso.' (feminine agreement when every volunteer counted is a woman).

    With `withheld`, the number is not said: 'En 2019, moins de 3 volontaires du Sénégal ont
    été accueillis...' with `fewer_than`, else 'des volontaires' (generic masculine: who they
    are is not said either)."""
    where = in_country_fr(host_country)
    what = SCHEME_PHRASE_FR.get(scheme, SCHEME_PHRASE_FR[None])
    if volunteers == 0:
        return f"En {year}, aucun volontaire n'a été accueilli {where} {what}."
    ending = ("e" if all_women else "") + ("s" if volunteers != 1 else "")
    who = f"{volunteers} volontaire{'s' if volunteers != 1 else ''}"
    verb = f"{'ont' if volunteers != 1 else 'a'} été accueilli{ending}"
    if withheld:
        who = f"moins de {fewer_than} volontaires" if fewer_than else "des volontaires"
        verb = "ont été accueillis"
    if countries == 1:
        return f"En {year}, {who} {from_country_fr(top[0])} {verb} {where} {what}."
    first = f"En {year}, {who} de {countries} pays {verb} {where} {what}."
    names = [with_article_fr(code) for code in top[:3]]
    return f"{first} Les pays les plus représentés étaient {_join(names, 'et')}."


def sentence_es(
    *, year: int, host_country: str, scheme: str | None, volunteers: int, countries: int,
    top: Sequence[str], all_women: bool = False, withheld: bool = False,
    fewer_than: int | None = None,
) -> str:
    """'En 2019, 251 voluntarios de 40 países fueron acogidos en Francia en misiones de servicio
    cívico de reciprocidad. Los países más representados fueron Túnez, Senegal y Burkina Faso.'
    (feminine agreement when every volunteer counted is a woman; generic masculine when the
    number is withheld, as in French)."""
    where = f"en {country_name_es(host_country)}"
    what = SCHEME_PHRASE_ES.get(scheme, SCHEME_PHRASE_ES[None])
    if volunteers == 0:
        return f"En {year}, no se acogió a ningún voluntario {where} {what}."
    one = volunteers == 1
    noun = ("voluntaria" if all_women else "voluntario") + ("" if one else "s")
    who = f"{volunteers} {noun}"
    verb = ("fue" if one else "fueron") + " " + (
        ("acogida" if all_women else "acogido") + ("" if one else "s"))
    if withheld:
        who = f"menos de {fewer_than} voluntarios" if fewer_than else "voluntarios"
        verb = "fueron acogidos"
    if countries == 1:
        return f"En {year}, {who} {from_country_es(top[0])} {verb} {where} {what}."
    first = f"En {year}, {who} de {countries} países {verb} {where} {what}."
    names = [country_name_es(code) for code in top[:3]]
    return f"{first} Los países más representados fueron {_join_es(names)}."


def _join_es(items: Sequence[str]) -> str:
    # "y" becomes "e" before a word starting with the sound i ("Senegal e India", "e Hispania").
    last = items[-1].lower() if items else ""
    return _join(items, "e" if last.startswith(("i", "í", "hi")) else "y")
