"""Checks of one cell, shared by the missions and volunteers formats: each returns the value
or adds a translated reason to `reasons` (every reason of a row is collected, never the first
only). Free text a spreadsheet would run as a formula is stored with a quote in front and said
in a warning, as the placements import does (docs/import-format.md)."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from reciprocity.core.spreadsheets import is_formula_like, neutralise_text
from reciprocity.domain.countries import COUNTRY_CODES

# Far beyond any real number of places or hours, small enough for every database integer.
MAX_INTEGER = 1_000_000


@dataclass
class Checked:
    """Valid rows (kind-specific objects), and every error and warning as (line, reason)."""

    rows: list[Any] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)


def text(values: dict[str, Any], column: str) -> str:
    value = values.get(column)
    return "" if value is None else str(value).strip()


def free_text(values: dict[str, Any], column: str, *, line: int, limit: int | None,
              reasons: list[str], warnings: list[tuple[int, str]]) -> str:
    value = text(values, column)
    if is_formula_like(value):
        value = neutralise_text(value)
        warnings.append((line, _(
            "%(column)s starts with %(sign)r, which a spreadsheet would run as a formula; "
            "imported as text, with a quote in front") % {"column": column, "sign": value[1]}))
    if "\x00" in value:
        reasons.append(_("%(column)s holds a null character") % {"column": column})
    if limit is not None and len(value) > limit:
        reasons.append(_("%(column)s is longer than %(limit)d characters")
                       % {"column": column, "limit": limit})
    return value


def required(values: dict[str, Any], columns: list[str], reasons: list[str]) -> None:
    for column in columns:
        if not text(values, column):
            reasons.append(_("%(column)s is empty") % {"column": column})


def iso_date(values: dict[str, Any], column: str, reasons: list[str]) -> date | None:
    raw = values.get(column)
    if isinstance(raw, date):
        return raw
    value = text(values, column)
    if not value:
        return None
    try:
        # Exactly YYYY-MM-DD: Python also reads 20180301 and week dates, which a person
        # typing a day would not mean.
        if len(value) == 10:
            return date.fromisoformat(value)
    except ValueError:
        pass
    reasons.append(_("%(column)s %(value)r is not an ISO date (YYYY-MM-DD)")
                   % {"column": column, "value": value[:40]})
    return None


def integer(values: dict[str, Any], column: str, reasons: list[str], *, low: int = 0,
            high: int = MAX_INTEGER) -> int | None:
    value = text(values, column)
    if not value:
        return None
    # A whole number only; a thousands separator or a decimal point is a typo to be fixed.
    digits = value[1:] if value.startswith("-") else value
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 9:
        reasons.append(_("%(column)s %(value)r is not a whole number between %(low)d and %(high)d")
                       % {"column": column, "value": value[:40], "low": low, "high": high})
        return None
    number = int(value)
    if not low <= number <= high:
        reasons.append(_("%(column)s %(value)r is not a whole number between %(low)d and %(high)d")
                       % {"column": column, "value": value[:40], "low": low, "high": high})
        return None
    return number


def country(values: dict[str, Any], column: str, reasons: list[str]) -> str:
    value = text(values, column).upper()
    if value and value not in COUNTRY_CODES:
        reasons.append(_("%(column)s %(value)r is not an ISO 3166-1 alpha-2 code")
                       % {"column": column, "value": text(values, column)[:40]})
    return value


def choice(values: dict[str, Any], column: str, allowed: list[str], reasons: list[str],
           *, default: str = "", upper: bool = False) -> str:
    raw = text(values, column)
    value = (raw.upper() if upper else raw.lower()) or default
    if value and value not in allowed:
        reasons.append(_("%(column)s %(value)r is not one of %(allowed)s")
                       % {"column": column, "value": raw[:40], "allowed": ", ".join(allowed)})
    return value


def codes(values: dict[str, Any], column: str) -> list[str]:
    """`fr, en` or `fr en` or `fr;en`: a list of codes (checked by the caller)."""
    raw = text(values, column).replace(";", " ").replace(",", " ")
    return [part for part in raw.split() if part]
