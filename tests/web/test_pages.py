from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse

from rapport.accounts.models import User
from rapport.playbook.stages import Stage
from tests.factories import ContactFactory, MeetingFactory, MessageFactory

pytestmark = pytest.mark.django_db


def test_a_new_user_is_told_what_to_do_first(alice_client: Client) -> None:
    page = alice_client.get(reverse("web:today")).content.decode()
    assert "Start with the people you could learn from" in page
    assert "Bring in your network" in page


def test_today_shows_upcoming_meetings_and_drafts(alice: User, alice_client: Client) -> None:
    meeting = MeetingFactory(owner=alice, contact__first_name="Ruth")
    MessageFactory(owner=alice, contact=meeting.contact)
    page = alice_client.get(reverse("web:today")).content.decode()
    assert "Coming up" in page
    assert reverse("meetings:meeting_detail", args=[meeting.pk]) in page
    assert "Request to Ruth" in page


def test_meeting_times_are_shown_in_the_viewers_zone(alice: User, alice_client: Client) -> None:
    alice.profile.time_zone = "Asia/Tokyo"
    alice.profile.save()
    meeting = MeetingFactory(owner=alice, start=datetime(2030, 3, 4, 1, 30, tzinfo=UTC))
    page = alice_client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content
    assert b"4 March 2030, 10:30" in page
    assert b"Asia/Tokyo" in page


def test_contact_search_matches_name_title_and_company(alice: User, alice_client: Client) -> None:
    ContactFactory(owner=alice, first_name="Ruth", company__name="Hallam Advisory")
    ContactFactory(owner=alice, first_name="Ben", title="Commercial Analyst")
    url = reverse("contacts:contact_list")
    assert b"Ruth" in alice_client.get(url, {"q": "hallam"}).content
    by_title = alice_client.get(url, {"q": "commercial"}).content
    assert b"Ben" in by_title
    assert b"Ruth" not in by_title


def test_contact_filter_by_stage(alice: User, alice_client: Client) -> None:
    ContactFactory(owner=alice, first_name="Ruth", stage=Stage.MET.value)
    ContactFactory(owner=alice, first_name="Ben", stage=Stage.NO_REPLY.value)
    page = alice_client.get(reverse("contacts:contact_list"), {"stage": "met"}).content
    assert b"Ruth" in page
    assert b"Ben" not in page


def test_an_htmx_search_gets_only_the_results_fragment(alice: User, alice_client: Client) -> None:
    ContactFactory(owner=alice, first_name="Ruth")
    response = alice_client.get(
        reverse("contacts:contact_list"), {"q": "ruth"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.strip().startswith('<div id="results">')
    assert "<nav" not in html


def test_nonsense_query_parameters_do_not_break_lists(alice: User, alice_client: Client) -> None:
    url = reverse("contacts:contact_list")
    assert alice_client.get(url, {"stage": "bogus", "page": "-4"}).status_code == 200
    assert alice_client.get(reverse("outreach:message_list"), {"status": "x"}).status_code == 200


def test_insights_count_contacts_by_stage(alice: User, alice_client: Client) -> None:
    for _ in range(3):
        ContactFactory(owner=alice, stage=Stage.REQUESTED.value)
    ContactFactory(owner=alice, stage=Stage.MET.value)
    response = alice_client.get(reverse("web:insights"))
    rows = {row.stage: row.count for row in response.context["rows"]}
    assert rows["requested"] == 3
    assert rows["met"] == 1
    assert rows["identified"] == 0


def test_the_health_check_is_public(client: Client) -> None:
    response = client.get(reverse("web:health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_a_missing_page_uses_the_apps_own_404(alice_client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    response = alice_client.get("/no/such/page/")
    assert response.status_code == 404
    assert b"not yours to see" in response.content


def test_every_form_page_carries_a_csrf_token(alice_client: Client) -> None:
    page = alice_client.get(reverse("accounts:settings")).content
    assert b'name="csrfmiddlewaretoken"' in page


def test_a_post_without_the_csrf_token_is_refused(alice: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(reverse("accounts:settings"), {"display_name": "Mallory"})
    assert response.status_code == 403
    assert b"Reload the page" in response.content
