"""Personal access tokens: made once, stored hashed, revoked for good, one owner each."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from rapport.accounts.models import ApiToken, User
from rapport.accounts.services import (
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
    hash_token,
)
from rapport.core.errors import RapportError

pytestmark = pytest.mark.django_db

SETTINGS_URL = reverse("accounts:settings")
CREATE_URL = reverse("accounts:api_token_create")


def _revoke_url(token: ApiToken) -> str:
    return reverse("accounts:api_token_revoke", args=[token.pk])


def test_a_new_token_is_returned_once_and_only_its_hash_is_stored(alice: User) -> None:
    token, raw = api_token_create(owner=alice, name="  my   scripts ")
    stored = ApiToken.objects.get(pk=token.pk)
    assert raw.startswith("rpt_")
    assert len(raw) > 40
    assert stored.token_hash == hash_token(raw)
    assert raw not in {stored.token_hash, stored.prefix, stored.name}
    assert stored.prefix == raw[:8]
    assert stored.name == "my scripts"


def test_two_tokens_are_never_the_same(alice: User) -> None:
    raws = {api_token_create(owner=alice, name=f"t{n}")[1] for n in range(5)}
    assert len(raws) == 5


def test_a_token_needs_a_name(alice: User) -> None:
    with pytest.raises(RapportError) as problem:
        api_token_create(owner=alice, name="   ")
    assert "name" in problem.value.fields
    assert not ApiToken.objects.exists()


def test_a_live_token_authenticates_its_owner(alice: User) -> None:
    _, raw = api_token_create(owner=alice, name="cli")
    assert api_token_authenticate(raw_token=raw) == alice


def test_a_wrong_or_malformed_token_authenticates_nobody(alice: User) -> None:
    _, raw = api_token_create(owner=alice, name="cli")
    assert api_token_authenticate(raw_token=raw[:-1] + ("A" if raw[-1] != "A" else "B")) is None
    assert api_token_authenticate(raw_token="") is None
    assert api_token_authenticate(raw_token="not-a-token") is None
    assert api_token_authenticate(raw_token=hash_token(raw)) is None, "the hash is not a key"


def test_a_revoked_token_no_longer_authenticates(alice: User) -> None:
    token, raw = api_token_create(owner=alice, name="cli")
    api_token_revoke(owner=alice, token_id=token.pk)
    assert api_token_authenticate(raw_token=raw) is None


def test_revoking_twice_keeps_the_first_time(alice: User) -> None:
    token, _ = api_token_create(owner=alice, name="cli")
    first = timezone.now() - timedelta(days=1)
    api_token_revoke(owner=alice, token_id=token.pk, now=first)
    api_token_revoke(owner=alice, token_id=token.pk)
    token.refresh_from_db()
    assert token.revoked_at == first


def test_someone_elses_token_cannot_be_revoked(alice: User, bob: User) -> None:
    token, raw = api_token_create(owner=alice, name="cli")
    with pytest.raises(RapportError) as problem:
        api_token_revoke(owner=bob, token_id=token.pk)
    assert problem.value.code == "not_found"
    assert api_token_authenticate(raw_token=raw) == alice


def test_a_deactivated_users_token_does_not_authenticate(alice: User) -> None:
    _, raw = api_token_create(owner=alice, name="cli")
    User.objects.filter(pk=alice.pk).update(is_active=False)
    assert api_token_authenticate(raw_token=raw) is None


def test_last_used_is_noted_at_most_once_a_minute(alice: User) -> None:
    token, raw = api_token_create(owner=alice, name="cli")
    start = timezone.now()
    api_token_authenticate(raw_token=raw, now=start)
    api_token_authenticate(raw_token=raw, now=start + timedelta(seconds=30))
    token.refresh_from_db()
    assert token.last_used_at == start
    later = start + timedelta(seconds=61)
    api_token_authenticate(raw_token=raw, now=later)
    token.refresh_from_db()
    assert token.last_used_at == later


def test_authenticating_within_the_minute_does_not_write(
    alice: User, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    _, raw = api_token_create(owner=alice, name="cli")
    api_token_authenticate(raw_token=raw)
    with django_assert_num_queries(1):
        api_token_authenticate(raw_token=raw)


# --- the Settings page ------------------------------------------------------------------


def test_settings_shows_a_new_token_once_with_a_copy_button(
    alice: User, alice_client: Client
) -> None:
    response = alice_client.post(CREATE_URL, {"name": "laptop"})
    assert response.status_code == 200
    raw = response.context["new_token"][1]
    page = response.content.decode()
    assert f'value="{raw}"' in page
    assert 'data-copy="#new-token-value"' in page
    assert raw not in alice_client.get(SETTINGS_URL).content.decode()


def test_settings_lists_tokens_with_name_prefix_and_last_use(
    alice: User, alice_client: Client
) -> None:
    token, raw = api_token_create(owner=alice, name="laptop")
    api_token_authenticate(raw_token=raw)
    page = alice_client.get(SETTINGS_URL).content.decode()
    assert "laptop" in page
    assert f"{token.prefix}…" in page
    assert "Never" not in page
    assert _revoke_url(token) in page
    assert raw not in page


def test_settings_does_not_list_someone_elses_tokens(bob: User, alice_client: Client) -> None:
    api_token_create(owner=bob, name="bobs-secret-robot")
    assert b"bobs-secret-robot" not in alice_client.get(SETTINGS_URL).content


def test_a_nameless_token_is_refused_on_the_page(alice: User, alice_client: Client) -> None:
    response = alice_client.post(CREATE_URL, {"name": ""})
    assert response.status_code == 200
    assert response.context["new_token"] is None
    assert b"This field is required." in response.content
    assert not ApiToken.objects.exists()


def test_the_revoke_button_revokes_and_returns_to_settings(
    alice: User, alice_client: Client
) -> None:
    token, raw = api_token_create(owner=alice, name="laptop")
    response = alice_client.post(_revoke_url(token), follow=True)
    assert response.redirect_chain[-1][0] == SETTINGS_URL
    assert "Token “laptop” revoked." in response.content.decode()
    assert api_token_authenticate(raw_token=raw) is None
    assert _revoke_url(token) not in response.content.decode()


def test_revoking_needs_the_csrf_token(alice: User) -> None:
    token, raw = api_token_create(owner=alice, name="laptop")
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(_revoke_url(token)).status_code == 403
    assert api_token_authenticate(raw_token=raw) == alice


def test_opening_the_revoke_url_asks_before_revoking(alice: User, alice_client: Client) -> None:
    token, raw = api_token_create(owner=alice, name="laptop")
    page = alice_client.get(_revoke_url(token)).content.decode()
    assert "Revoke “laptop”?" in page
    assert api_token_authenticate(raw_token=raw) == alice


def test_someone_elses_token_is_not_found_on_the_page(alice: User, bob_client: Client) -> None:
    token, raw = api_token_create(owner=alice, name="laptop")
    assert bob_client.post(_revoke_url(token)).status_code == 404
    assert api_token_authenticate(raw_token=raw) == alice
