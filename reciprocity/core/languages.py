"""Language names for pickers and lists: the one place a language code becomes a name.

The codes are ISO 639-1 (two letters; reciprocity.domain.languages says what a code is). Their
names come from pycountry's ISO 639 table and its own translations (French, Spanish and many
more), in the active language, so a French reader picks "Éwé" and a Spanish one "Ewe". Django's
LANG_INFO would only name the hundred or so languages Django itself is translated into: no Ewe,
no Wolof, no Mooré.
"""

from __future__ import annotations

import gettext
import unicodedata
from functools import cache

import pycountry
from django.utils.translation import get_language

from reciprocity.domain.languages import is_language_code


@cache
def _english_names() -> dict[str, str]:
    return {
        language.alpha_2: language.name
        for language in pycountry.languages
        if is_language_code(getattr(language, "alpha_2", ""))
    }


@cache
def _catalogue(language: str) -> gettext.NullTranslations:
    try:
        return gettext.translation("iso639-3", pycountry.LOCALES_DIR, languages=[language])
    except OSError:  # no translation shipped for this language: English names
        return gettext.NullTranslations()


def language_name(code: str) -> str:
    """The name of an ISO 639-1 code in the active language, or the code itself if unknown."""
    english = _english_names().get((code or "").lower())
    if english is None:
        return code
    return _catalogue((get_language() or "en").split("-")[0]).gettext(english)


def _sort_key(name: str) -> str:
    # "Éwé" between "Estonien" and "Féroïen", not after "Zoulou".
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


def language_choices() -> list[tuple[str, str]]:
    """(code, name) of every ISO 639-1 language, by name in the active language."""
    return sorted(((code, language_name(code)) for code in _english_names()),
                  key=lambda choice: _sort_key(choice[1]))
