from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from rapport.accounts.models import User

pytestmark = pytest.mark.django_db

SIGNUP = reverse("accounts:signup")


@pytest.fixture
def signup_open(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SERVER_MODE = True
    settings.LOCAL_MODE = False
    settings.SIGNUP_ENABLED = True


def test_sign_up_is_closed_unless_enabled(client: Client) -> None:
    assert client.get(SIGNUP).status_code == 404


def test_a_new_seeker_signs_up_and_lands_on_their_profile(
    signup_open: None, client: Client
) -> None:
    response = client.post(
        SIGNUP,
        {"display_name": "Maya", "email": "Maya@Example.org", "password": "tulip-lantern-91"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:settings")
    user = User.objects.get(email="Maya@Example.org")
    assert user.profile.display_name == "Maya"
    assert user.check_password("tulip-lantern-91")
    assert user.password.startswith("argon2")


def test_an_email_already_registered_is_refused_whatever_its_case(
    signup_open: None, alice: User, client: Client
) -> None:
    response = client.post(
        SIGNUP, {"display_name": "A", "email": "ALICE@example.org", "password": "tulip-lantern-91"}
    )
    assert response.status_code == 200
    assert b"already exists" in response.content or b"already registered" in response.content
    assert User.objects.filter(email__iexact="alice@example.org").count() == 1


def test_a_weak_password_is_refused_with_the_reason(signup_open: None, client: Client) -> None:
    response = client.post(SIGNUP, {"display_name": "B", "email": "b@x.org", "password": "123"})
    assert response.status_code == 200
    assert b"too short" in response.content
    assert not User.objects.filter(email="b@x.org").exists()
