"""Scheduling pages: offering times, the time they picked, changing, cancelling, telling them,
with the errors shown on the form and other people's meetings not found."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from rapport.accounts.models import User
from rapport.contacts.models import Contact
from rapport.meetings.models import Meeting
from rapport.outreach.models import Message
from rapport.playbook.stages import Stage
from tests.factories import ContactFactory, MeetingFactory

pytestmark = pytest.mark.django_db

LONDON, CHICAGO = ZoneInfo("Europe/London"), ZoneInfo("America/Chicago")


@pytest.fixture
def marta(alice: User) -> Contact:
    alice.profile.time_zone = "America/Chicago"
    alice.profile.free_from, alice.profile.free_until = time(8), time(18)
    alice.profile.save()
    return ContactFactory(
        owner=alice, first_name="Marta", last_name="Silva", email="marta@example.org",
        time_zone="Europe/London", stage=Stage.REQUESTED,
    )  # fmt: skip


def later(days: int, hour: int) -> datetime:
    day = timezone.now().astimezone(UTC) + timedelta(days=days)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


def proposed(owner: User, contact: Contact) -> Meeting:
    starts = [later(3, 15), later(4, 16)]
    meeting: Meeting = MeetingFactory(
        owner=owner, contact=contact, start=None, status=Meeting.Status.PROPOSED,
        proposed_slots=[s.isoformat() for s in starts],
    )  # fmt: skip
    return meeting


def arrangement(**fields: str) -> dict[str, str]:
    return {
        "duration_min": "30", "mode": "video", "place": "https://meet.example/x",
        "formality": "business_casual", "travel_min": "0", "clock": "mine", **fields,
    }  # fmt: skip


# --- offering times ----------------------------------------------------------------------


def test_the_contact_page_links_to_scheduling(alice_client: Client, marta: Contact) -> None:
    page = alice_client.get(reverse("contacts:contact_detail", args=[marta.pk]))
    assert reverse("meetings:schedule_new", args=[marta.pk]).encode() in page.content


def test_the_schedule_page_shows_times_on_both_clocks_all_ticked(
    alice_client: Client, marta: Contact
) -> None:
    url = reverse("meetings:schedule_new", args=[marta.pk])
    page = alice_client.get(url, {"duration_min": "45", "mode": "phone", "horizon_days": "21"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "for you in Chicago" in html
    assert "for Marta in London" in html
    assert html.count('name="slot"') == html.count('name="slot" value="20') >= 1
    assert html.count(" checked>") >= html.count('name="slot"')
    assert 'name="duration_min" value="45"' in html


def test_offering_times_makes_the_meeting_and_opens_the_message(
    alice: User, alice_client: Client, marta: Contact
) -> None:
    starts = [later(3, 15).isoformat(), later(5, 14).isoformat()]
    response = alice_client.post(
        reverse("meetings:schedule_new", args=[marta.pk]),
        {"duration_min": "30", "mode": "video", "horizon_days": "14", "slot": starts},
    )
    meeting = Meeting.objects.get(owner=alice)
    message = Message.objects.get(owner=alice, meeting=meeting)
    assert response.status_code == 302
    assert response["Location"] == reverse("outreach:message_edit", args=[message.pk])
    assert meeting.status == Meeting.Status.PROPOSED
    assert len(meeting.proposed_slots) == 2
    assert "(London time)" in message.body


def test_offering_no_times_is_a_form_error_and_makes_nothing(
    alice_client: Client, marta: Contact
) -> None:
    response = alice_client.post(
        reverse("meetings:schedule_new", args=[marta.pk]),
        {"duration_min": "30", "mode": "video", "horizon_days": "14"},
    )
    assert response.status_code == 200
    assert b"Tick at least one time to offer." in response.content
    assert not Meeting.objects.exists()


def test_no_overlap_explains_and_points_to_the_settings(
    alice: User, alice_client: Client, marta: Contact
) -> None:
    alice.profile.free_from, alice.profile.free_until = time(19), time(23)
    alice.profile.save()
    page = alice_client.get(reverse("meetings:schedule_new", args=[marta.pk]))
    html = page.content.decode()
    assert "do not overlap" in html
    assert reverse("accounts:settings") in html
    assert 'name="slot"' not in html


def test_a_contact_without_a_zone_is_assumed_to_share_yours(
    alice: User, alice_client: Client
) -> None:
    contact = ContactFactory(owner=alice, first_name="Ravi", time_zone="")
    page = alice_client.get(reverse("meetings:schedule_new", args=[contact.pk]))
    assert b"does not know Ravi's time zone" in page.content


# --- the time they picked ----------------------------------------------------------------


def test_the_time_page_offers_the_times_given_and_books_the_one_picked(
    alice_client: Client, alice: User, marta: Contact
) -> None:
    meeting = proposed(alice, marta)
    url = reverse("meetings:meeting_time", args=[meeting.pk])
    page = alice_client.get(url)
    assert page.content.decode().count('name="slot"') == 3  # two offered, and "another time"
    response = alice_client.post(url, arrangement(slot=later(4, 16).isoformat()))
    assert response.status_code == 302
    meeting.refresh_from_db()
    marta.refresh_from_db()
    assert (meeting.status, meeting.start) == (Meeting.Status.CONFIRMED, later(4, 16))
    assert marta.stage == Stage.SCHEDULED
    detail = alice_client.get(reverse("meetings:meeting_detail", args=[meeting.pk]))
    assert b"Send a confirmation with the calendar invite" in detail.content


@pytest.mark.parametrize(("clock", "zone"), [("mine", CHICAGO), ("theirs", LONDON)])
def test_another_time_is_read_on_the_clock_chosen(
    alice_client: Client, alice: User, marta: Contact, clock: str, zone: ZoneInfo
) -> None:
    meeting = proposed(alice, marta)
    day = (timezone.now() + timedelta(days=6)).astimezone(zone).date()
    alice_client.post(
        reverse("meetings:meeting_time", args=[meeting.pk]),
        arrangement(slot="other", day=day.isoformat(), at="10:30", clock=clock),
    )
    meeting.refresh_from_db()
    assert meeting.start == datetime.combine(day, time(10, 30), zone)


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"slot": "other", "day": "2020-01-06", "at": "10:00"}, b"already passed"),
        ({"slot": "other"}, b"Give the day and the time you agreed."),
        ({"duration_min": "25"}, b"Select a valid choice"),
        ({"mode": "cafe", "place": ""}, b"name and address"),
    ],
)
def test_a_refused_time_shows_why_and_changes_nothing(
    alice_client: Client, alice: User, marta: Contact, fields: dict[str, str], error: bytes
) -> None:
    meeting = proposed(alice, marta)
    data = arrangement(slot=later(3, 15).isoformat()) | fields
    response = alice_client.post(reverse("meetings:meeting_time", args=[meeting.pk]), data)
    assert response.status_code == 200
    assert error in response.content
    meeting.refresh_from_db()
    assert (meeting.status, meeting.start, meeting.sequence) == ("proposed", None, 0)


def test_changing_a_booked_meeting_bumps_its_sequence(
    alice_client: Client, alice: User, marta: Contact
) -> None:
    meeting = MeetingFactory(owner=alice, contact=marta, start=later(3, 15))
    url = reverse("meetings:meeting_time", args=[meeting.pk])
    assert b'name="slot"' not in alice_client.get(url).content
    day = later(8, 15).astimezone(CHICAGO).date()
    alice_client.post(url, arrangement(day=day.isoformat(), at="09:15"))
    meeting.refresh_from_db()
    assert meeting.start == datetime.combine(day, time(9, 15), CHICAGO)
    assert meeting.sequence == 1
    invite = alice_client.get(reverse("meetings:meeting_invite", args=[meeting.pk]))
    assert b"SEQUENCE:1" in invite.content


def test_cancelling_is_post_only_and_then_offers_to_tell_them(
    alice_client: Client, alice: User, marta: Contact
) -> None:
    meeting = MeetingFactory(owner=alice, contact=marta, start=later(3, 15))
    url = reverse("meetings:meeting_cancel", args=[meeting.pk])
    assert alice_client.get(url).status_code == 405
    response = alice_client.post(url, follow=True)
    meeting.refresh_from_db()
    assert (meeting.status, meeting.sequence) == (Meeting.Status.CANCELLED, 1)
    assert b"Let Marta know" in response.content
    news = alice_client.post(reverse("meetings:meeting_news", args=[meeting.pk]))
    message = Message.objects.get(meeting=meeting)
    assert news["Location"] == reverse("outreach:message_edit", args=[message.pk])
    assert "cancel our conversation" in message.body


def test_the_meeting_list_shows_meetings_waiting_for_an_answer(
    alice_client: Client, alice: User, marta: Contact
) -> None:
    meeting = proposed(alice, marta)
    html = alice_client.get(reverse("meetings:meeting_list")).content.decode()
    assert "waiting for their answer" in html
    assert reverse("meetings:meeting_time", args=[meeting.pk]) in html
    assert "no date" not in html  # not listed as past as well
    detail = alice_client.get(reverse("meetings:meeting_detail", args=[meeting.pk]))
    assert b"You offered 2 times." in detail.content
    assert reverse("meetings:meeting_time", args=[meeting.pk]).encode() in detail.content


@pytest.mark.parametrize("name", ["meeting_time", "meeting_cancel", "meeting_news"])
def test_someone_elses_meeting_is_not_found(
    bob_client: Client, alice: User, marta: Contact, name: str
) -> None:
    meeting = proposed(alice, marta)
    response = bob_client.post(reverse(f"meetings:{name}", args=[meeting.pk]), arrangement())
    assert response.status_code == 404
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PROPOSED
    assert not Message.objects.exists()


def test_someone_elses_contact_cannot_be_scheduled(bob_client: Client, marta: Contact) -> None:
    url = reverse("meetings:schedule_new", args=[marta.pk])
    assert bob_client.get(url).status_code == 404
    assert bob_client.post(url, {"slot": [later(3, 15).isoformat()]}).status_code == 404
    assert not Meeting.objects.exists()
