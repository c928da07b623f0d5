"""A meeting as the two people see it: the calendar invite (what `meetings.calendar` needs,
taken from the models), and the host and the seeker as `playbook.schedule` people, with the
times offered to the host written on the host's clock."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from rapport.accounts.models import User
from rapport.contacts.models import Contact
from rapport.lib.dates import is_time_zone
from rapport.meetings.calendar import MeetingEvent
from rapport.meetings.models import Meeting
from rapport.playbook.schedule import Hours, Person, Slot, scheduling_lines

IN_PERSON = (Meeting.Mode.OFFICE, Meeting.Mode.CAFE, Meeting.Mode.OTHER)
ALL_WEEK = frozenset(range(7))


def meeting_event(meeting: Meeting) -> MeetingEvent:
    """The invite for a meeting with a time. Times are written in the host's zone when
    Rapport knows it (their calendar shows them first), else the seeker's."""
    if meeting.start is None:
        raise ValueError("a meeting without a time has no invite")
    contact, seeker = meeting.contact, meeting.owner
    company = f" ({contact.company.name})" if contact.company else ""
    is_link = meeting.place.startswith(("https://", "http://"))
    lines = [f"{meeting.get_mode_display()}, {meeting.duration_min} minutes."]
    # .all() keeps a prefetch (the feed's); the model's ordering is position, then pk.
    questions = [question.text for question in meeting.questions.all()]
    if questions:
        lines += ["", "Questions:"]
        lines += [f"{number}. {text}" for number, text in enumerate(questions, start=1)]
    if meeting.notes:
        lines += ["", meeting.notes]
    return MeetingEvent(
        uid=meeting.calendar_uid,
        sequence=meeting.sequence,
        start=meeting.start,
        duration_min=meeting.duration_min,
        summary=f"Informational interview: {contact.full_name}{company}",
        organizer_name=seeker.display_name,
        organizer_email=seeker.email,
        attendee_name=contact.full_name,
        attendee_email=contact.email,
        location="" if is_link else meeting.place,
        url=meeting.place if is_link else "",
        description="\n".join(lines),
        zone=host_zone(contact, seeker),
        cancelled=meeting.status == Meeting.Status.CANCELLED,
        updated=meeting.updated_at,
    )


def seeker_zone(seeker: User) -> str:
    profile = getattr(seeker, "profile", None)
    zone = profile.time_zone if profile else ""
    return zone if is_time_zone(zone) else "UTC"


def host_zone(contact: Contact, seeker: User) -> str:
    """The contact's zone, or the seeker's when Rapport does not know theirs."""
    return contact.time_zone if knows_zone(contact) else seeker_zone(seeker)


def knows_zone(contact: Contact) -> bool:
    return is_time_zone(contact.time_zone)


def seeker_person(seeker: User, busy: tuple[tuple[datetime, datetime], ...] = ()) -> Person:
    """The seeker with the hours they gave on the settings page. Raises ValueError for hours
    that end before they start."""
    profile = getattr(seeker, "profile", None)
    if profile is None:
        return Person(name="you", zone="UTC", busy=busy)
    weekdays = frozenset(int(day) for day in profile.free_weekdays or ()) & ALL_WEEK
    hours = Hours(
        start=_whole_minutes(profile.free_from),
        end=_whole_minutes(profile.free_until),
        weekdays=weekdays,
    )
    country = _code(profile.country)
    return Person(name="you", zone=seeker_zone(seeker), country=country, hours=hours, busy=busy)


def host_person(contact: Contact, seeker: User) -> Person:
    """The contact on an ordinary office day where they are (or where the seeker is)."""
    name = contact.first_name or contact.full_name
    return Person(name=name, zone=host_zone(contact, seeker), country=_code(contact.country))


def seeker_clock(seeker: User) -> Person:
    """The seeker as far as a clock goes: their zone, whatever their hours."""
    return Person(name="you", zone=seeker_zone(seeker))


def offered_slots(meeting: Meeting) -> list[Slot]:
    """The times offered for a proposed meeting, earliest first."""
    length = timedelta(minutes=meeting.duration_min)
    starts = [datetime.fromisoformat(value) for value in meeting.proposed_slots or ()]
    aware = sorted(start for start in starts if start.tzinfo is not None)
    return [Slot(start, start + length) for start in aware]


def offered_times(meeting: Meeting) -> list[str]:
    """The times offered for a proposed meeting, on the host's clock, earliest first."""
    host = host_person(meeting.contact, meeting.owner)
    return scheduling_lines(offered_slots(meeting), seeker=seeker_clock(meeting.owner), host=host)


def _whole_minutes(moment: time) -> time:
    return moment.replace(second=0, microsecond=0, tzinfo=None)


def _code(country: object) -> str:
    return str(getattr(country, "code", country) or "")
