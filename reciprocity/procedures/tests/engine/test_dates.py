"""Date arithmetic: the issue's conventions, table-driven, then as properties."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reciprocity.domain.dates import lasts_less_than_months, lasts_more_than_months
from reciprocity.procedures.engine import (
    HostFacts,
    RuleBook,
    add_months,
    age_on,
    inclusive_days,
    month_span,
    months_window_end,
    plan_procedure,
)

from .conftest import TODAY, make_request


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2027, 3, 1), 6, date(2027, 9, 1)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),
        (date(2027, 3, 31), 1, date(2027, 4, 30)),
        (date(2027, 9, 1), -6, date(2027, 3, 1)),
        (date(2027, 1, 15), -1, date(2026, 12, 15)),
        (date(2027, 12, 31), 2, date(2028, 2, 29)),
    ],
)
def test_add_months_clamps_to_month_end(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("start", "end", "months", "days"),
    [
        (date(2027, 3, 1), date(2027, 8, 31), 6, 0),  # the example
        (date(2027, 3, 1), date(2027, 8, 30), 5, 30),
        (date(2027, 3, 1), date(2027, 9, 1), 6, 1),
        (date(2027, 3, 1), date(2028, 2, 29), 12, 0),
        (date(2027, 1, 15), date(2027, 2, 14), 1, 0),
        (date(2027, 7, 1), date(2027, 7, 1), 0, 1),
        (date(2026, 8, 31), date(2027, 2, 27), 6, 0),  # 31 Aug + 6 months clamps to 28 Feb
    ],
)
def test_month_span_counts_to_the_day_after_the_end(
    start: date, end: date, months: int, days: int
) -> None:
    span = month_span(start, end)
    assert (span.months, span.days) == (months, days)


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (date(2001, 3, 1), date(2027, 2, 28), 25),
        (date(2001, 3, 1), date(2027, 3, 1), 26),
        (date(2008, 2, 29), date(2026, 2, 28), 17),
        (date(2008, 2, 29), date(2026, 3, 1), 18),
        (date(2011, 3, 1), date(2027, 3, 1), 16),
    ],
)
def test_age_is_completed_years(birth: date, on: date, age: int) -> None:
    assert age_on(birth, on) == age


def test_inclusive_days_and_window_end() -> None:
    assert inclusive_days(date(2027, 7, 1), date(2027, 7, 21)) == 21
    assert months_window_end(date(2027, 3, 1), 3) == date(2027, 5, 31)
    assert months_window_end(date(2027, 1, 31), 1) == date(2027, 2, 27)


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


@given(days, st.integers(min_value=-36, max_value=36))
def test_add_months_keeps_the_day_or_clamps(day: date, months: int) -> None:
    moved = add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day == day.day or (moved.day < day.day and (moved + timedelta(days=1)).day == 1)


@given(days, st.integers(min_value=0, max_value=800))
def test_month_span_is_consistent_with_limits(start: date, length: int) -> None:
    end = start + timedelta(days=length)
    span = month_span(start, end)
    assert span.months <= span.exact < span.months + 1
    assert add_months(start, span.months) <= end + timedelta(days=1)
    for limit in (1, 6, 12, 24):
        assert lasts_less_than_months(start, end, limit) == (span.exact < limit)
        assert lasts_more_than_months(start, end, limit) == (span.exact > limit)


@given(days, days)
def test_age_grows_by_one_each_birthday(birth: date, on: date) -> None:
    if on < birth:
        birth, on = on, birth
    age = age_on(birth, on)
    assert age >= 0
    assert add_months(birth, 12 * age) <= on or (birth.month, birth.day) == (2, 29)
    assert add_months(birth, 12 * (age + 1)) > on


@given(
    st.sampled_from(["service_civique", "vsi", "workcamp", "esc"]),
    st.lists(
        st.sampled_from(["SN", "DE", "BR", "ML", "US", "TG", "MC", "GE"]), min_size=1, max_size=2
    ),
    days,
    st.integers(min_value=0, max_value=900),
    st.booleans(),
)
def test_windows_never_inverted_and_anchored(
    rulebook: RuleBook, scheme: str, nationalities: list[str], start: date, length: int, aps: bool
) -> None:
    end = start + timedelta(days=length)
    request = make_request(
        scheme,
        tuple(dict.fromkeys(nationalities)),
        start,
        end,
        host=HostFacts(prefectoral_agrement=True if aps else None),
    )
    plan = plan_procedure(request, rulebook, today=TODAY)
    for step in plan.steps:
        if step.due_from and step.due_by:
            assert step.due_from <= step.due_by, step
        if step.code == "visa_application" and plan.entry_document.code == "short_stay_visa":
            assert step.due_from == add_months(start, -6)
            assert step.due_by == start - timedelta(days=15)
        if step.code == "ofii_validation":
            assert (step.due_from, step.due_by) == (start, add_months(start, 3) - timedelta(days=1))
        if step.code == "aps_request":
            assert (step.due_from, step.due_by) == (start, add_months(start, 1) - timedelta(days=1))
        if step.code in {"civic_training", "first_aid_training"}:
            assert (step.due_from, step.due_by) == (start, end)
        if step.code in {"invitation_letter", "reciprocity_request", "return_undertaking"}:
            assert step.due_by is not None and step.due_by <= start
    codes = [w.code for w in plan.warnings]
    passed = sum(1 for s in plan.steps if s.due_by and s.due_by < TODAY)
    assert codes.count("deadline_passed") == passed
