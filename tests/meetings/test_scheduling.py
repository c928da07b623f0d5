"""Scheduling services: the slots offered from the profile and the contact, proposing,
confirming, rescheduling and cancelling, and the refusals that change nothing."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from icalendar import Calendar

from rapport.accounts.models import User
from rapport.contacts.models import Contact, ContactEvent
from rapport.core.errors import RapportError
from rapport.meetings import scheduling
from rapport.meetings.calendar import invite
from rapport.meetings.invites import meeting_event, offered_times
from rapport.meetings.models import Meeting, PlanQuestion
from rapport.meetings.scheduling import Arrangement
from rapport.outreach.models import Message
from rapport.playbook.stages import Stage
from tests.factories import ContactFactory, MeetingFactory, MessageFactory

pytestmark = pytest.mark.django_db

LONDON, CHICAGO = ZoneInfo("Europe/London"), ZoneInfo("America/Chicago")
# A Monday, with no public holiday in Britain or the United States in the fortnight after.
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@pytest.fixture
def chicago_seeker(alice: User) -> User:
    profile = alice.profile
    profile.time_zone, profile.country = "America/Chicago", "US"
    profile.free_from, profile.free_until = time(8, 0), time(18, 0)
    profile.free_weekdays = [0, 1, 2, 3, 4]
    profile.save()
    return alice


@pytest.fixture
def marta(alice: User) -> Contact:
    return ContactFactory(
        owner=alice, first_name="Marta", last_name="Silva", email="marta@example.org",
        time_zone="Europe/London", country="GB", stage=Stage.REQUESTED,
        company__name="Lumen Grid",
    )  # fmt: skip


def soon(days: int = 3, hour: int = 15) -> datetime:
    day = timezone.now().astimezone(UTC) + timedelta(days=days)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


def booked(owner: User, contact: Contact, **fields: Any) -> Meeting:
    meeting: Meeting = MeetingFactory(
        owner=owner, contact=contact, start=soon(), duration_min=30, **fields
    )
    return meeting


def snapshot(meeting: Meeting) -> tuple[Any, ...]:
    meeting.refresh_from_db()
    return (
        meeting.status, meeting.start, meeting.duration_min, meeting.mode, meeting.place,
        meeting.formality, meeting.travel_min, meeting.sequence, meeting.proposed_slots,
    )  # fmt: skip


# --- the slots offered -------------------------------------------------------------------


def test_slots_lie_inside_the_london_hosts_day_and_the_chicago_seekers_hours(
    chicago_seeker: User, marta: Contact
) -> None:
    offer = scheduling.slot_offer(
        owner=chicago_seeker, contact=marta, duration_min=30, horizon_days=14, now=NOW
    )
    assert offer.slots
    assert not offer.zone_assumed
    assert (offer.host.zone, offer.host.country) == ("Europe/London", "GB")
    assert (offer.seeker.zone, offer.seeker.country) == ("America/Chicago", "US")
    for slot in offer.slots:
        theirs, their_end = slot.start.astimezone(LONDON), slot.end.astimezone(LONDON)
        yours, your_end = slot.start.astimezone(CHICAGO), slot.end.astimezone(CHICAGO)
        assert time(9, 0) <= theirs.time()
        assert their_end.time() <= time(17, 30)
        assert time(8, 0) <= yours.time()
        assert your_end.time() <= time(18, 0)
        assert theirs.weekday() < 5
        assert yours.weekday() < 5
        assert slot.end - slot.start == timedelta(minutes=30)
    label = dict(offer.choices())[scheduling.iso(offer.slots[0].start)]
    assert "for you in Chicago" in label
    assert "for Marta in London" in label


def test_the_seekers_other_meetings_and_offered_times_are_kept_clear(
    chicago_seeker: User, marta: Contact
) -> None:
    first = scheduling.slot_offer(
        owner=chicago_seeker, contact=marta, duration_min=30, horizon_days=14, now=NOW
    ).slots[0]
    other = ContactFactory(owner=chicago_seeker)
    MeetingFactory(owner=chicago_seeker, contact=other, start=first.start, duration_min=30)
    offered_elsewhere = first.start + timedelta(days=1)
    MeetingFactory(
        owner=chicago_seeker, contact=other, start=None, status=Meeting.Status.PROPOSED,
        proposed_slots=[offered_elsewhere.isoformat()],
    )  # fmt: skip
    slots = scheduling.slot_offer(
        owner=chicago_seeker, contact=marta, duration_min=30, horizon_days=14, now=NOW
    ).slots
    for busy_start in (first.start, offered_elsewhere):
        busy_end = busy_start + timedelta(minutes=30)
        assert all(s.end <= busy_start or s.start >= busy_end for s in slots)


def test_a_contact_without_a_time_zone_is_assumed_to_share_the_seekers(
    chicago_seeker: User,
) -> None:
    contact = ContactFactory(owner=chicago_seeker, time_zone="")
    offer = scheduling.slot_offer(
        owner=chicago_seeker, contact=contact, duration_min=30, horizon_days=14, now=NOW
    )
    assert offer.zone_assumed
    assert offer.host.zone == "America/Chicago"


def test_no_overlap_says_why_instead_of_offering_nothing(
    chicago_seeker: User, marta: Contact
) -> None:
    chicago_seeker.profile.free_from, chicago_seeker.profile.free_until = time(19), time(23)
    chicago_seeker.profile.save()
    offer = scheduling.slot_offer(
        owner=chicago_seeker, contact=marta, duration_min=30, horizon_days=14, now=NOW
    )
    assert offer.slots == []
    assert "19:00-23:00 Chicago time" in offer.why_none
    assert "do not overlap" in offer.why_none


@pytest.mark.parametrize(
    ("duration", "horizon", "field"), [(25, 14, "duration_min"), (30, 0, "horizon_days")]
)
def test_an_odd_length_or_horizon_is_refused(
    chicago_seeker: User, marta: Contact, duration: int, horizon: int, field: str
) -> None:
    with pytest.raises(RapportError) as caught:
        scheduling.slot_offer(
            owner=chicago_seeker, contact=marta, duration_min=duration, horizon_days=horizon,
            now=NOW,
        )  # fmt: skip
    assert field in caught.value.fields


# --- proposing ---------------------------------------------------------------------------


def test_proposing_makes_a_waiting_meeting_and_a_draft_listing_the_times_on_their_clock(
    chicago_seeker: User, marta: Contact
) -> None:
    starts = [soon(4, 16), soon(3, 15)]
    meeting, message = scheduling.meeting_propose(
        owner=chicago_seeker, contact=marta, duration_min=20, mode=Meeting.Mode.PHONE,
        starts=starts,
    )  # fmt: skip
    assert (meeting.status, meeting.start, meeting.duration_min) == ("proposed", None, 20)
    assert meeting.proposed_slots == [s.isoformat() for s in sorted(starts)]
    assert message.kind == Message.Kind.SCHEDULING
    assert message.meeting == meeting
    earliest = sorted(starts)[0].astimezone(LONDON)
    line = f"- {earliest:%a} {earliest.day} {earliest:%b}, {earliest:%H:%M}-"
    assert line in message.body
    assert message.body.count("(London time)") == 2
    assert "[two or three times" not in message.body
    assert offered_times(meeting)[0].endswith("(London time)")


@pytest.mark.parametrize(
    "starts",
    [
        [],
        [datetime(2020, 1, 1, 10, tzinfo=UTC)],
        [datetime(2030, 1, 1, 10)],  # naive
    ],
)
def test_proposing_refuses_no_times_past_times_and_naive_times(
    chicago_seeker: User, marta: Contact, starts: list[datetime]
) -> None:
    with pytest.raises(RapportError):
        scheduling.meeting_propose(
            owner=chicago_seeker, contact=marta, duration_min=30, mode="video", starts=starts
        )
    assert not Meeting.objects.exists()
    assert not Message.objects.exists()


# --- confirming --------------------------------------------------------------------------


def test_confirming_books_the_time_and_moves_the_contact_to_scheduled(
    chicago_seeker: User, marta: Contact
) -> None:
    meeting, _ = scheduling.meeting_propose(
        owner=chicago_seeker, contact=marta, duration_min=30, mode="video", starts=[soon()]
    )
    arrangement = Arrangement(
        start=soon(5, 14), mode=Meeting.Mode.CAFE, place="Laynes Espresso, Leeds",
        formality=Meeting.Formality.CASUAL, travel_min=20,
    )  # fmt: skip
    scheduling.meeting_confirm(owner=chicago_seeker, meeting=meeting, arrangement=arrangement)
    meeting.refresh_from_db()
    marta.refresh_from_db()
    assert meeting.status == Meeting.Status.CONFIRMED
    assert meeting.start == soon(5, 14)
    assert (meeting.mode, meeting.place, meeting.travel_min) == (
        "cafe",
        "Laynes Espresso, Leeds",
        20,
    )
    assert meeting.proposed_slots == []
    assert meeting.sequence == 0
    assert marta.stage == Stage.SCHEDULED
    summaries = list(marta.events.values_list("kind", "summary"))
    assert (ContactEvent.Kind.STAGE, "Requested → Scheduled") in summaries
    assert any(kind == "meeting" and "Meeting booked for" in s for kind, s in summaries)


def test_a_second_meeting_leaves_someone_already_met_where_they_are(
    chicago_seeker: User, marta: Contact
) -> None:
    marta.stage = Stage.MET
    marta.save()
    meeting = MeetingFactory(
        owner=chicago_seeker, contact=marta, start=None, status=Meeting.Status.PROPOSED
    )
    scheduling.meeting_confirm(
        owner=chicago_seeker, meeting=meeting, arrangement=Arrangement(start=soon(), mode="phone")
    )
    marta.refresh_from_db()
    assert marta.stage == Stage.MET


def test_travel_only_counts_in_person(chicago_seeker: User, marta: Contact) -> None:
    meeting = MeetingFactory(
        owner=chicago_seeker, contact=marta, start=None, status=Meeting.Status.PROPOSED
    )
    arrangement = Arrangement(start=soon(), mode=Meeting.Mode.VIDEO, travel_min=30)
    scheduling.meeting_confirm(owner=chicago_seeker, meeting=meeting, arrangement=arrangement)
    assert meeting.travel_min == 0


@pytest.mark.parametrize(
    "arrangement",
    [
        Arrangement(start=datetime(2020, 5, 1, 10, tzinfo=UTC), mode="video"),
        Arrangement(start=datetime(2030, 5, 1, 10), mode="video"),  # naive
        Arrangement(start=datetime(2030, 5, 1, 10, tzinfo=UTC), mode="video", duration_min=25),
        Arrangement(start=datetime(2030, 5, 1, 10, tzinfo=UTC), mode="cafe", place=" "),
        Arrangement(start=datetime(2030, 5, 1, 10, tzinfo=UTC), mode="boat"),
        Arrangement(start=datetime(2030, 5, 1, 10, tzinfo=UTC), mode="office", travel_min=999),
    ],
    ids=["past", "naive", "odd-length", "cafe-without-place", "unknown-mode", "long-travel"],
)
def test_refused_arrangements_change_nothing(
    chicago_seeker: User, marta: Contact, arrangement: Arrangement
) -> None:
    proposed = MeetingFactory(
        owner=chicago_seeker, contact=marta, start=None, status=Meeting.Status.PROPOSED,
        proposed_slots=[soon().isoformat()],
    )  # fmt: skip
    confirmed = booked(chicago_seeker, marta)
    before = snapshot(proposed), snapshot(confirmed)
    with pytest.raises(RapportError):
        scheduling.meeting_confirm(owner=chicago_seeker, meeting=proposed, arrangement=arrangement)
    with pytest.raises(RapportError):
        scheduling.meeting_reschedule(
            owner=chicago_seeker, meeting=confirmed, arrangement=arrangement
        )
    assert (snapshot(proposed), snapshot(confirmed)) == before
    marta.refresh_from_db()
    assert marta.stage == Stage.REQUESTED
    assert not marta.events.exists()


def test_confirming_twice_is_refused(chicago_seeker: User, marta: Contact) -> None:
    meeting = booked(chicago_seeker, marta)
    with pytest.raises(RapportError):
        scheduling.meeting_confirm(
            owner=chicago_seeker, meeting=meeting, arrangement=Arrangement(soon(6), "video")
        )


def test_someone_elses_meeting_is_refused(bob: User, chicago_seeker: User, marta: Contact) -> None:
    meeting = booked(chicago_seeker, marta)
    with pytest.raises(RapportError) as caught:
        scheduling.meeting_cancel(owner=bob, meeting=meeting)
    assert caught.value.code == "not_found"
    assert snapshot(meeting)[0] == Meeting.Status.CONFIRMED


# --- rescheduling and cancelling ---------------------------------------------------------


def test_rescheduling_keeps_the_calendar_uid_and_bumps_the_sequence(
    chicago_seeker: User, marta: Contact
) -> None:
    meeting = booked(chicago_seeker, marta)
    uid = meeting.calendar_uid
    scheduling.meeting_reschedule(
        owner=chicago_seeker, meeting=meeting,
        arrangement=Arrangement(start=soon(7, 10), mode="video", duration_min=45),
    )  # fmt: skip
    meeting.refresh_from_db()
    assert (meeting.calendar_uid, meeting.sequence) == (uid, 1)
    calendar = Calendar.from_ical(invite(meeting_event(meeting)))
    event = next(iter(calendar.walk("VEVENT")))
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == uid
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART").astimezone(UTC) == soon(7, 10)
    assert event.decoded("DTEND").astimezone(UTC) == soon(7, 10) + timedelta(minutes=45)
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert any("moved to" in s for s in marta.events.values_list("summary", flat=True))


def test_rescheduling_to_the_same_arrangement_changes_nothing(
    chicago_seeker: User, marta: Contact
) -> None:
    meeting = booked(chicago_seeker, marta)
    same = Arrangement(
        start=meeting.start, mode=meeting.mode, place=meeting.place, formality=meeting.formality
    )  # type: ignore[arg-type]
    scheduling.meeting_reschedule(owner=chicago_seeker, meeting=meeting, arrangement=same)
    assert snapshot(meeting)[7] == 0
    assert not marta.events.exists()


def test_cancelling_bumps_the_sequence_and_the_invite_becomes_a_cancellation(
    chicago_seeker: User, marta: Contact
) -> None:
    meeting = booked(chicago_seeker, marta, sequence=1)
    scheduling.meeting_cancel(owner=chicago_seeker, meeting=meeting)
    meeting.refresh_from_db()
    assert (meeting.status, meeting.sequence) == (Meeting.Status.CANCELLED, 2)
    calendar = Calendar.from_ical(invite(meeting_event(meeting)))
    event = next(iter(calendar.walk("VEVENT")))
    assert calendar["METHOD"] == "CANCEL"
    assert (str(event["UID"]), int(event["SEQUENCE"])) == (meeting.calendar_uid, 2)
    assert any("cancelled" in s for s in marta.events.values_list("summary", flat=True))
    with pytest.raises(RapportError):
        scheduling.meeting_cancel(owner=chicago_seeker, meeting=meeting)
    assert snapshot(meeting)[7] == 2


# --- the invite and the news -------------------------------------------------------------


def test_the_invite_lists_the_question_plan_in_order_after_the_mode_line(
    chicago_seeker: User, marta: Contact
) -> None:
    meeting = booked(chicago_seeker, marta)
    for position, text in [(2, "What would you read first?"), (1, "How did you start?")]:
        PlanQuestion.objects.create(
            owner=chicago_seeker, meeting=meeting, position=position, text=text
        )
    description = meeting_event(meeting).description
    assert description.startswith("Video call, 30 minutes.\n")
    assert "1. How did you start?\n2. What would you read first?" in description


def test_the_confirmation_draft_answers_the_request_on_their_clock(
    chicago_seeker: User, marta: Contact
) -> None:
    MessageFactory(
        owner=chicago_seeker, contact=marta, subject="Twenty minutes on grid forecasting?",
        status=Message.Status.SENT, sent_at=timezone.now() - timedelta(days=3),
    )  # fmt: skip
    meeting = booked(chicago_seeker, marta, place="https://meet.example/abc")
    message = scheduling.meeting_news_start(owner=chicago_seeker, meeting=meeting)
    local = soon().astimezone(LONDON)
    assert message.subject == "Re: Twenty minutes on grid forecasting?"
    assert message.meeting == meeting
    assert message.kind == Message.Kind.SCHEDULING
    assert f"{local:%H:%M}-" in message.body
    assert "(London time)" in message.body
    assert "by video call (https://meet.example/abc)" in message.body
    assert "calendar invite" in message.body
    assert message.body.startswith("Hi Marta,")


def test_the_news_after_a_change_or_a_cancellation_says_so(
    chicago_seeker: User, marta: Contact
) -> None:
    meeting = booked(chicago_seeker, marta, sequence=1)
    moved = scheduling.meeting_news_start(owner=chicago_seeker, meeting=meeting)
    assert "new time" in moved.body
    assert "replaces the earlier one" in moved.body
    scheduling.meeting_cancel(owner=chicago_seeker, meeting=meeting)
    cancelled = scheduling.meeting_news_start(owner=chicago_seeker, meeting=meeting)
    assert "cancel our conversation" in cancelled.body
    assert cancelled.subject.startswith("Cancelled: our conversation on ")
