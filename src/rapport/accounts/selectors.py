"""Reads for accounts."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from rapport.accounts.models import ApiToken, LoginAttempt, User

# Many people share one address behind a campus NAT, so an address gets more room.
ADDRESS_ATTEMPTS_FACTOR = 4


def login_is_throttled(
    *, username: str, ip_address: str | None, now: datetime | None = None
) -> bool:
    """Too many recent failures for this login name, or from this address."""
    now = now or timezone.now()
    since = now - timedelta(minutes=settings.LOGIN_THROTTLE_MINUTES)
    recent = LoginAttempt.objects.filter(attempted_at__gte=since)
    limit = settings.LOGIN_THROTTLE_ATTEMPTS
    if recent.filter(username=username.strip().lower()).count() >= limit:
        return True
    if ip_address is None:
        return False
    by_address = recent.filter(Q(ip_address=ip_address)).count()
    return by_address >= limit * ADDRESS_ATTEMPTS_FACTOR


def api_tokens_active(*, owner: User) -> QuerySet[ApiToken]:
    """The owner's tokens that still work, newest first."""
    return ApiToken.objects.for_owner(owner).filter(revoked_at__isnull=True).order_by("-created_at")
