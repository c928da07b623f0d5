"""Companies: ranked with reasons, the best person at each, edits that keep ranks true."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from rapport.accounts.models import User
from rapport.contacts.models import Company, Contact
from rapport.contacts.ranking import ranks_refresh
from tests.factories import CompanyFactory, ContactFactory

pytestmark = pytest.mark.django_db

LIST = reverse("contacts:company_list")


def _form(company: Company, **changes: object) -> dict[str, object]:
    data = {
        "name": company.name,
        "domain": company.domain,
        "notes": company.notes,
        "keenness": company.keenness,
        "hiring_signal": company.hiring_signal,
    }
    return {**data, **changes}


def test_companies_are_listed_best_first_with_why_and_how_many_people(
    alice: User, alice_client: Client
) -> None:
    alice.profile.schools = ["University of Leeds"]
    alice.profile.save()
    keen = CompanyFactory(owner=alice, name="Hallam", keenness=3)
    CompanyFactory(owner=alice, name="Lukewarm", keenness=1)
    for _ in range(2):
        ContactFactory(owner=alice, company=keen, common_ground="Leeds graduate")
    ranks_refresh(owner=alice)
    response = alice_client.get(LIST)
    companies = list(response.context["page"])
    assert [c.name for c in companies] == ["Hallam", "Lukewarm"]
    assert companies[0].contact_count == 2
    assert "keen 3/3, 2 alumni" in response.content.decode()


def test_the_list_can_be_searched(alice: User, alice_client: Client) -> None:
    CompanyFactory(owner=alice, name="Hallam Advisory")
    CompanyFactory(owner=alice, name="Lumen Grid")
    response = alice_client.get(LIST, {"q": "lumen"})
    assert [c.name for c in response.context["page"]] == ["Lumen Grid"]


def test_adding_a_company_ranks_it(alice: User, alice_client: Client) -> None:
    data = {
        "name": "Corvane Energy",
        "domain": "https://www.corvane.com/",
        "keenness": 3,
        "hiring_signal": 1,
    }
    response = alice_client.post(reverse("contacts:company_new"), data)
    company = Company.objects.for_owner(alice).get()
    assert response["Location"] == reverse("contacts:company_detail", args=[company.pk])
    assert company.domain == "corvane.com"
    assert company.rank_reasons == ["keen 3/3", "hiring 1/3"]


def test_a_duplicate_company_is_refused_with_a_reason(alice: User, alice_client: Client) -> None:
    CompanyFactory(owner=alice, name="Corvane Energy")
    data = {"name": "CORVANE ENERGY LTD", "keenness": 0, "hiring_signal": 0}
    response = alice_client.post(reverse("contacts:company_new"), data)
    assert response.status_code == 200
    assert "You already have" in response.content.decode()


def test_changing_keenness_re_ranks_the_company_and_its_people(
    alice: User, alice_client: Client
) -> None:
    company = CompanyFactory(owner=alice, keenness=0)
    person = ContactFactory(owner=alice, company=company)
    ranks_refresh(owner=alice)
    person.refresh_from_db()
    before = person.priority_score

    url = reverse("contacts:company_edit", args=[company.pk])
    response = alice_client.post(url, _form(company, keenness=3))
    assert response.status_code == 302
    company.refresh_from_db()
    person.refresh_from_db()
    assert company.rank_reasons[0] == "keen 3/3"
    assert person.priority_score > before
    assert f"at {company.name} (keen 3/3)" in person.priority_reasons


def test_renaming_a_company_renames_it_in_its_peoples_reasons(
    alice: User, alice_client: Client
) -> None:
    company = CompanyFactory(owner=alice, name="Old Name", keenness=2)
    person = ContactFactory(owner=alice, company=company)
    ranks_refresh(owner=alice)
    alice_client.post(
        reverse("contacts:company_edit", args=[company.pk]), _form(company, name="New Name")
    )
    person.refresh_from_db()
    assert person.priority_reasons == ["at New Name (keen 2/3)"]


def test_the_edit_form_is_shown_in_place(alice: User, alice_client: Client) -> None:
    company = CompanyFactory(owner=alice, notes="Offshore wind")
    url = reverse("contacts:company_edit", args=[company.pk])
    html = alice_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'id="about"' in html
    assert 'name="keenness"' in html
    assert "Offshore wind" in html


def test_a_keenness_out_of_range_is_refused(alice: User, alice_client: Client) -> None:
    company = CompanyFactory(owner=alice, keenness=1)
    url = reverse("contacts:company_edit", args=[company.pk])
    assert alice_client.post(url, _form(company, keenness=7)).status_code == 200
    company.refresh_from_db()
    assert company.keenness == 1


def test_the_best_person_is_the_highest_ranked_one_not_asked_yet(
    alice: User, alice_client: Client
) -> None:
    company = CompanyFactory(owner=alice)
    ContactFactory(
        owner=alice, company=company, first_name="Asked", stage="requested", priority_score=50
    )
    ContactFactory(
        owner=alice,
        company=company,
        first_name="Best",
        priority_score=20,
        priority_reasons=["introduced to you"],
    )
    ContactFactory(owner=alice, company=company, first_name="Next", priority_score=10)
    response = alice_client.get(reverse("contacts:company_detail", args=[company.pk]))
    assert response.context["best"].first_name == "Best"
    assert [p.first_name for p in response.context["people"]] == ["Asked", "Best", "Next"]
    assert "introduced to you" in response.content.decode()


def test_deleting_a_company_asks_first_and_keeps_its_people(
    alice: User, alice_client: Client
) -> None:
    company = CompanyFactory(owner=alice, name="Hallam", keenness=3)
    person = ContactFactory(owner=alice, company=company)
    ranks_refresh(owner=alice)
    url = reverse("contacts:company_delete", args=[company.pk])
    assert "stay in your contacts" in alice_client.get(url).content.decode()
    alice_client.post(url)
    assert not Company.objects.filter(pk=company.pk).exists()
    person.refresh_from_db()
    assert person.company is None
    assert person.priority_reasons == []


def test_someone_elses_company_is_not_found(alice: User, bob_client: Client) -> None:
    company = CompanyFactory(owner=alice)
    for name in ("company_detail", "company_edit", "company_delete"):
        assert bob_client.get(reverse(f"contacts:{name}", args=[company.pk])).status_code == 404
    assert bob_client.post(reverse("contacts:company_delete", args=[company.pk])).status_code == 404
    assert Company.objects.filter(pk=company.pk).exists()
    assert Contact.objects.count() == 0
