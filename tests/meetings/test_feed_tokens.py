"""The calendar feed's secret: stored hashed, one live per seeker, revocable, and polled
without a write on every request."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rapport.accounts.models import User
from rapport.core.errors import RapportError
from rapport.meetings import feeds
from rapport.meetings.models import CalendarFeed
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 18, 14, 0, tzinfo=UTC)


def test_the_raw_token_is_never_stored_only_its_sha256(alice: User) -> None:
    feed, raw = feeds.feed_create(owner=alice, now=NOW)

    assert len(raw) >= 43
    assert feed.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert feed.prefix == raw[:8]
    stored = [str(value) for row in CalendarFeed.objects.values() for value in row.values()]
    assert not any(raw in value for value in stored)


def test_the_token_opens_its_feed_with_the_owner(alice: User) -> None:
    feed, raw = feeds.feed_create(owner=alice, now=NOW)

    opened = feeds.feed_open(raw_token=raw, now=NOW)

    assert opened == feed
    assert opened is not None
    assert opened.owner == alice


@pytest.mark.parametrize("token", ["", "not-a-feed", "x" * 500])
def test_an_unknown_token_opens_nothing(alice: User, token: str) -> None:
    feeds.feed_create(owner=alice, now=NOW)

    assert feeds.feed_open(raw_token=token, now=NOW) is None


def test_a_new_feed_stops_the_old_one(alice: User) -> None:
    old, old_raw = feeds.feed_create(owner=alice, now=NOW)
    new, new_raw = feeds.feed_create(owner=alice, now=NOW + timedelta(minutes=5))

    old.refresh_from_db()
    assert old.revoked_at == NOW + timedelta(minutes=5)
    assert feeds.feed_open(raw_token=old_raw) is None
    assert feeds.feed_open(raw_token=new_raw) == new
    assert feeds.feed_active(owner=alice) == new


def test_making_a_feed_leaves_other_seekers_feeds_alone(alice: User, bob: User) -> None:
    _, bob_raw = feeds.feed_create(owner=bob, now=NOW)
    feeds.feed_create(owner=alice, now=NOW)

    assert feeds.feed_open(raw_token=bob_raw) is not None


def test_a_revoked_feed_opens_nothing_and_revoking_again_keeps_the_first_time(
    alice: User,
) -> None:
    feed, raw = feeds.feed_create(owner=alice, now=NOW)

    feeds.feed_revoke(owner=alice, feed=feed, now=NOW + timedelta(hours=1))
    again = feeds.feed_revoke(owner=alice, feed=feed, now=NOW + timedelta(hours=2))

    assert again.revoked_at == NOW + timedelta(hours=1)
    assert feeds.feed_open(raw_token=raw) is None
    assert feeds.feed_active(owner=alice) is None


def test_no_one_can_revoke_someone_elses_feed(alice: User, bob: User) -> None:
    feed, raw = feeds.feed_create(owner=alice, now=NOW)

    with pytest.raises(RapportError):
        feeds.feed_revoke(owner=bob, feed=feed)

    assert feeds.feed_open(raw_token=raw) is not None


def test_a_deactivated_accounts_feed_opens_nothing(alice: User) -> None:
    _, raw = feeds.feed_create(owner=alice, now=NOW)
    User.objects.filter(pk=alice.pk).update(is_active=False)

    assert feeds.feed_open(raw_token=raw) is None


def test_the_links_are_https_and_webcal_for_the_same_address() -> None:
    links = feeds.feed_links(base_url="https://rapport.example/", raw_token="abc_DEF-123")

    assert links.https == "https://rapport.example/calendar/abc_DEF-123.ics"
    assert links.webcal == "webcal://rapport.example/calendar/abc_DEF-123.ics"


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.integers(min_value=0, max_value=6 * 60 * 60), min_size=1, max_size=8))
def test_last_used_is_written_at_most_once_an_hour(db: None, poll_seconds: list[int]) -> None:
    """Whatever the polling pattern, last_used_at moves only when an hour has passed since
    it was last written, so a calendar app polling every minute costs one write an hour."""
    _, raw = feeds.feed_create(owner=UserFactory(), now=NOW)
    expected: datetime | None = None
    for offset in sorted(poll_seconds):
        moment = NOW + timedelta(seconds=offset)
        if expected is None or moment - expected > timedelta(hours=1):
            expected = moment
        opened = feeds.feed_open(raw_token=raw, now=moment)

        assert opened is not None
        stored = CalendarFeed.objects.get(pk=opened.pk).last_used_at
        assert stored == expected
        assert opened.last_used_at == expected
