from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from rapport.accounts.models import LoginAttempt
from rapport.accounts.selectors import login_is_throttled
from rapport.accounts.services import login_attempt_record
from rapport.core.http import client_ip

pytestmark = pytest.mark.django_db


def test_old_failures_are_forgotten(settings) -> None:  # type: ignore[no-untyped-def]
    settings.LOGIN_THROTTLE_ATTEMPTS = 2
    long_ago = timezone.now() - timedelta(minutes=settings.LOGIN_THROTTLE_MINUTES + 1)
    for _ in range(2):
        login_attempt_record(username="a@x.org", ip_address="192.0.2.1", now=long_ago)
    assert not login_is_throttled(username="a@x.org", ip_address="192.0.2.1")
    login_attempt_record(username="b@x.org", ip_address=None)
    assert LoginAttempt.objects.filter(username="a@x.org").count() == 0


def test_many_failures_from_one_address_throttle_it_across_names(settings) -> None:  # type: ignore[no-untyped-def]
    settings.LOGIN_THROTTLE_ATTEMPTS = 2
    for n in range(8):
        login_attempt_record(username=f"user{n}@x.org", ip_address="192.0.2.9")
    assert login_is_throttled(username="fresh@x.org", ip_address="192.0.2.9")
    assert not login_is_throttled(username="fresh@x.org", ip_address="192.0.2.10")


def test_behind_a_proxy_the_last_forwarded_hop_is_the_client(settings) -> None:  # type: ignore[no-untyped-def]
    settings.BEHIND_PROXY = True
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7"
    )
    assert client_ip(request) == "198.51.100.7"


def test_without_a_proxy_forwarded_headers_are_ignored(settings) -> None:  # type: ignore[no-untyped-def]
    settings.BEHIND_PROXY = False
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "203.0.113.5"
