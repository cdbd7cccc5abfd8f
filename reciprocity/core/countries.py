"""The code of a django-countries value, typed.

A `CountryField` attribute is a `django_countries.fields.Country` at run time, but django-stubs
types the field as a `str` (it is a CharField), so `.code` needs a mypy ignore comment and `str()`
hides what is meant. `country_code()` is the one way to read it: the upper-case alpha-2 code
(XK included, reciprocity.domain.countries), or "" when the field is blank.
"""

from __future__ import annotations

from django_countries import countries
from django_countries.fields import Country

from reciprocity.domain.countries import COUNTRY_CODES


def country_code(value: Country | str | None) -> str:
    """The alpha-2 code of a CountryField value ("" when blank)."""
    if isinstance(value, Country):
        return str(value.code or "")
    return value or ""


def country_choices() -> list[tuple[str, str]]:
    """(code, name) of every country the platform knows (reciprocity.domain.countries, XK
    included), named and sorted in the active language by django-countries (COUNTRIES_FIRST
    first)."""
    return [(code, str(name)) for code, name in countries if code in COUNTRY_CODES]
