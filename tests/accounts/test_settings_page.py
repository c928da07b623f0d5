from __future__ import annotations

from datetime import time

import pytest
from django.test import Client
from django.urls import reverse

from rapport.accounts.models import User
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

SETTINGS_URL = reverse("accounts:settings")


def _profile_form(**overrides: str | list[str]) -> dict[str, str | list[str]]:
    data: dict[str, str | list[str]] = {
        "display_name": "Alice Ng",
        "time_zone": "America/Chicago",
        "country": "US",
        "intro": "Career changer from teaching to instructional design.",
        "schools": "Ohio State\n\n  ohio state \nKenyon College",
        "past_employers": "Columbus City Schools",
        "target_roles": "Instructional designer",
        "target_industries": "EdTech",
        "signature": "Alice",
        "max_nudges": "1",
        "keep_in_touch_weeks": "6",
        "digest_hour": "8",
        "situation": "career_changer",
        "free_from": "09:00",
        "free_until": "17:30",
        "free_weekdays": ["0", "1", "2", "3", "4"],
    }
    data.update(overrides)
    return data


def test_the_profile_is_saved_with_tidy_lists(alice: User, alice_client: Client) -> None:
    response = alice_client.post(SETTINGS_URL, _profile_form(), follow=True)
    assert b"Profile saved." in response.content
    profile = User.objects.get(pk=alice.pk).profile
    assert profile.schools == ["Ohio State", "Kenyon College"]
    assert profile.time_zone == "America/Chicago"
    assert profile.country.code == "US"


def test_the_form_shows_the_saved_values(alice: User, alice_client: Client) -> None:
    alice_client.post(SETTINGS_URL, _profile_form())
    page = alice_client.get(SETTINGS_URL).content.decode()
    assert "Ohio State\nKenyon College" in page
    assert 'value="America/Chicago" selected' in page


def test_an_unknown_time_zone_is_refused_and_nothing_changes(
    alice: User, alice_client: Client
) -> None:
    response = alice_client.post(SETTINGS_URL, _profile_form(time_zone="Mars/Base"))
    assert response.status_code == 200
    assert b"Mars/Base is not one of the available choices" in response.content
    assert User.objects.get(pk=alice.pk).profile.display_name == "Alice"


def test_a_password_is_changed_in_server_mode(settings, alice: User, alice_client: Client) -> None:  # type: ignore[no-untyped-def]
    settings.SERVER_MODE = True
    response = alice_client.post(
        reverse("accounts:password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "harbour-violet-58",
            "new_password2": "harbour-violet-58",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("harbour-violet-58")


def test_the_follow_up_policy_and_the_digest_are_saved(alice: User, alice_client: Client) -> None:
    form = _profile_form(
        max_nudges="2", keep_in_touch_weeks="8", digest_enabled="on", digest_hour="7"
    )
    alice_client.post(SETTINGS_URL, form)
    profile = User.objects.get(pk=alice.pk).profile
    assert (profile.max_nudges, profile.keep_in_touch_weeks) == (2, 8)
    assert (profile.digest_enabled, profile.digest_hour) == (True, 7)


@pytest.mark.parametrize(
    ("field", "value"), [("max_nudges", "3"), ("keep_in_touch_weeks", "1"), ("digest_hour", "24")]
)
def test_a_policy_outside_the_playbooks_limits_is_refused(
    alice: User, alice_client: Client, field: str, value: str
) -> None:
    response = alice_client.post(SETTINGS_URL, _profile_form(**{field: value}))
    assert response.status_code == 200
    assert b"Profile saved." not in response.content
    profile = User.objects.get(pk=alice.pk).profile
    assert (profile.max_nudges, profile.keep_in_touch_weeks, profile.digest_hour) == (1, 6, 8)


def test_when_the_seeker_can_meet_is_saved(alice: User, alice_client: Client) -> None:
    form = _profile_form(
        situation="student", free_from="10:15", free_until="16:00", free_weekdays=["1", "3"]
    )
    alice_client.post(SETTINGS_URL, form)
    profile = User.objects.get(pk=alice.pk).profile
    assert profile.situation == "student"
    assert (profile.free_from, profile.free_until) == (time(10, 15), time(16, 0))
    assert profile.free_weekdays == [1, 3]


@pytest.mark.parametrize(
    "overrides",
    [
        {"free_from": "17:00", "free_until": "09:00"},
        {"free_weekdays": []},
        {"free_weekdays": ["7"]},
        {"situation": "astronaut"},
    ],
)
def test_impossible_availability_is_refused_and_nothing_changes(
    alice: User, alice_client: Client, overrides: dict[str, str | list[str]]
) -> None:
    response = alice_client.post(SETTINGS_URL, _profile_form(**overrides))
    assert response.status_code == 200
    assert b"Profile saved." not in response.content
    profile = User.objects.get(pk=alice.pk).profile
    assert profile.free_weekdays == [0, 1, 2, 3, 4]
    assert profile.situation == "career_changer"
