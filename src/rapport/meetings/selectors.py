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
        .select_related("contact", "contact__company")
        .order_by("-start")
    )
