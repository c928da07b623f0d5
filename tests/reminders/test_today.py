"""The Today list as the seeker sees it: derived from the history, minus snoozes, in a
fixed number of queries; and the page's one-click actions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rapport.accounts.models import User
from rapport.contacts.models import Contact
from rapport.meetings.models import Meeting
from rapport.outreach import services as outreach
from rapport.outreach.models import Message
from rapport.playbook.stages import Stage
from rapport.reminders import services
from rapport.reminders.models import ActionSnooze
from rapport.reminders.selectors import histories, today_actions
from tests.factories import CompanyFactory, ContactFactory, MeetingFactory, MessageFactory

pytestmark = pytest.mark.django_db

# A Wednesday in a week without public holidays in Britain.
NOW = datetime(2026, 11, 18, 14, 0, tzinfo=UTC)


def requested(owner: User, *, days_ago: int, **contact: object) -> Contact:
    person = ContactFactory(owner=owner, stage=Stage.REQUESTED, country="GB", **contact)
    MessageFactory(
        owner=owner,
        contact=person,
        kind=Message.Kind.REQUEST,
        status=Message.Status.SENT,
        sent_at=NOW - timedelta(days=days_ago),
    )
    return person


def kinds(owner: User, now: datetime = NOW) -> dict[str, set[int]]:
    """The contacts each kind of action is due for now (not "coming up")."""
    found: dict[str, set[int]] = {}
    for item in today_actions(owner=owner, now=now).now_due:
        found.setdefault(item.kind, set()).add(item.contact.pk)
    return found


def test_a_request_unanswered_for_seven_business_days_is_due_for_a_follow_up(alice: User) -> None:
    waited = requested(alice, days_ago=10)  # Sun 8 Nov: 7 business days by Wed 18 Nov
    recent = requested(alice, days_ago=2)
    found = kinds(alice)
    assert waited.pk in found["follow_up"]
    assert recent.pk not in found.get("follow_up", set())


def test_a_reply_stops_the_follow_up_at_once(alice: User) -> None:
    person = requested(alice, days_ago=10)
    assert person.pk in kinds(alice)["follow_up"]
    outreach.contact_reply_received(owner=alice, contact=person, at=NOW - timedelta(days=1))
    assert person.pk not in kinds(alice).get("follow_up", set())


def test_after_the_last_nudge_the_contact_is_to_be_let_rest(alice: User) -> None:
    person = requested(alice, days_ago=30)
    request = person.messages.get()
    MessageFactory(
        owner=alice, contact=person, kind=Message.Kind.FOLLOW_UP, in_reply_to=request,
        status=Message.Status.SENT, sent_at=NOW - timedelta(days=15),
    )  # fmt: skip
    found = kinds(alice)
    assert person.pk in found["no_reply"]
    assert person.pk not in found.get("follow_up", set())


def test_an_ended_meeting_without_thanks_asks_for_one_with_a_countdown(alice: User) -> None:
    person = ContactFactory(owner=alice, stage=Stage.MET)
    MeetingFactory(
        owner=alice, contact=person, start=NOW - timedelta(hours=3), duration_min=30,
        status=Meeting.Status.DONE,
    )  # fmt: skip
    actions = today_actions(owner=alice, now=NOW)
    thanks = [a for a in actions.due_today if a.kind == "thanks"]
    assert [a.contact for a in thanks] == [person]
    assert thanks[0].countdown == "21 h left"  # ended 2 h 30 min ago, 24 h to thank


def test_a_thank_you_sent_for_the_meeting_ends_the_countdown(alice: User) -> None:
    person = ContactFactory(owner=alice, stage=Stage.MET)
    meeting = MeetingFactory(
        owner=alice, contact=person, start=NOW - timedelta(hours=3), status=Meeting.Status.DONE
    )
    MessageFactory(
        owner=alice, contact=person, kind=Message.Kind.THANKS, meeting=meeting,
        status=Message.Status.SENT, sent_at=NOW - timedelta(hours=1),
    )  # fmt: skip
    assert "thanks" not in kinds(alice)


def test_the_keep_in_touch_update_follows_the_contacts_own_cadence(alice: User) -> None:
    usual = ContactFactory(owner=alice, stage=Stage.THANKED)
    often = ContactFactory(owner=alice, stage=Stage.THANKED, keep_in_touch_weeks=2)
    for person in (usual, often):
        MessageFactory(
            owner=alice, contact=person, kind=Message.Kind.THANKS,
            status=Message.Status.SENT, sent_at=NOW - timedelta(weeks=3),
        )  # fmt: skip
    found = kinds(alice)
    assert often.pk in found["update"]
    assert usual.pk not in found["update"]


def test_someone_else_at_the_same_employer_is_suggested_once(alice: User) -> None:
    acme = CompanyFactory(owner=alice, name="Acme")
    requested(alice, days_ago=8, company=acme)  # then someone else there was asked
    latest = requested(alice, days_ago=5, company=acme)  # Fri 13 Nov: 3 business days ago
    suggestions = [a for a in today_actions(owner=alice, now=NOW).now_due
                   if a.kind == "second_person"]  # fmt: skip
    assert [a.contact for a in suggestions] == [latest]
    assert suggestions[0].title == "Try someone else at Acme"


def test_snoozed_and_dismissed_actions_are_hidden_until_their_day(alice: User) -> None:
    person = requested(alice, days_ago=10)
    key = next(a.action.key for a in today_actions(owner=alice, now=NOW).now_due
               if a.contact == person and a.kind == "follow_up")  # fmt: skip
    today = NOW.date()
    services.action_snooze(
        owner=alice, contact=person, action_key=key, until=today + timedelta(days=2), today=today
    )
    assert person.pk not in kinds(alice).get("follow_up", set())
    assert person.pk in kinds(alice, NOW + timedelta(days=2))["follow_up"]
    services.action_snooze(owner=alice, contact=person, action_key=key, until=None, today=today)
    assert person.pk not in kinds(alice, NOW + timedelta(days=20)).get("follow_up", set())
    assert ActionSnooze.objects.for_owner(alice).count() == 1


@pytest.mark.parametrize(
    ("key", "until"),
    [("not a key!", None), ("follow_up:request:1:1", date(2026, 11, 18))],
)
def test_a_bad_key_or_a_day_that_is_not_ahead_is_refused(
    alice: User, key: str, until: date | None
) -> None:
    from rapport.core.errors import RapportError

    person = ContactFactory(owner=alice)
    with pytest.raises(RapportError):
        services.action_snooze(
            owner=alice, contact=person, action_key=key, until=until, today=NOW.date()
        )
    assert not ActionSnooze.objects.exists()


def test_the_list_takes_the_same_queries_for_5_contacts_or_50(alice: User) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            today_actions(owner=alice, now=NOW)
        return len(queries)

    for _ in range(5):
        requested(alice, days_ago=10)
    few = count()
    for index in range(45):
        person = requested(alice, days_ago=10 + index % 20)
        if index % 3 == 0:
            MeetingFactory(owner=alice, contact=person, start=NOW - timedelta(days=index))
    assert count() == few


def test_histories_never_include_someone_elses_contacts(alice: User, bob: User) -> None:
    requested(bob, days_ago=10)
    mine = requested(alice, days_ago=10)
    assert [h.contact_id for h in histories(owner=alice, now=NOW)] == [mine.pk]


# --- the page --------------------------------------------------------------------------------


def test_today_shows_the_follow_up_with_its_one_click_actions(
    alice: User, alice_client: Client
) -> None:
    person = requested(alice, days_ago=12, first_name="Marta", last_name="Silva")
    Message.objects.filter(contact=person).update(sent_at=datetime.now(UTC) - timedelta(days=15))
    html = alice_client.get(reverse("web:today")).content.decode()
    assert "Follow up with Marta Silva" in html
    assert "Write the follow-up" in html
    assert "They replied" in html
    assert reverse("reminders:action_snooze") in html


def test_putting_off_an_action_from_the_page(alice: User, alice_client: Client) -> None:
    person = requested(alice, days_ago=15)
    Message.objects.filter(contact=person).update(sent_at=datetime.now(UTC) - timedelta(days=15))
    tomorrow = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
    key = f"follow_up:request:{person.messages.get().pk}:1"
    response = alice_client.post(
        reverse("reminders:action_snooze"),
        {"contact": person.pk, "key": key, "until": tomorrow},
    )
    assert response.status_code == 302
    assert ActionSnooze.objects.for_owner(alice).get().action_key == key


def test_someone_elses_contact_cannot_be_snoozed_or_let_rest(
    alice: User, bob_client: Client
) -> None:
    person = requested(alice, days_ago=15)
    snooze = bob_client.post(
        reverse("reminders:action_snooze"),
        {"contact": person.pk, "key": "follow_up:request:1:1", "until": "never"},
    )
    assert snooze.status_code == 404
    rest = bob_client.post(reverse("reminders:contact_no_reply", args=[person.pk]))
    assert rest.status_code == 404
    person.refresh_from_db()
    assert person.stage == Stage.REQUESTED
    assert not ActionSnooze.objects.exists()


def test_letting_a_contact_rest_moves_them_to_no_reply(alice: User, alice_client: Client) -> None:
    person = requested(alice, days_ago=40)
    response = alice_client.post(reverse("reminders:contact_no_reply", args=[person.pk]))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.stage == Stage.NO_REPLY
