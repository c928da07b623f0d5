from __future__ import annotations

import pytest

from rapport.accounts.models import User
from rapport.contacts import services
from rapport.contacts.models import Company, Contact, ContactEvent
from rapport.core.errors import RapportError
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def test_a_company_is_found_again_by_its_name_however_written(alice: User) -> None:
    first = services.company_for_name(owner=alice, name="Acme, Inc.")
    again = services.company_for_name(owner=alice, name="ACME")
    assert first == again
    assert Company.objects.for_owner(alice).count() == 1


def test_two_people_can_each_have_an_acme(alice: User, bob: User) -> None:
    assert services.company_for_name(owner=alice, name="Acme") != services.company_for_name(
        owner=bob, name="Acme"
    )


def test_creating_a_duplicate_company_is_refused(alice: User) -> None:
    services.company_create(owner=alice, name="Corvane Energy")
    with pytest.raises(RapportError) as caught:
        services.company_create(owner=alice, name="corvane energy ltd")
    assert caught.value.code == "duplicate"


def test_edits_by_hand_are_remembered_and_go_on_the_timeline(alice: User) -> None:
    contact = ContactFactory(owner=alice, title="Analyst")
    services.contact_update(owner=alice, contact=contact, data={"title": "Lead Analyst"})
    contact.refresh_from_db()
    assert contact.edited_fields == ["title"]
    assert contact.events.filter(kind=ContactEvent.Kind.UPDATED).exists()
    assert contact.last_activity_at is not None


def test_edits_by_an_import_are_not_marked_as_by_hand(alice: User) -> None:
    contact = ContactFactory(owner=alice)
    services.contact_update(owner=alice, contact=contact, data={"title": "CTO"}, by_hand=False)
    contact.refresh_from_db()
    assert contact.edited_fields == []


def test_a_stage_change_is_on_the_timeline(alice: User) -> None:
    contact = ContactFactory(owner=alice)
    services.contact_set_stage(owner=alice, contact=contact, stage="requested")
    event = contact.events.get(kind=ContactEvent.Kind.STAGE)
    assert event.summary == "Identified → Requested"


def test_an_unknown_stage_or_field_is_refused(alice: User) -> None:
    contact = ContactFactory(owner=alice)
    with pytest.raises(RapportError):
        services.contact_set_stage(owner=alice, contact=contact, stage="hired")
    with pytest.raises(RapportError):
        services.contact_update(owner=alice, contact=contact, data={"owner_id": 2})


def test_bulk_actions_only_touch_your_own_contacts(alice: User, bob: User) -> None:
    mine = ContactFactory(owner=alice)
    theirs = ContactFactory(owner=bob)
    with pytest.raises(RapportError):
        services.contacts_tag(owner=alice, contact_ids=[mine.pk, theirs.pk], tag_name="x")
    assert not theirs.tags.exists()
    assert services.contacts_tag(owner=alice, contact_ids=[mine.pk], tag_name="Target") == 1
    assert services.contacts_tag(owner=alice, contact_ids=[mine.pk], tag_name="target") == 1
    assert list(mine.tags.values_list("name", flat=True)) == ["Target"]
    assert services.contacts_delete(owner=alice, contact_ids=[mine.pk]) == 1
    assert Contact.objects.filter(pk=theirs.pk).exists()
