"""Business-day arithmetic: weekends and the given public holidays do not count."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

WEEKEND = frozenset({5, 6})  # Saturday, Sunday (date.weekday numbering)


def is_business_day(day: date, holidays: Collection[date] = ()) -> bool:
    return day.weekday() not in WEEKEND and day not in holidays


def business_days_between(start: date, end: date, holidays: Collection[date] = ()) -> int:
    """Business days after `start` up to and including `end` (0 when end <= start)."""
    if end <= start:
        return 0
    whole_weeks, remainder = divmod((end - start).days, 7)
    count = whole_weeks * 5
    for offset in range(1, remainder + 1):
        if (start + timedelta(days=offset)).weekday() not in WEEKEND:
            count += 1
    return count - sum(1 for h in holidays if start < h <= end and h.weekday() not in WEEKEND)


def add_business_days(start: date, days: int, holidays: Collection[date] = ()) -> date:
    """The date `days` business days after `start`."""
    if days < 0:
        raise ValueError("days must be zero or more")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_business_day(current, holidays):
            remaining -= 1
    return current
