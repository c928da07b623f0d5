"""The day of the meeting (PLAYBOOK.md section 9): leaving, dressing, bringing, paying and
keeping time."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.playbook.day import (
    FORMALITIES,
    IN_PERSON_MODES,
    MODES,
    REMOTE_MODES,
    DayRule,
    arrive_by,
    attire,
    guidance,
    leave_by,
    time_cues,
    what_to_bring,
    who_pays,
)

PLAYBOOK = Path(__file__).resolve().parents[3] / "shared" / "PLAYBOOK.md"
LONDON = ZoneInfo("Europe/London")
TWO_PM = datetime(2025, 6, 10, 14, 0, tzinfo=UTC)


def _at(hour: int, minute: int) -> datetime:
    return datetime(2025, 6, 10, hour, minute, tzinfo=UTC)


def test_the_rule_ids_are_the_playbooks() -> None:
    section = PLAYBOOK.read_text(encoding="utf-8").split("## 9.", 1)[1].split("\n## ", 1)[0]
    assert set(re.findall(r"`(day\.[\w-]+)`", section)) == {rule.value for rule in DayRule}


@pytest.mark.parametrize("rule", DayRule)
def test_every_rule_has_a_title_and_a_reason(rule: DayRule) -> None:
    words = guidance(rule)
    assert words.title
    assert words.why.endswith(".")


# --- leaving and arriving -----------------------------------------------------------------


@pytest.mark.parametrize("mode", ["office", "cafe"])
def test_leave_in_time_to_arrive_ten_minutes_early(mode: str) -> None:
    assert leave_by(TWO_PM, 30, mode=mode) == _at(13, 20)


def test_with_no_travel_leave_when_you_should_arrive() -> None:
    assert leave_by(TWO_PM, 0, mode="office") == _at(13, 50)
    assert arrive_by(TWO_PM, "office") == _at(13, 50)


def test_another_place_counts_as_in_person_when_there_is_travel() -> None:
    assert leave_by(TWO_PM, 20, mode="other") == _at(13, 30)
    assert leave_by(TWO_PM, 0, mode="other") is None


@pytest.mark.parametrize("mode", ["video", "phone"])
def test_calls_have_nowhere_to_leave_for(mode: str) -> None:
    assert leave_by(TWO_PM, 30, mode=mode) is None
    assert arrive_by(TWO_PM, mode) is None


def test_never_plan_to_arrive_more_than_fifteen_minutes_early() -> None:
    assert leave_by(TWO_PM, 30, mode="office", early_min=30) == _at(13, 15)
    assert arrive_by(TWO_PM, "cafe", early_min=45) == _at(13, 45)


def test_never_plan_to_arrive_less_than_five_minutes_early() -> None:
    assert leave_by(TWO_PM, 30, mode="office", early_min=0) == _at(13, 25)


def test_a_personal_buffer_inside_the_limits_is_kept() -> None:
    assert leave_by(TWO_PM, 30, mode="cafe", early_min=12) == _at(13, 18)


def test_leaving_across_the_clocks_going_forward_counts_real_minutes() -> None:
    # 02:30 BST on 30 March 2025 is 01:30 UTC; 55 minutes earlier is 00:35, still GMT.
    start = datetime(2025, 3, 30, 2, 30, tzinfo=LONDON)
    leave = leave_by(start, 45, mode="office")
    assert leave is not None
    assert (leave.hour, leave.minute, leave.utcoffset()) == (0, 35, timedelta(0))
    assert leave.tzinfo is LONDON


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        leave_by(datetime(2025, 6, 10, 14, 0), 30, mode="office")
    with pytest.raises(ValueError, match="unknown meeting mode 'zoom'"):
        leave_by(TWO_PM, 30, mode="zoom")
    with pytest.raises(ValueError, match="negative"):
        leave_by(TWO_PM, -5, mode="office")


zones = st.sampled_from([UTC, LONDON, ZoneInfo("America/New_York"), ZoneInfo("Asia/Kathmandu")])
starts = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2100, 1, 1),
    timezones=zones,
    allow_imaginary=False,
)


def _minutes_between(earlier: datetime, later: datetime) -> float:
    # Subtracting two times in one zone is wall-clock; through UTC it is real time.
    return (later.astimezone(UTC) - earlier.astimezone(UTC)).total_seconds() / 60


@given(
    starts,
    st.integers(0, 300),
    st.sampled_from([*IN_PERSON_MODES, "other"]),
    st.none() | st.integers(-60, 120),
)
def test_in_person_you_arrive_five_to_fifteen_minutes_early(
    start: datetime, travel: int, mode: str, early: int | None
) -> None:
    travel = max(travel, 1) if mode == "other" else travel
    leave = leave_by(start, travel, mode=mode, early_min=early)
    assert leave is not None
    early_by = _minutes_between(leave, start) - travel
    assert 5 <= early_by <= 15
    if early is None:
        assert early_by == 10


@given(starts, st.integers(0, 300), st.sampled_from(REMOTE_MODES))
def test_calls_never_get_a_leave_by(start: datetime, travel: int, mode: str) -> None:
    assert leave_by(start, travel, mode=mode) is None


# --- what to wear -------------------------------------------------------------------------


@pytest.mark.parametrize("formality", FORMALITIES)
@pytest.mark.parametrize("mode", MODES)
def test_there_is_attire_advice_for_every_level_and_setting(formality: str, mode: str) -> None:
    assert len(attire(formality, mode)) > 40


def test_business_casual_is_the_safe_choice_in_an_office() -> None:
    advice = attire("business_casual", "office")
    assert advice.startswith("Business casual is the safe choice")
    assert "no rips or stains" in advice


def test_each_level_of_dress_reads_differently() -> None:
    assert len({attire(level, "office") for level in FORMALITIES}) == len(FORMALITIES)
    assert "suit" in attire("business", "office")


def test_on_video_it_is_about_what_shows_on_camera() -> None:
    advice = attire("business", "video")
    assert "camera" in advice
    assert "suit" in advice


def test_on_the_phone_nobody_sees_you() -> None:
    advice = attire("business", "phone")
    assert "Nobody sees you" in advice
    assert "suit" not in advice


def test_an_unknown_level_of_dress_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown formality 'black_tie'"):
        attire("black_tie", "office")


# --- what to bring and who pays -----------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_the_playbooks_four_things_come_first_everywhere(mode: str) -> None:
    first_four = what_to_bring(mode)[:4]
    for thing, item in zip(
        ["question list", "notebook and pen", "watch", "research notes"], first_four, strict=True
    ):
        assert thing in item


def test_the_setting_adds_what_it_needs() -> None:
    assert "A way to pay for both of you" in what_to_bring("cafe")
    assert any("call link" in item for item in what_to_bring("video"))
    assert any("reception" in item for item in what_to_bring("office"))
    assert len(what_to_bring("phone")) == 6


def test_at_a_cafe_the_seeker_offers_to_pay_or_brings_a_thank_you() -> None:
    offer = who_pays("cafe")
    assert offer is not None
    assert offer.startswith("Offer to pay")
    assert "small thank-you" in offer


@pytest.mark.parametrize("mode", ["office", "video", "phone", "other"])
def test_elsewhere_there_is_nothing_to_pay(mode: str) -> None:
    assert who_pays(mode) is None


# --- keeping time -------------------------------------------------------------------------


def test_the_five_and_one_minute_warnings() -> None:
    cues = time_cues(_at(10, 0), 30)
    assert [when for when, _ in cues] == [_at(10, 25), _at(10, 29)]
    assert cues[0][1].startswith("5 minutes left: ask your most important remaining question")
    assert cues[1][1].startswith("1 minute left: thank them")


def test_a_five_minute_call_only_gets_the_last_warning() -> None:
    assert [when for when, _ in time_cues(_at(10, 0), 5)] == [_at(10, 4)]


def test_a_one_minute_slot_gets_no_warnings() -> None:
    assert time_cues(_at(10, 0), 1) == []


def test_a_meeting_needs_a_length() -> None:
    with pytest.raises(ValueError, match="positive"):
        time_cues(_at(10, 0), 0)


@given(starts, st.integers(1, 180))
def test_warnings_fall_inside_the_meeting_in_order(start: datetime, duration: int) -> None:
    cues = time_cues(start, duration)
    offsets = [_minutes_between(start, when) for when, _ in cues]
    assert offsets == sorted(offsets)
    assert all(0 < offset < duration for offset in offsets)
    assert all("{" not in text for _, text in cues)
    assert [duration - offset for offset in offsets] == [m for m in (5, 1) if m < duration]
