"""Writes for meetings, and the checks every meeting write shares (the scheduling services in
`meetings.scheduling` use them too)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from rapport.accounts.models import User
from rapport.contacts.models import Contact
from rapport.core.errors import RapportError
from rapport.core.models import ensure_owned_by
from rapport.meetings.models import Meeting

STANDARD_DURATIONS_MIN = (15, 20, 30, 45, 60)
MAX_TRAVEL_MIN = 240  # four hours each way is already a day trip
PLACE_MAX_CHARS = 500  # Meeting.place's max_length


def check_duration(duration_min: int) -> None:
    if duration_min not in STANDARD_DURATIONS_MIN:
        raise RapportError(
            f"Choose one of {', '.join(map(str, STANDARD_DURATIONS_MIN))} minutes.",
            fields={"duration_min": "not a standard length"},
        )


def check_aware(start: datetime | None) -> None:
    if start is not None and (start.tzinfo is None or start.utcoffset() is None):
        raise RapportError("The start time needs a time zone.", fields={"start": "naive"})


def check_still_to_come(start: datetime, now: datetime) -> None:
    check_aware(start)
    if start <= now:
        raise RapportError(
            "That time has already passed. Choose a time still to come.",
            fields={"start": "in the past"},
        )


def check_logistics(*, mode: str, place: str, formality: str, travel_min: int) -> None:
    """How and where: a known mode and dress, a place that fits, a sensible journey."""
    if mode not in Meeting.Mode.values:
        raise RapportError("Choose how you will meet.", fields={"mode": "unknown"})
    if formality not in Meeting.Formality.values:
        raise RapportError("Choose how formal it will be.", fields={"formality": "unknown"})
    if len(place) > PLACE_MAX_CHARS:
        raise RapportError(
            f"Keep the place or link under {PLACE_MAX_CHARS} characters.",
            fields={"place": "too long"},
        )
    if mode == Meeting.Mode.CAFE and not place.strip():
        raise RapportError(
            "Add the café or restaurant's name and address, so you both go to the same one.",
            fields={"place": "missing"},
        )
    if not 0 <= travel_min <= MAX_TRAVEL_MIN:
        raise RapportError(
            f"Travel time runs from 0 to {MAX_TRAVEL_MIN} minutes.",
            fields={"travel_min": "out of range"},
        )


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
    formality: str = Meeting.Formality.BUSINESS_CASUAL,
    travel_min: int = 0,
    notes: str = "",
) -> Meeting:
    ensure_owned_by(owner, contact)
    check_duration(duration_min)
    check_aware(start)
    check_logistics(mode=mode, place=place, formality=formality, travel_min=travel_min)
    return Meeting.objects.create(
        owner=owner,
        contact=contact,
        start=start,
        duration_min=duration_min,
        status=status,
        mode=mode,
        place=place,
        formality=formality,
        travel_min=travel_min,
        notes=notes,
    )
