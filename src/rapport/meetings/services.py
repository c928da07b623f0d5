"""Writes for meetings."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from rapport.accounts.models import User
from rapport.contacts.models import Contact
from rapport.core.errors import RapportError
from rapport.core.models import ensure_owned_by
from rapport.meetings.models import Meeting

STANDARD_DURATIONS_MIN = (15, 20, 30, 45, 60)


@transaction.atomic
def meeting_create(
    *,
    owner: User,
    contact: Contact,
    start: datetime | None,
    duration_min: int = 30,
    status: str = Meeting.Status.CONFIRMED,
    mode: str = Meeting.Mode.VIDEO,
    place: str = "",
    travel_min: int = 0,
    notes: str = "",
) -> Meeting:
    ensure_owned_by(owner, contact)
    if duration_min not in STANDARD_DURATIONS_MIN:
        raise RapportError(
            f"Choose one of {', '.join(map(str, STANDARD_DURATIONS_MIN))} minutes.",
            fields={"duration_min": "not a standard length"},
        )
    if start is not None and start.tzinfo is None:
        raise RapportError("The start time needs a time zone.", fields={"start": "naive"})
    return Meeting.objects.create(
        owner=owner,
        contact=contact,
        start=start,
        duration_min=duration_min,
        status=status,
        mode=mode,
        place=place,
        travel_min=travel_min,
        notes=notes,
    )
