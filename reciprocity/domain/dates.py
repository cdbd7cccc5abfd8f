"""Date arithmetic with the platform's conventions, in one place (engines and apps alike).

- Dates are inclusive: a mission from 1 March to 31 August lasts 6 months.
- A duration in months is counted in calendar months from the start to the day after the end.
  Adding months clamps to the end of the month (31 Aug + 6 months = 28/29 Feb), as
  `dateutil.relativedelta` does, so "two careful readers compute the same thing".
- Age is completed years on the given date (someone born on 29 Feb turns one year older on
  1 March in a non-leap year).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

ONE_DAY = timedelta(days=1)


def add_months(day: date, months: int) -> date:
    """`day` moved by `months` calendar months (negative allowed), clamped to the month end."""
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def months_between(start: date, end: date) -> Decimal:
    """Volunteer-months from `start` to `end` (inclusive): calendar months to the day after the
    end, the last part month as days over that month's length, to two places.
    1 March–31 August is 6.00; 1–15 March is 0.48 (15 of 31 days); never negative."""
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


def day_after(day: date) -> date:
    return day + ONE_DAY


def inclusive_days(start: date, end: date) -> int:
    """Number of days from `start` to `end`, both included (1 when start == end)."""
    return (end - start).days + 1


@dataclass(frozen=True)
class MonthSpan:
    """A duration counted in calendar months from a start to an exclusive end."""

    months: int
    days: int
    exact: Fraction

    def __str__(self) -> str:
        return f"{self.months} months {self.days} days" if self.days else f"{self.months} months"


def month_span(start: date, end_inclusive: date) -> MonthSpan:
    """Calendar months from `start` to the day after `end_inclusive`.

    `months` is the largest n with add_months(start, n) <= day after end; `days` is what is left;
    `exact` adds that remainder as a fraction of the following month's length, so that comparisons
    against a limit in months are exact (`exact > 12` iff the mission lasts more than 12 months).
    """
    stop = day_after(end_inclusive)
    if stop <= start:
        return MonthSpan(0, 0, Fraction(0))
    months = (stop.year - start.year) * 12 + (stop.month - start.month)
    while months > 0 and add_months(start, months) > stop:
        months -= 1
    while add_months(start, months + 1) <= stop:
        months += 1
    anchor = add_months(start, months)
    days = (stop - anchor).days
    next_anchor = add_months(start, months + 1)
    exact = months + Fraction(days, (next_anchor - anchor).days)
    return MonthSpan(months, days, exact)


def lasts_less_than_months(start: date, end_inclusive: date, months: int) -> bool:
    return day_after(end_inclusive) < add_months(start, months)


def lasts_more_than_months(start: date, end_inclusive: date, months: int) -> bool:
    return day_after(end_inclusive) > add_months(start, months)


def age_on(birth_date: date, on: date) -> int:
    """Completed years on `on` (negative if `on` is before the birth date)."""
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def months_window_end(anchor: date, months: int) -> date:
    """Last day of a window of `months` calendar months that starts on `anchor` (inclusive).

    OFII validation "within 3 months of entry" on 1 March runs to 31 May, consistently with the
    inclusive duration convention (1 March to 31 May lasts 3 months).
    """
    return add_months(anchor, months) - ONE_DAY
