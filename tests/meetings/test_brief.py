"""The printable brief: who, their path, common ground, the plan with spares, and the day's
logistics from the playbook (leave by, attire, what to bring, who pays)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from rapport.accounts.models import User
from rapport.meetings import plans
from rapport.meetings.models import Meeting
from rapport.playbook import day
from tests.factories import ContactFactory, MeetingFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")  # alice's zone (the profile factory's)
START = datetime(2031, 3, 12, 14, 0, tzinfo=UTC)


def _meeting(owner: User, **fields: object) -> Meeting:
    contact = ContactFactory(
        owner=owner,
        first_name="Marta",
        last_name="Silva",
        title="Head of Research",
        time_zone="America/Chicago",
        research_role="Leads a team of six analysts on grid storage.",
        research_path="Physics PhD, then two years consulting before joining.",
        common_ground="We both studied in Leeds.",
    )
    values = {"start": START, "mode": "cafe", "travel_min": 25, "place": "Laynes Espresso"}
    return MeetingFactory(owner=owner, contact=contact, **{**values, **fields})


def _brief(client: Client, meeting: Meeting) -> str:
    response = client.get(reverse("meetings:meeting_brief", args=[meeting.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_brief_says_who_and_their_path(alice: User, alice_client: Client) -> None:
    meeting = _meeting(alice)
    page = _brief(alice_client, meeting)
    assert "Marta Silva" in page
    assert "Head of Research" in page
    assert str(meeting.contact.company) in page
    assert "Leads a team of six analysts" in page
    assert "Physics PhD" in page
    assert "We both studied in Leeds." in page


def test_leave_by_comes_from_the_playbook(alice: User, alice_client: Client) -> None:
    meeting = _meeting(alice)
    expected = day.leave_by(START.astimezone(LONDON), 25, mode="cafe")
    assert expected is not None
    page = _brief(alice_client, meeting)
    assert f'data-leave-by="{expected.isoformat()}"' in page
    assert f"<strong>{expected:%H:%M}</strong>" in page


def test_the_day_shows_both_zones_attire_what_to_bring_and_who_pays(
    alice: User, alice_client: Client
) -> None:
    meeting = _meeting(alice)
    page = _brief(alice_client, meeting)
    assert f"{START.astimezone(LONDON):%H:%M}" in page
    assert f"{START.astimezone(ZoneInfo('America/Chicago')):%H:%M} for Marta" in page
    assert escape(day.attire("business_casual", "cafe")) in page
    for item in day.what_to_bring("cafe"):
        assert escape(item) in page
    pays = day.who_pays("cafe")
    assert pays
    assert escape(pays) in page


def test_a_video_call_has_no_leave_by_and_no_bill(alice: User, alice_client: Client) -> None:
    meeting = _meeting(alice, mode="video", travel_min=0, place="https://meet.example/x")
    page = _brief(alice_client, meeting)
    assert "data-leave-by" not in page
    assert "Paying" not in page
    assert "https://meet.example/x" in page


def test_the_plan_is_numbered_with_cut_questions_as_spares(
    alice: User, alice_client: Client
) -> None:
    meeting = _meeting(alice, duration_min=15)
    for text, priority in [
        ("What does a typical week look like for you?", 1),
        ("What trends do you see in this field?", 2),
        ("What would you do in my place?", 2),
        ("Who else should I talk to?", 3),
        ("What could I read to learn more?", 3),
    ]:
        plans.question_add(owner=alice, meeting=meeting, text=text, priority=priority)
    page = _brief(alice_client, meeting)
    kept, spares = page.split("Spares, if time allows")
    assert "What would you do in my place?" in kept
    assert "Who else should I talk to?" in spares
    assert "What could I read" in spares
    assert 'start="4"' in spares


def test_the_print_button_is_a_script_file_not_inline(alice: User, alice_client: Client) -> None:
    page = _brief(alice_client, _meeting(alice))
    assert "js/plan.js" in page
    assert "css/brief.css" in page
    assert "<script>" not in page
    assert "onclick" not in page
