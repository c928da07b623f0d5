"""The meeting itself (PLAYBOOK.md sections 9-10): starting and ending it, notes per
question, and the takeaways: advice, and people they suggested, who can become contacts
introduced by this meeting's contact.

Writes are services (in transactions, owner checked); the few reads the meeting page and
the thank-you need sit at the end.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from rapport.accounts.models import User
from rapport.contacts import services as contact_services
from rapport.contacts.models import Contact, ContactEvent
from rapport.contacts.ranking import ranks_refresh
from rapport.core import clock
from rapport.core.errors import RapportError
from rapport.core.models import ensure_owned_by
from rapport.meetings.models import Meeting, PlanQuestion, Takeaway
from rapport.playbook.day import time_cues
from rapport.playbook.stages import Stage

NOTES_MAX_CHARS = 20_000  # a page of notes per question is plenty; more is a paste gone wrong
# Where a contact stands after a meeting: already past "met", ending it changes nothing.
AFTER_MEETING = frozenset({Stage.MET, Stage.THANKED, Stage.KEEPING_IN_TOUCH})
PHONE_RE = re.compile(r"^\+?[\d\s().-]{6,}$")


# --- starting and ending -------------------------------------------------------------------


@transaction.atomic
def meeting_start(*, owner: User, meeting: Meeting) -> Meeting:
    """The seeker tapped "Start": the countdown runs from now. Tapping it again changes
    nothing. A meeting with no agreed time takes this one."""
    ensure_owned_by(owner, meeting)
    _ensure_not_cancelled(meeting, "start")
    if meeting.ended_at is not None:
        raise RapportError("This meeting has already ended.", code="conflict")
    if meeting.started_at is None:
        meeting.started_at = clock.now()
        if meeting.start is None:
            meeting.start = meeting.started_at
        meeting.save(update_fields=["started_at", "start", "updated_at"])
    return meeting


@transaction.atomic
def meeting_end(*, owner: User, meeting: Meeting) -> Meeting:
    """The meeting is over: done, the contact has been met, and the thank-you countdown
    runs from now. Ending it again changes nothing."""
    ensure_owned_by(owner, meeting)
    _ensure_not_cancelled(meeting, "end")
    if meeting.ended_at is not None and meeting.status == Meeting.Status.DONE:
        return meeting
    now = clock.now()
    meeting.ended_at = now
    meeting.status = Meeting.Status.DONE
    meeting.start = meeting.start or meeting.started_at or now
    meeting.save(update_fields=["ended_at", "status", "start", "updated_at"])
    contact = meeting.contact
    contact_services.contact_event_add(
        owner=owner, contact=contact, kind=ContactEvent.Kind.MEETING, summary="Meeting held", at=now
    )
    if contact.stage not in AFTER_MEETING:
        contact_services.contact_update(
            owner=owner, contact=contact, data={"stage": Stage.MET}, by_hand=False
        )
    return meeting


def _ensure_not_cancelled(meeting: Meeting, verb: str) -> None:
    if meeting.status == Meeting.Status.CANCELLED:
        raise RapportError(
            f"This meeting was cancelled, so there is nothing to {verb}. If you did meet, "
            "schedule it again first.",
            code="conflict",
        )


# --- notes ---------------------------------------------------------------------------------


@transaction.atomic
def question_notes_save(*, owner: User, question: PlanQuestion, notes: str) -> PlanQuestion:
    """Autosave of the notes under one question of the plan."""
    ensure_owned_by(owner, question)
    question.notes = _checked_notes(notes)
    question.save(update_fields=["notes", "updated_at"])
    return question


@transaction.atomic
def meeting_notes_save(*, owner: User, meeting: Meeting, notes: str) -> Meeting:
    """Autosave of the notes that belong to no one question."""
    ensure_owned_by(owner, meeting)
    meeting.notes = _checked_notes(notes)
    meeting.save(update_fields=["notes", "updated_at"])
    return meeting


def _checked_notes(notes: str) -> str:
    notes = notes.replace("\r\n", "\n").replace("\r", "\n")
    if len(notes) > NOTES_MAX_CHARS:
        raise RapportError(
            f"These notes are longer than {NOTES_MAX_CHARS:,} characters. Shorten them, or "
            "keep the long version somewhere else and a summary here.",
            fields={"notes": "too long"},
        )
    return notes


@transaction.atomic
def question_mark_asked(*, owner: User, question: PlanQuestion, asked: bool) -> PlanQuestion:
    """Tick a question off (or back on): the page then points at the next one."""
    ensure_owned_by(owner, question)
    if asked and question.asked_at is None:
        question.asked_at = clock.now()
    elif not asked:
        question.asked_at = None
    question.save(update_fields=["asked_at", "updated_at"])
    return question


# --- takeaways -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TakeawayData:
    """What the seeker wrote down: the advice (or why to talk to the person) and, for a
    person, who they are and how to reach them."""

    text: str = ""
    question: PlanQuestion | None = None
    person_name: str = ""
    person_company: str = ""
    person_reach: str = ""


@transaction.atomic
def takeaway_add(*, owner: User, meeting: Meeting, kind: str, data: TakeawayData) -> Takeaway:
    ensure_owned_by(owner, meeting, data.question)
    if kind not in Takeaway.Kind.values:
        raise RapportError("Choose advice or a person.", fields={"kind": "unknown"})
    takeaway = Takeaway(owner=owner, meeting=meeting, kind=kind)
    return _takeaway_saved(takeaway, data)


@transaction.atomic
def takeaway_update(*, owner: User, takeaway: Takeaway, data: TakeawayData) -> Takeaway:
    ensure_owned_by(owner, takeaway, data.question)
    return _takeaway_saved(takeaway, data)


@transaction.atomic
def takeaway_delete(*, owner: User, takeaway: Takeaway) -> None:
    """Forget the takeaway; a contact already made from it stays."""
    ensure_owned_by(owner, takeaway)
    takeaway.delete()


def _takeaway_saved(takeaway: Takeaway, data: TakeawayData) -> Takeaway:
    if data.question is not None and data.question.meeting_id != takeaway.meeting_id:
        raise RapportError(
            "That question is not in this meeting's plan.", fields={"question": "elsewhere"}
        )
    takeaway.question = data.question
    takeaway.text = data.text.strip()
    takeaway.person_name = " ".join(data.person_name.split())
    takeaway.person_company = " ".join(data.person_company.split())
    takeaway.person_reach = data.person_reach.strip()
    if takeaway.kind == Takeaway.Kind.ADVICE and not takeaway.text:
        raise RapportError("Write down the advice.", fields={"text": "required"})
    if takeaway.kind == Takeaway.Kind.PERSON and not takeaway.person_name:
        raise RapportError("Who did they suggest? Add a name.", fields={"person_name": "required"})
    try:
        takeaway.full_clean(exclude=["owner", "meeting", "question", "contact"])
    except ValidationError as exc:
        raise RapportError(
            "Some fields need fixing.",
            fields={field: " ".join(msgs) for field, msgs in exc.message_dict.items()},
        ) from exc
    takeaway.save()
    return takeaway


@transaction.atomic
def takeaway_make_contact(*, owner: User, takeaway: Takeaway) -> Contact:
    """The suggested person as a contact introduced by the one met: the contact already
    called that, if there is one (never a second copy), else a new one."""
    ensure_owned_by(owner, takeaway)
    if takeaway.kind != Takeaway.Kind.PERSON:
        raise RapportError("Only a suggested person can become a contact.", code="conflict")
    if takeaway.contact is not None:
        return takeaway.contact
    referrer = takeaway.meeting.contact
    contact = _contact_named(owner, takeaway.person_name, takeaway.person_company)
    if contact is None:
        contact = _contact_from(owner, takeaway, referrer)
    elif contact.referred_by_id is None and contact.pk != referrer.pk:
        _introduced_by(owner, contact, referrer)
    takeaway.contact = contact
    takeaway.save(update_fields=["contact", "updated_at"])
    return contact


def _contact_named(owner: User, name: str, company: str) -> Contact | None:
    """The owner's one contact with this name (at this company, when several share it)."""
    tries = [f"{name} ({company})", name] if company else [name]
    for wanted in tries:
        try:
            return contact_services.contact_for_name(owner=owner, name=wanted)
        except RapportError:  # nobody, or several with no way to tell them apart
            continue
    return None


def _introduced_by(owner: User, contact: Contact, referrer: Contact) -> None:
    # Refused when they introduced the referrer (a loop): the link alone will do then.
    with contextlib.suppress(RapportError):
        contact_services.contact_update(
            owner=owner, contact=contact, data={}, by_hand=False, referred_by=referrer
        )


def _contact_from(owner: User, takeaway: Takeaway, referrer: Contact) -> Contact:
    first, _, last = takeaway.person_name.rpartition(" ")
    reach = takeaway.person_reach
    company = contact_services.company_for_name(owner=owner, name=takeaway.person_company)
    contact = contact_services.contact_create(
        owner=owner,
        company=company,
        referred_by=referrer,
        first_name=first or last,
        last_name=last if first else "",
        source=Contact.Source.REFERRAL,
        notes=_suggested_note(takeaway, referrer),
        **_reach_fields(reach),
    )
    ranks_refresh(
        owner=owner, company_ids=[company.pk] if company else [], contact_ids=[contact.pk]
    )
    return contact


def _reach_fields(reach: str) -> dict[str, str]:
    """An email address, a LinkedIn profile or a phone number, where the seeker wrote one."""
    reach = reach.strip()
    if "linkedin.com/" in reach.lower() and " " not in reach:
        return {"linkedin_url": reach if "://" in reach else f"https://{reach}"}
    if PHONE_RE.match(reach):
        return {"phone": reach}
    try:
        validate_email(reach)
    except ValidationError:
        return {}
    return {"email": reach}


def _suggested_note(takeaway: Takeaway, referrer: Contact) -> str:
    lines = [f"Suggested by {referrer.full_name} when you met."]
    if takeaway.text:
        lines.append(f"Why: {takeaway.text}")
    if takeaway.person_reach:
        lines.append(f"How to reach them: {takeaway.person_reach}")
    return "\n".join(lines)


# --- reads for the meeting page and the thank-you -------------------------------------------


@dataclass(frozen=True)
class Countdown:
    """The meeting's clock: from the tap on "Start" if there was one, else the agreed time."""

    starts_at: datetime
    ends_at: datetime
    cues: list[tuple[datetime, str]]
    now: datetime

    @property
    def seconds_left(self) -> int:
        """Never more than the meeting's length: before it starts, the whole of it."""
        length = (self.ends_at - self.starts_at).total_seconds()
        return int(max(0, min(length, (self.ends_at - self.now).total_seconds())))

    @property
    def clock_text(self) -> str:
        """ "29:59", or "1:04:00" for a long one, as the script shows it too."""
        hours, rest = divmod(self.seconds_left, 3600)
        minutes, seconds = divmod(rest, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"

    @property
    def cue(self) -> str:
        """The latest cue already due while the meeting runs, or ""."""
        due = [text for at, text in self.cues if at <= self.now < self.ends_at]
        return due[-1] if due else ""


def countdown(meeting: Meeting, now: datetime) -> Countdown | None:
    starts_at = meeting.started_at or meeting.start
    if starts_at is None:
        return None
    # In UTC: arithmetic on two times in one zone is wall-clock, an hour out across a change.
    starts_at = starts_at.astimezone(UTC)
    ends_at = starts_at + timedelta(minutes=meeting.duration_min)
    cues = time_cues(starts_at, meeting.duration_min)
    return Countdown(starts_at=starts_at, ends_at=ends_at, cues=cues, now=now.astimezone(UTC))


def plan_questions(meeting: Meeting) -> list[PlanQuestion]:
    return list(meeting.questions.order_by("position", "pk"))


def next_questions(
    questions: list[PlanQuestion],
) -> tuple[PlanQuestion | None, PlanQuestion | None]:
    """The question to ask now (the first not yet asked) and the one after it."""
    waiting = [q for q in questions if q.asked_at is None]
    return (waiting[0] if waiting else None, waiting[1] if len(waiting) > 1 else None)


def advice_texts(meeting: Meeting) -> list[str]:
    """The advice noted in the meeting, in the order it was given."""
    found = meeting.takeaways.filter(kind=Takeaway.Kind.ADVICE).order_by("created_at", "pk")
    return [text for text in found.values_list("text", flat=True) if text.strip()]


def meeting_notes_text(meeting: Meeting) -> str:
    """Everything written during the meeting, for the coach to check a thank-you against:
    the general notes, each question's notes and the takeaways."""
    parts = [meeting.notes, *meeting.questions.values_list("notes", flat=True)]
    for text, name, company in meeting.takeaways.values_list(
        "text", "person_name", "person_company"
    ):
        parts += [text, name, company]
    return "\n".join(part.strip() for part in parts if part and part.strip())
