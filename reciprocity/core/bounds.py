"""The one bounded integer of the project: every id, list of ids, offset and limit that comes from
outside (API path, query and body; page GET parameters; forms) goes through these.

Why: the database's integers are 64-bit (BigAutoField; SQLite's INTEGER), and a larger Python
int does not reach it as a clean refusal: SQLite's driver raises OverflowError, PostgreSQL a
NumericValueOutOfRange, and the request ends in a server error. Django bounds a plain `pk=`
lookup itself, but not `pk__in=`, slices (OFFSET/LIMIT) or arithmetic. So a number outside these
bounds is refused where it enters: 422 from the API, "no such object" (404, or the filter left
out) from the pages.
"""

from collections.abc import Iterable
from typing import Annotated, Any

from django import forms
from pydantic import Field

MAX_ID = 2**63 - 1  # the largest bigint, and SQLite's largest INTEGER
MAX_OFFSET = MAX_ID
MAX_LIMIT = 1000  # the most items one API page returns; endpoints may ask for fewer

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET)]
Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT)]


def id_from(raw: Any) -> int | None:
    """An id from a page's GET parameter (or a path part), or None when it is not one: not
    plain digits, zero, or past MAX_ID. Never raises."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    elif isinstance(raw, str) and raw.isascii() and raw.isdigit() and len(raw) <= len(str(MAX_ID)):
        value = int(raw)
    else:
        return None
    return value if 1 <= value <= MAX_ID else None


def ids_from(values: Iterable[Any], *, at_most: int | None = None) -> list[int]:
    """The valid ids among `values` (GET or POST lists), in order, without repeats, at most
    `at_most` of them; the others are left out."""
    ids: list[int] = []
    for raw in values:
        value = id_from(raw)
        if value is not None and value not in ids:
            ids.append(value)
            if at_most is not None and len(ids) >= at_most:
                break
    return ids


class IdField(forms.IntegerField):
    """A form field for an id: digits from 1 to MAX_ID, else the form is invalid."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)
