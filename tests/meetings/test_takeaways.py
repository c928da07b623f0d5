"""Takeaways from a meeting: advice, and people they suggested, who become contacts
introduced by the person met (never a second copy of someone already there)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from rapport.accounts.models import User
from rapport.contacts.models import Contact
from rapport.core.errors import RapportError
from rapport.meetings import live
from rapport.meetings.live import TakeawayData
from rapport.meetings.models import Meeting, PlanQuestion, Takeaway
from tests.factories import ContactFactory, MeetingFactory

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def meeting(alice: User) -> Meeting:
    marta = ContactFactory(owner=alice, first_name="Marta", last_name="Silva", stage="scheduled")
    return MeetingFactory(owner=alice, contact=marta)


def person(meeting: Meeting, name: str = "Priya Shah", **fields: str) -> Takeaway:
    data = TakeawayData(person_name=name, **fields)
    return live.takeaway_add(owner=meeting.owner, meeting=meeting, kind="person", data=data)


# --- services ------------------------------------------------------------------------------


def test_advice_needs_words_and_a_person_needs_a_name(alice: User, meeting: Meeting) -> None:
    with pytest.raises(RapportError) as advice:
        live.takeaway_add(owner=alice, meeting=meeting, kind="advice", data=TakeawayData("  "))
    assert advice.value.fields == {"text": "required"}
    with pytest.raises(RapportError) as someone:
        live.takeaway_add(owner=alice, meeting=meeting, kind="person", data=TakeawayData("Why"))
    assert someone.value.fields == {"person_name": "required"}
    assert not Takeaway.objects.exists()


def test_advice_can_be_tied_only_to_a_question_of_this_meeting(
    alice: User, meeting: Meeting
) -> None:
    other = MeetingFactory(owner=alice)
    elsewhere = PlanQuestion.objects.create(owner=alice, meeting=other, text="Elsewhere?")
    here = PlanQuestion.objects.create(owner=alice, meeting=meeting, text="Here?")
    with pytest.raises(RapportError, match="not in this meeting"):
        live.takeaway_add(
            owner=alice, meeting=meeting, kind="advice", data=TakeawayData("x", elsewhere)
        )
    made = live.takeaway_add(
        owner=alice, meeting=meeting, kind="advice", data=TakeawayData("Learn SQL", here)
    )
    assert made.question == here


def test_a_suggested_person_becomes_a_contact_introduced_by_the_one_met(
    alice: User, meeting: Meeting
) -> None:
    priya = person(
        meeting,
        "Priya  Shah",
        person_company="Lumen Grid",
        person_reach="priya@lumen.example",
        text="She runs the GIS team",
    )
    contact = live.takeaway_make_contact(owner=alice, takeaway=priya)
    assert (contact.first_name, contact.last_name) == ("Priya", "Shah")
    assert contact.referred_by == meeting.contact
    assert contact.company is not None
    assert contact.company.name == "Lumen Grid"
    assert contact.email == "priya@lumen.example"
    assert contact.source == Contact.Source.REFERRAL
    assert "She runs the GIS team" in contact.notes
    priya.refresh_from_db()
    assert priya.contact == contact


def test_how_to_reach_them_lands_in_the_right_field(alice: User, meeting: Meeting) -> None:
    reach = {
        "linkedin.com/in/ravi": ("linkedin_url", "https://linkedin.com/in/ravi"),
        "+44 20 7946 0000": ("phone", "+44 20 7946 0000"),
        "ask Marta for an intro": ("notes", "How to reach them: ask Marta for an intro"),
    }
    for index, (written, (field, expected)) in enumerate(reach.items()):
        takeaway = person(meeting, f"Person{index} Example", person_reach=written)
        contact = live.takeaway_make_contact(owner=alice, takeaway=takeaway)
        assert expected in getattr(contact, field), written


def test_adding_twice_or_twice_suggested_never_makes_a_second_contact(
    alice: User, meeting: Meeting
) -> None:
    first = person(meeting, "Priya Shah")
    made = live.takeaway_make_contact(owner=alice, takeaway=first)
    again = live.takeaway_make_contact(owner=alice, takeaway=first)
    second = person(MeetingFactory(owner=alice), "priya shah")
    linked = live.takeaway_make_contact(owner=alice, takeaway=second)
    assert made == again == linked
    assert Contact.objects.filter(first_name__iexact="priya").count() == 1


def test_someone_already_in_the_contacts_is_linked_and_gets_the_introduction(
    alice: User, meeting: Meeting
) -> None:
    known = ContactFactory(owner=alice, first_name="Priya", last_name="Shah")
    takeaway = person(meeting, "Priya Shah", person_company="Elsewhere Ltd")
    before = Contact.objects.count()
    contact = live.takeaway_make_contact(owner=alice, takeaway=takeaway)
    assert contact == known
    assert Contact.objects.count() == before
    known.refresh_from_db()
    assert known.referred_by == meeting.contact


def test_a_person_who_introduced_the_one_met_is_linked_without_a_loop(
    alice: User, meeting: Meeting
) -> None:
    ravi = ContactFactory(owner=alice, first_name="Ravi", last_name="Patel")
    meeting.contact.referred_by = ravi
    meeting.contact.save()
    contact = live.takeaway_make_contact(owner=alice, takeaway=person(meeting, "Ravi Patel"))
    ravi.refresh_from_db()
    assert contact == ravi
    assert ravi.referred_by is None


def test_advice_cannot_become_a_contact_and_bob_cannot_touch_alices(
    alice: User, bob: User, meeting: Meeting
) -> None:
    advice = live.takeaway_add(
        owner=alice, meeting=meeting, kind="advice", data=TakeawayData("Learn SQL")
    )
    with pytest.raises(RapportError):
        live.takeaway_make_contact(owner=alice, takeaway=advice)
    priya = person(meeting)
    for call in (
        lambda: live.takeaway_make_contact(owner=bob, takeaway=priya),
        lambda: live.takeaway_update(owner=bob, takeaway=priya, data=TakeawayData("x")),
        lambda: live.takeaway_delete(owner=bob, takeaway=priya),
        lambda: live.takeaway_add(
            owner=bob, meeting=meeting, kind="advice", data=TakeawayData("x")
        ),
    ):
        with pytest.raises(RapportError):
            call()
    assert Contact.objects.filter(owner=bob).count() == 0
    assert Takeaway.objects.filter(pk=priya.pk, contact=None).exists()


# --- the page --------------------------------------------------------------------------------


def add_url(meeting: Meeting) -> str:
    return reverse("meetings:meeting_takeaway_add", args=[meeting.pk])


def test_advice_added_with_htmx_comes_back_in_the_takeaways_section(
    alice_client: Client, meeting: Meeting
) -> None:
    response = alice_client.post(
        add_url(meeting), {"kind": "advice", "advice-text": "Learn SQL alongside GIS"}, headers=HTMX
    )
    fragment = response.content.decode()
    assert fragment.lstrip().startswith('<section id="takeaways"')
    assert "Learn SQL alongside GIS" in fragment
    assert "<html" not in fragment
    assert meeting.takeaways.get().text == "Learn SQL alongside GIS"


def test_a_person_added_without_script_can_be_added_to_the_contacts_with_one_click(
    alice_client: Client, meeting: Meeting
) -> None:
    response = alice_client.post(
        add_url(meeting),
        {"kind": "person", "person-person_name": "Priya Shah", "person-person_company": "Lumen"},
    )
    assert response["Location"].endswith("#takeaways")
    page = alice_client.get(reverse("meetings:meeting_live", args=[meeting.pk])).content.decode()
    assert "Priya Shah" in page
    assert "Add to my contacts" in page
    takeaway = meeting.takeaways.get()
    alice_client.post(reverse("meetings:takeaway_contact", args=[takeaway.pk]))
    takeaway.refresh_from_db()
    assert takeaway.contact is not None
    assert takeaway.contact.referred_by == meeting.contact
    page = alice_client.get(reverse("meetings:meeting_live", args=[meeting.pk])).content.decode()
    assert "Add to my contacts" not in page
    assert reverse("contacts:contact_detail", args=[takeaway.contact.pk]) in page


def test_a_person_without_a_name_is_shown_as_a_form_error(
    alice_client: Client, meeting: Meeting
) -> None:
    response = alice_client.post(add_url(meeting), {"kind": "person", "person-text": "Why"})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not meeting.takeaways.exists()


def test_a_takeaway_can_be_edited_and_deleted(alice_client: Client, meeting: Meeting) -> None:
    priya = person(meeting)
    edit = reverse("meetings:takeaway_edit", args=[priya.pk])
    assert alice_client.get(edit).status_code == 200
    alice_client.post(edit, {"person-person_name": "Priya Shah-Khan", "person-text": "GIS lead"})
    priya.refresh_from_db()
    assert (priya.person_name, priya.text) == ("Priya Shah-Khan", "GIS lead")
    response = alice_client.post(reverse("meetings:takeaway_delete", args=[priya.pk]), headers=HTMX)
    assert "Priya Shah-Khan" not in response.content.decode()
    assert not Takeaway.objects.filter(pk=priya.pk).exists()


def test_bob_gets_not_found_for_alices_takeaways(bob_client: Client, meeting: Meeting) -> None:
    priya = person(meeting)
    for name in ("takeaway_edit", "takeaway_delete", "takeaway_contact"):
        assert bob_client.post(reverse(f"meetings:{name}", args=[priya.pk])).status_code == 404
    response = bob_client.post(add_url(meeting), {"kind": "advice", "advice-text": "x"})
    assert response.status_code == 404
    assert meeting.takeaways.count() == 1
