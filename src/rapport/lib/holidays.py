"""Public holiday dates by country, for business-day arithmetic.

The playbook never imports the `holidays` package: callers pass these functions (or their
results) in, so the rules stay pure and tests can use any calendar they like.
"""

from __future__ import annotations

import functools
from datetime import date

import holidays


@functools.lru_cache(maxsize=1024)
def public_holidays(country: str, year: int) -> frozenset[date]:
    """The public holidays of `country` (ISO 3166 code, any case) in `year`.

    An empty or unknown code gives no holidays rather than an error: a contact whose country
    we cannot place still gets weekends skipped.
    """
    code = country.strip().upper()
    if not code:
        return frozenset()
    try:
        calendar = holidays.country_holidays(code, years=year)
    except (NotImplementedError, KeyError):
        return frozenset()
    return frozenset(calendar.keys())


def holidays_between(country: str, start: date, end: date) -> frozenset[date]:
    """The public holidays from `start` to `end`, both included (empty when end < start)."""
    dates: set[date] = set()
    for year in range(start.year, end.year + 1):
        dates.update(public_holidays(country, year))
    return frozenset(day for day in dates if start <= day <= end)
