"""Language levels (CEFR and the VEF's 1-4) and ages on a date, table-driven, no database."""

from __future__ import annotations

from datetime import date

import pytest

from reciprocity.domain.dates import age_on
from reciprocity.domain.languages import CEFR_OF_VEF, is_language_code, level_label, level_rank


@pytest.mark.parametrize(("value", "rank"), [
    ("A1", 1), ("a2", 2), ("B1", 3), (" b2 ", 4), ("C1", 5), ("C2", 6),
    # The VEF's 1-4, as the exchange import stores them: 1 A1, 2 A2, 3 B2, 4 C1.
    (1, 1), (2, 2), (3, 4), (4, 5),
])
def test_level_rank(value: object, rank: int) -> None:
    assert level_rank(value) == rank


@pytest.mark.parametrize("value", [0, 5, -1, True, "D1", "", "B", None, 2.0, "3"])
def test_what_is_not_a_level(value: object) -> None:
    with pytest.raises(ValueError):
        level_rank(value)


def test_vef_levels_map_onto_cefr_labels() -> None:
    # The exchange import's own table is compared in placements/tests/engine/test_requirements.py
    # (this package may import no app, even in its tests).
    assert CEFR_OF_VEF == {1: "A1", 2: "A2", 3: "B2", 4: "C1"}
    assert [level_label(level_rank(v)) for v in (1, 2, 3, 4)] == ["A1", "A2", "B2", "C1"]


@pytest.mark.parametrize(("code", "ok"), [("fr", True), ("FR", True), ("fra", True),
                                          ("f", False), ("fren", False), ("f1", False), (3, False)])
def test_language_codes(code: object, ok: bool) -> None:
    assert is_language_code(code) is ok


@pytest.mark.parametrize(("born", "on", "age"), [
    (date(2008, 2, 29), date(2026, 2, 28), 17),  # common year: not yet 18 on 28 Feb
    (date(2008, 2, 29), date(2026, 3, 1), 18),
    (date(2008, 2, 29), date(2028, 2, 28), 19),  # leap year: 20 only on the 29th
    (date(2008, 2, 29), date(2028, 2, 29), 20),
    (date(2009, 7, 5), date(2027, 7, 4), 17),
    (date(2009, 7, 5), date(2027, 7, 5), 18),  # the birthday itself counts
    (date(2010, 1, 1), date(2009, 12, 31), -1),
])
def test_age_on_a_date(born: date, on: date, age: int) -> None:
    assert age_on(born, on) == age
