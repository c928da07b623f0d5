"""Meeting slots to offer (PLAYBOOK.md section 6): inside the host's working hours and the
seeker's, clear of both diaries, on days that are business days for each of them.

Working hours are wall-clock times, so each day's hours are turned into real (UTC) stretches,
one clock offset at a time. That makes clock changes a rule rather than luck:

- a slot never contains a clock change, nor ends as one happens, so it lasts exactly its
  length on every clock;
- a time the clock skips (spring forward) is never offered;
- a time the clock shows twice (fall back) is offered only at its first occurrence, the one a
  calendar reads from a bare local time (RFC 5545, 3.3.5), so "01:30" cannot be misread.

Pure: the same people, holidays and `now` give the same slots.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from rapport.playbook.cadence import HolidaySource, cached_holidays, require_aware, zone_or_none
from rapport.playbook.loader import threshold

DURATIONS = (15, 20, 30, 45, 60)  # minutes, the playbook's standard lengths; 60 is the most

ZERO = timedelta(0)
ONE_DAY = timedelta(days=1)
ONE_SECOND = timedelta(seconds=1)
# Every offset in use lies from UTC-12 to UTC+14, so a wall time happens within these bounds
# of the same wall time read as UTC.
WESTMOST_OFFSET = timedelta(hours=-12)
EASTMOST_OFFSET = timedelta(hours=14)


def default_day_start() -> time:
    start: time = threshold("schedule", "working_day_start")
    return start


def default_day_end() -> time:
    end: time = threshold("schedule", "working_day_end")
    return end


@dataclass(frozen=True)
class Hours:
    """A weekly pattern of local working hours, in whole minutes."""

    start: time = field(default_factory=default_day_start)
    end: time = field(default_factory=default_day_end)
    weekdays: frozenset[int] = frozenset(range(5))  # date.weekday(): Monday is 0

    def __post_init__(self) -> None:
        for moment in (self.start, self.end):
            if moment.tzinfo is not None or moment.second or moment.microsecond:
                raise ValueError(f"working hours are local whole minutes, not {moment!r}")
        if self.start >= self.end:
            raise ValueError("working hours must end after they start, on the same day")
        if not frozenset(self.weekdays) <= frozenset(range(7)):
            raise ValueError("weekdays run from 0 (Monday) to 6 (Sunday)")


@dataclass(frozen=True)
class Person:
    name: str
    zone: str  # IANA name, "Europe/London"
    country: str = ""  # ISO 3166 code for public holidays; "" for none
    hours: Hours = field(default_factory=Hours)
    busy: tuple[tuple[datetime, datetime], ...] = ()  # aware intervals they are not free

    def __post_init__(self) -> None:
        if zone_or_none(self.zone) is None:
            raise ValueError(f"{self.zone!r} is not a time zone we know")
        for start, end in self.busy:
            require_aware(start, end)
            # Compared in UTC: two times in one zone compare by their wall clocks alone.
            if end.astimezone(UTC) < start.astimezone(UTC):
                raise ValueError(f"a busy time ends before it starts: {start} to {end}")

    @property
    def tz(self) -> ZoneInfo:
        zone = zone_or_none(self.zone)
        assert zone is not None, "checked when the person was made"
        return zone

    @property
    def city(self) -> str:
        return self.zone.rsplit("/", 1)[-1].replace("_", " ")

    def is_working_day(self, day: date, holidays: HolidaySource) -> bool:
        country = self.country.strip().upper()
        if day.weekday() not in self.hours.weekdays:
            return False
        return not country or day not in holidays(country, day.year)


@dataclass(frozen=True)
class Slot:
    start: datetime  # aware UTC
    end: datetime

    def label(self, seeker: Person, host: Person) -> str:
        """The slot on both clocks, the seeker's first: "Tue 3 Dec, 10:00 for you in Chicago /
        16:00 for Marta in London", with the host's own date too when it is not the seeker's."""
        yours = self.start.astimezone(seeker.tz)
        theirs = self.start.astimezone(host.tz)
        their_start = f"{theirs:%H:%M}"
        if theirs.date() != yours.date():
            their_start = f"{say_day(theirs)}, {their_start}"
        return (
            f"{say_day(yours)}, {yours:%H:%M} for you in {seeker.city} / "
            f"{their_start} for {host.name} in {host.city}"
        )


def say_day(moment: datetime) -> str:
    return f"{moment:%a} {moment.day} {moment:%b}"


def scheduling_lines(slots: Iterable[Slot], *, seeker: Person, host: Person) -> list[str]:
    """The slots as lines for the message to the host, in their zone alone:
    "Tue 3 Dec, 16:00-16:30 (London time)". `seeker` is taken so that this and Slot.label are
    called alike; the seeker's clock has no place in a message the host reads."""
    lines = []
    for slot in slots:
        start, end = slot.start.astimezone(host.tz), slot.end.astimezone(host.tz)
        lines.append(f"{say_day(start)}, {start:%H:%M}-{end:%H:%M} ({host.city} time)")
    return lines


# --- Finding slots ---


class Window(NamedTuple):
    """Real time during which someone is at work, with their local day and clock offset (the
    host's, once intersected with the seeker's)."""

    start: datetime  # aware UTC
    end: datetime
    day: date
    offset: timedelta


class Stretch(NamedTuple):
    start: datetime
    end: datetime
    offset: timedelta


class Candidate(NamedTuple):
    start: datetime  # aware UTC
    afternoon: bool  # on the host's clock


@dataclass(frozen=True)
class Search:
    """What propose_slots looks for, with the playbook's values filled in."""

    first_start: datetime
    last_end: datetime
    duration: timedelta
    buffer: timedelta
    step: timedelta
    count: int
    afternoon_from: timedelta  # since the host's midnight


def propose_slots(
    *,
    host: Person,
    seeker: Person,
    duration_min: int,
    now: datetime,
    horizon_days: int | None = None,
    count: int | None = None,
    buffer_min: int | None = None,
    earliest_notice_hours: int | None = None,
    holidays: HolidaySource = lambda country, year: (),
    step_min: int | None = None,
) -> list[Slot]:
    """Up to `count` slots of `duration_min`, sorted by start, spread over days and times of
    day. Settings left as None take the playbook's values ([schedule] in thresholds.toml).

    A slot lies inside both people's working hours on a day that is a business day for each
    (their own weekdays and public holidays), starts on the host's `step_min` grid at least
    `earliest_notice_hours` after `now`, ends within `horizon_days`, and keeps `buffer_min`
    clear of either person's busy times.
    """
    search = search_for(
        duration_min=duration_min,
        now=now,
        horizon_days=horizon_days,
        count=count,
        buffer_min=buffer_min,
        earliest_notice_hours=earliest_notice_hours,
        step_min=step_min,
    )
    lookup = cached_holidays(holidays)
    both = intersect(working_windows(host, search, lookup), working_windows(seeker, search, lookup))
    free = subtract(both, blocked_times((host, seeker), search.buffer))
    picks = spread(candidates(free, search), search)
    return [Slot(pick.start, pick.start + search.duration) for pick in picks]


def search_for(
    *,
    duration_min: int,
    now: datetime,
    horizon_days: int | None,
    count: int | None,
    buffer_min: int | None,
    earliest_notice_hours: int | None,
    step_min: int | None,
) -> Search:
    require_aware(now)
    if duration_min not in DURATIONS:
        raise ValueError(f"a meeting lasts one of {DURATIONS} minutes, not {duration_min}")
    now = now.astimezone(UTC)
    afternoon: time = threshold("schedule", "afternoon_from")
    return Search(
        first_start=now + timedelta(hours=setting(earliest_notice_hours, "earliest_notice_hours")),
        last_end=now + timedelta(days=setting(horizon_days, "horizon_days", least=1)),
        duration=timedelta(minutes=duration_min),
        buffer=timedelta(minutes=setting(buffer_min, "buffer_min")),
        step=timedelta(minutes=setting(step_min, "step_min", least=1)),
        count=setting(count, "count"),
        afternoon_from=timedelta(hours=afternoon.hour, minutes=afternoon.minute),
    )


def setting(value: int | None, name: str, least: int = 0) -> int:
    chosen = int(threshold("schedule", name)) if value is None else value
    if chosen < least:
        raise ValueError(f"{name} must be at least {least}, not {chosen}")
    return chosen


def working_windows(person: Person, search: Search, holidays: HolidaySource) -> list[Window]:
    """When `person` is at work within the search, sorted, labelled with their own days."""
    zone = person.tz
    day = search.first_start.astimezone(zone).date()
    last_day = search.last_end.astimezone(zone).date()
    windows: list[Window] = []
    while day <= last_day:
        if person.is_working_day(day, holidays):
            for window in day_windows(day, person.hours, zone):
                start = max(window.start, search.first_start)
                end = min(window.end, search.last_end)
                if start < end:
                    windows.append(window._replace(start=start, end=end))
        day += ONE_DAY
    return windows


def day_windows(day: date, hours: Hours, zone: ZoneInfo) -> list[Window]:
    """The real stretches during which the clock in `zone` shows `day` within `hours`: one, or
    two when the clocks change during the hours."""
    # Wall times read as if they were UTC; subtracting an offset gives the real moment.
    opens = datetime.combine(day, hours.start, UTC)
    closes = datetime.combine(day, hours.end, UTC)
    windows = []
    for stretch in offset_stretches(zone, opens - EASTMOST_OFFSET, closes - WESTMOST_OFFSET):
        start = max(stretch.start, opens - stretch.offset)
        end = min(stretch.end, closes - stretch.offset)
        if start < end:
            windows.append(Window(start, end, day, stretch.offset))
    return windows


def offset_stretches(zone: ZoneInfo, start: datetime, end: datetime) -> list[Stretch]:
    """[start, end] cut where the clocks change, each piece with its offset from UTC. When the
    clocks go back, the time the clock then shows a second time is left out."""
    stretches = []
    offset = offset_at(start, zone)
    while start < end:
        change = next_change(zone, start, end, offset)
        if change is None:
            stretches.append(Stretch(start, end, offset))
            break
        # Stop a second short of the change: a meeting ending as the clocks change would end
        # on the new clock (01:30-03:00 for half an hour).
        stretches.append(Stretch(start, change - ONE_SECOND, offset))
        new_offset = offset_at(change, zone)
        start = change + max(ZERO, offset - new_offset)
        offset = new_offset
    return stretches


def next_change(
    zone: ZoneInfo, start: datetime, end: datetime, offset: timedelta
) -> datetime | None:
    """The first second after `start` on a different offset, if that happens by `end`. Looks
    at the ends only: no zone changes its clocks twice within the two days or so searched."""
    if offset_at(end, zone) == offset:
        return None
    before, after = 0, int((end - start).total_seconds())
    while after - before > 1:
        middle = (before + after) // 2
        if offset_at(start + timedelta(seconds=middle), zone) == offset:
            before = middle
        else:
            after = middle
    return start + timedelta(seconds=after)


def offset_at(moment: datetime, zone: ZoneInfo) -> timedelta:
    return moment.astimezone(zone).utcoffset() or ZERO


def intersect(host: Sequence[Window], seeker: Sequence[Window]) -> list[Window]:
    """Where both are at work, labelled with the host's day and clock. Each list is sorted
    and has no overlaps; each result lies within one window of each, so on one clock each."""
    both = []
    mine = theirs = 0
    while mine < len(host) and theirs < len(seeker):
        ours, other = host[mine], seeker[theirs]
        start, end = max(ours.start, other.start), min(ours.end, other.end)
        if start < end:
            both.append(ours._replace(start=start, end=end))
        if ours.end <= other.end:
            mine += 1
        else:
            theirs += 1
    return both


def blocked_times(people: Iterable[Person], buffer: timedelta) -> list[tuple[datetime, datetime]]:
    """Everyone's busy times widened by the buffer, in UTC, sorted and merged."""
    widened = sorted(
        (start.astimezone(UTC) - buffer, end.astimezone(UTC) + buffer)
        for person in people
        for start, end in person.busy
    )
    merged: list[tuple[datetime, datetime]] = []
    for start, end in widened:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def subtract(
    windows: Sequence[Window], blocked: Sequence[tuple[datetime, datetime]]
) -> list[Window]:
    """The windows with the blocked times taken out; both lists sorted, touching is allowed."""
    free = []
    first_relevant = 0
    for window in windows:
        while first_relevant < len(blocked) and blocked[first_relevant][1] <= window.start:
            first_relevant += 1
        start = window.start
        for block_start, block_end in blocked[first_relevant:]:
            if block_start >= window.end:
                break
            if block_start > start:
                free.append(window._replace(start=start, end=block_start))
            start = max(start, block_end)
        if start < window.end:
            free.append(window._replace(start=start))
    return free


def candidates(free: Iterable[Window], search: Search) -> dict[date, list[Candidate]]:
    """Every start on the host's step grid where the meeting fits, by the host's day."""
    by_day: dict[date, list[Candidate]] = {}
    for window in free:
        # The moment this window's clock would show midnight on its day: the grid's origin.
        midnight = datetime.combine(window.day, time(), UTC) - window.offset
        start = window.start + (midnight - window.start) % search.step
        while start + search.duration <= window.end:
            afternoon = start - midnight >= search.afternoon_from
            by_day.setdefault(window.day, []).append(Candidate(start, afternoon))
            start += search.step
    return by_day


def spread(by_day: dict[date, list[Candidate]], search: Search) -> list[Candidate]:
    """Up to `count` candidates, sorted: one a day first, earliest days first, alternating
    morning and afternoon on the host's clock; then another on each day at the time of day it
    has not had yet, and so on. Picks on one day never overlap."""
    picked: dict[date, list[Candidate]] = {day: [] for day in by_day}
    total = 0
    while total < search.count:
        before = total
        for day in sorted(by_day):
            if total == search.count:
                break
            pick = next_pick(by_day[day], picked[day], total % 2 == 1, search.duration)
            if pick is not None:
                picked[day].append(pick)
                total += 1
        if total == before:
            break
    return sorted(pick for picks in picked.values() for pick in picks)


def next_pick(
    options: Sequence[Candidate], taken: Sequence[Candidate], afternoon: bool, length: timedelta
) -> Candidate | None:
    """The earliest option clear of the day's picks: at a time of day the day has not had yet
    if it can, then at the wanted one."""
    had = {pick.afternoon for pick in taken}
    clear = [
        option
        for option in options
        if all(abs(option.start - pick.start) >= length for pick in taken)
    ]
    return min(
        clear,
        key=lambda option: (option.afternoon in had, option.afternoon != afternoon, option.start),
        default=None,
    )
