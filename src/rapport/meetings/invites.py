"""A meeting as a calendar invite: what `meetings.calendar` needs, taken from the models."""

from __future__ import annotations

from rapport.meetings.calendar import MeetingEvent
from rapport.meetings.models import Meeting

IN_PERSON = (Meeting.Mode.OFFICE, Meeting.Mode.CAFE, Meeting.Mode.OTHER)


def meeting_event(meeting: Meeting) -> MeetingEvent:
    """The invite for a meeting with a time. Times are written in the host's zone when
    Rapport knows it (their calendar shows them first), else the seeker's."""
    if meeting.start is None:
        raise ValueError("a meeting without a time has no invite")
    contact, seeker = meeting.contact, meeting.owner
    profile = getattr(seeker, "profile", None)
    zone = contact.time_zone or (profile.time_zone if profile else "") or "UTC"
    company = f" ({contact.company.name})" if contact.company else ""
    is_link = meeting.place.startswith(("https://", "http://"))
    lines = [f"{meeting.get_mode_display()}, {meeting.duration_min} minutes."]
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
        zone=zone,
        cancelled=meeting.status == Meeting.Status.CANCELLED,
        updated=meeting.updated_at,
    )
