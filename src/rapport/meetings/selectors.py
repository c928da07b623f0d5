from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet

from rapport.accounts.models import User
from rapport.meetings.models import Meeting

ACTIVE_STATUSES = (Meeting.Status.PROPOSED, Meeting.Status.CONFIRMED)


def meetings_upcoming(*, owner: User, now: datetime) -> QuerySet[Meeting]:
    return (
        Meeting.objects.for_owner(owner)
        .filter(status__in=ACTIVE_STATUSES, start__gte=now)
        .select_related("contact", "contact__company")
        .order_by("start")
    )


def meetings_past(*, owner: User, now: datetime) -> QuerySet[Meeting]:
    return (
        Meeting.objects.for_owner(owner)
        .exclude(status__in=ACTIVE_STATUSES, start__gte=now)
        .exclude(status=Meeting.Status.PROPOSED, start__isnull=True)
        .select_related("contact", "contact__company")
        .order_by("-start")
    )


def meetings_waiting(*, owner: User) -> QuerySet[Meeting]:
    """Times offered and no answer yet: nothing to sort by but when they were offered."""
    return (
        Meeting.objects.for_owner(owner)
        .filter(status=Meeting.Status.PROPOSED, start__isnull=True)
        .select_related("contact", "contact__company")
        .order_by("created_at")
    )
