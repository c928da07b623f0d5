"""The pipeline board: a column per stage, best first, and cards that move."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from rapport.accounts.models import User
from rapport.contacts.models import Contact, ContactEvent
from rapport.contacts.pipeline_views import CARDS_PER_COLUMN
from rapport.playbook.stages import PIPELINE, Stage
from tests.factories import CompanyFactory, ContactFactory

pytestmark = pytest.mark.django_db

URL = reverse("contacts:pipeline")


def test_there_is_a_column_for_every_stage_forward_path_first(
    alice: User, alice_client: Client
) -> None:
    ContactFactory(owner=alice)
    columns = alice_client.get(URL).context["columns"]
    assert [c.stage for c in columns[: len(PIPELINE)]] == [s.value for s in PIPELINE]
    assert {c.stage for c in columns if c.is_end} == {"declined", "no_reply", "archived"}


def test_cards_show_name_company_and_title_best_first(alice: User, alice_client: Client) -> None:
    ContactFactory(owner=alice, first_name="Low", priority_score=1, stage="met")
    ContactFactory(
        owner=alice,
        first_name="High",
        title="ESG Lead",
        company__name="Hallam",
        priority_score=9,
        stage="met",
    )
    response = alice_client.get(URL)
    met = next(c for c in response.context["columns"] if c.stage == "met")
    assert [c.first_name for c in met.contacts] == ["High", "Low"]
    html = response.content.decode()
    assert "ESG Lead" in html
    assert "Hallam" in html


def test_a_long_column_shows_the_best_and_links_to_the_rest(
    alice: User, alice_client: Client
) -> None:
    company = CompanyFactory(owner=alice)
    Contact.objects.bulk_create(
        Contact(owner=alice, first_name=f"P{i}", company=company)
        for i in range(CARDS_PER_COLUMN + 7)
    )
    response = alice_client.get(URL)
    identified = response.context["columns"][0]
    assert identified.count == CARDS_PER_COLUMN + 7
    assert len(identified.contacts) == CARDS_PER_COLUMN
    list_url = reverse("contacts:contact_list") + "?stage=identified"
    assert f'href="{list_url}"' in response.content.decode()


def test_the_board_costs_the_same_queries_however_many_contacts(
    alice: User, alice_client: Client
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        alice_client.get(URL)
        with CaptureQueriesContext(connection) as captured:
            alice_client.get(URL)
        return len(captured)

    company = CompanyFactory(owner=alice)
    for stage in Stage:
        ContactFactory(owner=alice, company=company, stage=stage.value)
    few = queries()
    Contact.objects.bulk_create(
        Contact(owner=alice, company=company, stage=stage.value)
        for stage in Stage
        for _ in range(20)
    )
    assert queries() == few


def test_moving_a_card_changes_the_stage_writes_the_timeline_and_returns_to_the_board(
    alice: User, alice_client: Client
) -> None:
    contact = ContactFactory(owner=alice)
    back = f"{URL}?moved={contact.pk}#card-{contact.pk}"
    response = alice_client.post(
        reverse("contacts:contact_stage", args=[contact.pk]), {"stage": "scheduled", "next": back}
    )
    assert response["Location"] == back
    contact.refresh_from_db()
    assert contact.stage == "scheduled"
    assert contact.events.get(kind=ContactEvent.Kind.STAGE).summary == "Identified → Scheduled"

    board = alice_client.get(URL, {"moved": contact.pk})
    scheduled = next(c for c in board.context["columns"] if c.stage == "scheduled")
    assert [c.pk for c in scheduled.contacts] == [contact.pk]
    assert 'class="pipeline-card just-moved"' in board.content.decode()


def test_a_card_moved_to_an_end_opens_that_column(alice: User, alice_client: Client) -> None:
    contact = ContactFactory(owner=alice, stage="declined")
    html = alice_client.get(URL, {"moved": contact.pk}).content.decode()
    assert '<details class="column-fold" open>' in html


def test_moving_someone_elses_card_is_not_found(alice: User, bob_client: Client) -> None:
    contact = ContactFactory(owner=alice)
    url = reverse("contacts:contact_stage", args=[contact.pk])
    assert bob_client.post(url, {"stage": "met"}).status_code == 404
    contact.refresh_from_db()
    assert contact.stage == "identified"


def test_an_empty_board_says_how_contacts_get_there(alice_client: Client) -> None:
    assert "Nobody in the pipeline yet" in alice_client.get(URL).content.decode()


def test_the_board_is_in_the_navigation(alice_client: Client) -> None:
    html = alice_client.get(reverse("contacts:contact_list")).content.decode()
    assert f'href="{URL}"' in html
