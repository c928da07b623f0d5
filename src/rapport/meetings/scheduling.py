"""From "they said yes" to a time in both calendars (PLAYBOOK.md section 6).

`slot_offer` reads: the times to offer a contact, from the seeker's free hours, the
contact's working day and the seeker's other meetings. The rest write, each in one
transaction and each refusing (RapportError) before anything changes: propose (a meeting
with times offered, and the message offering them), confirm (the time they picked),
reschedule and cancel (the same calendar event, its SEQUENCE one higher), and the message
that tells the contact.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import transaction

from rapport.accounts.models import User
from rapport.contacts import services as contact_services
from rapport.contacts.models import Contact, ContactEvent
from rapport.core import clock
from rapport.core.errors import RapportError
from rapport.core.models import ensure_owned_by
from rapport.lib.holidays import public_holidays
from rapport.meetings import invites, services
from rapport.meetings.models import Meeting
from rapport.meetings.scheduling_text import news_for, when_for_you
from rapport.meetings.selectors import ACTIVE_STATUSES
from rapport.outreach import services as outreach
from rapport.outreach.models import Message
from rapport.playbook.schedule import Person, Slot, propose_slots
from rapport.playbook.stages import PIPELINE, Stage

MAX_HORIZON_DAYS = 60
MAX_OFFERED = 10  # more than this is a form to fill in, not a choice to make
# A second meeting with someone already met keeps them where they are on the pipeline.
AT_OR_AFTER_SCHEDULED = frozenset(PIPELINE[PIPELINE.index(Stage.SCHEDULED) :])


@dataclass(frozen=True)
class Offer:
    """The times to offer, and what the seeker should know about them."""

    slots: list[Slot]
    seeker: Person
    host: Person
    zone_assumed: bool  # Rapport does not know the contact's zone and used the seeker's
    why_none: str  # when there are no slots: why, in plain words

    def choices(self) -> list[tuple[str, str]]:
        """(ISO start in UTC, the slot on both clocks) for each slot."""
        return [(iso(slot.start), slot.label(self.seeker, self.host)) for slot in self.slots]


@dataclass(frozen=True)
class Arrangement:
    """A time and a way to meet, as the seeker settled it with the contact."""

    start: datetime
    mode: str
    place: str = ""
    formality: str = Meeting.Formality.BUSINESS_CASUAL
    travel_min: int = 0
    duration_min: int | None = None  # None keeps the meeting's length


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


# --- the times to offer ------------------------------------------------------------------


def slot_offer(
    *, owner: User, contact: Contact, duration_min: int, horizon_days: int, now: datetime
) -> Offer:
    ensure_owned_by(owner, contact)
    services.check_duration(duration_min)
    if not 1 <= horizon_days <= MAX_HORIZON_DAYS:
        raise RapportError(
            f"Look between 1 and {MAX_HORIZON_DAYS} days ahead.",
            fields={"horizon_days": "out of range"},
        )
    try:
        seeker = invites.seeker_person(owner, busy=busy_times(owner))
    except ValueError as exc:
        raise RapportError(
            "Your free hours end before they start. Fix them on the settings page.",
            fields={"free_until": "before free_from"},
        ) from exc
    host = invites.host_person(contact, owner)

    def find(person: Person) -> list[Slot]:
        return propose_slots(
            host=host,
            seeker=person,
            duration_min=duration_min,
            now=now,
            horizon_days=horizon_days,
            holidays=public_holidays,
        )

    slots = find(seeker)
    why = "" if slots else _why_none(seeker, host, horizon_days, find)
    return Offer(slots, seeker, host, not invites.knows_zone(contact), why)


def busy_times(
    owner: User, besides: Meeting | None = None
) -> tuple[tuple[datetime, datetime], ...]:
    """The seeker's booked meetings, and the times offered for those not yet agreed."""
    meetings = Meeting.objects.for_owner(owner).filter(status__in=ACTIVE_STATUSES)
    if besides is not None:
        meetings = meetings.exclude(pk=besides.pk)
    busy: list[tuple[datetime, datetime]] = []
    for meeting in meetings.only("start", "duration_min", "proposed_slots", "ended_at"):
        length = timedelta(minutes=meeting.duration_min)
        if meeting.start is not None:
            busy.append((meeting.start, meeting.start + length))
        for value in meeting.proposed_slots or ():
            start = datetime.fromisoformat(value)
            busy.append((start, start + length))
    return tuple(busy)


def _why_none(
    seeker: Person, host: Person, horizon_days: int, find: Callable[[Person], list[Slot]]
) -> str:
    ahead = f"the next {horizon_days} day{'s' if horizon_days != 1 else ''}"
    if not seeker.hours.weekdays:
        return "You have no days ticked as free on the settings page."
    if find(Person(seeker.name, seeker.zone, seeker.country, seeker.hours)):
        return (
            f"The times you share with {host.name} in {ahead} are taken by your other "
            "meetings, or by the times you have offered others."
        )
    yours = f"{seeker.hours.start:%H:%M}-{seeker.hours.end:%H:%M} {seeker.city} time"
    theirs = f"{host.hours.start:%H:%M}-{host.hours.end:%H:%M} {host.city} time"
    return (
        f"Your free hours ({yours}) and {host.name}'s working day ({theirs}, on weekdays) "
        f"do not overlap in {ahead}, leaving a day's notice."
    )


# --- proposing and agreeing --------------------------------------------------------------


@transaction.atomic
def meeting_propose(
    *,
    owner: User,
    contact: Contact,
    duration_min: int,
    mode: str,
    starts: Sequence[datetime],
) -> tuple[Meeting, Message]:
    """A meeting waiting for their answer, and the draft that offers the times."""
    ensure_owned_by(owner, contact)
    now = clock.now()
    if not starts:
        raise RapportError("Tick at least one time to offer.", fields={"slots": "none"})
    chosen = sorted(set(starts), key=lambda start: start.astimezone(UTC))
    if len(chosen) > MAX_OFFERED:
        raise RapportError(
            f"Offer at most {MAX_OFFERED} times: a few good ones are easier to choose from.",
            fields={"slots": "too many"},
        )
    for start in chosen:
        services.check_still_to_come(start, now)
    meeting = services.meeting_create(
        owner=owner,
        contact=contact,
        start=None,
        duration_min=duration_min,
        status=Meeting.Status.PROPOSED,
        mode=mode,
    )
    meeting.proposed_slots = [iso(start) for start in chosen]
    meeting.save(update_fields=["proposed_slots", "updated_at"])
    _timeline(owner, contact, f"Offered {len(chosen)} times for a {duration_min}-minute meeting")
    message = outreach.message_start(
        owner=owner, contact=contact, kind=Message.Kind.SCHEDULING, meeting=meeting
    )
    return meeting, message


@transaction.atomic
def meeting_confirm(*, owner: User, meeting: Meeting, arrangement: Arrangement) -> Meeting:
    """They picked a time: the meeting is booked and the contact moves to "scheduled"."""
    ensure_owned_by(owner, meeting)
    if meeting.status != Meeting.Status.PROPOSED:
        raise RapportError(
            "This meeting already has a time. Change it from the meeting's page.",
            code="conflict",
        )
    _apply(meeting, arrangement)
    meeting.status = Meeting.Status.CONFIRMED
    meeting.proposed_slots = []
    meeting.save()
    contact = meeting.contact
    _timeline(owner, contact, f"Meeting booked for {when_for_you(meeting)}")
    if contact.stage not in AT_OR_AFTER_SCHEDULED:
        contact_services.contact_update(
            owner=owner, contact=contact, data={"stage": Stage.SCHEDULED}, by_hand=False
        )
    return meeting


@transaction.atomic
def meeting_reschedule(*, owner: User, meeting: Meeting, arrangement: Arrangement) -> Meeting:
    """A new time, length, way or place for the same calendar event (SEQUENCE + 1)."""
    ensure_owned_by(owner, meeting)
    if meeting.status != Meeting.Status.CONFIRMED:
        raise RapportError(
            "Only a booked meeting can be moved. Pick its time first.", code="conflict"
        )
    before = _arranged(meeting)
    moved = meeting.start != arrangement.start
    _apply(meeting, arrangement)
    if _arranged(meeting) == before:
        return meeting
    meeting.sequence += 1
    meeting.save()
    what = f"moved to {when_for_you(meeting)}" if moved else "details changed"
    _timeline(owner, meeting.contact, f"Meeting {what}")
    return meeting


@transaction.atomic
def meeting_cancel(*, owner: User, meeting: Meeting) -> Meeting:
    """Called off: the calendar event is cancelled (METHOD:CANCEL, SEQUENCE + 1)."""
    ensure_owned_by(owner, meeting)
    if meeting.status not in ACTIVE_STATUSES:
        raise RapportError(
            f"This meeting is {meeting.get_status_display().lower()}, so there is nothing "
            "to cancel.",
            code="conflict",
        )
    was = f"on {when_for_you(meeting)}" if meeting.start else "being arranged"
    meeting.status = Meeting.Status.CANCELLED
    meeting.sequence += 1
    meeting.save(update_fields=["status", "sequence", "updated_at"])
    _timeline(owner, meeting.contact, f"Meeting {was} cancelled")
    return meeting


@transaction.atomic
def meeting_news_start(*, owner: User, meeting: Meeting) -> Message:
    """A draft telling the contact where things stand: the times on offer, the booking (with
    the invite attached when it goes by email), the change, or the cancellation."""
    ensure_owned_by(owner, meeting)
    contact = meeting.contact
    if meeting.status == Meeting.Status.PROPOSED:
        return outreach.message_start(
            owner=owner, contact=contact, kind=Message.Kind.SCHEDULING, meeting=meeting
        )
    if meeting.start is None or meeting.status not in (
        Meeting.Status.CONFIRMED,
        Meeting.Status.CANCELLED,
    ):
        raise RapportError(
            "There is no news about this meeting to send. After it, write a thank-you.",
            code="conflict",
        )
    request = outreach.latest_request(owner=owner, contact=contact)
    subject, body = news_for(meeting, request=request)
    return outreach.message_draft_create(
        owner=owner,
        contact=contact,
        kind=Message.Kind.SCHEDULING,
        subject=subject,
        body=body,
        in_reply_to=request,
        meeting=meeting,
    )


def _apply(meeting: Meeting, arrangement: Arrangement) -> None:
    """Check the arrangement, then copy it onto the meeting (not saved)."""
    duration = arrangement.duration_min or meeting.duration_min
    services.check_duration(duration)
    services.check_still_to_come(arrangement.start, clock.now())
    in_person = arrangement.mode in invites.IN_PERSON
    travel = arrangement.travel_min if in_person else 0
    place = arrangement.place.strip()
    services.check_logistics(
        mode=arrangement.mode, place=place, formality=arrangement.formality, travel_min=travel
    )
    meeting.start = arrangement.start.astimezone(UTC)
    meeting.duration_min = duration
    meeting.mode, meeting.place, meeting.formality = arrangement.mode, place, arrangement.formality
    meeting.travel_min = travel


def _arranged(meeting: Meeting) -> tuple[object, ...]:
    return (
        meeting.start,
        meeting.duration_min,
        meeting.mode,
        meeting.place,
        meeting.formality,
        meeting.travel_min,
    )


def _timeline(owner: User, contact: Contact, summary: str) -> None:
    contact_services.contact_event_add(
        owner=owner, contact=contact, kind=ContactEvent.Kind.MEETING, summary=summary
    )
