"""The contact list: search, filters, sorts, pages, and a cost that does not grow with them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from rapport.accounts.models import User
from rapport.contacts import services
from rapport.contacts.models import Contact
from rapport.contacts.views import CONTACTS_PER_PAGE
from tests.factories import CompanyFactory, ContactFactory

pytestmark = pytest.mark.django_db

URL = reverse("contacts:contact_list")


def _names(client: Client, **params: str) -> list[str]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return [contact.first_name for contact in response.context["page"]]


def test_the_list_shows_the_owners_contacts_with_why_they_rank_there(
    alice: User, alice_client: Client
) -> None:
    ContactFactory(owner=alice, first_name="Ruth", priority_reasons=["introduced to you"])
    page = alice_client.get(URL).content.decode()
    assert "Ruth" in page
    assert "introduced to you" in page


def test_someone_elses_contacts_are_never_listed(
    alice: User, bob: User, bob_client: Client
) -> None:
    ContactFactory(owner=alice, first_name="Zebedee")
    assert b"Zebedee" not in bob_client.get(URL, {"q": "zebedee"}).content


@pytest.mark.parametrize(
    ("field", "value", "query"),
    [
        ("first_name", "Ruthanne", "ruthan"),
        ("last_name", "Quist", "QUIST"),
        ("title", "Grid Connections Manager", "connections"),
        ("notes", "Met her at the ESG forum in Leeds", "forum"),
    ],
)
def test_search_matches_a_contacts_own_fields(
    alice: User, alice_client: Client, field: str, value: str, query: str
) -> None:
    target = ContactFactory(owner=alice, **{field: value})
    ContactFactory(owner=alice, first_name="Other")
    found = alice_client.get(URL, {"q": query}).context["page"]
    assert [contact.pk for contact in found] == [target.pk]


def test_search_matches_the_company_and_the_tags(alice: User, alice_client: Client) -> None:
    ContactFactory(owner=alice, first_name="AtHallam", company__name="Hallam Advisory")
    tagged = ContactFactory(owner=alice, first_name="Tagged")
    services.contacts_tag(owner=alice, contact_ids=[tagged.pk], tag_name="Conference 2026")
    ContactFactory(owner=alice, first_name="Other")
    assert _names(alice_client, q="hallam") == ["AtHallam"]
    assert _names(alice_client, q="conference") == ["Tagged"]


def test_every_word_of_a_search_must_match_somewhere(alice: User, alice_client: Client) -> None:
    ContactFactory(owner=alice, first_name="Ruth", company__name="Hallam Advisory")
    ContactFactory(owner=alice, first_name="Ruth", last_name="Other", company__name="Corvane")
    assert _names(alice_client, q="ruth hallam") == ["Ruth"]


def test_a_broad_search_finds_everyone_it_matches(alice: User, alice_client: Client) -> None:
    """More matches than the search lists by id: the other way of filtering gives the same."""
    from rapport.contacts import selectors

    company = CompanyFactory(owner=alice)
    Contact.objects.bulk_create(
        Contact(owner=alice, first_name=f"Anna{i}", company=company)
        for i in range(selectors.SEARCH_IDS_LISTED + 5)
    )
    ContactFactory(owner=alice, first_name="Bob")
    response = alice_client.get(URL, {"q": "anna"})
    assert response.context["page"].paginator.count == selectors.SEARCH_IDS_LISTED + 5


def test_filters_by_stage_tag_company_and_source(alice: User, alice_client: Client) -> None:
    hallam = CompanyFactory(owner=alice, name="Hallam")
    met = ContactFactory(owner=alice, first_name="Met", stage="met", source="vcard")
    ContactFactory(owner=alice, first_name="Ident", company=hallam)
    services.contacts_tag(owner=alice, contact_ids=[met.pk], tag_name="Target")
    assert _names(alice_client, stage="met") == ["Met"]
    assert _names(alice_client, tag="target") == ["Met"]
    assert _names(alice_client, company=str(hallam.pk)) == ["Ident"]
    assert _names(alice_client, source="vcard") == ["Met"]
    assert _names(alice_client, stage="met", source="linkedin") == []


def test_the_company_filter_says_which_company_and_how_to_leave_it(
    alice: User, alice_client: Client
) -> None:
    hallam = CompanyFactory(owner=alice, name="Hallam Advisory")
    ContactFactory(owner=alice, company=hallam)
    page = alice_client.get(URL, {"company": hallam.pk}).content.decode()
    assert "Only people at" in page
    assert "Hallam Advisory" in page
    assert "show everyone" in page


def test_the_default_sort_puts_the_best_to_talk_to_first(alice: User, alice_client: Client) -> None:
    ContactFactory(owner=alice, first_name="Low", priority_score=1)
    ContactFactory(owner=alice, first_name="High", priority_score=30)
    ContactFactory(owner=alice, first_name="Mid", priority_score=10)
    assert _names(alice_client) == ["High", "Mid", "Low"]


def test_sorts_by_name_and_by_latest_activity(alice: User, alice_client: Client) -> None:
    now = timezone.now()
    ContactFactory(owner=alice, first_name="B", last_name="Young", last_activity_at=now)
    ContactFactory(owner=alice, first_name="C", last_name="Abbot", last_activity_at=None)
    ContactFactory(
        owner=alice, first_name="A", last_name="Moss", last_activity_at=now - timedelta(days=3)
    )
    assert _names(alice_client, sort="name") == ["C", "A", "B"]
    assert _names(alice_client, sort="activity") == ["B", "A", "C"]


def test_the_list_comes_in_pages_of_fifty_that_keep_the_filters(
    alice: User, alice_client: Client
) -> None:
    company = CompanyFactory(owner=alice)
    Contact.objects.bulk_create(
        Contact(owner=alice, first_name=f"P{i:03}", company=company, stage="met")
        for i in range(CONTACTS_PER_PAGE + 3)
    )
    first = alice_client.get(URL, {"stage": "met", "sort": "name"})
    assert len(first.context["page"]) == CONTACTS_PER_PAGE
    assert "stage=met&amp;sort=name&amp;page=2" in first.content.decode()
    second = alice_client.get(URL, {"stage": "met", "sort": "name", "page": 2})
    assert [c.first_name for c in second.context["page"]] == ["P050", "P051", "P052"]


def test_nonsense_parameters_are_ignored(alice: User, alice_client: Client) -> None:
    ContactFactory(owner=alice, first_name="Ruth")
    params = {"stage": "hired", "sort": "x", "company": "abc", "source": "fax", "page": "-1"}
    assert _names(alice_client, **params) == ["Ruth"]


def test_an_htmx_search_gets_only_the_results(alice: User, alice_client: Client) -> None:
    ContactFactory(owner=alice, first_name="Ruth")
    response = alice_client.get(URL, {"q": "ruth"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.strip().startswith('<div id="results">')
    assert "Ruth" in html
    assert "<h1>" not in html


def test_each_row_can_be_ticked_for_a_bulk_action(alice: User, alice_client: Client) -> None:
    contact = ContactFactory(owner=alice)
    page = alice_client.get(URL).content.decode()
    assert f'name="ids" value="{contact.pk}"' in page
    assert f'action="{reverse("contacts:contact_bulk")}"' in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_an_empty_list_says_how_to_start(alice_client: Client) -> None:
    page = alice_client.get(URL).content.decode()
    assert "No contacts yet" in page
    assert reverse("contacts:contact_new") in page


def _queries_for_a_page_of(client: Client, owner: User, rows: int, **params: str) -> int:
    Contact.objects.for_owner(owner).delete()
    companies = [CompanyFactory(owner=owner) for _ in range(3)]
    contacts = Contact.objects.bulk_create(
        Contact(owner=owner, first_name=f"Person{i}", company=companies[i % 3]) for i in range(rows)
    )
    for tag in ("target", "alumni"):
        services.contacts_tag(owner=owner, contact_ids=[c.pk for c in contacts], tag_name=tag)
    client.get(URL, params)  # sessions and caches warm
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    assert len(response.context["page"]) == rows
    return len(queries)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "person"},
        {"tag": "target", "sort": "name"},
        {"stage": "identified", "sort": "activity"},
    ],
    ids=["default", "search", "tag", "stage"],
)
def test_a_page_costs_the_same_queries_with_10_rows_or_50(
    alice: User, alice_client: Client, params: dict[str, str]
) -> None:
    ten = _queries_for_a_page_of(alice_client, alice, 10, **params)
    fifty = _queries_for_a_page_of(alice_client, alice, 50, **params)
    assert ten == fifty
    assert fifty <= 12


def test_on_sqlite_the_search_has_its_covering_index() -> None:
    """Created by migration 0003 outside the model's Meta, so a later migration that
    rebuilds the table would drop it silently; this notices."""
    if connection.vendor != "sqlite":
        pytest.skip("the search index exists on SQLite only")
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, "contacts_contact")
    assert indexes["contacts_contact_search_sqlite"]["columns"] == [
        "owner_id", "first_name", "last_name", "title", "company_id", "notes",
    ]  # fmt: skip


def test_a_very_broad_search_counts_to_a_thousand_and_asks_for_another_word(
    alice: User, alice_client: Client
) -> None:
    from rapport.contacts.views import MATCHES_COUNTED

    company = CompanyFactory(owner=alice)
    Contact.objects.bulk_create(
        Contact(owner=alice, first_name=f"Anna{i}", company=company)
        for i in range(MATCHES_COUNTED + 60)
    )
    response = alice_client.get(URL, {"q": "anna", "page": 21})
    assert len(response.context["page"]) == 1  # the 1,001st, past the last counted page
    assert "more than 1000 match: add a word" in response.content.decode()
    assert alice_client.get(URL).context["page"].paginator.count == MATCHES_COUNTED + 60
