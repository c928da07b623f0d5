from __future__ import annotations

import pytest

from rapport.accounts.services import local_user_ensure
from rapport.contacts.models import Contact
from rapport.demo import demo_seed
from rapport.meetings.models import Meeting
from rapport.outreach.models import Message
from rapport.playbook.stages import Stage

pytestmark = pytest.mark.django_db


def test_the_demo_covers_every_pipeline_stage() -> None:
    assert demo_seed() is True
    user = local_user_ensure()
    stages = set(Contact.objects.for_owner(user).values_list("stage", flat=True))
    assert stages == {stage.value for stage in Stage}


def test_the_demo_has_messages_meetings_and_a_referral() -> None:
    demo_seed()
    user = local_user_ensure()
    kinds = set(Message.objects.for_owner(user).values_list("kind", flat=True))
    assert {"request", "follow_up", "thanks"} <= kinds
    assert Message.objects.for_owner(user).filter(status="draft").exists()
    statuses = set(Meeting.objects.for_owner(user).values_list("status", flat=True))
    assert {"confirmed", "done"} <= statuses
    assert Contact.objects.for_owner(user).filter(referred_by__isnull=False).exists()


def test_seeding_twice_adds_nothing() -> None:
    demo_seed()
    count = Contact.objects.count()
    assert demo_seed() is False
    assert Contact.objects.count() == count


def test_the_demo_ranks_employers_and_people_with_reasons() -> None:
    from rapport.contacts.models import Company

    demo_seed()
    user = local_user_ensure()
    top = Company.objects.for_owner(user).order_by("-rank_score").first()
    assert top is not None
    assert top.keenness == 3
    assert any(reason.startswith("keen 3/3") for reason in top.rank_reasons)
    alumni = Contact.objects.for_owner(user).filter(priority_reasons__icontains="Leeds")
    assert alumni.exists()


def test_the_demo_prepares_its_meetings_and_keeps_notes_from_past_ones() -> None:
    from rapport.meetings.models import PlanQuestion, RehearsalTiming, Takeaway
    from rapport.meetings.plans import plan_review
    from rapport.playbook.questions import PlannedQuestion, review_question, review_questions

    demo_seed()
    user = local_user_ensure()
    meetings = Meeting.objects.for_owner(user)
    for meeting in meetings:
        assert PlanQuestion.objects.for_owner(user).filter(meeting=meeting).exists(), meeting
    asked = PlanQuestion.objects.for_owner(user)
    assert all(not review_question(q.text).findings for q in asked)  # the coach is happy
    for meeting in meetings.filter(status="confirmed"):
        plan = [
            PlannedQuestion(q.text, q.priority, q.answer_min) for q in asked.filter(meeting=meeting)
        ]
        review = review_questions(plan, slot_min=meeting.duration_min)  # at the bank's pace
        assert not [f.rule for f in review.findings if f.severity != "tip"], meeting
    # The rehearsal ran long, so the seeker's own pace makes a plan run over: shown, not hidden.
    rehearsed = meetings.get(rehearsals__isnull=False)
    assert plan_review(owner=user, meeting=rehearsed).review.drop
    assert RehearsalTiming.objects.for_owner(user).exists()
    done = meetings.filter(status="done")
    advice = Takeaway.objects.for_owner(user).filter(kind="advice", meeting__in=done)
    assert advice.values("meeting").distinct().count() == done.count()
    person = Takeaway.objects.for_owner(user).get(kind="person")
    assert person.contact is not None
    assert person.contact.referred_by_id == person.meeting.contact_id
