"""A scheduling email carries the meeting's invite: sent over real SMTP, taken apart as a
mail client would, and the calendar part parsed back with icalendar."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from django.utils import timezone
from icalendar import Calendar

from rapport.accounts.models import User
from rapport.meetings import scheduling
from rapport.meetings.models import Meeting
from rapport.meetings.scheduling import Arrangement
from rapport.outreach.delivery import message_deliver
from rapport.outreach.models import Message
from tests.factories import ContactFactory, MeetingFactory, MessageFactory
from tests.outreach import conftest as outreach_fixtures
from tests.outreach.conftest import SmtpServer

pytestmark = [pytest.mark.django_db, pytest.mark.smtp]

smtp_server = outreach_fixtures.smtp_server  # the real aiosmtpd server the outreach tests use


@pytest.fixture(autouse=True)
def sender(settings: Any) -> None:
    settings.DEFAULT_FROM_EMAIL = "Rapport <rapport@careers.example>"


def start_in(days: int) -> datetime:
    moment = timezone.now().astimezone(UTC) + timedelta(days=days)
    return moment.replace(hour=15, minute=0, second=0, microsecond=0)


def booked(owner: User) -> Meeting:
    marta = ContactFactory(
        owner=owner, first_name="Marta", last_name="Silva", email="marta@example.org",
        time_zone="Europe/London",
    )  # fmt: skip
    meeting: Meeting = MeetingFactory(owner=owner, contact=marta, start=start_in(3))
    return meeting


def send(meeting: Meeting, kind: str = Message.Kind.SCHEDULING) -> None:
    message = MessageFactory(
        owner=meeting.owner, contact=meeting.contact, meeting=meeting, kind=kind,
        subject="Our conversation", status=Message.Status.SCHEDULED,
        send_at=timezone.now() - timedelta(minutes=1),
    )  # fmt: skip
    assert message_deliver(message_id=message.pk, now=timezone.now()) == Message.Status.SENT


def calendar_parts(received: EmailMessage) -> list[EmailMessage]:
    return [part for part in received.walk() if part.get_content_type() == "text/calendar"]  # type: ignore[misc]


def the_invite(smtp_server: SmtpServer) -> tuple[EmailMessage, Calendar]:
    assert len(smtp_server.received) == 1
    parts = calendar_parts(smtp_server.received[0].message)
    assert len(parts) == 1
    payload = parts[0].get_payload(decode=True)
    assert isinstance(payload, bytes)
    return parts[0], Calendar.from_ical(payload)


def test_a_confirmation_carries_the_invite_as_a_calendar_request(
    alice: User, smtp_server: SmtpServer
) -> None:
    meeting = booked(alice)
    send(meeting)
    part, calendar = the_invite(smtp_server)
    assert part.get_param("method") == "REQUEST"
    assert part.get_content_charset() == "utf-8"
    assert part.get_filename() == "invite.ics"
    event = next(iter(calendar.walk("VEVENT")))
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == meeting.calendar_uid
    assert int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART").astimezone(UTC) == start_in(3)
    # The body the seeker wrote is still there, beside the invite.
    body = smtp_server.received[0].message.get_body(preferencelist=("plain",))
    assert body is not None
    assert "Hello" in str(body.get_content())


def test_after_a_reschedule_the_invite_is_the_same_event_one_sequence_on(
    alice: User, smtp_server: SmtpServer
) -> None:
    meeting = booked(alice)
    scheduling.meeting_reschedule(
        owner=alice, meeting=meeting, arrangement=Arrangement(start=start_in(6), mode="phone")
    )
    send(meeting)
    _, calendar = the_invite(smtp_server)
    event = next(iter(calendar.walk("VEVENT")))
    assert (str(event["UID"]), int(event["SEQUENCE"])) == (meeting.calendar_uid, 1)
    assert event.decoded("DTSTART").astimezone(UTC) == start_in(6)


def test_a_cancellation_carries_a_calendar_cancel(alice: User, smtp_server: SmtpServer) -> None:
    meeting = booked(alice)
    scheduling.meeting_cancel(owner=alice, meeting=meeting)
    send(meeting)
    part, calendar = the_invite(smtp_server)
    event = next(iter(calendar.walk("VEVENT")))
    assert part.get_param("method") == "CANCEL"
    assert calendar["METHOD"] == "CANCEL"
    assert (str(event["UID"]), int(event["SEQUENCE"])) == (meeting.calendar_uid, 1)
    assert str(event["STATUS"]) == "CANCELLED"


@pytest.mark.parametrize("kind", [Message.Kind.THANKS, Message.Kind.REQUEST])
def test_other_messages_about_a_meeting_carry_no_invite(
    alice: User, smtp_server: SmtpServer, kind: str
) -> None:
    send(booked(alice), kind=kind)
    assert calendar_parts(smtp_server.received[0].message) == []


def test_a_meeting_without_a_time_has_no_invite_to_attach(
    alice: User, smtp_server: SmtpServer
) -> None:
    meeting = booked(alice)
    Meeting.objects.filter(pk=meeting.pk).update(start=None, status=Meeting.Status.PROPOSED)
    meeting.refresh_from_db()
    send(meeting)
    assert calendar_parts(smtp_server.received[0].message) == []
