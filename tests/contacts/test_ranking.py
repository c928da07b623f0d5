"""Stored ranks follow the playbook's scores, whether refreshed in full or around an edit."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport.accounts.models import User
from rapport.contacts import ranking, services
from rapport.contacts.models import Company, Contact
from rapport.contacts.ranking import ranks_refresh
from tests.factories import CompanyFactory, ContactFactory

pytestmark = pytest.mark.django_db


def _ranks(owner: User) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    companies = Company.objects.for_owner(owner).order_by("pk")
    contacts = Contact.objects.for_owner(owner).order_by("pk")
    return (
        list(companies.values_list("pk", "rank_score", "rank_reasons")),
        list(contacts.values_list("pk", "priority_score", "priority_reasons")),
    )


@pytest.fixture
def seeker(alice: User) -> User:
    alice.profile.schools = ["University of Leeds"]
    alice.profile.past_employers = ["Greenleaf Co-op (summer internship)"]
    alice.profile.target_roles = ["ESG consultant"]
    alice.profile.save()
    return alice


def test_a_company_ranks_by_keenness_then_its_ways_in(seeker: User) -> None:
    hallam = CompanyFactory(owner=seeker, name="Hallam", keenness=3, hiring_signal=2)
    ContactFactory(owner=seeker, company=hallam, common_ground="Studied at Leeds too")
    ContactFactory(owner=seeker, company=hallam, source="referral")
    ranks_refresh(owner=seeker)
    hallam.refresh_from_db()
    assert hallam.rank_reasons == ["keen 3/3", "1 alumnus", "1 referral", "hiring 2/3"]


def test_a_person_ranks_by_what_they_share_with_the_seeker(seeker: User) -> None:
    person = ContactFactory(
        owner=seeker,
        title="Senior ESG Consultant",
        common_ground="Leeds, and interned at Greenleaf Co-op",
        source="referral",
        company__keenness=3,
        company__name="Hallam",
    )
    ranks_refresh(owner=seeker)
    person.refresh_from_db()
    assert person.priority_reasons == [
        "introduced to you",
        "also studied at University of Leeds",
        "also worked at Greenleaf Co-op",
        "works as ESG consultant",
        "at Hallam (keen 3/3)",
    ]


def test_people_at_a_past_employer_count_as_former_colleagues(seeker: User) -> None:
    greenleaf = CompanyFactory(owner=seeker, name="Greenleaf Co-op", keenness=0)
    person = ContactFactory(owner=seeker, company=greenleaf)
    ranks_refresh(owner=seeker)
    greenleaf.refresh_from_db()
    person.refresh_from_db()
    assert greenleaf.rank_reasons == ["you worked here", "1 former colleague"]
    assert person.priority_reasons == ["also worked at Greenleaf Co-op"]


def test_a_refresh_around_an_edit_gives_what_a_full_refresh_gives(seeker: User) -> None:
    hallam = CompanyFactory(owner=seeker, keenness=3)
    lumen = CompanyFactory(owner=seeker, keenness=1)
    mover = ContactFactory(owner=seeker, company=hallam, common_ground="Leeds")
    ContactFactory(owner=seeker, company=hallam)
    ContactFactory(owner=seeker, company=lumen)
    ContactFactory(owner=seeker, company=None, title="ESG consultant")
    ranks_refresh(owner=seeker)

    services.contact_edit(
        owner=seeker, contact=mover, data={"title": "ESG consultant"}, company_name=lumen.name
    )
    after_edit = _ranks(seeker)
    ranks_refresh(owner=seeker)
    assert _ranks(seeker) == after_edit


@pytest.mark.parametrize("longest_in_list", [500, 0], ids=["ids-in-sql", "ids-chosen-here"])
def test_a_refresh_of_some_companies_touches_those_and_their_people_only(
    seeker: User, monkeypatch: pytest.MonkeyPatch, longest_in_list: int
) -> None:
    monkeypatch.setattr(ranking, "LONGEST_IN_LIST", longest_in_list)
    hallam = CompanyFactory(owner=seeker, keenness=3)
    lumen = CompanyFactory(owner=seeker, keenness=1)
    at_hallam = ContactFactory(owner=seeker, company=hallam, common_ground="Leeds")
    at_lumen = ContactFactory(owner=seeker, company=lumen, common_ground="Leeds")
    moved = ContactFactory(owner=seeker, company=None, title="ESG consultant")
    ranks_refresh(owner=seeker, company_ids=[hallam.pk], contact_ids=[moved.pk])
    refreshed = {c.pk: c.rank_reasons for c in Company.objects.for_owner(seeker)}
    people = {c.pk: c.priority_reasons for c in Contact.objects.for_owner(seeker)}
    assert refreshed == {hallam.pk: ["keen 3/3", "1 alumnus"], lumen.pk: []}
    assert people[at_hallam.pk]
    assert people[moved.pk] == ["works as ESG consultant"]
    assert people[at_lumen.pk] == []


def test_a_refresh_writes_only_the_rows_whose_rank_changed(seeker: User) -> None:
    company = CompanyFactory(owner=seeker, keenness=2)
    for _ in range(30):
        ContactFactory(owner=seeker, company=company)
    ranks_refresh(owner=seeker)
    with CaptureQueriesContext(connection) as queries:
        ranks_refresh(owner=seeker)
    assert not [q for q in queries if q["sql"].startswith("UPDATE")]


def test_ranks_are_kept_per_owner(seeker: User, bob: User) -> None:
    mine = ContactFactory(owner=seeker, common_ground="Leeds")
    theirs = ContactFactory(owner=bob, common_ground="Leeds")
    ranks_refresh(owner=seeker)
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert mine.priority_reasons
    assert theirs.priority_reasons == []


def test_deleting_people_re_ranks_their_company(seeker: User) -> None:
    company = CompanyFactory(owner=seeker, keenness=0)
    people = [ContactFactory(owner=seeker, company=company, source="referral") for _ in range(2)]
    ranks_refresh(owner=seeker)
    services.contacts_delete(owner=seeker, contact_ids=[people[0].pk])
    company.refresh_from_db()
    assert company.rank_reasons == ["1 referral"]
    services.contact_delete(owner=seeker, contact=people[1])
    company.refresh_from_db()
    assert company.rank_reasons == []
