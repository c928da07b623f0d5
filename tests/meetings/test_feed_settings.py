"""The Calendar feed card on the Settings page: make an address, see it once, replace or
revoke it, always by POST with a CSRF token."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from rapport.accounts.models import User
from rapport.meetings import feeds
from rapport.meetings.models import CalendarFeed

pytestmark = pytest.mark.django_db

SETTINGS_URL = reverse("accounts:settings")
CREATE_URL = reverse("meetings:calendar_feed_create")
REVOKE_URL = reverse("meetings:calendar_feed_revoke")
FEED_URL_RE = re.compile(r"https?://[^\s\"<]+/calendar/([A-Za-z0-9_-]+)\.ics")


def shown_feed_url(page: str) -> tuple[str, str]:
    """The full address on the page, and its token."""
    match = FEED_URL_RE.search(page)
    assert match, "no feed address on the page"
    return match.group(0), match.group(1)


def test_the_card_offers_to_make_a_feed(alice_client: Client) -> None:
    page = alice_client.get(SETTINGS_URL).content.decode()

    assert 'id="calendar-feed"' in page
    assert "You have no calendar feed." in page
    assert "Create a feed URL" in page
    assert "anyone with the link can read your meetings" in page


def test_the_new_address_is_shown_once_with_a_webcal_link(
    alice: User, alice_client: Client
) -> None:
    response = alice_client.post(CREATE_URL)
    page = response.content.decode()

    assert response.status_code == 200
    url, token = shown_feed_url(page)
    assert url == f"http://testserver/calendar/{token}.ics"
    assert f'href="webcal://testserver/calendar/{token}.ics"' in page
    assert "Calendar feed address made." in page
    assert Client().get(url.removeprefix("http://testserver")).status_code == 200

    later = alice_client.get(SETTINGS_URL).content.decode()
    assert token not in later
    assert "Active since" in later
    assert "not used yet" not in later  # the fetch above used it
    assert f"<code>{token[:8]}…</code>" in later
    assert "Make a new URL" in later
    assert "Revoke" in later


def test_the_configured_base_url_makes_the_address(
    alice_client: Client, settings: Settings
) -> None:
    settings.BASE_URL = "https://rapport.example.org"

    page = alice_client.post(CREATE_URL).content.decode()

    url, token = shown_feed_url(page)
    assert url == f"https://rapport.example.org/calendar/{token}.ics"
    assert f'href="webcal://rapport.example.org/calendar/{token}.ics"' in page


def test_a_new_url_stops_the_old_one(alice: User, alice_client: Client) -> None:
    _, old = shown_feed_url(alice_client.post(CREATE_URL).content.decode())
    page = alice_client.post(CREATE_URL).content.decode()
    _, new = shown_feed_url(page)

    assert new != old
    assert "The old one no longer works." in page
    assert Client().get(f"/calendar/{old}.ics").status_code == 404
    assert Client().get(f"/calendar/{new}.ics").status_code == 200
    assert CalendarFeed.objects.filter(owner=alice, revoked_at__isnull=True).count() == 1


def test_revoking_stops_the_address_and_returns_to_the_card(
    alice: User, alice_client: Client
) -> None:
    _, token = shown_feed_url(alice_client.post(CREATE_URL).content.decode())

    response = alice_client.post(REVOKE_URL)

    assert response.status_code == 302
    assert response["Location"] == f"{SETTINGS_URL}#calendar-feed"
    assert Client().get(f"/calendar/{token}.ics").status_code == 404
    page = alice_client.get(SETTINGS_URL).content.decode()
    assert "Calendar feed revoked." in page
    assert "You have no calendar feed." in page


def test_revoking_with_no_feed_says_so(alice_client: Client) -> None:
    alice_client.post(REVOKE_URL)

    assert "You have no calendar feed to revoke." in alice_client.get(SETTINGS_URL).content.decode()


def test_someone_else_revoking_leaves_my_feed_working(alice: User, bob_client: Client) -> None:
    _, raw = feeds.feed_create(owner=alice)

    bob_client.post(REVOKE_URL)

    assert Client().get(f"/calendar/{raw}.ics").status_code == 200


def test_the_buttons_only_answer_post(alice_client: Client) -> None:
    assert alice_client.get(CREATE_URL).status_code == 405
    assert alice_client.get(REVOKE_URL).status_code == 405
    assert not CalendarFeed.objects.exists()


def test_the_buttons_need_the_csrf_token(alice: User) -> None:
    _, raw = feeds.feed_create(owner=alice)
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)

    assert client.post(CREATE_URL).status_code == 403
    assert client.post(REVOKE_URL).status_code == 403

    assert CalendarFeed.objects.filter(owner=alice).count() == 1
    assert Client().get(f"/calendar/{raw}.ics").status_code == 200


def test_the_buttons_work_with_the_pages_csrf_token(alice: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    page = client.get(SETTINGS_URL).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token

    response = client.post(CREATE_URL, {"csrfmiddlewaretoken": token.group(1)})

    assert response.status_code == 200
    assert feeds.feed_active(owner=alice) is not None


def test_anonymous_visitors_are_sent_to_log_in(client: Client) -> None:
    response = client.post(CREATE_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not CalendarFeed.objects.exists()
