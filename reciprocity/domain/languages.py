"""Language levels: the CEFR scale (A1 to C2) and the VEF's 1-4 scale mapped onto it, in one place.

Volunteers' languages are stored as `{"code": "fr", "level": "B2"}` (CEFR); the work-camp VEF
files give a level from 1 ("almost none") to 4 ("very skilled"). A level is compared as its rank on
the CEFR scale (A1 = 1 ... C2 = 6). The VEF's levels map as the exchange import stores them
(reciprocity/exchange/mapping.py, CEFR_OF_LEVEL): 1 -> A1, 2 -> A2, 3 -> B2, 4 -> C1, so a VEF 3
meets a B1 or B2 requirement and a VEF 2 does not.
"""

from __future__ import annotations

CEFR_LEVELS: tuple[str, ...] = ("A1", "A2", "B1", "B2", "C1", "C2")
#: VEF `langlevel` (1-4) -> CEFR label.
CEFR_OF_VEF: dict[int, str] = {1: "A1", 2: "A2", 3: "B2", 4: "C1"}


def level_rank(value: object) -> int:
    """The CEFR rank (1 = A1 ... 6 = C2) of a CEFR label (any case) or a VEF level 1-4.

    Raises ValueError for anything else (booleans included: `true` is not a level).
    """
    if isinstance(value, bool):
        raise ValueError(f"not a language level: {value!r}")
    if isinstance(value, int):
        if value not in CEFR_OF_VEF:
            raise ValueError(f"a VEF language level is 1 to 4, got {value}")
        return CEFR_LEVELS.index(CEFR_OF_VEF[value]) + 1
    if isinstance(value, str) and value.strip().upper() in CEFR_LEVELS:
        return CEFR_LEVELS.index(value.strip().upper()) + 1
    raise ValueError(f"not a language level (A1 to C2, or 1 to 4): {value!r}")


def level_label(rank: int) -> str:
    """The CEFR label of a rank (1 -> A1)."""
    return CEFR_LEVELS[rank - 1]


def is_language_code(value: object) -> bool:
    """An ISO 639-1 (two letters) or 639-2 (three letters) code, any case."""
    return isinstance(value, str) and len(value) in (2, 3) and value.isascii() and value.isalpha()
