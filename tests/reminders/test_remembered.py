"""The Today list is remembered per version of the seeker's history; database triggers
raise the version on every change it depends on, whichever way the change is made."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport.accounts.models import Profile, User
from rapport.contacts.models import Contact
from rapport.meetings.models import Meeting
from rapport.outreach.models import Message
from rapport.playbook.stages import Stage
from rapport.reminders import selectors
from rapport.reminders.models import ActionSnooze, HistoryVersion
from tests.factories import ContactFactory, MeetingFactory, MessageFactory

# Transactions are real here: the remembered list is only kept outside one.
pytestmark = pytest.mark.django_db(transaction=True)

NOW = datetime(2026, 11, 18, 14, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def nothing_remembered() -> Iterator[None]:
    selectors.forget_remembered()
    yield
    selectors.forget_remembered()


def version(owner: User) -> int:
    return HistoryVersion.objects.filter(owner_id=owner.pk).values_list("version", flat=True)[0]


def requested(owner: User, days_ago: int = 10) -> Contact:
    person = ContactFactory(owner=owner, stage=Stage.REQUESTED)
    MessageFactory(
        owner=owner, contact=person, kind=Message.Kind.REQUEST, status=Message.Status.SENT,
        sent_at=NOW - timedelta(days=days_ago),
    )  # fmt: skip
    return person


def follow_ups(owner: User) -> set[int]:
    actions = selectors.today_actions(owner=owner, now=NOW).now_due
    return {a.contact.pk for a in actions if a.kind == "follow_up"}


@pytest.mark.parametrize(
    "change",
    [
        "message inserted",
        "message updated in bulk",
        "message deleted",
        "meeting inserted",
        "contact stage updated in bulk",
        "snooze added",
        "profile policy changed",
    ],
)
def test_every_change_the_list_depends_on_raises_the_version(alice: User, change: str) -> None:
    person = requested(alice)
    before = version(alice)
    message = person.messages.get()
    if change == "message inserted":
        MessageFactory(owner=alice, contact=person)
    elif change == "message updated in bulk":
        Message.objects.filter(pk=message.pk).update(reply_received_at=NOW)
    elif change == "message deleted":
        message.delete()
    elif change == "meeting inserted":
        MeetingFactory(owner=alice, contact=person)
    elif change == "contact stage updated in bulk":
        Contact.objects.filter(pk=person.pk).update(stage=Stage.DECLINED)
    elif change == "snooze added":
        ActionSnooze.objects.create(owner=alice, contact=person, action_key="x:y", until=None)
    elif change == "profile policy changed":
        Profile.objects.filter(user=alice).update(max_nudges=2)
    assert version(alice) != before


def test_changes_that_do_not_matter_leave_the_version_alone(alice: User, bob: User) -> None:
    person = requested(alice)
    before = version(alice)
    Contact.objects.filter(pk=person.pk).update(title="Director", notes="Met at a fair")
    ContactFactory(owner=alice)  # a new contact has no history yet
    requested(bob)  # someone else's history
    assert version(alice) == before


def test_a_remembered_list_is_reused_until_the_history_changes(alice: User) -> None:
    first = requested(alice)
    assert follow_ups(alice) == {first.pk}
    with CaptureQueriesContext(connection) as again:
        assert follow_ups(alice) == {first.pk}
    read_messages = [q for q in again if "outreach_message" in q["sql"]]
    assert read_messages == [], "the second read worked the list out again"

    # A reply written straight to the table (no service, no signal) still counts.
    Message.objects.filter(contact=first).update(reply_received_at=NOW - timedelta(days=1))
    assert follow_ups(alice) == set()


def test_a_meeting_ending_brings_its_thank_you_without_any_write(alice: User) -> None:
    person = ContactFactory(owner=alice, stage=Stage.SCHEDULED)
    MeetingFactory(
        owner=alice, contact=person, start=NOW + timedelta(minutes=30), duration_min=30,
        status=Meeting.Status.CONFIRMED,
    )  # fmt: skip

    def thanks(now: datetime) -> list[int]:
        actions = selectors.today_actions(owner=alice, now=now).now_due
        return [a.contact.pk for a in actions if a.kind == "thanks"]

    assert thanks(NOW) == []
    assert thanks(NOW + timedelta(hours=1, minutes=1)) == [person.pk]


def test_no_list_is_remembered_inside_a_transaction(alice: User) -> None:
    from django.db import transaction

    requested(alice)
    with transaction.atomic():
        follow_ups(alice)
    with transaction.atomic(), CaptureQueriesContext(connection) as inside:
        follow_ups(alice)
    assert any("outreach_message" in q["sql"] for q in inside)
