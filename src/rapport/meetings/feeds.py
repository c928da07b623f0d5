"""The private calendar feed: its secret address (services) and what it holds (selectors).

The address carries a random secret. Only the secret's SHA-256 is stored, as for API
tokens, so a copy of the database holds nothing that opens a feed, and the lookup by hash
means no comparison ever runs on the secret itself. A seeker has one live feed at a time.
"""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse

from rapport.accounts.models import User
from rapport.accounts.services import hash_token
from rapport.core import clock
from rapport.core.errors import RapportError
from rapport.core.models import ensure_owned_by
from rapport.meetings import calendar
from rapport.meetings.invites import meeting_event, seeker_zone
from rapport.meetings.models import CalendarFeed, Meeting
from rapport.reminders.selectors import ShownAction, today_actions

FEED_TOKEN_BYTES = 32  # 43 URL-safe characters: unguessable
FEED_PREFIX_CHARS = 8  # shown in Settings to tell feeds apart; too short to guess from
FEED_TOKEN_MAX_CHARS = 100  # anything longer is not ours: refused before hashing
# Calendar apps poll every few minutes to hours; "last used" to the hour is plenty and
# keeps a poll read-only.
FEED_TOUCH_INTERVAL = timedelta(hours=1)
# Recent meetings stay visible for looking back; older ones only weigh the download down.
FEED_PAST_DAYS = 30
# Today's "coming up" is a week; a calendar is where people look further ahead.
FEED_ACTION_DAYS = 60
ACTION_DURATION_MIN = 15  # a short slot: enough to see, not enough to look busy
FEED_NAME = "Rapport"
# Only agreed times belong in a calendar; a proposed one may never happen.
UNAGREED = (Meeting.Status.PROPOSED,)


@dataclass(frozen=True)
class FeedLinks:
    """One feed address, as a web link and as a one-click calendar subscription."""

    https: str
    webcal: str


# Services


@transaction.atomic
def feed_create(*, owner: User, now: datetime | None = None) -> tuple[CalendarFeed, str]:
    """A new feed and its raw token, shown once and never stored. Any older feed stops."""
    now = now or clock.now()
    # Locking the owner's row makes two clicks at once end with one live feed, not two.
    User.objects.select_for_update().filter(pk=owner.pk).first()
    _live(owner).update(revoked_at=now, updated_at=now)
    raw = secrets.token_urlsafe(FEED_TOKEN_BYTES)
    feed = CalendarFeed.objects.create(
        owner=owner, token_hash=hash_token(raw), prefix=raw[:FEED_PREFIX_CHARS]
    )
    return feed, raw


@transaction.atomic
def feed_revoke(*, owner: User, feed: CalendarFeed, now: datetime | None = None) -> CalendarFeed:
    """Stop the feed's address working at once. Revoking twice keeps the first time."""
    ensure_owned_by(owner, feed)
    locked = CalendarFeed.objects.for_owner(owner).select_for_update().filter(pk=feed.pk).first()
    if locked is None:
        raise RapportError("That calendar feed was not found in your account.", code="not_found")
    if locked.revoked_at is None:
        locked.revoked_at = now or clock.now()
        locked.save(update_fields=["revoked_at", "updated_at"])
    return locked


def feed_open(*, raw_token: str, now: datetime | None = None) -> CalendarFeed | None:
    """The live feed a token opens, with its owner loaded, or None (unknown or revoked).

    It notes when the feed was last used at most once an hour, with one conditional
    UPDATE, so most polls write nothing.
    """
    if not raw_token or len(raw_token) > FEED_TOKEN_MAX_CHARS:
        return None
    now = now or clock.now()
    feed = (
        CalendarFeed.objects.select_related("owner", "owner__profile")
        .filter(token_hash=hash_token(raw_token), revoked_at__isnull=True, owner__is_active=True)
        .first()
    )
    if feed is None:
        return None
    stale = now - FEED_TOUCH_INTERVAL
    if feed.last_used_at is None or feed.last_used_at < stale:
        CalendarFeed.objects.filter(pk=feed.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=stale)
        ).update(last_used_at=now)
        feed.last_used_at = now
    return feed


# Selectors


def feed_active(*, owner: User) -> CalendarFeed | None:
    """The owner's live feed, if they have one."""
    return _live(owner).order_by("-created_at").first()


def feed_links(*, base_url: str, raw_token: str) -> FeedLinks:
    """The feed's full address from the site's base (`https://rapport.example`)."""
    path = reverse("meetings:calendar_feed", kwargs={"token": raw_token})
    https = base_url.rstrip("/") + path
    # webcal:// is the same address with "open in my calendar app" as its meaning.
    return FeedLinks(https=https, webcal="webcal://" + https.partition("://")[2])


def feed_calendar(*, owner: User, base_url: str, now: datetime | None = None) -> bytes:
    """The owner's calendar: meetings from a month back on, and the Today actions ahead.

    A fixed handful of queries, however many meetings and contacts there are.
    """
    now = now or clock.now()
    return calendar.feed(
        feed_meetings(owner=owner, now=now),
        feed_items(owner=owner, now=now, base_url=base_url),
        name=FEED_NAME,
        now=now,
    )


def feed_meetings(*, owner: User, now: datetime) -> Iterator[calendar.MeetingEvent]:
    """Each agreed meeting with a time, cancelled ones included so calendars drop them,
    written in the seeker's own zone (the feed is theirs; the invite is the host's)."""
    zone = seeker_zone(owner)
    meetings = (
        Meeting.objects.for_owner(owner)
        .filter(start__gte=now - timedelta(days=FEED_PAST_DAYS))
        .exclude(status__in=UNAGREED)
        .select_related("contact", "contact__company", "owner", "owner__profile")
        .prefetch_related("questions")  # the plan goes into each event's description
        .order_by("start", "pk")
    )
    for meeting in meetings:
        yield dataclasses.replace(meeting_event(meeting), zone=zone)


def feed_items(*, owner: User, now: datetime, base_url: str) -> Iterator[calendar.FeedItem]:
    """The Today actions (snoozed and dismissed ones left out) due from a month back to
    two months ahead, each at its due time."""
    found = today_actions(owner=owner, now=now, horizon_days=FEED_ACTION_DAYS)
    earliest = now - timedelta(days=FEED_PAST_DAYS)
    for shown in [*found.overdue, *found.due_today, *found.soon]:
        if shown.action.due_at >= earliest:
            yield _item(shown, base_url)


def _item(shown: ShownAction, base_url: str) -> calendar.FeedItem:
    path = reverse("contacts:contact_detail", kwargs={"contact_id": shown.contact.pk})
    return calendar.FeedItem(
        uid=f"{shown.action.key}@rapport",
        start=shown.action.due_at,
        duration_min=ACTION_DURATION_MIN,
        summary=shown.title,
        description=shown.action.reason,
        url=base_url.rstrip("/") + path,
    )


def _live(owner: User) -> QuerySet[CalendarFeed]:
    return CalendarFeed.objects.for_owner(owner).filter(revoked_at__isnull=True)
