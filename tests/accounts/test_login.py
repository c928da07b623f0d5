from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from rapport.accounts.models import LoginAttempt, User
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


@pytest.fixture
def server_mode(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SERVER_MODE = True
    settings.LOCAL_MODE = False
    settings.LOGIN_THROTTLE_ATTEMPTS = 3


def _post(client: Client, username: str, password: str, **extra: str):  # type: ignore[no-untyped-def]
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def test_a_user_signs_in_with_their_email_in_any_case(
    server_mode: None, alice: User, client: Client
) -> None:
    response = _post(client, "ALICE@Example.org", TEST_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("web:today")


def test_sign_in_returns_to_the_page_asked_for_but_never_off_site(
    server_mode: None, alice: User, client: Client
) -> None:
    assert _post(client, "alice", TEST_PASSWORD, next="/contacts/")["Location"] == "/contacts/"
    client.logout()
    response = _post(client, "alice", TEST_PASSWORD, next="https://evil.example/")
    assert response["Location"] == reverse("web:today")


def test_a_wrong_password_is_refused_and_counted(
    server_mode: None, alice: User, client: Client
) -> None:
    response = _post(client, "alice@example.org", "nope")
    assert response.status_code == 200
    assert b"do not match" in response.content
    assert LoginAttempt.objects.filter(username="alice@example.org").count() == 1
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_the_login_even_with_the_right_password(
    server_mode: None, alice: User, client: Client
) -> None:
    for _ in range(3):
        _post(client, "alice@example.org", "wrong")
    response = _post(client, "alice@example.org", TEST_PASSWORD)
    assert response.status_code == 429
    assert b"Too many failed attempts" in response.content
    assert "_auth_user_id" not in client.session


def test_other_accounts_are_not_locked_by_someone_elses_failures(
    server_mode: None, alice: User, bob: User, client: Client
) -> None:
    for _ in range(3):
        _post(client, "alice@example.org", "wrong")
    assert _post(client, "bob@example.org", TEST_PASSWORD).status_code == 302


def test_a_success_clears_the_failures(server_mode: None, alice: User, client: Client) -> None:
    _post(client, "alice@example.org", "wrong")
    _post(client, "alice@example.org", TEST_PASSWORD)
    assert not LoginAttempt.objects.filter(username="alice@example.org").exists()


def test_local_mode_has_no_password_sign_in(alice: User, client: Client) -> None:
    response = _post(client, "alice@example.org", TEST_PASSWORD)
    assert response.status_code == 200
    assert b"rapport login-link" in response.content
    assert "_auth_user_id" not in client.session


def test_logging_out_needs_a_post(alice_client: Client) -> None:
    assert alice_client.get(reverse("accounts:logout")).status_code == 405
    assert alice_client.post(reverse("accounts:logout")).status_code == 302
    assert alice_client.get(reverse("web:today")).status_code == 302
