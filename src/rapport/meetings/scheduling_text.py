"""The words for scheduling news: a meeting's time on each person's clock, and the short
drafts that confirm, move or cancel it (the times on offer come from the built-in
"scheduling" templates instead, through the `{slots}` placeholder)."""

from __future__ import annotations

from datetime import timedelta

from rapport.meetings import invites
from rapport.meetings.models import Meeting
from rapport.outreach.models import Message
from rapport.playbook.schedule import Slot, say_day, scheduling_lines


def when_for_you(meeting: Meeting) -> str:
    """ "Tue 3 Dec, 10:00 (Chicago time)": the start on the seeker's clock."""
    if meeting.start is None:
        return "a time not yet agreed"
    you = invites.seeker_clock(meeting.owner)
    local = meeting.start.astimezone(you.tz)
    return f"{say_day(local)}, {local:%H:%M} ({you.city} time)"


def when_for_them(meeting: Meeting) -> str:
    """ "Tue 3 Dec, 16:00-16:30 (London time)": the meeting on the host's clock."""
    assert meeting.start is not None, "only a meeting with a time has one to tell"
    host = invites.host_person(meeting.contact, meeting.owner)
    you = invites.seeker_clock(meeting.owner)
    slot = Slot(meeting.start, meeting.start + timedelta(minutes=meeting.duration_min))
    return scheduling_lines([slot], seeker=you, host=host)[0]


def how_we_meet(meeting: Meeting) -> str:
    place = meeting.place.strip()
    match meeting.mode:
        case Meeting.Mode.VIDEO:
            return f"by video call ({place})" if place else "by video call"
        case Meeting.Mode.PHONE:
            return "by phone"
        case Meeting.Mode.OFFICE:
            return f"at your office ({place})" if place else "at your office"
        case _:
            return f"at {place}" if place else ""


def news_for(meeting: Meeting, *, request: Message | None) -> tuple[str, str]:
    """The subject and body of a draft telling the contact the meeting is booked, moved
    or cancelled, on their clock."""
    contact = meeting.contact
    when = when_for_them(meeting)
    how = how_we_meet(meeting)
    at = f"{when}, {how}" if how else when
    invite = bool(contact.email)
    if meeting.status == Meeting.Status.CANCELLED:
        lines = [
            f"I'm sorry to cancel our conversation on {when}.",
            "I've attached a cancellation for your calendar." if invite else "",
            "Thank you for making the time for me. If you're open to it, "
            "I'd be glad to find another time that suits you.",
        ]
    elif meeting.sequence > 0:
        lines = [
            f"Here is the new time for our conversation: {at}.",
            "The attached calendar invite replaces the earlier one." if invite else "",
            "Thank you for being flexible.",
        ]
    else:
        lines = [
            f"Thank you for making the time. That's in my diary: {at}.",
            "I've attached a calendar invite, so it's easy to add to yours." if invite else "",
            "I'm looking forward to it.",
        ]
    greeting = f"Hi {contact.first_name or contact.full_name},"
    body = "\n\n".join([greeting, *(line for line in lines if line), _signature(meeting)])
    return _subject(meeting, request), body


def _subject(meeting: Meeting, request: Message | None) -> str:
    if request is not None and request.subject:
        subject = request.subject
        return subject if subject.lower().startswith("re:") else f"Re: {subject}"
    assert meeting.start is not None
    host = invites.host_person(meeting.contact, meeting.owner)
    day = say_day(meeting.start.astimezone(host.tz))
    if meeting.status == Meeting.Status.CANCELLED:
        return f"Cancelled: our conversation on {day}"
    return f"Our conversation on {day}"


def _signature(meeting: Meeting) -> str:
    seeker = meeting.owner
    profile = getattr(seeker, "profile", None)
    signature = profile.signature.strip() if profile else ""
    return signature or seeker.display_name
