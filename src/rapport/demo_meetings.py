"""The demo's meeting preparation and notes: question plans, a rehearsal, takeaways.

Kept apart from `demo` so each stays readable; `demo._seed_meeting` calls in here.
"""

from __future__ import annotations

from datetime import timedelta

from rapport.accounts.models import User
from rapport.contacts.models import Contact
from rapport.meetings.models import Meeting, PlanQuestion, Rehearsal, RehearsalTiming, Takeaway
from rapport.meetings.plans import plan_start

SITUATION = "student"

# What the seeker kept from a past meeting: advice, and who to talk to next.
ADVICE = (
    "Learn SQL alongside GIS: most of the analysis work is joining messy site data.",
    "Go to the Leeds energy meetups; people there hire from the people they already know.",
)
NOTES = (
    "Came in through a graduate scheme; moved to analysis after two years on site.",
    "Says the first year is mostly cleaning data and learning the grid codes.",
)
SUGGESTED = ("Ruth", "Adeyemi", "Hallam Advisory", "ruth.adeyemi@hallam.example")
# A first rehearsal runs long, as first rehearsals do: seconds per answer, in plan order.
REHEARSED_SECONDS = (250, 200, 190, 160, 170, 140)


def seed_plan(user: User, meeting: Meeting) -> list[PlanQuestion]:
    """The suggested starter plan for the meeting's length, as the plan page makes it."""
    return plan_start(owner=user, meeting=meeting, situation=SITUATION)


def seed_rehearsal(user: User, meeting: Meeting, questions: list[PlanQuestion]) -> None:
    """One run through the plan, the day before, so the plan shows the seeker's own pace."""
    rehearsal = Rehearsal.objects.create(owner=user, meeting=meeting)
    timed = list(zip(questions, REHEARSED_SECONDS, strict=False))
    RehearsalTiming.objects.bulk_create(
        RehearsalTiming(
            owner=user, rehearsal=rehearsal, question=q, pace_key=q.pace_key, seconds=seconds
        )
        for q, seconds in timed
    )
    total = sum(seconds for _q, seconds in timed)
    Rehearsal.objects.filter(pk=rehearsal.pk).update(
        total_seconds=total, finished_at=rehearsal.created_at + timedelta(seconds=total)
    )


def seed_notes(
    user: User, meeting: Meeting, questions: list[PlanQuestion], *, with_person: bool
) -> None:
    """Notes on the first questions, advice, and (once) a person they suggested."""
    for question, note in zip(questions, NOTES, strict=False):
        PlanQuestion.objects.filter(pk=question.pk).update(notes=note, asked_at=meeting.start)
    Takeaway.objects.bulk_create(
        Takeaway(owner=user, meeting=meeting, kind=Takeaway.Kind.ADVICE, text=text)
        for text in ADVICE
    )
    if not with_person:
        return
    first, last, company, email = SUGGESTED
    suggested = Contact.objects.for_owner(user).filter(first_name=first, last_name=last).first()
    Takeaway.objects.create(
        owner=user,
        meeting=meeting,
        kind=Takeaway.Kind.PERSON,
        text="Runs the ESG data team; happy to hear from students.",
        person_name=f"{first} {last}",
        person_company=company,
        person_reach=email,
        contact=suggested,
    )
