"""The Today list: follow-ups, a second person, no reply, thanks and updates.

Expected dates in the example tests are counted by hand on a calendar; November 2026
starts on a Sunday (Tue 3 Nov, Thu 12 Nov, Mon 16 Nov ...).
"""

from __future__ import annotations

import random
from collections.abc import Collection
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rapport.lib.holidays import holidays_between, public_holidays
from rapport.playbook.cadence import (
    Action,
    ActionKind,
    ContactHistory,
    MeetingFacts,
    Policy,
    Thread,
    due_actions,
    followup_allowed,
    next_business_morning,
)
from rapport.playbook.calendar import business_days_between, is_business_day
from rapport.playbook.stages import Stage

POLICY = Policy()
TWO_NUDGES = Policy(max_nudges=2)


def at(
    year: int, month: int, day: int, hour: int = 10, minute: int = 0, zone: str = "UTC"
) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(zone))


def no_holidays(country: str, year: int) -> Collection[date]:
    return ()


def requested(
    *threads: Thread,
    contact_id: int = 7,
    company_id: int | None = None,
    stage: str = Stage.REQUESTED,
    country: str = "",
    time_zone: str = "",
) -> ContactHistory:
    return ContactHistory(
        contact_id=contact_id,
        company_id=company_id,
        stage=stage,
        country=country,
        time_zone=time_zone,
        threads=threads,
    )


def met(
    *meetings: MeetingFacts,
    last_interaction: datetime | None = None,
    stage: str = Stage.MET,
    keep_in_touch_weeks: int | None = None,
    time_zone: str = "",
) -> ContactHistory:
    return ContactHistory(
        contact_id=7,
        company_id=3,
        stage=stage,
        time_zone=time_zone,
        keep_in_touch_weeks=keep_in_touch_weeks,
        meetings=meetings,
        last_interaction=last_interaction,
    )


def kinds(actions: list[Action]) -> list[ActionKind]:
    return [action.kind for action in actions]


def only(actions: list[Action], kind: ActionKind) -> Action:
    matching = [action for action in actions if action.kind == kind]
    assert len(matching) == 1, actions
    return matching[0]


REQUEST_TUE_3_NOV = Thread(request_id=41, sent_at=at(2026, 11, 3))


# --- Following up ---


def test_a_request_without_reply_is_nudged_seven_business_days_later() -> None:
    actions = due_actions([requested(REQUEST_TUE_3_NOV)], policy=POLICY, now=at(2026, 11, 12, 8))
    nudge = only(actions, ActionKind.FOLLOW_UP)
    assert nudge.due == date(2026, 11, 12)
    assert nudge.due_at == datetime(2026, 11, 12, 9, tzinfo=UTC)
    assert nudge.key == "follow_up:request:41:1"
    assert nudge.nudge_number == 1
    assert nudge.request_id == 41
    assert nudge.contact_id == 7
    assert "7 business days" in nudge.reason
    assert "request of Tue 3 Nov" in nudge.reason


def test_no_nudge_is_due_the_day_before() -> None:
    late_evening = at(2026, 11, 11, 23, 59)
    assert due_actions([requested(REQUEST_TUE_3_NOV)], policy=POLICY, now=late_evening) == []


def test_the_horizon_shows_a_nudge_coming_up() -> None:
    monday = at(2026, 11, 9)
    history = [requested(REQUEST_TUE_3_NOV)]
    assert due_actions(history, policy=POLICY, now=monday, horizon_days=2) == []
    coming = due_actions(history, policy=POLICY, now=monday, horizon_days=3)
    assert only(coming, ActionKind.FOLLOW_UP).due == date(2026, 11, 12)


def test_a_second_nudge_waits_seven_business_days_after_the_first() -> None:
    thread = Thread(request_id=41, sent_at=at(2026, 11, 3), follow_ups=(at(2026, 11, 12),))
    actions = due_actions([requested(thread)], policy=TWO_NUDGES, now=at(2026, 11, 23))
    nudge = only(actions, ActionKind.FOLLOW_UP)
    assert nudge.due == date(2026, 11, 23)
    assert nudge.nudge_number == 2
    assert nudge.key == "follow_up:request:41:2"
    assert "follow-up of Thu 12 Nov" in nudge.reason
    assert due_actions([requested(thread)], policy=TWO_NUDGES, now=at(2026, 11, 20)) == []


def test_the_latest_follow_up_counts_whatever_order_they_are_given_in() -> None:
    thread = Thread(
        request_id=41,
        sent_at=at(2026, 11, 3),
        follow_ups=(at(2026, 11, 23), at(2026, 11, 12)),
    )
    policy = Policy(max_nudges=2)
    actions = due_actions([requested(thread)], policy=policy, now=at(2026, 12, 2))
    stop = only(actions, ActionKind.NO_REPLY)
    assert stop.due == date(2026, 12, 2)  # seven business days after Mon 23 Nov


def test_with_the_nudges_used_up_the_advice_is_to_mark_no_reply() -> None:
    thread = Thread(request_id=41, sent_at=at(2026, 11, 3), follow_ups=(at(2026, 11, 12),))
    actions = due_actions([requested(thread)], policy=POLICY, now=at(2026, 11, 23))
    assert kinds(actions) == [ActionKind.NO_REPLY]
    stop = actions[0]
    assert stop.due == date(2026, 11, 23)
    assert stop.key == "no_reply:request:41"
    assert stop.nudge_number == 0
    assert "no reply" in stop.reason
    assert "follow-up of Thu 12 Nov" in stop.reason


def test_nothing_is_suggested_while_waiting_after_the_last_nudge() -> None:
    thread = Thread(request_id=41, sent_at=at(2026, 11, 3), follow_ups=(at(2026, 11, 12),))
    assert due_actions([requested(thread)], policy=POLICY, now=at(2026, 11, 22)) == []


def test_a_reply_of_any_kind_stops_every_nudge() -> None:
    replied = Thread(request_id=41, sent_at=at(2026, 11, 3), replied_at=at(2026, 11, 4))
    after_a_nudge = Thread(
        request_id=42,
        sent_at=at(2026, 11, 3),
        follow_ups=(at(2026, 11, 12),),
        replied_at=at(2026, 11, 13),
    )
    history = requested(replied, after_a_nudge, company_id=5)
    assert due_actions([history], policy=TWO_NUDGES, now=at(2027, 3, 1)) == []


def test_each_open_request_to_a_contact_is_followed_on_its_own() -> None:
    first = Thread(request_id=41, sent_at=at(2026, 11, 3))
    second = Thread(request_id=42, sent_at=at(2026, 11, 5))
    actions = due_actions([requested(first, second)], policy=POLICY, now=at(2026, 11, 16))
    assert [(a.key, a.due) for a in actions] == [
        ("follow_up:request:41:1", date(2026, 11, 12)),
        ("follow_up:request:42:1", date(2026, 11, 16)),
    ]


@pytest.mark.parametrize("stage", [Stage.DECLINED, Stage.NO_REPLY, Stage.ARCHIVED])
def test_ended_contacts_get_no_actions_at_all(stage: Stage) -> None:
    history = ContactHistory(
        contact_id=7,
        company_id=5,
        stage=stage,
        threads=(REQUEST_TUE_3_NOV,),
        meetings=(MeetingFacts(meeting_id=9, end=at(2026, 11, 10), thanked=False),),
        last_interaction=at(2026, 11, 10),
    )
    assert due_actions([history], policy=POLICY, now=at(2027, 6, 1), horizon_days=30) == []


def test_a_contact_with_a_meeting_arranged_is_not_nudged_about_the_request() -> None:
    history = ContactHistory(
        contact_id=7,
        company_id=5,
        stage=Stage.SCHEDULED,
        threads=(REQUEST_TUE_3_NOV,),
        meetings=(MeetingFacts(meeting_id=9, end=at(2026, 11, 20), thanked=False),),
    )
    actions = due_actions([history], policy=POLICY, now=at(2026, 11, 20, 12))
    assert kinds(actions) == [ActionKind.THANKS]


# --- Holidays, countries and time zones ---


def test_christmas_and_boxing_day_push_a_british_nudge_back() -> None:
    thread = Thread(request_id=41, sent_at=at(2026, 12, 18, zone="Europe/London"))
    history = requested(thread, country="GB", time_zone="Europe/London")
    now = at(2026, 12, 31, 9, zone="Europe/London")
    actions = due_actions([history], policy=POLICY, now=now, holidays=public_holidays)
    assert only(actions, ActionKind.FOLLOW_UP).due == date(2026, 12, 31)
    without = due_actions([history], policy=POLICY, now=now)
    assert only(without, ActionKind.FOLLOW_UP).due == date(2026, 12, 29)


def test_holidays_of_the_next_year_count_too() -> None:
    thread = Thread(request_id=41, sent_at=at(2026, 12, 24, zone="Europe/London"))
    history = requested(thread, country="GB", time_zone="Europe/London")
    now = at(2027, 1, 7, zone="Europe/London")
    actions = due_actions([history], policy=POLICY, now=now, holidays=public_holidays)
    nudge = only(actions, ActionKind.FOLLOW_UP)
    assert nudge.due == date(2027, 1, 7)  # 25 and 28 Dec, and 1 Jan, are bank holidays
    assert "request of Thu 24 Dec 2026" in nudge.reason


def test_holidays_are_looked_up_for_every_year_the_wait_spans() -> None:
    # An odd calendar on purpose: all of 2027 off, and Mon 3 Jan 2028 too.
    def calendar(country: str, year: int) -> Collection[date]:
        if year == 2027:
            return {date(2027, 1, 1) + timedelta(days=n) for n in range(365)}
        return {date(2028, 1, 3)} if year == 2028 else ()

    history = requested(Thread(request_id=41, sent_at=at(2026, 12, 24)), country="ZZ")
    actions = due_actions([history], policy=POLICY, now=at(2028, 1, 5), holidays=calendar)
    assert only(actions, ActionKind.FOLLOW_UP).due == date(2028, 1, 5)


def test_the_fourth_of_july_observed_on_friday_pushes_an_american_nudge() -> None:
    thread = Thread(request_id=41, sent_at=at(2026, 6, 29, zone="America/New_York"))
    history = requested(thread, country="US", time_zone="America/New_York")
    now = at(2026, 7, 9, 12, zone="America/New_York")
    actions = due_actions([history], policy=POLICY, now=now, holidays=public_holidays)
    nudge = only(actions, ActionKind.FOLLOW_UP)
    assert nudge.due == date(2026, 7, 9)
    assert nudge.due_at == datetime(2026, 7, 9, 13, tzinfo=UTC)  # 09:00 EDT


def test_the_contacts_country_wins_over_the_seekers() -> None:
    # Wed 11 Nov 2026 is Veterans Day in the US, a working day in Britain.
    american = requested(REQUEST_TUE_3_NOV, contact_id=1)
    british = requested(Thread(request_id=42, sent_at=at(2026, 11, 3)), contact_id=2, country="gb")
    actions = due_actions(
        [american, british],
        policy=POLICY,
        now=at(2026, 11, 13),
        seeker_country="US",
        holidays=public_holidays,
    )
    assert [(a.contact_id, a.due) for a in actions] == [
        (2, date(2026, 11, 12)),
        (1, date(2026, 11, 13)),
    ]


def test_holidays_are_looked_up_for_the_recipients_country_only() -> None:
    asked: list[tuple[str, int]] = []

    def calendar(country: str, year: int) -> Collection[date]:
        asked.append((country, year))
        return {date(2026, 11, 4)} if country == "FR" else ()

    history = requested(REQUEST_TUE_3_NOV, country="fr")
    actions = due_actions([history], policy=POLICY, now=at(2026, 11, 13), holidays=calendar)
    assert only(actions, ActionKind.FOLLOW_UP).due == date(2026, 11, 13)
    assert {country for country, _ in asked} == {"FR"}


def test_tokyo_and_los_angeles_each_count_from_their_own_date() -> None:
    # 23:30 UTC on Thu 5 Nov is Friday morning in Tokyo and Thursday afternoon in Los Angeles.
    sent = at(2026, 11, 5, 23, 30)
    tokyo = requested(Thread(41, sent), contact_id=1, time_zone="Asia/Tokyo")
    los_angeles = requested(Thread(42, sent), contact_id=2, time_zone="America/Los_Angeles")
    later = due_actions([tokyo, los_angeles], policy=POLICY, now=at(2026, 11, 16, 18))
    assert [(a.contact_id, a.due, a.due_at) for a in later] == [
        (2, date(2026, 11, 16), datetime(2026, 11, 16, 17, tzinfo=UTC)),  # 09:00 PST
        (1, date(2026, 11, 17), datetime(2026, 11, 17, 0, tzinfo=UTC)),  # 09:00 JST
    ]
    # At noon UTC it is Monday 21:00 in Tokyo: not yet due there, already due in Los Angeles.
    noon = due_actions([tokyo, los_angeles], policy=POLICY, now=at(2026, 11, 16, 12))
    assert [a.contact_id for a in noon] == [2]


def test_an_unknown_contact_zone_falls_back_to_the_seekers() -> None:
    sent = at(2026, 11, 5, 23, 30)
    history = requested(Thread(41, sent), time_zone="Mars/Olympus_Mons")
    actions = due_actions(
        [history], policy=POLICY, now=at(2026, 11, 17, 3), seeker_zone="Asia/Tokyo"
    )
    assert only(actions, ActionKind.FOLLOW_UP).due == date(2026, 11, 17)


def test_an_unknown_seeker_zone_counts_as_utc() -> None:
    actions = due_actions(
        [requested(REQUEST_TUE_3_NOV)], policy=POLICY, now=at(2026, 11, 12), seeker_zone="Nowhere"
    )
    assert only(actions, ActionKind.FOLLOW_UP).due_at == datetime(2026, 11, 12, 9, tzinfo=UTC)


# --- A second person at the same employer ---


def test_after_three_business_days_try_a_second_person_at_the_employer() -> None:
    history = requested(REQUEST_TUE_3_NOV, company_id=5)
    actions = due_actions([history], policy=POLICY, now=at(2026, 11, 6))
    suggestion = only(actions, ActionKind.SECOND_PERSON)
    assert suggestion.due == date(2026, 11, 6)
    assert suggestion.key == "second_person:request:41"
    assert suggestion.company_id == 5
    assert suggestion.request_id == 41
    assert "3 business days" in suggestion.reason
    assert "Tue 3 Nov" in suggestion.reason
    assert due_actions([history], policy=POLICY, now=at(2026, 11, 5, 23)) == []


def test_the_second_person_suggestion_stays_while_nudges_go_on() -> None:
    thread = Thread(request_id=41, sent_at=at(2026, 11, 3), follow_ups=(at(2026, 11, 12),))
    history = requested(thread, company_id=5)
    actions = due_actions([history], policy=POLICY, now=at(2026, 11, 23))
    assert set(kinds(actions)) == {ActionKind.SECOND_PERSON, ActionKind.NO_REPLY}


def test_no_second_person_when_someone_else_there_was_asked_since() -> None:
    first = requested(REQUEST_TUE_3_NOV, contact_id=1, company_id=5)
    colleague = requested(
        Thread(request_id=50, sent_at=at(2026, 11, 4)), contact_id=2, company_id=5
    )
    actions = due_actions([first, colleague], policy=POLICY, now=at(2026, 11, 9))
    suggestions = [a for a in actions if a.kind == ActionKind.SECOND_PERSON]
    assert [(a.contact_id, a.key) for a in suggestions] == [(2, "second_person:request:50")]


def test_a_colleagues_latest_request_is_what_counts() -> None:
    first = requested(REQUEST_TUE_3_NOV, contact_id=1, company_id=5)
    colleague = requested(
        Thread(request_id=50, sent_at=at(2026, 10, 1)),
        Thread(request_id=51, sent_at=at(2026, 11, 4)),
        contact_id=2,
        company_id=5,
    )
    actions = due_actions([first, colleague], policy=POLICY, now=at(2026, 11, 9))
    suggestions = [a for a in actions if a.kind == ActionKind.SECOND_PERSON]
    assert [a.contact_id for a in suggestions] == [2]


def test_asking_two_people_at_once_counts_as_already_trying_a_second() -> None:
    one = requested(REQUEST_TUE_3_NOV, contact_id=1, company_id=5)
    other = requested(Thread(request_id=50, sent_at=at(2026, 11, 3)), contact_id=2, company_id=5)
    actions = due_actions([one, other], policy=POLICY, now=at(2026, 11, 9))
    assert ActionKind.SECOND_PERSON not in kinds(actions)


def test_a_colleague_who_has_since_declined_still_counts_as_tried() -> None:
    first = requested(REQUEST_TUE_3_NOV, contact_id=1, company_id=5)
    colleague = requested(
        Thread(request_id=50, sent_at=at(2026, 11, 4), replied_at=at(2026, 11, 5)),
        contact_id=2,
        company_id=5,
        stage=Stage.DECLINED,
    )
    actions = due_actions([first, colleague], policy=POLICY, now=at(2026, 11, 9))
    assert ActionKind.SECOND_PERSON not in kinds(actions)


def test_only_one_second_person_suggestion_per_employer() -> None:
    history = requested(
        REQUEST_TUE_3_NOV, Thread(request_id=42, sent_at=at(2026, 11, 5)), company_id=5
    )
    actions = due_actions([history], policy=POLICY, now=at(2026, 11, 20))
    suggestion = only(actions, ActionKind.SECOND_PERSON)
    assert suggestion.key == "second_person:request:41"
    assert suggestion.due == date(2026, 11, 6)


def test_each_employer_gets_its_own_second_person_suggestion() -> None:
    at_five = requested(REQUEST_TUE_3_NOV, contact_id=1, company_id=5)
    at_six = requested(Thread(request_id=50, sent_at=at(2026, 11, 4)), contact_id=2, company_id=6)
    actions = due_actions([at_five, at_six], policy=POLICY, now=at(2026, 11, 9))
    suggestions = [a for a in actions if a.kind == ActionKind.SECOND_PERSON]
    assert [(a.company_id, a.due) for a in suggestions] == [
        (5, date(2026, 11, 6)),
        (6, date(2026, 11, 9)),
    ]


def test_no_second_person_without_a_known_employer() -> None:
    actions = due_actions([requested(REQUEST_TUE_3_NOV)], policy=POLICY, now=at(2026, 11, 9))
    assert actions == []


# --- Thanks after a meeting ---

MEETING_END = at(2026, 11, 10, 15, 30)


def test_a_thank_you_is_asked_for_once_the_meeting_has_ended() -> None:
    history = met(MeetingFacts(meeting_id=9, end=MEETING_END, thanked=False))
    actions = due_actions([history], policy=POLICY, now=at(2026, 11, 10, 16))
    thanks = only(actions, ActionKind.THANKS)
    assert thanks.due == date(2026, 11, 10)
    assert thanks.due_at == datetime(2026, 11, 10, 15, 30, tzinfo=UTC)
    assert thanks.deadline == datetime(2026, 11, 11, 15, 30, tzinfo=UTC)
    assert thanks.key == "thanks:meeting:9"
    assert thanks.meeting_id == 9
    assert thanks.company_id == 3
    assert "within 24 hours" in thanks.reason
    assert "Tue 10 Nov" in thanks.reason


def test_no_thank_you_is_asked_for_before_the_meeting_ends() -> None:
    history = met(MeetingFacts(meeting_id=9, end=MEETING_END, thanked=False))
    just_before = MEETING_END - timedelta(minutes=1)
    assert due_actions([history], policy=POLICY, now=just_before, horizon_days=5) == []


def test_a_late_thank_you_stays_on_the_list_kindly() -> None:
    history = met(MeetingFacts(meeting_id=9, end=MEETING_END, thanked=False))
    actions = due_actions([history], policy=POLICY, now=at(2026, 11, 13))
    thanks = only(actions, ActionKind.THANKS)
    assert thanks.deadline == datetime(2026, 11, 11, 15, 30, tzinfo=UTC)
    assert "still worth sending" in thanks.reason


@pytest.mark.parametrize(
    "meeting",
    [
        MeetingFacts(meeting_id=9, end=MEETING_END, thanked=True),
        MeetingFacts(meeting_id=9, end=MEETING_END, thanked=False, cancelled=True),
    ],
)
def test_no_thank_you_after_thanking_or_a_cancelled_meeting(meeting: MeetingFacts) -> None:
    history = met(meeting, stage=Stage.SCHEDULED)
    assert due_actions([history], policy=POLICY, now=at(2026, 11, 11)) == []


def test_the_thank_you_window_follows_the_policy() -> None:
    history = met(MeetingFacts(meeting_id=9, end=MEETING_END, thanked=False))
    actions = due_actions([history], policy=Policy(thanks_within_hours=48), now=at(2026, 11, 12))
    thanks = only(actions, ActionKind.THANKS)
    assert thanks.deadline == datetime(2026, 11, 12, 15, 30, tzinfo=UTC)
    assert "within 48 hours" in thanks.reason


def test_the_thank_you_is_due_on_the_contacts_date() -> None:
    late_utc = at(2026, 11, 10, 23, 30)  # Wednesday morning in Tokyo
    history = met(MeetingFacts(meeting_id=9, end=late_utc, thanked=False), time_zone="Asia/Tokyo")
    actions = due_actions([history], policy=POLICY, now=at(2026, 11, 11))
    assert only(actions, ActionKind.THANKS).due == date(2026, 11, 11)


# --- Keeping in touch ---


def test_an_update_is_due_six_weeks_after_the_last_contact() -> None:
    history = met(last_interaction=at(2026, 11, 3))
    assert due_actions([history], policy=POLICY, now=at(2026, 12, 14, 23)) == []
    actions = due_actions([history], policy=POLICY, now=at(2026, 12, 15))
    update = only(actions, ActionKind.UPDATE)
    assert update.due == date(2026, 12, 15)
    assert update.due_at == datetime(2026, 12, 15, 9, tzinfo=UTC)
    assert update.key == "update:contact:7:2026-12-15"
    assert "6 weeks" in update.reason
    assert "Tue 3 Nov" in update.reason


def test_a_contact_can_have_their_own_cadence() -> None:
    history = met(last_interaction=at(2026, 11, 3), keep_in_touch_weeks=8)
    assert due_actions([history], policy=POLICY, now=at(2026, 12, 28)) == []
    update = only(due_actions([history], policy=POLICY, now=at(2026, 12, 29)), ActionKind.UPDATE)
    assert update.due == date(2026, 12, 29)
    assert update.key == "update:contact:7:2026-12-29"


def test_the_seekers_cadence_applies_without_a_contact_setting() -> None:
    history = met(last_interaction=at(2026, 11, 3))
    actions = due_actions([history], policy=Policy(keep_in_touch_weeks=7), now=at(2026, 12, 22))
    assert only(actions, ActionKind.UPDATE).due == date(2026, 12, 22)


def test_anything_newer_restarts_the_update_cycle() -> None:
    history = met(last_interaction=at(2026, 12, 1))
    now = at(2026, 12, 20)
    assert due_actions([history], policy=POLICY, now=now) == []
    update = only(
        due_actions([history], policy=POLICY, now=now, horizon_days=30), ActionKind.UPDATE
    )
    assert update.due == date(2027, 1, 12)
    assert update.key == "update:contact:7:2027-01-12"


@pytest.mark.parametrize("stage", [Stage.MET, Stage.THANKED, Stage.KEEPING_IN_TOUCH])
def test_updates_are_for_people_already_met(stage: Stage) -> None:
    history = met(last_interaction=at(2026, 11, 3), stage=stage)
    assert kinds(due_actions([history], policy=POLICY, now=at(2027, 1, 1))) == [ActionKind.UPDATE]


@pytest.mark.parametrize("stage", [Stage.IDENTIFIED, Stage.REQUESTED, Stage.SCHEDULED])
def test_no_update_before_meeting(stage: Stage) -> None:
    history = met(last_interaction=at(2026, 11, 3), stage=stage)
    assert due_actions([history], policy=POLICY, now=at(2027, 1, 1)) == []


def test_no_update_without_any_interaction() -> None:
    assert due_actions([met()], policy=POLICY, now=at(2027, 1, 1)) == []


# --- The list as a whole ---


def test_the_list_is_in_due_order() -> None:
    late_thanks = met(MeetingFacts(meeting_id=9, end=at(2026, 11, 11, 16), thanked=False))
    early_request = requested(REQUEST_TUE_3_NOV, contact_id=8, company_id=4)
    actions = due_actions([late_thanks, early_request], policy=POLICY, now=at(2026, 11, 12, 12))
    assert [(a.kind, a.due_at) for a in actions] == [
        (ActionKind.SECOND_PERSON, datetime(2026, 11, 6, 9, tzinfo=UTC)),
        (ActionKind.THANKS, datetime(2026, 11, 11, 16, tzinfo=UTC)),
        (ActionKind.FOLLOW_UP, datetime(2026, 11, 12, 9, tzinfo=UTC)),
    ]


def test_ties_are_broken_by_contact_then_kind() -> None:
    policy = Policy(second_person_business_days=7)
    later_contact = requested(REQUEST_TUE_3_NOV, contact_id=8, company_id=4)
    earlier_contact = requested(Thread(request_id=42, sent_at=at(2026, 11, 3)), contact_id=3)
    actions = due_actions([later_contact, earlier_contact], policy=policy, now=at(2026, 11, 12))
    assert [(a.contact_id, a.kind) for a in actions] == [
        (3, ActionKind.FOLLOW_UP),
        (8, ActionKind.FOLLOW_UP),
        (8, ActionKind.SECOND_PERSON),
    ]
    assert len({a.due_at for a in actions}) == 1


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        due_actions([], policy=POLICY, now=datetime(2026, 11, 3, 10))
    with pytest.raises(ValueError, match="time zone"):
        Thread(request_id=1, sent_at=datetime(2026, 11, 3, 10))


def test_a_negative_horizon_is_refused() -> None:
    with pytest.raises(ValueError, match="horizon"):
        due_actions([], policy=POLICY, now=at(2026, 11, 3), horizon_days=-1)


# --- The policy ---


def test_the_default_policy_matches_the_playbook_data() -> None:
    assert Policy.from_settings(None, None) == Policy(
        wait_business_days=7,
        second_person_business_days=3,
        max_nudges=1,
        keep_in_touch_weeks=6,
        thanks_within_hours=24,
    )
    assert Policy() == Policy.from_settings(None, None)


@pytest.mark.parametrize(("asked", "allowed"), [(0, 1), (1, 1), (2, 2), (5, 2)])
def test_the_seekers_nudge_setting_is_kept_within_the_playbook(asked: int, allowed: int) -> None:
    assert Policy.from_settings(asked, None).max_nudges == allowed


def test_the_seekers_cadence_setting_is_used() -> None:
    assert Policy.from_settings(None, 8).keep_in_touch_weeks == 8


# --- The composer: may I nudge now? ---


def allowed(thread: Thread, now: datetime, policy: Policy = POLICY) -> tuple[bool, str]:
    return followup_allowed(
        thread, policy=policy, now=now, country="", zone="UTC", holidays=no_holidays
    )


def test_a_nudge_before_seven_business_days_is_too_soon() -> None:
    ok, why = allowed(REQUEST_TUE_3_NOV, at(2026, 11, 11, 23))
    assert not ok
    assert "Too soon" in why
    assert "Thu 12 Nov" in why


def test_a_nudge_on_the_seventh_business_day_is_fine() -> None:
    assert allowed(REQUEST_TUE_3_NOV, at(2026, 11, 12, 0, 1)) == (True, "")


def test_a_second_nudge_is_measured_from_the_first() -> None:
    thread = Thread(request_id=41, sent_at=at(2026, 11, 3), follow_ups=(at(2026, 11, 12),))
    ok, why = allowed(thread, at(2026, 11, 20), TWO_NUDGES)
    assert not ok
    assert "Mon 23 Nov" in why
    assert allowed(thread, at(2026, 11, 23), TWO_NUDGES) == (True, "")


def test_no_nudge_past_the_maximum() -> None:
    thread = Thread(request_id=41, sent_at=at(2026, 11, 3), follow_ups=(at(2026, 11, 12),))
    ok, why = allowed(thread, at(2027, 1, 4))
    assert not ok
    assert "followed up once" in why


def test_no_nudge_after_a_reply() -> None:
    thread = Thread(request_id=41, sent_at=at(2026, 11, 3), replied_at=at(2026, 11, 20))
    ok, why = allowed(thread, at(2027, 1, 4))
    assert not ok
    assert "replied" in why


def test_the_wait_is_counted_in_the_recipients_holidays() -> None:
    thread = Thread(request_id=41, sent_at=at(2026, 12, 18, zone="Europe/London"))
    now = at(2026, 12, 30, 12, zone="Europe/London")
    ok, why = followup_allowed(
        thread, policy=POLICY, now=now, country="GB", zone="Europe/London", holidays=public_holidays
    )
    assert not ok
    assert "Thu 31 Dec" in why


# --- The composer: when to send ---


def morning(now: datetime, zone: str, country: str = "") -> datetime:
    return next_business_morning(now, zone=zone, country=country, holidays=public_holidays)


def test_a_friday_afternoon_message_is_suggested_for_monday_morning() -> None:
    friday = at(2026, 11, 13, 15, zone="Europe/London")
    assert morning(friday, "Europe/London") == datetime(2026, 11, 16, 9, tzinfo=UTC)


def test_early_on_a_weekday_it_is_the_same_morning() -> None:
    early = at(2026, 7, 7, 6, zone="America/New_York")
    assert morning(early, "America/New_York") == datetime(2026, 7, 7, 13, tzinfo=UTC)


def test_nine_exactly_moves_to_the_next_morning() -> None:
    nine = at(2026, 11, 10, 9, zone="Asia/Tokyo")
    assert morning(nine, "Asia/Tokyo") == datetime(2026, 11, 11, 0, tzinfo=UTC)


def test_the_send_time_skips_the_recipients_holidays() -> None:
    christmas_eve = at(2026, 12, 24, 15, zone="Europe/London")
    assert morning(christmas_eve, "Europe/London", "GB") == datetime(2026, 12, 29, 9, tzinfo=UTC)
    assert morning(christmas_eve, "Europe/London") == datetime(2026, 12, 25, 9, tzinfo=UTC)


def test_the_send_hour_can_be_chosen() -> None:
    monday = at(2026, 11, 16, 7)
    chosen = next_business_morning(monday, zone="UTC", country="", holidays=no_holidays, hour=8)
    assert chosen == datetime(2026, 11, 16, 8, tzinfo=UTC)


# --- Properties ---

ZONES = [
    "America/New_York",
    "America/Los_Angeles",
    "Europe/London",
    "Europe/Berlin",
    "Australia/Sydney",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "UTC",
]
COUNTRIES = ["US", "GB", "AU", "IN", "DE", "JP", ""]

zones = st.sampled_from(ZONES)
countries = st.sampled_from(COUNTRIES)
moments = st.datetimes(
    min_value=datetime(2024, 1, 1),
    max_value=datetime(2028, 12, 31),
    timezones=zones.map(ZoneInfo),
    allow_imaginary=False,
)
gaps = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=60))
policies = st.builds(
    Policy,
    wait_business_days=st.integers(min_value=1, max_value=10),
    second_person_business_days=st.integers(min_value=1, max_value=5),
    max_nudges=st.integers(min_value=1, max_value=2),
    keep_in_touch_weeks=st.integers(min_value=1, max_value=10),
    thanks_within_hours=st.integers(min_value=1, max_value=72),
)
PROPERTY_SETTINGS = settings(
    deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def threads(draw: st.DrawFn, request_id: int) -> Thread:
    sent_at = draw(moments)
    follow_ups = tuple(sent_at + draw(gaps) for _ in range(draw(st.integers(0, 3))))
    replied_at = draw(st.none() | gaps.map(lambda gap: sent_at + gap))
    return Thread(request_id, sent_at, follow_ups, replied_at)


@st.composite
def histories(draw: st.DrawFn) -> list[ContactHistory]:
    people = []
    for contact_id in range(1, draw(st.integers(1, 6)) + 1):
        base = contact_id * 100
        thread_count = draw(st.integers(0, 3))
        meeting_count = draw(st.integers(0, 2))
        people.append(
            ContactHistory(
                contact_id=contact_id,
                company_id=draw(st.sampled_from([None, 1, 2])),
                stage=draw(st.sampled_from(list(Stage))),
                country=draw(countries),
                time_zone=draw(st.sampled_from([*ZONES, "", "Not/AZone"])),
                keep_in_touch_weeks=draw(st.none() | st.integers(1, 10)),
                threads=tuple(draw(threads(base + n)) for n in range(thread_count)),
                meetings=tuple(
                    MeetingFacts(base + n, draw(moments), draw(st.booleans()), draw(st.booleans()))
                    for n in range(meeting_count)
                ),
                last_interaction=draw(st.none() | moments),
            )
        )
    return people


def zone_used(person: ContactHistory) -> str:
    """The zone the list should use: the contact's when valid, else the seeker's (UTC here)."""
    return person.time_zone if person.time_zone in ZONES else "UTC"


def local(moment: datetime, zone: str) -> date:
    return moment.astimezone(ZoneInfo(zone)).date()


@PROPERTY_SETTINGS
@given(sent_at=moments, zone=zones, country=countries, wait=st.integers(1, 12))
def test_a_nudge_falls_on_a_business_day_exactly_the_wait_after_the_request(
    sent_at: datetime, zone: str, country: str, wait: int
) -> None:
    history = requested(Thread(41, sent_at), country=country, time_zone=zone)
    far_later = sent_at + timedelta(days=60)
    actions = due_actions(
        [history], policy=Policy(wait_business_days=wait), now=far_later, holidays=public_holidays
    )
    nudge = only(actions, ActionKind.FOLLOW_UP)
    sent_on = local(sent_at, zone)
    holidays = holidays_between(country, sent_on, nudge.due)
    assert is_business_day(nudge.due, holidays)
    assert business_days_between(sent_on, nudge.due, holidays) == wait
    assert nudge.due_at.tzinfo == UTC
    assert nudge.due_at.astimezone(ZoneInfo(zone)).hour == 9
    assert local(nudge.due_at, zone) == nudge.due


@PROPERTY_SETTINGS
@given(people=histories(), policy=policies, now=moments, horizon=st.integers(0, 30))
def test_no_nudge_is_ever_due_before_the_wait_is_over(
    people: list[ContactHistory], policy: Policy, now: datetime, horizon: int
) -> None:
    actions = due_actions(
        people, policy=policy, now=now, holidays=public_holidays, horizon_days=horizon
    )
    threads_by_id = {t.request_id: (p, t) for p in people for t in p.threads}
    for action in actions:
        if action.kind not in {ActionKind.FOLLOW_UP, ActionKind.NO_REPLY}:
            continue
        person, thread = threads_by_id[action.request_id or 0]
        zone = zone_used(person)
        sent_on = local(thread.sent_at, zone)
        holidays = holidays_between(person.country, sent_on, action.due)
        assert business_days_between(sent_on, action.due, holidays) >= policy.wait_business_days


@PROPERTY_SETTINGS
@given(people=histories(), policy=policies, now=moments, horizon=st.integers(0, 30))
def test_never_more_nudges_than_the_policy_allows(
    people: list[ContactHistory], policy: Policy, now: datetime, horizon: int
) -> None:
    actions = due_actions(
        people, policy=policy, now=now, holidays=public_holidays, horizon_days=horizon
    )
    threads_by_id = {t.request_id: t for p in people for t in p.threads}
    nudges = [a for a in actions if a.kind == ActionKind.FOLLOW_UP]
    assert len({a.request_id for a in nudges}) == len(nudges)
    for nudge in nudges:
        already = len(threads_by_id[nudge.request_id or 0].follow_ups)
        assert nudge.nudge_number == already + 1 <= policy.max_nudges


@PROPERTY_SETTINGS
@given(
    sent_at=moments,
    zone=zones,
    country=countries,
    max_nudges=st.integers(0, 3),
)
def test_sending_every_nudge_when_due_sends_exactly_the_maximum_then_stops(
    sent_at: datetime, zone: str, country: str, max_nudges: int
) -> None:
    policy = Policy(max_nudges=max_nudges)
    thread = Thread(41, sent_at)
    far_future = sent_at + timedelta(days=400)
    for _ in range(5):
        history = requested(thread, country=country, time_zone=zone)
        actions = due_actions([history], policy=policy, now=far_future, holidays=public_holidays)
        nudges = [a for a in actions if a.kind == ActionKind.FOLLOW_UP]
        if not nudges:
            break
        thread = Thread(41, sent_at, (*thread.follow_ups, nudges[0].due_at))
    assert len(thread.follow_ups) == max_nudges
    assert kinds(actions) == [ActionKind.NO_REPLY]


@PROPERTY_SETTINGS
@given(people=histories(), policy=policies, now=moments, horizon=st.integers(0, 60))
def test_a_reply_leaves_nothing_to_chase(
    people: list[ContactHistory], policy: Policy, now: datetime, horizon: int
) -> None:
    actions = due_actions(
        people, policy=policy, now=now, holidays=public_holidays, horizon_days=horizon
    )
    answered = {t.request_id for p in people for t in p.threads if t.replied_at is not None}
    chasing = {ActionKind.FOLLOW_UP, ActionKind.NO_REPLY, ActionKind.SECOND_PERSON}
    assert not [a for a in actions if a.kind in chasing and a.request_id in answered]


@PROPERTY_SETTINGS
@given(people=histories(), policy=policies, now=moments, horizon=st.integers(0, 60))
def test_a_second_person_is_suggested_only_when_nobody_else_there_was_asked_since(
    people: list[ContactHistory], policy: Policy, now: datetime, horizon: int
) -> None:
    actions = due_actions(
        people, policy=policy, now=now, holidays=public_holidays, horizon_days=horizon
    )
    sent = {t.request_id: t.sent_at for p in people for t in p.threads}
    for action in actions:
        if action.kind != ActionKind.SECOND_PERSON:
            continue
        assert action.company_id is not None
        asked_since = [
            p.contact_id
            for p in people
            if p.company_id == action.company_id
            and p.contact_id != action.contact_id
            and any(t.sent_at >= sent[action.request_id or 0] for t in p.threads)
        ]
        assert asked_since == []


@PROPERTY_SETTINGS
@given(people=histories(), policy=policies, now=moments, horizon=st.integers(0, 60))
def test_the_list_is_sorted_with_unique_keys_and_nothing_beyond_the_horizon(
    people: list[ContactHistory], policy: Policy, now: datetime, horizon: int
) -> None:
    actions = due_actions(
        people, policy=policy, now=now, holidays=public_holidays, horizon_days=horizon
    )
    order = [(a.due_at, a.contact_id, a.kind.value) for a in actions]
    assert order == sorted(order)
    assert len({a.key for a in actions}) == len(actions)
    zones_by_contact = {
        p.contact_id: p.time_zone if p.time_zone in ZONES else "UTC" for p in people
    }
    for action in actions:
        assert action.due <= local(now, zones_by_contact[action.contact_id]) + timedelta(horizon)
        assert action.due_at.utcoffset() == timedelta(0)
    ended = {p.contact_id for p in people if Stage(p.stage).is_end}
    assert not [a for a in actions if a.contact_id in ended]
    per_company = [a.company_id for a in actions if a.kind == ActionKind.SECOND_PERSON]
    assert len(per_company) == len(set(per_company))


@PROPERTY_SETTINGS
@given(people=histories(), policy=policies, now=moments, seed=st.integers(0, 1000))
def test_the_same_history_in_any_order_gives_the_same_list(
    people: list[ContactHistory], policy: Policy, now: datetime, seed: int
) -> None:
    first = due_actions(people, policy=policy, now=now, holidays=public_holidays, horizon_days=10)
    shuffled = people[:]
    random.Random(seed).shuffle(shuffled)
    again = due_actions(shuffled, policy=policy, now=now, holidays=public_holidays, horizon_days=10)
    assert first == again


@PROPERTY_SETTINGS
@given(thread=threads(41), policy=policies, now=moments, zone=zones, country=countries)
def test_the_composer_allows_a_nudge_exactly_when_the_list_suggests_one(
    thread: Thread, policy: Policy, now: datetime, zone: str, country: str
) -> None:
    history = requested(thread, country=country, time_zone=zone)
    actions = due_actions([history], policy=policy, now=now, holidays=public_holidays)
    suggested = ActionKind.FOLLOW_UP in kinds(actions)
    ok, why = followup_allowed(
        thread, policy=policy, now=now, country=country, zone=zone, holidays=public_holidays
    )
    assert ok == suggested
    assert (why == "") == ok


@PROPERTY_SETTINGS
@given(now=moments, zone=zones, country=countries)
def test_the_suggested_send_time_is_the_first_business_morning_after_now(
    now: datetime, zone: str, country: str
) -> None:
    chosen = morning(now, zone, country)
    assert chosen > now
    assert chosen.tzinfo == UTC
    there = chosen.astimezone(ZoneInfo(zone))
    assert (there.hour, there.minute) == (9, 0)
    today = local(now, zone)
    holidays = holidays_between(country, today, there.date())
    assert is_business_day(there.date(), holidays)
    for earlier in range((there.date() - today).days):
        day = today + timedelta(days=earlier)
        nine = datetime(day.year, day.month, day.day, 9, tzinfo=ZoneInfo(zone))
        assert not (is_business_day(day, holidays) and nine > now)
