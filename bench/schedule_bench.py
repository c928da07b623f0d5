"""Slot proposals: propose_slots over a 60-day horizon for a London host and a New York
seeker with 40 busy times each, across both spring clock changes, beside a baseline measured
in the same run: a bare loop over the same 60 days that only works out each day's local
working window for both people with zoneinfo, the least a day-by-day search can do."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

from common import Row, median, ms, percentile

from rapport.lib.holidays import public_holidays
from rapport.playbook.schedule import Hours, Person, Slot, propose_slots

RUNS = 500
HORIZON_DAYS = 60
BUSY_PER_PERSON = 40
TARGET_P99_S = 0.020
# Two months from early February hold the US (9 Mar) and the EU (30 Mar) clock changes.
NOW = datetime(2025, 2, 3, 12, tzinfo=UTC)


def busy_diary(zone: str, seed: int) -> tuple[tuple[datetime, datetime], ...]:
    """Meetings of 30 to 90 minutes in office hours on weekdays, as a work calendar has."""
    rng = random.Random(seed)
    tz = ZoneInfo(zone)
    days = (NOW.date() + timedelta(days=offset) for offset in range(HORIZON_DAYS))
    weekdays = [day for day in days if day.weekday() < 5]
    meetings = []
    for _ in range(BUSY_PER_PERSON):
        day = rng.choice(weekdays)
        start = datetime.combine(day, clock(rng.randint(9, 16), rng.choice((0, 15, 30, 45))), tz)
        meetings.append((start, start + timedelta(minutes=rng.choice((30, 45, 60, 90)))))
    return tuple(sorted(meetings))


def people() -> tuple[Person, Person]:
    host = Person("Marta", "Europe/London", "GB", busy=busy_diary("Europe/London", 1))
    seeker = Person("Sam", "America/New_York", "US", busy=busy_diary("America/New_York", 2))
    return host, seeker


def timed(action: Callable[[], object]) -> list[float]:
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return samples


def propose(host: Person, seeker: Person) -> list[Slot]:
    return propose_slots(
        host=host,
        seeker=seeker,
        duration_min=30,
        now=NOW,
        horizon_days=HORIZON_DAYS,
        holidays=public_holidays,
    )


def day_windows_only(host: Person, seeker: Person) -> Callable[[], object]:
    first_day = NOW.date()
    days = [first_day + timedelta(days=offset) for offset in range(HORIZON_DAYS + 1)]

    def run() -> object:
        windows = []
        for person in (host, seeker):
            zone = ZoneInfo(person.zone)
            for day in days:
                windows.append(local_window(day, person.hours, zone))
        return windows

    return run


def local_window(day: date, hours: Hours, zone: ZoneInfo) -> tuple[datetime, datetime]:
    opens = datetime.combine(day, hours.start, zone).astimezone(UTC)
    return opens, datetime.combine(day, hours.end, zone).astimezone(UTC)


def schedule_rows() -> list[Row]:
    host, seeker = people()
    # The first call loads the holiday calendars and thresholds, as a running app has.
    if not propose(host, seeker):
        raise RuntimeError("the benchmark's people should have slots to offer")
    samples = timed(lambda: propose(host, seeker))
    floor = timed(day_windows_only(host, seeker))
    p50, p99 = median(samples), percentile(samples, 99)
    name = f"propose_slots, {HORIZON_DAYS}-day horizon, {BUSY_PER_PERSON} busy times a side"
    return [
        Row(
            f"{name}, p50",
            ms(p50),
            ms(median(floor)) + " (each day's local window, zoneinfo only)",
            f"{p50 / median(floor):.1f}x",
            "",
            "",
        ),
        Row(
            f"{name}, p99",
            ms(p99),
            ms(percentile(floor, 99)),
            f"{p99 / percentile(floor, 99):.1f}x",
            f"<= {TARGET_P99_S * 1000:.0f} ms",
            "yes" if p99 <= TARGET_P99_S else "NO",
        ),
    ]


if __name__ == "__main__":
    for row in schedule_rows():
        print(row)
