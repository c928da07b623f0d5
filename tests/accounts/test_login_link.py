from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from rapport.accounts.models import LoginToken, User
from rapport.accounts.services import (
    LOCAL_USERNAME,
    local_user_ensure,
    login_token_issue,
    login_token_redeem,
)

pytestmark = pytest.mark.django_db


def test_the_first_start_creates_one_local_user_with_no_password() -> None:
    first = local_user_ensure()
    again = local_user_ensure()
    assert first.pk == again.pk
    assert User.objects.filter(username=LOCAL_USERNAME).count() == 1
    assert not first.has_usable_password()
    assert first.profile.time_zone


def test_a_link_signs_in_once() -> None:
    user = local_user_ensure()
    issued = login_token_issue(user=user)
    assert login_token_redeem(token=issued.token) == user
    assert login_token_redeem(token=issued.token) is None


def test_only_a_hash_of_the_token_is_stored() -> None:
    issued = login_token_issue(user=local_user_ensure())
    stored = LoginToken.objects.get()
    assert issued.token not in stored.token_hash
    assert len(stored.token_hash) == 64


def test_an_expired_link_does_not_sign_in(settings) -> None:  # type: ignore[no-untyped-def]
    user = local_user_ensure()
    issued_at = timezone.now()
    issued = login_token_issue(user=user, now=issued_at)
    later = issued_at + timedelta(minutes=settings.LOGIN_LINK_MINUTES, seconds=1)
    assert login_token_redeem(token=issued.token, now=later) is None


def test_a_link_for_a_deactivated_user_does_not_sign_in() -> None:
    user = local_user_ensure()
    issued = login_token_issue(user=user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert login_token_redeem(token=issued.token) is None


def test_the_link_page_logs_in_and_lands_on_today(client: Client) -> None:
    issued = login_token_issue(user=local_user_ensure())
    url = reverse("accounts:link_login", kwargs={"token": issued.token})
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("web:today")
    assert client.get(reverse("web:today")).status_code == 200


def test_a_used_link_explains_how_to_get_a_new_one(client: Client) -> None:
    issued = login_token_issue(user=local_user_ensure())
    url = reverse("accounts:link_login", kwargs={"token": issued.token})
    client.get(url)
    client.logout()
    response = client.get(url)
    assert response.status_code == 400
    assert b"rapport login-link" in response.content
    assert client.get(reverse("web:today")).status_code == 302


def test_a_made_up_token_is_refused(client: Client) -> None:
    response = client.get(reverse("accounts:link_login", kwargs={"token": "not-a-real-token"}))
    assert response.status_code == 400
