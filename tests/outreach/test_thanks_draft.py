"""The thank-you after a meeting: a draft that quotes the advice noted in it, a coach that
checks it against those notes, a card to print, and "thanked" once it is sent."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from rapport.accounts.models import User
from rapport.core import clock
from rapport.meetings import live
from rapport.meetings.live import TakeawayData
from rapport.meetings.models import Meeting
from rapport.outreach import composer, services
from rapport.outreach import review as reviewing
from rapport.outreach.models import Message
from rapport.playbook.rules import RuleId
from rapport.playbook.stages import Stage
from tests.factories import ContactFactory, MeetingFactory

pytestmark = pytest.mark.django_db

FIRST = "Learn SQL alongside GIS before applying"
SECOND = "Join the Open Data meetup in Leeds"


@pytest.fixture
def meeting(alice: User, monkeypatch: pytest.MonkeyPatch) -> Meeting:
    """A meeting alice has just ended."""
    ended = datetime(2025, 3, 4, 14, 30, tzinfo=UTC)
    monkeypatch.setattr(clock, "now", lambda: ended)
    marta = ContactFactory(
        owner=alice, first_name="Marta", last_name="Silva", stage="scheduled",
        email="marta@example.org",
    )  # fmt: skip
    meeting = MeetingFactory(owner=alice, contact=marta, start=ended - timedelta(minutes=30))
    return live.meeting_end(owner=alice, meeting=meeting)


def advise(meeting: Meeting, *texts: str) -> None:
    for text in texts:
        live.takeaway_add(
            owner=meeting.owner, meeting=meeting, kind="advice", data=TakeawayData(text)
        )


def write_thanks(client: Client, meeting: Meeting, channel: str = "email") -> Message:
    response = client.post(
        reverse("meetings:meeting_thanks", args=[meeting.pk]), {"channel": channel}
    )
    message = Message.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-2]))
    assert response["Location"] == reverse("outreach:message_edit", args=[message.pk])
    return message


def words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower())


def test_the_draft_quotes_the_first_advice_they_gave(
    alice_client: Client, meeting: Meeting
) -> None:
    advise(meeting, FIRST)
    message = write_thanks(alice_client, meeting)
    assert message.kind == Message.Kind.THANKS
    assert message.meeting == meeting
    body = message.body.lower()
    assert all(word in body for word in words(FIRST)), message.body
    assert "[" not in message.body  # no placeholder left to fill


def test_a_second_piece_of_advice_is_mentioned_too(alice_client: Client, meeting: Meeting) -> None:
    advise(meeting, FIRST, SECOND)
    body = write_thanks(alice_client, meeting).body.lower()
    assert all(word in body for word in words(FIRST) + words(SECOND))
    assert body.index("sql") < body.index("meetup")


def test_without_advice_the_notes_or_a_visible_placeholder_stand_in(
    alice: User, alice_client: Client, meeting: Meeting
) -> None:
    blank = write_thanks(alice_client, meeting)
    assert f"[{composer.UNFILLED['advice']}]" in blank.body
    other = MeetingFactory(owner=alice, contact=meeting.contact, notes="- Portfolio first\nmore")
    assert "Portfolio first" in write_thanks(alice_client, other).body


def test_advice_written_as_an_instruction_reads_on_after_your_advice_about() -> None:
    clause = composer._advice_clause
    assert clause("Learn SQL first.") == "learning SQL first"
    assert clause("to get a mentor") == "getting a mentor"
    assert clause("Take the evening course") == "taking the evening course"
    assert clause("Portfolio over CV") == "Portfolio over CV"
    assert clause("SQL matters most") == "SQL matters most"


def test_the_coach_accepts_a_draft_that_quotes_the_advice_and_flags_a_generic_one(
    alice: User, alice_client: Client, meeting: Meeting
) -> None:
    advise(meeting, FIRST)
    message = write_thanks(alice_client, meeting)
    now = clock.now()
    specific = reviewing.message_review(message, profile=alice.profile, now=now)
    assert RuleId.THANKS_SPECIFIC not in {f.rule for f in specific.findings}
    message.body = "Hi Marta,\n\nThank you so much for your time today. I'll be in touch.\n\nAna"
    generic = reviewing.message_review(message, profile=alice.profile, now=now)
    assert RuleId.THANKS_SPECIFIC in {f.rule for f in generic.findings}


def test_the_coach_knows_the_notes_under_each_question(alice: User, meeting: Meeting) -> None:
    notes = reviewing.meeting_notes(meeting)
    assert notes == ""
    live.meeting_notes_save(owner=alice, meeting=meeting, notes="Portfolio over CV")
    advise(meeting, FIRST)
    notes = reviewing.meeting_notes(meeting)
    assert "Portfolio over CV" in notes
    assert FIRST in notes
    assert "learning SQL" in notes


def test_writing_again_opens_the_same_draft_and_a_card_can_be_printed(
    alice_client: Client, meeting: Meeting
) -> None:
    advise(meeting, FIRST)
    first = write_thanks(alice_client, meeting)
    assert write_thanks(alice_client, meeting) == first
    card = write_thanks(alice_client, meeting, channel="letter")
    assert card != first
    assert card.channel == Message.Channel.LETTER
    assert "sql alongside gis" in card.body.lower()
    letter = alice_client.get(reverse("outreach:message_letter", args=[card.pk]))
    assert letter.status_code == 200


def test_the_meeting_page_offers_the_thank_you_and_links_a_started_one(
    alice_client: Client, meeting: Meeting
) -> None:
    detail = reverse("meetings:meeting_detail", args=[meeting.pk])
    page = alice_client.get(detail).content.decode()
    assert "Write the thank-you" in page
    assert "Write a card to post" in page
    message = write_thanks(alice_client, meeting)
    page = alice_client.get(detail).content.decode()
    assert reverse("outreach:message_detail", args=[message.pk]) in page


def test_sending_the_thank_you_moves_the_contact_to_thanked(
    alice: User, alice_client: Client, meeting: Meeting
) -> None:
    advise(meeting, FIRST)
    message = write_thanks(alice_client, meeting)
    services.message_mark_sent(
        owner=alice,
        message=message,
        sent_at=clock.now(),
        approval=services.Approval(errors_acknowledged=True),
    )
    meeting.contact.refresh_from_db()
    assert meeting.contact.stage == Stage.THANKED


def test_a_cancelled_meeting_has_nobody_to_thank(alice_client: Client, alice: User) -> None:
    cancelled = MeetingFactory(owner=alice, status=Meeting.Status.CANCELLED)
    response = alice_client.post(reverse("meetings:meeting_thanks", args=[cancelled.pk]))
    assert response["Location"] == reverse("meetings:meeting_detail", args=[cancelled.pk])
    assert not Message.objects.exists()
