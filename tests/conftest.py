"""Personas for every test: alice owns things, bob is someone else."""

from __future__ import annotations

import os

import pytest
from django.test import Client

from rapport.accounts.models import User
from tests.factories import UserFactory


def require_or_skip(reason: str) -> None:
    """A missing real component is a skip locally and a failure in CI (RAPPORT_REQUIRE_REAL=1)."""
    if os.environ.get("RAPPORT_REQUIRE_REAL") == "1":
        pytest.fail(f"{reason} (RAPPORT_REQUIRE_REAL=1: CI must run this for real)")
    pytest.skip(reason)


@pytest.fixture
def alice(db: None) -> User:
    return UserFactory(username="alice", email="alice@example.org")


@pytest.fixture
def bob(db: None) -> User:
    return UserFactory(username="bob", email="bob@example.org")


@pytest.fixture
def alice_client(alice: User) -> Client:
    client = Client()
    client.force_login(alice)
    return client


@pytest.fixture
def bob_client(bob: User) -> Client:
    client = Client()
    client.force_login(bob)
    return client
