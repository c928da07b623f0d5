"""The daily digest: an email of what is due, for seekers who asked for one, at their chosen
hour of their own day, once a day.

Once means once, however many workers run: a worker claims a seeker's day with one
conditional UPDATE of `Profile.last_digest_on` (only one UPDATE can move it to today),
then sends. If the mail server refuses, the claim is handed back so the next pass tries
again; if the worker dies mid-send, the day stays claimed (at most once, never twice).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from rapport.accounts.models import Profile, User
from rapport.lib.dates import zone_or_utc
from rapport.reminders.selectors import TodayList, today_actions

logger = logging.getLogger(__name__)

SHOWN_PER_GROUP = 10  # the digest lists the first few of each group and links to the rest
LOCAL_BASE_URL = "http://127.0.0.1:8000"  # the link in a digest when RAPPORT_BASE_URL is unset


@dataclass(frozen=True)
class DueDigest:
    user_id: int
    local_day: date
    last_sent_on: date | None


def digests_due(*, now: datetime) -> list[DueDigest]:
    """Seekers with a digest on, an email address, and their hour reached today (in their
    zone) with no digest yet today."""
    wanted = (
        Profile.objects.filter(digest_enabled=True)
        .exclude(user__email="")
        .filter(user__is_active=True)
        .values_list("user_id", "time_zone", "digest_hour", "last_digest_on")
    )
    due = []
    for user_id, zone, hour, last_sent in wanted:
        local = now.astimezone(zone_or_utc(zone))
        if local.hour >= hour and (last_sent is None or last_sent < local.date()):
            due.append(DueDigest(user_id, local.date(), last_sent))
    return due


def digest_claim(digest: DueDigest) -> bool:
    """Take this seeker's day; False when another worker already has."""
    claimed = (
        Profile.objects.filter(user_id=digest.user_id, digest_enabled=True)
        .filter(Q(last_digest_on__isnull=True) | Q(last_digest_on__lt=digest.local_day))
        .update(last_digest_on=digest.local_day)
    )
    return claimed == 1


def digest_release(digest: DueDigest) -> None:
    """Hand the day back after a refused send, so the next pass tries again."""
    Profile.objects.filter(user_id=digest.user_id, last_digest_on=digest.local_day).update(
        last_digest_on=digest.last_sent_on
    )


def digest_email(user: User, actions: TodayList) -> EmailMultiAlternatives:
    base = (settings.BASE_URL or LOCAL_BASE_URL).rstrip("/")
    context = {
        "user": user,
        "actions": actions,
        "groups": [
            ("Overdue", actions.overdue, actions.more("overdue")),
            ("Due today", actions.due_today, actions.more("today")),
        ],
        "today_url": base + reverse("web:today"),
        "settings_url": base + reverse("accounts:settings"),
        "base_url": base,
    }
    subject = render_to_string("emails/digest-subject.txt", context).strip()
    email = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string("emails/digest-body-text.txt", context),
        to=[user.email],
    )
    email.attach_alternative(render_to_string("emails/digest-body-html.html", context), "text/html")
    return email


def digest_send(digest: DueDigest, *, now: datetime) -> bool:
    """Claim, then send this seeker's digest. True when one went out. Anything that stops
    it after the claim hands the day back, so the next pass tries again; only a worker
    dying mid-send leaves the day taken (at most once, never twice)."""
    if not digest_claim(digest):
        return False
    try:
        user = User.objects.get(pk=digest.user_id)
        actions = today_actions(owner=user, now=now, horizon_days=0, per_group=SHOWN_PER_GROUP)
        if not actions.now_due:
            return False  # nothing due: no email, and the day stays claimed
        digest_email(user, actions).send(fail_silently=False)
    except OSError:
        logger.warning("Digest for user %s not sent; trying again next pass.", digest.user_id)
        digest_release(digest)
        return False
    except Exception:
        digest_release(digest)
        raise
    return True


def send_due_digests(now: Callable[[], datetime], stop: threading.Event) -> None:
    """The worker's job: every digest whose hour has come."""
    for digest in digests_due(now=now()):
        if stop.is_set():
            return
        digest_send(digest, now=now())
