"""Bulk actions on ticked contacts: only ever the user's own, deleting only once confirmed."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from rapport.accounts.models import User
from rapport.contacts import services
from rapport.contacts.models import Contact, ContactEvent, Tag
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

URL = reverse("contacts:contact_bulk")
LIST = reverse("contacts:contact_list")


def _post(client: Client, ids: list[int], action: str, **extra: str) -> object:
    return client.post(URL, {"ids": ids, "action": action, **extra}, follow=True)


def test_tagging_ticked_contacts_tags_them_and_says_so(alice: User, alice_client: Client) -> None:
    one, two = ContactFactory(owner=alice), ContactFactory(owner=alice)
    response = _post(alice_client, [one.pk, two.pk], "tag", tag=" Target ")
    assert "Tagged 2 contacts “Target”." in response.content.decode()
    assert set(Tag.objects.for_owner(alice).values_list("name", flat=True)) == {"Target"}
    assert one.tags.count() == two.tags.count() == 1


def test_untagging_removes_the_tag(alice: User, alice_client: Client) -> None:
    contact = ContactFactory(owner=alice)
    services.contacts_tag(owner=alice, contact_ids=[contact.pk], tag_name="Target")
    _post(alice_client, [contact.pk], "untag", tag="target")
    assert not contact.tags.exists()


def test_moving_ticked_contacts_changes_their_stage_on_their_timelines(
    alice: User, alice_client: Client
) -> None:
    contact = ContactFactory(owner=alice)
    response = _post(alice_client, [contact.pk], "stage", stage="researched")
    contact.refresh_from_db()
    assert contact.stage == "researched"
    assert contact.events.filter(kind=ContactEvent.Kind.STAGE).exists()
    assert "Moved 1 contact to Researched." in response.content.decode()


def test_archiving_moves_them_to_the_archived_stage(alice: User, alice_client: Client) -> None:
    contact = ContactFactory(owner=alice)
    _post(alice_client, [contact.pk], "archive")
    contact.refresh_from_db()
    assert contact.stage == "archived"


def test_deleting_asks_first_and_deletes_only_when_confirmed(
    alice: User, alice_client: Client
) -> None:
    contact = ContactFactory(owner=alice, first_name="Ruth")
    asked = alice_client.post(URL, {"ids": [contact.pk], "action": "delete"})
    assert asked.status_code == 200
    assert "Delete this contact?" in asked.content.decode()
    assert "Ruth" in asked.content.decode()
    assert Contact.objects.filter(pk=contact.pk).exists()

    done = _post(alice_client, [contact.pk], "delete", confirm="on")
    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert "Deleted 1 contact" in done.content.decode()


def test_after_an_action_the_list_comes_back_as_it_was_filtered(
    alice: User, alice_client: Client
) -> None:
    contact = ContactFactory(owner=alice)
    back = f"{LIST}?stage=identified&sort=name"
    response = alice_client.post(URL, {"ids": [contact.pk], "action": "archive", "next": back})
    assert response["Location"] == back


def test_a_next_address_off_the_site_is_not_followed(alice: User, alice_client: Client) -> None:
    contact = ContactFactory(owner=alice)
    response = alice_client.post(
        URL, {"ids": [contact.pk], "action": "archive", "next": "https://evil.example/"}
    )
    assert response["Location"] == LIST


def test_nothing_ticked_asks_to_tick_someone(alice: User, alice_client: Client) -> None:
    response = alice_client.post(URL, {"action": "archive"}, follow=True)
    assert "Tick at least one contact first." in response.content.decode()


def test_a_tag_action_without_a_tag_name_changes_nothing(alice: User, alice_client: Client) -> None:
    contact = ContactFactory(owner=alice)
    response = _post(alice_client, [contact.pk], "tag", tag="  ")
    assert "Type the tag" in response.content.decode()
    assert not Tag.objects.exists()


@pytest.mark.parametrize(
    ("action", "extra"),
    [
        ("tag", {"tag": "x"}),
        ("stage", {"stage": "met"}),
        ("archive", {}),
        ("delete", {"confirm": "on"}),
        ("delete", {}),
    ],
)
def test_someone_elses_ids_are_not_found_and_nothing_changes(
    alice: User, bob: User, alice_client: Client, action: str, extra: dict[str, str]
) -> None:
    mine = ContactFactory(owner=alice)
    theirs = ContactFactory(owner=bob)
    response = alice_client.post(URL, {"ids": [mine.pk, theirs.pk], "action": action, **extra})
    assert response.status_code == 404
    for contact in (mine, theirs):
        contact.refresh_from_db()
        assert contact.stage == "identified"
        assert not contact.tags.exists()


def test_ids_that_are_not_numbers_are_refused(alice: User, alice_client: Client) -> None:
    response = alice_client.post(URL, {"ids": ["1; DROP TABLE"], "action": "archive"}, follow=True)
    assert "could not be read" in response.content.decode()


def test_a_bulk_post_without_the_csrf_token_is_refused(alice: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    contact = ContactFactory(owner=alice)
    assert client.post(URL, {"ids": [contact.pk], "action": "archive"}).status_code == 403
    contact.refresh_from_db()
    assert contact.stage == "identified"


def test_bulk_only_takes_posts(alice_client: Client) -> None:
    assert alice_client.get(URL).status_code == 405
