"""One contact's page: inline edits, research gaps, the timeline, the stage, deleting."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from rapport.accounts.models import User
from rapport.contacts.models import Company, Contact, ContactEvent
from tests.factories import CompanyFactory, ContactFactory

pytestmark = pytest.mark.django_db


def _detail(contact: Contact) -> str:
    return reverse("contacts:contact_detail", args=[contact.pk])


def _edit(contact: Contact, section: str) -> str:
    return reverse("contacts:contact_edit", args=[contact.pk]) + f"?section={section}"


def _details_form(contact: Contact, **changes: str) -> dict[str, str]:
    data = {
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "title": contact.title,
        "company": contact.company.name if contact.company else "",
        "email": contact.email,
        "phone": "",
        "linkedin_url": "",
        "location": "",
        "time_zone": "",
        "country": "",
        "connected_on": "",
        "source": contact.source,
    }
    return {**data, **changes}


def test_the_page_shows_the_contact_to_its_owner(alice: User, alice_client: Client) -> None:
    contact = ContactFactory(owner=alice, first_name="Ruth", priority_reasons=["introduced to you"])
    page = alice_client.get(_detail(contact)).content.decode()
    assert "Ruth" in page
    assert "introduced to you" in page
    assert "Why they rank here" in page


def test_someone_else_gets_a_404(alice: User, bob_client: Client) -> None:
    contact = ContactFactory(owner=alice)
    assert bob_client.get(_detail(contact)).status_code == 404
    assert bob_client.get(_edit(contact, "details")).status_code == 404
    assert bob_client.post(_edit(contact, "details"), {"first_name": "X"}).status_code == 404


def test_edit_shows_the_sections_form_on_the_page(alice: User, alice_client: Client) -> None:
    contact = ContactFactory(owner=alice, research_role="Runs forecasting")
    response = alice_client.get(_edit(contact, "research"), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'id="section-research"' in html
    assert 'name="research_role"' in html
    assert "Runs forecasting" in html
    assert 'name="first_name"' not in html  # only the section asked for is a form


def test_editing_a_field_saves_it_marks_it_as_edited_and_goes_on_the_timeline(
    alice: User, alice_client: Client
) -> None:
    contact = ContactFactory(owner=alice, title="Analyst")
    response = alice_client.post(
        _edit(contact, "details"), _details_form(contact, title="Lead Analyst")
    )
    assert response.status_code == 302
    assert response["Location"] == _detail(contact) + "#section-details"
    contact.refresh_from_db()
    assert contact.title == "Lead Analyst"
    assert contact.edited_fields == ["title"]
    assert contact.events.filter(kind=ContactEvent.Kind.UPDATED).exists()
    assert "Lead Analyst" in alice_client.get(_detail(contact)).content.decode()


def test_a_new_company_typed_by_name_is_added_and_an_old_one_matched(
    alice: User, alice_client: Client
) -> None:
    contact = ContactFactory(owner=alice, company=None)
    existing = CompanyFactory(owner=alice, name="Hallam Advisory")
    alice_client.post(_edit(contact, "details"), _details_form(contact, company="Lumen Grid"))
    contact.refresh_from_db()
    assert contact.company is not None
    assert contact.company.name == "Lumen Grid"
    alice_client.post(_edit(contact, "details"), _details_form(contact, company="HALLAM advisory"))
    contact.refresh_from_db()
    assert contact.company == existing
    assert "company" in contact.edited_fields
    assert Company.objects.for_owner(alice).count() == 2


def test_clearing_the_company_leaves_them_without_one(alice: User, alice_client: Client) -> None:
    contact = ContactFactory(owner=alice)
    alice_client.post(_edit(contact, "details"), _details_form(contact, company=""))
    contact.refresh_from_db()
    assert contact.company is None


def test_a_bad_value_shows_the_form_again_with_the_problem(
    alice: User, alice_client: Client
) -> None:
    contact = ContactFactory(owner=alice, email="ruth@example.org")
    response = alice_client.post(
        _edit(contact, "details"), _details_form(contact, email="not an email")
    )
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    contact.refresh_from_db()
    assert contact.email == "ruth@example.org"


def test_tags_are_edited_as_a_comma_separated_list(alice: User, alice_client: Client) -> None:
    contact = ContactFactory(owner=alice)
    alice_client.post(
        _edit(contact, "notes"), {"notes": "Prefers mornings", "tags": "Target, alumni"}
    )
    contact.refresh_from_db()
    assert sorted(tag.name for tag in contact.tags.all()) == ["Target", "alumni"]
    assert contact.notes == "Prefers mornings"
    assert set(contact.edited_fields) == {"notes", "tags"}
    alice_client.post(_edit(contact, "notes"), {"notes": "Prefers mornings", "tags": "alumni"})
    assert [tag.name for tag in contact.tags.all()] == ["alumni"]


def test_common_ground_noted_by_hand_ranks_them_at_once(alice: User, alice_client: Client) -> None:
    alice.profile.schools = ["University of Leeds"]
    alice.profile.save()
    contact = ContactFactory(owner=alice)
    form = {
        "research_role": "",
        "research_tenure": "",
        "research_path": "",
        "research_achievements": "",
        "research_writing": "",
        "common_ground": "We both studied at Leeds",
    }
    alice_client.post(_edit(contact, "research"), form)
    contact.refresh_from_db()
    assert "also studied at University of Leeds" in contact.priority_reasons
    contact.company.refresh_from_db()
    assert "1 alumnus" in contact.company.rank_reasons


def test_research_gaps_name_the_empty_research_and_why_it_matters(
    alice: User, alice_client: Client
) -> None:
    contact = ContactFactory(owner=alice, title="", company__notes="")
    page = alice_client.get(_detail(contact)).content.decode()
    for rule in ("research.person", "research.company", "research.common-ground"):
        assert rule in page
    assert "ask what only they can answer" in page
    assert _edit(contact, "research") in page.replace("&amp;", "&")
    assert reverse("contacts:company_edit", args=[contact.company_id]) in page


def test_research_gaps_close_as_the_research_is_filled_in(
    alice: User, alice_client: Client
) -> None:
    contact = ContactFactory(
        owner=alice,
        title="ESG Analyst",
        research_role="Audits supply chains",
        research_tenure="Since 2022",
        common_ground="Both from Hull",
        company__notes="ESG consultancy for manufacturers",
    )
    page = alice_client.get(_detail(contact)).content.decode()
    assert "research.person" not in page
    assert "research.common-ground" not in page
    assert "Ready to write" in page


def test_the_timeline_lists_what_happened_newest_first(alice: User, alice_client: Client) -> None:
    contact = ContactFactory(owner=alice)
    from rapport.contacts import services

    services.contact_event_add(owner=alice, contact=contact, kind="note", summary="First thing")
    services.contact_set_stage(owner=alice, contact=contact, stage="researched")
    page = alice_client.get(_detail(contact)).content.decode()
    assert page.index("Identified → Researched") < page.index("First thing")


def test_changing_the_stage_on_the_page_moves_them_and_comes_back(
    alice: User, alice_client: Client
) -> None:
    contact = ContactFactory(owner=alice)
    url = reverse("contacts:contact_stage", args=[contact.pk])
    response = alice_client.post(url, {"stage": "requested", "next": _detail(contact)})
    assert response["Location"] == _detail(contact)
    contact.refresh_from_db()
    assert contact.stage == "requested"
    assert contact.events.get(kind=ContactEvent.Kind.STAGE).summary == "Identified → Requested"


def test_an_unknown_stage_changes_nothing(alice: User, alice_client: Client) -> None:
    contact = ContactFactory(owner=alice)
    url = reverse("contacts:contact_stage", args=[contact.pk])
    assert alice_client.post(url, {"stage": "hired"}).status_code == 200
    contact.refresh_from_db()
    assert contact.stage == "identified"


def test_adding_a_contact_by_hand(alice: User, alice_client: Client) -> None:
    data = {
        "first_name": "Ruth",
        "last_name": "Adeyemi",
        "title": "ESG Consultant",
        "company": "Hallam Advisory",
        "source": "referral",
    }
    response = alice_client.post(reverse("contacts:contact_new"), data)
    contact = Contact.objects.for_owner(alice).get()
    assert response["Location"] == _detail(contact)
    assert contact.company is not None
    assert contact.company.name == "Hallam Advisory"
    assert "introduced to you" in contact.priority_reasons


def test_deleting_a_contact_asks_first(alice: User, alice_client: Client) -> None:
    contact = ContactFactory(owner=alice, first_name="Ruth")
    url = reverse("contacts:contact_delete", args=[contact.pk])
    assert "Delete Ruth" in alice_client.get(url).content.decode()
    assert Contact.objects.filter(pk=contact.pk).exists()
    alice_client.post(url)
    assert not Contact.objects.filter(pk=contact.pk).exists()


def test_introduced_by_takes_a_name_however_written_and_ranks_them_again(
    alice: User, alice_client: Client
) -> None:
    marta = ContactFactory(owner=alice, first_name="Marta", last_name="Muñoz")
    contact = ContactFactory(owner=alice)
    form = _details_form(contact, referred_by="  marta MUNOZ ")
    assert alice_client.post(_edit(contact, "details"), form).status_code == 302
    contact.refresh_from_db()
    assert contact.referred_by == marta
    assert "introduced to you" in contact.priority_reasons
    page = alice_client.get(_detail(contact)).content.decode()
    assert "introduced by" in page
    assert "Marta Muñoz" in page


def test_introduced_by_an_unknown_name_is_refused_on_the_field(
    alice: User, bob: User, alice_client: Client
) -> None:
    ContactFactory(owner=bob, first_name="Marta", last_name="Silva")  # someone else's
    contact = ContactFactory(owner=alice)
    response = alice_client.post(
        _edit(contact, "details"), _details_form(contact, referred_by="Marta Silva", title="X")
    )
    assert response.status_code == 200
    assert "None of your contacts is called “Marta Silva”" in response.content.decode()
    contact.refresh_from_db()
    assert contact.referred_by is None
    assert contact.title != "X"


def test_two_people_with_one_name_are_told_apart_by_their_company(
    alice: User, alice_client: Client
) -> None:
    ContactFactory(owner=alice, first_name="Sam", last_name="Lee", company__name="Acme")
    at_hallam = ContactFactory(
        owner=alice, first_name="Sam", last_name="Lee", company__name="Hallam"
    )
    contact = ContactFactory(owner=alice)
    ambiguous = alice_client.post(
        _edit(contact, "details"), _details_form(contact, referred_by="Sam Lee")
    )
    html = ambiguous.content.decode()
    assert "2 of your contacts are called “Sam Lee”" in html
    assert "Sam Lee (Hallam)" in html
    chosen = _details_form(contact, referred_by="Sam Lee (hallam)")
    assert alice_client.post(_edit(contact, "details"), chosen).status_code == 302
    contact.refresh_from_db()
    assert contact.referred_by == at_hallam
    shown = alice_client.get(_edit(contact, "details")).content.decode()
    assert 'value="Sam Lee (Hallam)"' in shown
    again = _details_form(contact, referred_by="Sam Lee (Hallam)", title="Lead")
    assert alice_client.post(_edit(contact, "details"), again).status_code == 302


def test_a_contact_cannot_be_introduced_by_someone_they_introduced(
    alice: User, alice_client: Client
) -> None:
    first = ContactFactory(owner=alice, first_name="Ana", last_name="Reyes")
    ContactFactory(owner=alice, first_name="Ben", last_name="Ode", referred_by=first)
    response = alice_client.post(
        _edit(first, "details"), _details_form(first, referred_by="Ben Ode")
    )
    assert "Ben Ode came to you through Ana Reyes" in response.content.decode()
    first.refresh_from_db()
    assert first.referred_by is None
