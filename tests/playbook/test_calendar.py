"""Business-day arithmetic, checked against a plain day-by-day count."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from rapport.playbook.calendar import add_business_days, business_days_between, is_business_day

dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
holiday_sets = st.frozensets(dates, max_size=10)


def count_day_by_day(start: date, end: date, holidays: frozenset[date]) -> int:
    days = (end - start).days
    return sum(
        is_business_day(start + timedelta(days=offset), holidays) for offset in range(1, days + 1)
    )


@given(start=dates, span=st.integers(min_value=0, max_value=400), holidays=holiday_sets)
def test_counting_matches_a_day_by_day_walk(
    start: date, span: int, holidays: frozenset[date]
) -> None:
    end = start + timedelta(days=span)
    assert business_days_between(start, end, holidays) == count_day_by_day(start, end, holidays)


@given(start=dates, days=st.integers(min_value=0, max_value=60), holidays=holiday_sets)
def test_adding_then_counting_gives_the_same_number(
    start: date, days: int, holidays: frozenset[date]
) -> None:
    later = add_business_days(start, days, holidays)
    assert business_days_between(start, later, holidays) == days
    if days:
        assert is_business_day(later, holidays)


def test_a_friday_request_is_seven_business_days_old_the_second_tuesday() -> None:
    friday = date(2026, 11, 6)
    assert add_business_days(friday, 7) == date(2026, 11, 17)
