"""The feed as a calendar app fetches it: no cookies, the token in the address, and a
calendar that parses back with the seeker's meetings and due actions and nothing else."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Component
from pytest_django import DjangoAssertNumQueries

from rapport.accounts.models import Profile, User
from rapport.contacts.models import Contact
from rapport.meetings import feeds
from rapport.meetings.models import Meeting
from rapport.outreach.models import Message
from rapport.playbook.stages import Stage
from rapport.reminders import selectors as reminders
from rapport.reminders.models import ActionSnooze
from tests.factories import ContactFactory, MeetingFactory, MessageFactory
from tests.meetings.test_calendar import assert_well_formed, own_lines, raw_value

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def nothing_remembered() -> Iterator[None]:
    reminders.forget_remembered()
    yield
    reminders.forget_remembered()


def soon(days: float = 2) -> datetime:
    """A whole-minute time `days` from now (iCalendar keeps whole seconds)."""
    return (timezone.now() + timedelta(days=days)).replace(second=0, microsecond=0)


def feed_url(owner: User) -> str:
    _, raw = feeds.feed_create(owner=owner)
    return reverse("meetings:calendar_feed", kwargs={"token": raw})


def fetch(url: str) -> bytes:
    """As a calendar app does: a fresh client with no session."""
    response = Client().get(url)
    assert response.status_code == 200, response.status_code
    raw = bytes(response.content)
    assert_well_formed(raw)
    return raw


def events(raw: bytes) -> dict[str, Component]:
    return {str(event["UID"]): event for event in Calendar.from_ical(raw).walk("VEVENT")}


def with_follow_up_due(owner: User, first_name: str = "Marta") -> Contact:
    person = ContactFactory(
        owner=owner, first_name=first_name, last_name="Silva", stage=Stage.REQUESTED
    )
    MessageFactory(
        owner=owner, contact=person, kind=Message.Kind.REQUEST, status=Message.Status.SENT,
        sent_at=timezone.now() - timedelta(days=14),
    )  # fmt: skip
    return person


def test_the_feed_needs_no_session_and_says_how_to_cache_it(alice: User) -> None:
    response = Client().get(feed_url(alice))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, max-age=300"
    assert "noindex" in response["X-Robots-Tag"]
    assert "sessionid" not in response.cookies
    calendar = Calendar.from_ical(response.content)
    assert calendar["X-WR-CALNAME"] == "Rapport"
    assert "METHOD" not in calendar


def test_an_unknown_and_a_revoked_token_get_the_same_404(alice: User) -> None:
    feed, raw = feeds.feed_create(owner=alice)
    feeds.feed_revoke(owner=alice, feed=feed)
    revoked = Client().get(reverse("meetings:calendar_feed", kwargs={"token": raw}))
    unknown = Client().get(reverse("meetings:calendar_feed", kwargs={"token": "x" * len(raw)}))

    assert revoked.status_code == unknown.status_code == 404
    assert without_csrf(revoked.content) == without_csrf(unknown.content)
    assert b"BEGIN:VCALENDAR" not in revoked.content


def without_csrf(page: bytes) -> bytes:
    """The page with its CSRF tokens blanked: they differ on every response."""
    return re.sub(rb'("X-CSRFToken": |name="csrfmiddlewaretoken" value=)"[^"]*"', b"", page)


def test_the_feed_is_read_only(alice: User) -> None:
    assert Client().post(feed_url(alice)).status_code == 405


def test_meetings_come_with_their_uid_and_time_in_the_seekers_zone(alice: User) -> None:
    Profile.objects.filter(user=alice).update(time_zone="America/Chicago")
    marta = ContactFactory(
        owner=alice, first_name="Marta", last_name="Silva", time_zone="Europe/London",
        company__name="Lumen Grid",
    )  # fmt: skip
    start = soon()
    meeting = MeetingFactory(owner=alice, contact=marta, start=start, duration_min=45)

    raw = fetch(feed_url(alice))
    event = events(raw)[meeting.calendar_uid]

    assert event["DTSTART"].params["TZID"] == "America/Chicago"
    assert event.decoded("DTSTART").astimezone(UTC) == start
    assert event.decoded("DTEND").astimezone(UTC) == start + timedelta(minutes=45)
    assert str(event["SUMMARY"]) == "Informational interview: Marta Silva (Lumen Grid)"
    assert event["STATUS"] == "CONFIRMED"
    assert [tz["TZID"] for tz in Calendar.from_ical(raw).walk("VTIMEZONE")] == ["America/Chicago"]


def test_a_cancelled_meeting_stays_as_cancelled_so_calendars_drop_it(alice: User) -> None:
    meeting = MeetingFactory(owner=alice, start=soon(), status=Meeting.Status.CANCELLED)

    event = events(fetch(feed_url(alice)))[meeting.calendar_uid]

    assert event["STATUS"] == "CANCELLED"


def test_only_agreed_times_from_a_month_back_are_in_the_feed(alice: User) -> None:
    recent = MeetingFactory(owner=alice, start=soon(-20), status=Meeting.Status.DONE)
    old = MeetingFactory(owner=alice, start=soon(-45), status=Meeting.Status.DONE)
    proposed = MeetingFactory(owner=alice, start=soon(3), status=Meeting.Status.PROPOSED)
    untimed = MeetingFactory(owner=alice, start=None, status=Meeting.Status.PROPOSED)

    found = events(fetch(feed_url(alice)))

    assert recent.calendar_uid in found
    assert not {old.calendar_uid, proposed.calendar_uid, untimed.calendar_uid} & set(found)


def test_due_actions_are_short_events_at_their_due_time(alice: User) -> None:
    marta = with_follow_up_due(alice)

    found = events(fetch(feed_url(alice)))
    due = reminders.today_actions(owner=alice, now=timezone.now())
    follow_up = next(s.action for s in due.now_due if s.kind == "follow_up")
    event = found[f"{follow_up.key}@rapport"]

    assert str(event["SUMMARY"]) == "Follow up with Marta Silva"
    assert event.decoded("DTSTART").astimezone(UTC) == follow_up.due_at.replace(microsecond=0)
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=15)
    assert event["TRANSP"] == "TRANSPARENT"
    assert str(event["URL"]).endswith(f"/contacts/{marta.pk}/")
    assert str(event["DESCRIPTION"]).startswith("No reply")


def test_a_snoozed_action_is_left_out(alice: User) -> None:
    with_follow_up_due(alice)
    due = reminders.today_actions(owner=alice, now=timezone.now()).now_due
    alice_keys = {f"{s.action.key}@rapport" for s in due}
    for shown in due:
        ActionSnooze.objects.create(
            owner=alice, contact=shown.contact, action_key=shown.action.key, until=None
        )

    assert not alice_keys & set(events(fetch(feed_url(alice))))


def test_someone_elses_meetings_and_actions_never_appear(alice: User, bob: User) -> None:
    ContactFactory(owner=bob)  # so the ids of the two seekers' rows interleave
    theirs = MeetingFactory(owner=bob, start=soon(), contact__first_name="Quentin")
    with_follow_up_due(bob, first_name="Quentin")
    mine = MeetingFactory(owner=alice, start=soon())

    raw = fetch(feed_url(alice))

    assert set(events(raw)) == {mine.calendar_uid}
    assert b"Quentin" not in raw
    assert theirs.calendar_uid.encode() not in raw


def test_a_name_cannot_break_out_of_its_line_or_add_an_event(alice: User) -> None:
    evil = ContactFactory(
        owner=alice, first_name="Eve, the; \\boss", company=None,
        last_name="X\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil@x\r\nSUMMARY:pwned",
    )  # fmt: skip
    meeting = MeetingFactory(owner=alice, contact=evil, start=soon(), notes="one\ntwo, three")

    raw = fetch(feed_url(alice))

    assert set(events(raw)) == {meeting.calendar_uid}
    assert raw.count(b"\r\nBEGIN:VEVENT\r\n") == 1
    summary = raw_value(raw, "SUMMARY")
    assert summary.startswith("Informational interview: Eve\\, the\\; \\\\boss X\\nEND:VEVENT")
    assert "\\n\\none\\ntwo\\, three" in raw_value(raw, "DESCRIPTION")
    assert [line for line in own_lines(raw, "VEVENT") if line.startswith("UID")] == [
        f"UID:{meeting.calendar_uid}"
    ]


def test_long_lines_are_folded_under_75_octets(alice: User) -> None:
    marta = ContactFactory(owner=alice, first_name="Zoë " * 30, last_name="Ångström")
    MeetingFactory(owner=alice, contact=marta, start=soon(), notes="Café ☕ " * 80)

    raw = fetch(feed_url(alice))  # assert_well_formed checks every line is <= 75 octets

    assert b"\r\n " in raw
    assert "Ångström" in raw_value(raw, "SUMMARY")


def test_the_query_count_does_not_grow_with_the_meetings(
    alice: User, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    url = feed_url(alice)
    MeetingFactory(owner=alice, start=soon())
    with_follow_up_due(alice)
    fetch(url)  # the first poll notes "last used"; later ones only read

    few = _queries(url)
    for day in range(25):
        MeetingFactory(owner=alice, start=soon(day + 1))
        with_follow_up_due(alice, first_name=f"Person{day}")
    reminders.forget_remembered()
    with django_assert_max_num_queries(few):
        raw = fetch(url)

    found = set(events(raw))
    assert len(set(Meeting.objects.values_list("calendar_uid", flat=True)) & found) == 26
    assert len([uid for uid in found if uid.startswith("follow_up:")]) == 26
    assert few <= 12


def _queries(url: str) -> int:
    reminders.forget_remembered()
    with CaptureQueriesContext(connection) as captured:
        fetch(url)
    return len(captured)
