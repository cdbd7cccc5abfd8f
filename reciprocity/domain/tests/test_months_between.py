"""Volunteer-months (`months_between`), table-driven, no database: the balance, the quota check
and the placement documents all count with this one definition."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from reciprocity.domain.dates import months_between


@pytest.mark.parametrize(("start", "end", "months"), [
    (date(2027, 3, 1), date(2027, 8, 31), "6.00"),  # dates inclusive: six whole months
    (date(2027, 3, 1), date(2027, 3, 15), "0.48"),  # 15 of March's 31 days
    (date(2027, 1, 15), date(2027, 2, 14), "1.00"),  # a month from mid-month to mid-month
    (date(2027, 2, 1), date(2027, 2, 1), "0.04"),  # one day of February's 28
    (date(2027, 11, 1), date(2028, 1, 31), "3.00"),  # across the year's end
    (date(2027, 3, 2), date(2027, 3, 1), "0.00"),  # an end before the start is never negative
])
def test_months_between(start: date, end: date, months: str) -> None:
    assert months_between(start, end) == Decimal(months)
