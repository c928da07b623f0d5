"""Password reset through a real SMTP server on loopback."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse

from rapport.accounts.models import User
from tests.smtp import Inbox, smtp_server

pytestmark = [pytest.mark.django_db, pytest.mark.smtp]


@pytest.fixture
def inbox(settings) -> Iterator[Inbox]:  # type: ignore[no-untyped-def]
    settings.SERVER_MODE = True
    settings.LOCAL_MODE = False
    with smtp_server() as (inbox, port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        yield inbox


def _reset_link(inbox: Inbox) -> str:
    text = inbox.messages[-1].get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    match = re.search(r"https?://[^/\s]+(/password/reset/[^\s]+/)", text)
    assert match, text
    return match.group(1)


def test_a_forgotten_password_is_reset_through_an_emailed_link(
    inbox: Inbox, alice: User, client: Client
) -> None:
    response = client.post(reverse("accounts:password_reset"), {"email": "alice@example.org"})
    assert response.status_code == 302
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message["To"] == "alice@example.org"
    assert message["Subject"] == "Set a new Rapport password"
    assert message.get_body(preferencelist=("html",)) is not None

    form_url = client.get(_reset_link(inbox), follow=True).redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "meadow-copper-77", "new_password2": "meadow-copper-77"}
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("meadow-copper-77")


def test_an_unknown_address_gets_the_same_answer_and_no_email(
    inbox: Inbox, alice: User, client: Client
) -> None:
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert inbox.messages == []


def test_local_mode_has_no_password_pages(alice_client: Client) -> None:
    assert alice_client.get(reverse("accounts:password_reset")).status_code == 404
    assert alice_client.get(reverse("accounts:password_change")).status_code == 404
