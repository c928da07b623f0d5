"""Meeting slots: inside both people's working hours, clear of their diaries and holidays,
right across clock changes, and shown in both zones.

Expected values in the examples are worked out by hand. The calendar facts they rest on:
1 Nov 2024 and 1 Mar 2024 are Fridays, 1 May 2025 a Thursday. The US moved its clocks on
10 Mar and 3 Nov 2024, Europe on 31 Mar and 27 Oct 2024; between those dates Chicago is five
hours behind London instead of six. India is UTC+5:30 and Tokyo UTC+9 all year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rapport.lib.holidays import public_holidays
from rapport.playbook.schedule import (
    DURATIONS,
    Hours,
    Person,
    Slot,
    propose_slots,
    scheduling_lines,
)

MARTA = Person("Marta", "Europe/London", "GB")
SAM = Person("Sam", "America/Chicago", "US")
ROUND_THE_CLOCK = Hours(time(0, 0), time(23, 59), frozenset(range(7)))


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def local(zone: str, year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(zone))


def labels(slots: list[Slot], seeker: Person = SAM, host: Person = MARTA) -> list[str]:
    return [slot.label(seeker, host) for slot in slots]


# --- Across the Atlantic ---


def test_a_london_host_is_offered_their_late_afternoons_which_are_chicago_mornings() -> None:
    slots = propose_slots(
        host=MARTA, seeker=SAM, duration_min=30, now=utc(2024, 11, 29, 15), holidays=public_holidays
    )
    assert labels(slots) == [
        "Mon 2 Dec, 09:00 for you in Chicago / 15:00 for Marta in London",
        "Tue 3 Dec, 09:00 for you in Chicago / 15:00 for Marta in London",
        "Wed 4 Dec, 09:00 for you in Chicago / 15:00 for Marta in London",
        "Thu 5 Dec, 09:00 for you in Chicago / 15:00 for Marta in London",
        "Fri 6 Dec, 09:00 for you in Chicago / 15:00 for Marta in London",
    ]
    assert all(slot.end - slot.start == timedelta(minutes=30) for slot in slots)


def test_the_message_to_the_host_shows_their_time_only() -> None:
    slots = propose_slots(host=MARTA, seeker=SAM, duration_min=45, now=utc(2024, 11, 29, 15))
    assert scheduling_lines(slots[:2], seeker=SAM, host=MARTA) == [
        "Mon 2 Dec, 15:00-15:45 (London time)",
        "Tue 3 Dec, 15:00-15:45 (London time)",
    ]


def test_busy_times_keep_a_buffer_on_both_sides() -> None:
    host = Person(
        "Marta", "Europe/London", busy=((utc(2024, 12, 2, 15), utc(2024, 12, 2, 15, 30)),)
    )
    seeker = Person(
        "Sam",
        "America/Chicago",
        busy=(
            (local("America/Chicago", 2024, 12, 3, 9), local("America/Chicago", 2024, 12, 3, 10)),
        ),
    )
    slots = propose_slots(
        host=host, seeker=seeker, duration_min=30, now=utc(2024, 11, 29, 15), count=3
    )
    # Monday: 14:45-15:45 is blocked. Tuesday: Sam's 09:00-10:00 is 15:00-16:00 in London.
    assert [slot.start for slot in slots] == [
        utc(2024, 12, 2, 15, 45),
        utc(2024, 12, 3, 16, 15),
        utc(2024, 12, 4, 15),
    ]


def test_a_busy_time_given_across_the_autumn_change_is_read_in_real_time() -> None:
    new_york = ZoneInfo("America/New_York")
    # 01:50 the first time round to 01:10 the second: twenty minutes, not minus forty.
    first_time = datetime(2024, 11, 3, 1, 50, tzinfo=new_york)
    second_time = datetime(2024, 11, 3, 1, 10, tzinfo=new_york, fold=1)
    host = night_owl(time(0, 0), time(4, 0))
    host = Person("Nico", host.zone, hours=host.hours, busy=((first_time, second_time),))
    anyone = Person("Ana", "UTC", hours=ROUND_THE_CLOCK)
    slots = propose_slots(
        host=host,
        seeker=anyone,
        duration_min=60,
        now=utc(2024, 11, 3, 4),
        horizon_days=1,
        earliest_notice_hours=0,
        buffer_min=0,
        count=10,
    )
    # Free: 00:00-01:50 EDT (04:00-05:50 UTC) and, once the repeated hour is over, 02:00-04:00
    # EST (07:00-09:00 UTC). Hour-long slots that do not overlap: 04:00, 07:00 and 08:00 UTC.
    assert [slot.start for slot in slots] == [
        utc(2024, 11, 3, 4),
        utc(2024, 11, 3, 7),
        utc(2024, 11, 3, 8),
    ]


def test_no_buffer_lets_a_slot_start_as_a_busy_time_ends() -> None:
    host = Person(
        "Marta", "Europe/London", busy=((utc(2024, 12, 2, 15), utc(2024, 12, 2, 15, 30)),)
    )
    slots = propose_slots(
        host=host, seeker=SAM, duration_min=30, now=utc(2024, 11, 29, 15), count=1, buffer_min=0
    )
    assert [slot.start for slot in slots] == [utc(2024, 12, 2, 15, 30)]


def test_nothing_is_offered_on_a_uk_bank_holiday() -> None:
    assert date(2025, 5, 5) in public_holidays("GB", 2025)
    slots = propose_slots(
        host=MARTA, seeker=SAM, duration_min=30, now=utc(2025, 5, 1, 12), holidays=public_holidays
    )
    assert labels(slots) == [
        "Fri 2 May, 09:00 for you in Chicago / 15:00 for Marta in London",
        "Tue 6 May, 09:00 for you in Chicago / 15:00 for Marta in London",
        "Wed 7 May, 09:00 for you in Chicago / 15:00 for Marta in London",
        "Thu 8 May, 09:00 for you in Chicago / 15:00 for Marta in London",
        "Fri 9 May, 09:00 for you in Chicago / 15:00 for Marta in London",
    ]


def test_nor_on_the_seekers_own_public_holiday() -> None:
    slots = propose_slots(
        host=MARTA, seeker=SAM, duration_min=30, now=utc(2024, 11, 25, 12), holidays=public_holidays
    )
    days = [slot.start.date() for slot in slots]
    assert days == [
        date(2024, 11, 26),
        date(2024, 11, 27),
        date(2024, 11, 29),  # Thanksgiving, the 28th, is skipped
        date(2024, 12, 2),
        date(2024, 12, 3),
    ]


def test_the_hour_shifts_in_the_weeks_when_only_europe_has_changed_its_clocks() -> None:
    slots = propose_slots(
        host=MARTA,
        seeker=SAM,
        duration_min=30,
        now=utc(2024, 10, 18, 12),
        horizon_days=20,
        count=13,
        holidays=public_holidays,
    )
    six_hours = "09:00 for you in Chicago / 15:00 for Marta in London"
    five_hours = "09:00 for you in Chicago / 14:00 for Marta in London"
    assert labels(slots) == [
        *(f"{day}, {six_hours}" for day in ("Mon 21 Oct", "Tue 22 Oct", "Wed 23 Oct")),
        *(f"{day}, {six_hours}" for day in ("Thu 24 Oct", "Fri 25 Oct")),
        *(f"{day}, {five_hours}" for day in ("Mon 28 Oct", "Tue 29 Oct", "Wed 30 Oct")),
        *(f"{day}, {five_hours}" for day in ("Thu 31 Oct", "Fri 1 Nov")),
        *(f"{day}, {six_hours}" for day in ("Mon 4 Nov", "Tue 5 Nov", "Wed 6 Nov")),
    ]


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (utc(2024, 3, 1, 12), "Mon 4 Mar, 09:00 for you in Chicago / 15:00 for Marta in London"),
        (utc(2024, 3, 8, 12), "Mon 11 Mar, 09:00 for you in Chicago / 14:00 for Marta in London"),
        (utc(2024, 3, 22, 12), "Mon 25 Mar, 09:00 for you in Chicago / 14:00 for Marta in London"),
        (utc(2024, 3, 29, 12), "Mon 1 Apr, 09:00 for you in Chicago / 15:00 for Marta in London"),
    ],
)
def test_the_spring_weeks_when_only_america_has_changed_its_clocks(
    now: datetime, expected: str
) -> None:
    slots = propose_slots(host=MARTA, seeker=SAM, duration_min=60, now=now, count=1)
    assert labels(slots) == [expected]


# --- Further east and west ---


def test_a_host_in_india_is_offered_times_on_their_own_half_hour() -> None:
    priya = Person("Priya", "Asia/Kolkata")
    you = Person("Ana", "Europe/London")
    slots = propose_slots(
        host=priya, seeker=you, duration_min=30, now=utc(2024, 11, 29, 12), count=2
    )
    assert labels(slots, seeker=you, host=priya) == [
        "Mon 2 Dec, 09:00 for you in London / 14:30 for Priya in Kolkata",
        "Tue 3 Dec, 09:00 for you in London / 14:30 for Priya in Kolkata",
    ]


def test_a_seeker_in_india_sees_their_own_half_hour_beside_the_hosts_time() -> None:
    you = Person("Ravi", "Asia/Kolkata")
    slots = propose_slots(
        host=MARTA, seeker=you, duration_min=45, now=utc(2024, 11, 29, 12), count=2
    )
    assert labels(slots, seeker=you) == [
        "Mon 2 Dec, 14:30 for you in Kolkata / 09:00 for Marta in London",
        "Tue 3 Dec, 14:30 for you in Kolkata / 09:00 for Marta in London",
    ]


def test_each_side_sees_its_own_date_when_they_differ() -> None:
    kenji = Person("Kenji", "Asia/Tokyo")
    you = Person("Lee", "America/Los_Angeles")
    slots = propose_slots(host=kenji, seeker=you, duration_min=30, now=utc(2024, 11, 29))
    # Kenji's Monday morning is Lee's Sunday afternoon, so the first slot is on his Tuesday.
    assert labels(slots, seeker=you, host=kenji) == [
        "Mon 2 Dec, 16:00 for you in Los Angeles / Tue 3 Dec, 09:00 for Kenji in Tokyo",
        "Tue 3 Dec, 16:00 for you in Los Angeles / Wed 4 Dec, 09:00 for Kenji in Tokyo",
        "Wed 4 Dec, 16:00 for you in Los Angeles / Thu 5 Dec, 09:00 for Kenji in Tokyo",
        "Thu 5 Dec, 16:00 for you in Los Angeles / Fri 6 Dec, 09:00 for Kenji in Tokyo",
        "Mon 9 Dec, 16:00 for you in Los Angeles / Tue 10 Dec, 09:00 for Kenji in Tokyo",
    ]


def test_a_seeker_free_only_at_weekends_gets_nothing_from_a_weekday_host() -> None:
    weekends = Person("Sam", "Europe/London", hours=Hours(weekdays=frozenset({5, 6})))
    slots = propose_slots(
        host=MARTA, seeker=weekends, duration_min=15, now=utc(2024, 11, 29), horizon_days=60
    )
    assert slots == []


# --- Spreading the offer ---


def test_slots_go_to_different_days_alternating_morning_and_afternoon() -> None:
    ana = Person("Ana", "Europe/London")
    slots = propose_slots(host=MARTA, seeker=ana, duration_min=30, now=utc(2024, 11, 29, 12))
    assert scheduling_lines(slots, seeker=ana, host=MARTA) == [
        "Mon 2 Dec, 09:00-09:30 (London time)",
        "Tue 3 Dec, 13:00-13:30 (London time)",
        "Wed 4 Dec, 09:00-09:30 (London time)",
        "Thu 5 Dec, 13:00-13:30 (London time)",
        "Fri 6 Dec, 09:00-09:30 (London time)",
    ]


def test_with_fewer_days_than_slots_a_day_gets_several_that_do_not_overlap() -> None:
    ana = Person("Ana", "Europe/London")
    slots = propose_slots(
        host=MARTA, seeker=ana, duration_min=60, now=utc(2024, 11, 29, 12), horizon_days=3, count=4
    )
    # The horizon ends at noon on Monday: three hours, three one-hour meetings.
    assert [slot.start for slot in slots] == [
        utc(2024, 12, 2, 9),
        utc(2024, 12, 2, 10),
        utc(2024, 12, 2, 11),
    ]


@pytest.mark.parametrize(("step_min", "first"), [(15, "10:15"), (20, "10:20"), (30, "10:30")])
def test_the_first_slot_waits_for_the_notice_then_the_next_step(step_min: int, first: str) -> None:
    ana = Person("Ana", "Europe/London")
    slots = propose_slots(
        host=MARTA, seeker=ana, duration_min=15, now=utc(2024, 12, 2, 10, 7), step_min=step_min
    )
    assert scheduling_lines(slots[:1], seeker=ana, host=MARTA) == [
        f"Tue 3 Dec, {first}-{add_minutes(first, 15)} (London time)"
    ]


def add_minutes(clock: str, minutes: int) -> str:
    hour, minute = map(int, clock.split(":"))
    total = hour * 60 + minute + minutes
    return f"{total // 60:02d}:{total % 60:02d}"


# --- Clock changes, with working hours in the small hours ---


def night_owl(start: time, end: time) -> Person:
    return Person("Nico", "America/New_York", hours=Hours(start, end, frozenset(range(7))))


def test_times_the_clock_skips_are_never_offered() -> None:
    host = night_owl(time(1, 0), time(4, 0))
    anyone = Person("Ana", "UTC", hours=ROUND_THE_CLOCK)
    slots = propose_slots(
        host=host,
        seeker=anyone,
        duration_min=30,
        now=utc(2024, 3, 10),
        horizon_days=1,
        earliest_notice_hours=0,
        count=10,
        step_min=30,
    )
    # 02:00-03:00 does not exist on 10 March; 01:30 would end as the clocks jump.
    assert scheduling_lines(slots, seeker=anyone, host=host) == [
        "Sun 10 Mar, 01:00-01:30 (New York time)",
        "Sun 10 Mar, 03:00-03:30 (New York time)",
        "Sun 10 Mar, 03:30-04:00 (New York time)",
    ]
    assert [slot.start for slot in slots] == [
        utc(2024, 3, 10, 6),
        utc(2024, 3, 10, 7),
        utc(2024, 3, 10, 7, 30),
    ]


def test_a_time_the_clock_shows_twice_is_offered_once_at_its_first_occurrence() -> None:
    host = night_owl(time(0, 30), time(3, 0))
    anyone = Person("Ana", "UTC", hours=ROUND_THE_CLOCK)
    slots = propose_slots(
        host=host,
        seeker=anyone,
        duration_min=30,
        now=utc(2024, 11, 3),
        horizon_days=1,
        earliest_notice_hours=0,
        count=10,
        step_min=30,
    )
    # 01:00-02:00 happens twice on 3 November: first at 05:00 UTC, then again at 06:00 UTC.
    assert [slot.start for slot in slots] == [
        utc(2024, 11, 3, 4, 30),
        utc(2024, 11, 3, 5),
        utc(2024, 11, 3, 7),
        utc(2024, 11, 3, 7, 30),
    ]
    assert scheduling_lines(slots, seeker=anyone, host=host) == [
        "Sun 3 Nov, 00:30-01:00 (New York time)",
        "Sun 3 Nov, 01:00-01:30 (New York time)",
        "Sun 3 Nov, 02:00-02:30 (New York time)",
        "Sun 3 Nov, 02:30-03:00 (New York time)",
    ]


# --- Refusals ---


@pytest.mark.parametrize("duration_min", [0, 10, 25, 90])
def test_it_refuses_a_length_the_product_does_not_propose(duration_min: int) -> None:
    with pytest.raises(ValueError, match="minutes"):
        propose_slots(host=MARTA, seeker=SAM, duration_min=duration_min, now=utc(2024, 12, 2))


@pytest.mark.parametrize("horizon_days", [0, -3])
def test_it_refuses_a_horizon_that_is_not_ahead(horizon_days: int) -> None:
    with pytest.raises(ValueError, match="horizon_days"):
        propose_slots(
            host=MARTA, seeker=SAM, duration_min=30, now=utc(2024, 12, 2), horizon_days=horizon_days
        )


def test_it_refuses_a_time_without_a_zone() -> None:
    with pytest.raises(ValueError, match="time zone"):
        propose_slots(host=MARTA, seeker=SAM, duration_min=30, now=datetime(2024, 12, 2, 9))
    with pytest.raises(ValueError, match="time zone"):
        Person("Sam", "America/Chicago", busy=((datetime(2024, 12, 2, 9), utc(2024, 12, 2, 10)),))


def test_it_refuses_an_unknown_zone_and_hours_that_end_before_they_start() -> None:
    with pytest.raises(ValueError, match="time zone"):
        Person("Sam", "Mars/Olympus_Mons")
    with pytest.raises(ValueError, match="end after"):
        Hours(time(17, 0), time(9, 0))


def test_the_default_hours_are_an_ordinary_office_day() -> None:
    assert Hours() == Hours(time(9, 0), time(17, 30), frozenset({0, 1, 2, 3, 4}))


# --- Properties, with real holiday calendars and zones that change their clocks ---

PLACES = [
    ("Europe/London", "GB"),
    ("America/Chicago", "US"),
    ("America/New_York", "US"),
    ("Europe/Berlin", "DE"),
    ("Australia/Sydney", "AU"),
    ("Australia/Lord_Howe", "AU"),  # moves its clocks by half an hour
    ("Pacific/Auckland", "NZ"),
    ("America/Santiago", "CL"),  # changes at midnight
    ("America/St_Johns", "CA"),  # a half-hour offset that also changes
    ("Asia/Beirut", "LB"),  # changes at midnight
    ("Asia/Kolkata", "IN"),
    ("Asia/Tokyo", "JP"),
]
ZONE_COUNTRY = dict(PLACES)
# Each zone's local date of a clock change (checked against the tz database by hand).
CLOCK_CHANGES = [
    ("America/New_York", date(2024, 3, 10)),
    ("America/New_York", date(2024, 11, 3)),
    ("America/Chicago", date(2025, 3, 9)),
    ("America/Chicago", date(2025, 11, 2)),
    ("Europe/London", date(2024, 3, 31)),
    ("Europe/London", date(2024, 10, 27)),
    ("Europe/Berlin", date(2025, 3, 30)),
    ("Europe/Berlin", date(2025, 10, 26)),
    ("Australia/Sydney", date(2024, 4, 7)),
    ("Australia/Sydney", date(2024, 10, 6)),
    ("Australia/Lord_Howe", date(2024, 4, 7)),
    ("Australia/Lord_Howe", date(2024, 10, 6)),
    ("Pacific/Auckland", date(2024, 4, 7)),
    ("Pacific/Auckland", date(2024, 9, 29)),
    ("America/Santiago", date(2024, 4, 6)),  # back from midnight to 23:00
    ("America/Santiago", date(2024, 9, 8)),  # midnight does not happen
    ("America/St_Johns", date(2024, 3, 10)),
    ("America/St_Johns", date(2024, 11, 3)),
    ("Asia/Beirut", date(2024, 3, 31)),
    ("Asia/Beirut", date(2024, 10, 27)),
]


@dataclass(frozen=True)
class Scenario:
    host: Person
    seeker: Person
    duration_min: int
    now: datetime
    horizon_days: int
    count: int
    buffer_min: int
    notice_hours: int
    step_min: int

    def propose(self) -> list[Slot]:
        return propose_slots(
            host=self.host,
            seeker=self.seeker,
            duration_min=self.duration_min,
            now=self.now,
            horizon_days=self.horizon_days,
            count=self.count,
            buffer_min=self.buffer_min,
            earliest_notice_hours=self.notice_hours,
            holidays=public_holidays,
            step_min=self.step_min,
        )

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_min)

    @property
    def first_start(self) -> datetime:
        return self.now + timedelta(hours=self.notice_hours)

    @property
    def last_end(self) -> datetime:
        return self.now + timedelta(days=self.horizon_days)


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    """Half ordinary fortnights, half a day or two around a clock change in one person's
    zone, with hours at any time of day or night, every day of the week."""
    around_a_change = draw(st.booleans())
    if around_a_change:
        changing_zone, day = draw(st.sampled_from(CLOCK_CHANGES))
        zones = [changing_zone] * 3 + list(ZONE_COUNTRY)
        earlier = timedelta(seconds=draw(st.integers(min_value=0, max_value=36 * 3600)))
        now = datetime.combine(day, time(), UTC) - earlier
        horizon_days = draw(st.integers(min_value=1, max_value=3))
    else:
        zones = list(ZONE_COUNTRY)
        now = draw(
            st.datetimes(
                min_value=datetime(2021, 1, 1),
                max_value=datetime(2028, 12, 31),
                timezones=st.just(UTC),
            )
        )
        horizon_days = draw(st.integers(min_value=1, max_value=12))
    return Scenario(
        host=draw(people("Host", zones, now, horizon_days, every_day=around_a_change)),
        seeker=draw(people("Seeker", zones, now, horizon_days, every_day=around_a_change)),
        duration_min=draw(st.sampled_from(DURATIONS)),
        now=now,
        horizon_days=horizon_days,
        count=draw(st.integers(min_value=0, max_value=8)),
        buffer_min=draw(st.sampled_from([0, 5, 15, 30])),
        notice_hours=draw(st.integers(min_value=0, max_value=12 if around_a_change else 48)),
        step_min=draw(st.sampled_from([15, 20, 30, 60])),
    )


@st.composite
def people(
    draw: st.DrawFn,
    name: str,
    zones: list[str],
    now: datetime,
    horizon_days: int,
    *,
    every_day: bool,
) -> Person:
    zone = draw(st.sampled_from(zones))
    country = draw(st.sampled_from([ZONE_COUNTRY[zone], ""]))
    busy = draw(st.lists(busy_times(now, horizon_days), max_size=8))
    return Person(name, zone, country, draw(working_hours(every_day=every_day)), tuple(busy))


@st.composite
def working_hours(draw: st.DrawFn, *, every_day: bool) -> Hours:
    if every_day and draw(st.booleans()):
        return ROUND_THE_CLOCK
    opens = draw(st.integers(min_value=0, max_value=23 * 60))
    closes = draw(st.integers(min_value=opens + 15, max_value=23 * 60 + 59))
    weekdays = frozenset(range(7))
    if not every_day:
        weekdays = draw(st.frozensets(st.integers(min_value=0, max_value=6), min_size=1))
    return Hours(clock(opens), clock(closes), weekdays)


def clock(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


@st.composite
def busy_times(draw: st.DrawFn, now: datetime, horizon_days: int) -> tuple[datetime, datetime]:
    """A busy time written in any zone, as a calendar feed might give it."""
    offset = timedelta(minutes=draw(st.integers(min_value=-120, max_value=horizon_days * 1440)))
    length = timedelta(minutes=draw(st.integers(min_value=0, max_value=240)))
    zone = ZoneInfo(draw(st.sampled_from(PLACES))[0])
    return (now + offset).astimezone(zone), (now + offset + length).astimezone(zone)


# The rules, written out independently of the code under test.


def fits(start: datetime, scenario: Scenario) -> bool:
    end = start + scenario.duration
    if start < scenario.first_start or end > scenario.last_end:
        return False
    sides = (scenario.host, scenario.seeker)
    return all(
        at_work(start, end, person) and is_clear(start, end, person, scenario) for person in sides
    )


def at_work(start: datetime, end: datetime, person: Person) -> bool:
    zone = ZoneInfo(person.zone)
    opens, closes = start.astimezone(zone), end.astimezone(zone)
    holidays = public_holidays(person.country, opens.year) if person.country else frozenset()
    return (
        opens.date() == closes.date()
        and person.hours.start <= opens.time()
        and closes.time() <= person.hours.end
        and opens.utcoffset() == closes.utcoffset()  # no clock change during the meeting
        and read_as_wall_time(opens) == start  # the first time the clock shows this
        and opens.weekday() in person.hours.weekdays
        and opens.date() not in holidays
    )


def read_as_wall_time(moment: datetime) -> datetime:
    """What a calendar makes of the bare local time: the first occurrence (RFC 5545)."""
    return moment.replace(fold=0).astimezone(UTC)


def is_clear(start: datetime, end: datetime, person: Person, scenario: Scenario) -> bool:
    buffer = timedelta(minutes=scenario.buffer_min)
    busy = [
        (busy_start.astimezone(UTC), busy_end.astimezone(UTC))
        for busy_start, busy_end in person.busy
    ]
    return all(
        end <= busy_start - buffer or start >= busy_end + buffer for busy_start, busy_end in busy
    )


def every_valid_start(scenario: Scenario) -> list[datetime]:
    """Brute force: every wall time on the host's grid, each way it can be read, that fits."""
    zone = ZoneInfo(scenario.host.zone)
    day = scenario.first_start.astimezone(zone).date() - timedelta(days=1)
    last_day = scenario.last_end.astimezone(zone).date() + timedelta(days=1)
    starts = set()
    while day <= last_day:
        for minute in range(0, 24 * 60, scenario.step_min):
            wall = datetime.combine(day, time()) + timedelta(minutes=minute)
            for fold in (0, 1):
                start = wall.replace(tzinfo=zone, fold=fold).astimezone(UTC)
                real = start.astimezone(zone).replace(tzinfo=None) == wall
                if real and fits(start, scenario):
                    starts.add(start)
        day += timedelta(days=1)
    return sorted(starts)


def host_day(start: datetime, scenario: Scenario) -> date:
    return start.astimezone(ZoneInfo(scenario.host.zone)).date()


def minutes_from_midnight(moment: datetime) -> int:
    return moment.hour * 60 + moment.minute


PROPERTY_SETTINGS = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY_SETTINGS
@given(scenario=scenarios())
def test_every_slot_keeps_every_rule(scenario: Scenario) -> None:
    slots = scenario.propose()
    assert len(slots) <= scenario.count
    assert [slot.start for slot in slots] == sorted({slot.start for slot in slots})
    assert all(earlier.end <= later.start for earlier, later in pairwise(slots))
    host_zone = ZoneInfo(scenario.host.zone)
    for slot in slots:
        assert slot.start.utcoffset() == timedelta(0)
        assert slot.end - slot.start == scenario.duration
        assert fits(slot.start, scenario)
        on_host_clock = slot.start.astimezone(host_zone)
        assert on_host_clock.second == on_host_clock.microsecond == 0
        assert minutes_from_midnight(on_host_clock) % scenario.step_min == 0
        for person in (scenario.host, scenario.seeker):
            assert inside_hours_minute_by_minute(slot, person)


def inside_hours_minute_by_minute(slot: Slot, person: Person) -> bool:
    zone = ZoneInfo(person.zone)
    first = slot.start.astimezone(zone)
    minutes = int((slot.end - slot.start).total_seconds() // 60)
    for minute in range(minutes):
        wall = (slot.start + timedelta(minutes=minute)).astimezone(zone)
        if wall.date() != first.date() or not person.hours.start <= wall.time() < person.hours.end:
            return False
    return True


@PROPERTY_SETTINGS
@given(scenario=scenarios())
def test_the_earliest_days_that_have_room_are_all_offered(scenario: Scenario) -> None:
    slots = scenario.propose()
    valid = every_valid_start(scenario)
    assert {slot.start for slot in slots} <= set(valid)
    days_with_room = sorted({host_day(start, scenario) for start in valid})
    offered_days = sorted({host_day(slot.start, scenario) for slot in slots})
    assert offered_days == days_with_room[: scenario.count]
    if slots:
        assert slots[0].start == valid[0]


@PROPERTY_SETTINGS
@given(scenario=scenarios())
def test_the_same_question_gets_the_same_answer(scenario: Scenario) -> None:
    assert scenario.propose() == scenario.propose()


@PROPERTY_SETTINGS
@given(scenario=scenarios())
def test_the_hosts_lines_read_the_meetings_length_on_their_clock(scenario: Scenario) -> None:
    slots = scenario.propose()
    lines = scheduling_lines(slots, seeker=scenario.seeker, host=scenario.host)
    city = scenario.host.zone.rsplit("/", 1)[-1].replace("_", " ")
    for line in lines:
        found = re.fullmatch(
            r"\w{3} \d{1,2} \w{3}, (\d\d):(\d\d)-(\d\d):(\d\d) \((.+) time\)", line
        )
        assert found is not None, line
        start_h, start_m, end_h, end_m, shown_city = found.groups()
        length = (int(end_h) * 60 + int(end_m)) - (int(start_h) * 60 + int(start_m))
        assert length == scenario.duration_min
        assert shown_city == city
