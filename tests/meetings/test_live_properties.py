"""Property tests for the meeting clock: the time left, the cues and the thank-you
deadline, in any zone and across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from rapport.meetings.day_views import thanks_deadline
from rapport.meetings.live import countdown
from rapport.meetings.models import Meeting

ZONES = st.sampled_from(
    ["UTC", "Europe/London", "America/Chicago", "Australia/Sydney", "Asia/Kolkata"]
)
MOMENTS = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31), timezones=ZONES.map(ZoneInfo)
)


@given(start=MOMENTS, duration_min=st.integers(5, 180), offset_s=st.integers(-7200, 4 * 3600))
def test_the_time_left_never_exceeds_the_length_and_runs_down_in_real_time(
    start: datetime, duration_min: int, offset_s: int
) -> None:
    meeting = Meeting(start=start, duration_min=duration_min)
    now = start + timedelta(seconds=offset_s)
    clock = countdown(meeting, now)
    assert clock is not None
    # Real elapsed time, whatever the clocks on the wall did meanwhile.
    real_end = start.astimezone(UTC) + timedelta(minutes=duration_min)
    assert clock.ends_at == real_end
    expected = min(duration_min * 60, max(0, (real_end - now.astimezone(UTC)).total_seconds()))
    assert clock.seconds_left == int(expected)


@given(start=MOMENTS, duration_min=st.integers(5, 180), offset_s=st.integers(0, 180 * 60))
def test_cues_fall_inside_the_meeting_and_the_shown_one_is_due(
    start: datetime, duration_min: int, offset_s: int
) -> None:
    clock = countdown(
        Meeting(start=start, duration_min=duration_min), start + timedelta(seconds=offset_s)
    )
    assert clock is not None
    times = [at for at, _ in clock.cues]
    assert times == sorted(times)
    assert all(clock.starts_at < at < clock.ends_at for at in times)
    if clock.cue:
        due = [text for at, text in clock.cues if at <= clock.now]
        assert clock.cue == due[-1]
        assert clock.now < clock.ends_at


@given(ended_at=MOMENTS)
def test_the_thank_you_is_due_a_real_day_after_the_end(ended_at: datetime) -> None:
    deadline = thanks_deadline(ended_at)
    assert deadline.astimezone(UTC) - ended_at.astimezone(UTC) == timedelta(hours=24)
