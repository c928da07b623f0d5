"""The coach's review of a message in the composer, with everything Rapport knows about it:
who it is for (so "personal" can be judged), when the request went out and how many nudges
followed (for a follow-up), and the meeting and its notes (for a thank-you)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from rapport.accounts.models import Profile
from rapport.lib.holidays import holidays_between
from rapport.meetings.live import meeting_notes_text
from rapport.meetings.models import Meeting
from rapport.outreach.composer import advice_clauses
from rapport.outreach.models import Message
from rapport.playbook.coach import (
    Recipient,
    Review,
    Severity,
    review_followup,
    review_note,
    review_request,
    review_thanks,
)
from rapport.playbook.followup import allowed_nudges

# The coach knows these channels; a message in person is judged as a phone script.
COACH_CHANNELS = {"email": "email", "linkedin": "linkedin", "letter": "letter", "phone": "phone"}


def review_text(message: Message) -> str:
    """What the coach reads: an email's subject line first, as "Subject: ...", then the body."""
    if message.channel == Message.Channel.EMAIL:
        return f"Subject: {message.subject}\n{message.body}"
    return message.body


@dataclass(frozen=True)
class Thread:
    """Where a follow-up stands: its request's date (in the contact's zone) and the nudges
    already sent."""

    request_sent_on: date | None
    nudges_sent: int


def message_review(message: Message, *, profile: Profile | None, now: datetime) -> Review:
    text = review_text(message)
    channel = COACH_CHANNELS.get(message.channel, "phone")
    kind = message.kind
    if kind == Message.Kind.REQUEST:
        return review_request(text, channel=channel, recipient=_recipient(message))
    if kind == Message.Kind.FOLLOW_UP:
        thread = followup_thread(message, profile=profile)
        country = contact_country(message, profile)
        today = now.astimezone(contact_zone(message, profile)).date()
        start = thread.request_sent_on or today
        return review_followup(
            text,
            request_sent_on=thread.request_sent_on,
            today=today,
            nudges_sent=thread.nudges_sent,
            max_nudges=profile.max_nudges if profile else None,
            holidays=holidays_between(country, start, today),
        )
    if kind == Message.Kind.THANKS:
        meeting = message.meeting
        return review_thanks(
            text,
            meeting_notes=meeting_notes(meeting) if meeting else None,
            meeting_ended_at=meeting.end if meeting else None,
            now=now,
        )
    return review_note(text, channel=channel)


def meeting_notes(meeting: Meeting) -> str:
    """What a thank-you is checked against: everything noted in the meeting, with each
    piece of advice also as the draft quotes it ("learning SQL" for "Learn SQL")."""
    return "\n".join([meeting_notes_text(meeting), *advice_clauses(meeting)]).strip()


def followup_thread(message: Message, *, profile: Profile | None) -> Thread:
    """The request a follow-up answers and how many follow-ups to it were already sent."""
    request = message.in_reply_to
    if request is None or request.sent_at is None:
        return Thread(None, 0)
    sent = Message.objects.filter(
        owner_id=message.owner_id,
        in_reply_to=request,
        kind=Message.Kind.FOLLOW_UP,
        status=Message.Status.SENT,
    ).exclude(pk=message.pk)
    zone = contact_zone(message, profile)
    return Thread(request.sent_at.astimezone(zone).date(), sent.count())


def nudges_left(message: Message, *, profile: Profile | None) -> int:
    thread = followup_thread(message, profile=profile)
    return allowed_nudges(profile.max_nudges if profile else None) - thread.nudges_sent


def contact_zone(message: Message, profile: Profile | None) -> ZoneInfo:
    for name in (message.contact.time_zone, profile.time_zone if profile else ""):
        try:
            return ZoneInfo(name) if name else ZoneInfo("UTC")
        except (ValueError, KeyError):
            continue
    return ZoneInfo("UTC")


def contact_country(message: Message, profile: Profile | None) -> str:
    country = message.contact.country
    code = getattr(country, "code", country) or ""
    if not code and profile is not None:
        code = getattr(profile.country, "code", profile.country) or ""
    return str(code)


def has_errors(review: Review) -> bool:
    return any(f.severity is Severity.ERROR for f in review.findings)


def review_record(review: Review) -> dict[str, object]:
    """What a message keeps of the review it was sent with."""
    return {
        "review_rules": sorted({str(f.rule) for f in review.findings}),
        "review_score": review.score,
        "review_findings": [
            {"rule": str(f.rule), "severity": str(f.severity), "message": f.message}
            for f in review.findings
        ],
    }


def _recipient(message: Message) -> Recipient:
    contact = message.contact
    notes = " ".join(
        part
        for part in (
            contact.common_ground,
            contact.research_role,
            contact.research_path,
            contact.research_achievements,
            contact.research_writing,
        )
        if part
    )
    return Recipient(
        name=contact.full_name,
        company=contact.company.name if contact.company else "",
        title=contact.title,
        notes=notes,
    )
