"""A meeting's .ics download: the owner's meeting as an invite that parses back."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from rapport.accounts.models import User
from rapport.meetings.models import Meeting
from tests.factories import ContactFactory, MeetingFactory

pytestmark = pytest.mark.django_db

START = datetime(2026, 12, 3, 16, 0, tzinfo=UTC)


def test_the_invite_downloads_and_parses_back_with_the_meetings_facts(
    alice: User, alice_client: Client
) -> None:
    marta = ContactFactory(
        owner=alice, first_name="Marta", last_name="Silva", email="marta@example.org",
        time_zone="Europe/London", company__name="Lumen Grid",
    )  # fmt: skip
    meeting = MeetingFactory(
        owner=alice, contact=marta, start=START, duration_min=30,
        place="https://meet.example/abc-def", notes="Ask about the grid pilot; bring, notes",
    )  # fmt: skip
    response = alice_client.get(reverse("meetings:meeting_invite", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert 'filename="meeting-marta-silva-2026-12-03.ics"' in response["Content-Disposition"]
    calendar = Calendar.from_ical(response.content)
    assert calendar["METHOD"] == "REQUEST"
    event = next(iter(calendar.walk("VEVENT")))
    assert str(event["UID"]) == meeting.calendar_uid
    assert event.decoded("DTSTART").astimezone(UTC) == START
    assert event.decoded("DTEND").astimezone(UTC) == datetime(2026, 12, 3, 16, 30, tzinfo=UTC)
    assert str(event["SUMMARY"]) == "Informational interview: Marta Silva (Lumen Grid)"
    assert "Ask about the grid pilot; bring, notes" in str(event["DESCRIPTION"])
    assert str(event["ATTENDEE"]) == "mailto:marta@example.org"


def test_a_cancelled_meeting_downloads_as_a_cancellation_of_the_same_event(
    alice: User, alice_client: Client
) -> None:
    meeting = MeetingFactory(owner=alice, start=START, status=Meeting.Status.CANCELLED, sequence=2)
    response = alice_client.get(reverse("meetings:meeting_invite", args=[meeting.pk]))
    calendar = Calendar.from_ical(response.content)
    event = next(iter(calendar.walk("VEVENT")))
    assert calendar["METHOD"] == "CANCEL"
    assert str(event["UID"]) == meeting.calendar_uid
    assert int(event["SEQUENCE"]) == 2


def test_a_meeting_without_a_time_has_no_invite(alice: User, alice_client: Client) -> None:
    meeting = MeetingFactory(owner=alice, start=None, status=Meeting.Status.PROPOSED)
    response = alice_client.get(reverse("meetings:meeting_invite", args=[meeting.pk]))
    assert response.status_code == 404


def test_someone_elses_meeting_is_not_found(alice: User, bob_client: Client) -> None:
    meeting = MeetingFactory(owner=alice, start=START)
    response = bob_client.get(reverse("meetings:meeting_invite", args=[meeting.pk]))
    assert response.status_code == 404
