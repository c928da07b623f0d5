"""Property tests for the time arithmetic of scheduling: a time typed on either clock, and
the slots offered from a real profile and contact in any pair of zones, any time of year."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rapport.accounts.models import User
from rapport.meetings import scheduling
from rapport.meetings.forms import on_the_clock
from tests.factories import ContactFactory

ZONES = [
    "Europe/London", "America/Chicago", "Australia/Sydney", "Asia/Kolkata",
    "America/St_Johns", "Pacific/Auckland", "UTC",
]  # fmt: skip
whole_minutes = st.builds(time, st.integers(0, 23), st.integers(0, 59))


@given(
    day=st.dates(date(2024, 1, 1), date(2032, 12, 31)),
    at=whole_minutes,
    zone=st.sampled_from(ZONES),
)
def test_a_typed_time_is_that_wall_time_in_that_zone_or_refused_when_skipped(
    day: date, at: time, zone: str
) -> None:
    tz = ZoneInfo(zone)
    moment = on_the_clock(day, at, tz)
    naive = datetime.combine(day, at)
    if moment is None:
        # Skipped: reading the wall time and back lands on another wall time.
        read = naive.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)
        assert read.replace(tzinfo=None) != naive
        return
    assert moment.utcoffset() is not None
    assert moment.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == naive
    # When the clock shows it twice, it is the first time (the one calendars read).
    second = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    assert moment.astimezone(UTC) <= second


@pytest.mark.django_db
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    now=st.datetimes(datetime(2026, 1, 1), datetime(2027, 12, 31), timezones=st.just(UTC)),
    seeker_zone=st.sampled_from(ZONES),
    host_zone=st.sampled_from(ZONES),
    free_from=st.integers(0, 20),
    length=st.sampled_from([15, 20, 30, 45, 60]),
)
def test_every_slot_offered_is_inside_both_peoples_hours_on_their_own_clocks(
    alice: User, now: datetime, seeker_zone: str, host_zone: str, free_from: int, length: int
) -> None:
    profile = alice.profile
    profile.time_zone, profile.country = seeker_zone, "GB"
    profile.free_from, profile.free_until = time(free_from), time(free_from + 3, 30)
    profile.free_weekdays = [0, 1, 2, 3, 4, 5]
    profile.save()
    contact = ContactFactory(owner=alice, time_zone=host_zone, country="US")
    offer = scheduling.slot_offer(
        owner=alice, contact=contact, duration_min=length, horizon_days=21, now=now
    )
    assert offer.slots or offer.why_none
    for slot in offer.slots:
        assert slot.start.astimezone(UTC) >= now + timedelta(hours=24)
        assert slot.end - slot.start == timedelta(minutes=length)
        theirs = (
            slot.start.astimezone(ZoneInfo(host_zone)),
            slot.end.astimezone(ZoneInfo(host_zone)),
        )
        yours = (
            slot.start.astimezone(ZoneInfo(seeker_zone)),
            slot.end.astimezone(ZoneInfo(seeker_zone)),
        )
        assert time(9) <= theirs[0].time()
        assert theirs[1].time() <= time(17, 30)
        assert theirs[0].date() == theirs[1].date()
        assert theirs[0].weekday() < 5
        assert time(free_from) <= yours[0].time()
        assert yours[1].time() <= time(free_from + 3, 30)
        assert yours[0].date() == yours[1].date()
        assert yours[0].weekday() < 6
