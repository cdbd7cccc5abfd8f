"""Volunteer-months: calendar months from the start to the day after the end (dates inclusive)."""

import calendar
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from reciprocity.domain.dates import add_months


def months_between(start: date, end: date) -> Decimal:
    """1 March–31 August is 6.00; 1–15 March is 0.48 (15 of 31 days); never negative."""
    stop = end + timedelta(days=1)
    if stop <= start:
        return Decimal("0.00")
    whole = (stop.year - start.year) * 12 + (stop.month - start.month)
    anchor = add_months(start, whole)
    if anchor > stop:
        whole -= 1
        anchor = add_months(start, whole)
    days_in_month = calendar.monthrange(anchor.year, anchor.month)[1]
    fraction = Decimal((stop - anchor).days) / Decimal(days_in_month)
    return (Decimal(whole) + fraction).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
