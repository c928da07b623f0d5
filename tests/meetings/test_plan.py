"""The question plan: its services (order, limits, starter plan, the seeker's pace) and
its page (fit, cuts, coach findings, actions with and without htmx)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from rapport.accounts.models import User
from rapport.core.errors import RapportError
from rapport.meetings import plans
from rapport.meetings.models import Meeting, PlanQuestion, Rehearsal, RehearsalTiming
from rapport.playbook.question_bank import bank, calibrated_minutes, starter_plan
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

MUST, SHOULD, IF_TIME = 1, 2, 3


def _add(owner: User, meeting: Meeting, text: str, priority: int = SHOULD, minutes: int = 3):  # type: ignore[no-untyped-def]
    return plans.question_add(
        owner=owner, meeting=meeting, text=text, priority=priority, answer_min=minutes
    )


def _texts(owner: User, meeting: Meeting) -> list[str]:
    return [q.text for q in plans.plan_questions(owner=owner, meeting=meeting)]


def _positions(owner: User, meeting: Meeting) -> list[int]:
    return [q.position for q in plans.plan_questions(owner=owner, meeting=meeting)]


def _time(owner: User, question: PlanQuestion, *seconds: int) -> None:
    rehearsal = Rehearsal.objects.create(owner=owner, meeting=question.meeting)
    for value in seconds:
        RehearsalTiming.objects.create(
            owner=owner,
            rehearsal=rehearsal,
            question=question,
            pace_key=question.pace_key,
            seconds=value,
        )


# --- services -------------------------------------------------------------------------------


def test_questions_keep_their_order_and_dense_positions(alice: User) -> None:
    meeting = MeetingFactory(owner=alice)
    a, b, c = (_add(alice, meeting, text) for text in ("How?", "What?", "Why?"))
    plans.question_move(owner=alice, question=c, up=True)
    assert _texts(alice, meeting) == ["How?", "Why?", "What?"]
    plans.question_move(owner=alice, question=a, up=True)  # already first: nothing moves
    plans.question_move(owner=alice, question=b, up=False)  # already last
    assert _texts(alice, meeting) == ["How?", "Why?", "What?"]
    plans.question_remove(owner=alice, question=a)
    assert _texts(alice, meeting) == ["Why?", "What?"]
    assert _positions(alice, meeting) == [0, 1]
    _add(alice, meeting, "Who?")
    assert _positions(alice, meeting) == [0, 1, 2]


def test_a_plan_refuses_a_question_past_the_limit(alice: User) -> None:
    meeting = MeetingFactory(owner=alice)
    for n in range(plans.MAX_QUESTIONS):
        _add(alice, meeting, f"What is question {n} about?")
    with pytest.raises(RapportError, match="at most 30"):
        _add(alice, meeting, "One more?")
    assert PlanQuestion.objects.filter(meeting=meeting).count() == plans.MAX_QUESTIONS


@pytest.mark.parametrize(
    ("text", "priority", "minutes", "field"),
    [
        ("   ", SHOULD, 3, "text"),
        ("x" * 501, SHOULD, 3, "text"),
        ("How?", 4, 3, "priority"),
        ("How?", SHOULD, 0, "answer_min"),
        ("How?", SHOULD, 16, "answer_min"),
    ],
)
def test_bad_questions_are_refused_with_the_field(
    alice: User, text: str, priority: int, minutes: int, field: str
) -> None:
    meeting = MeetingFactory(owner=alice)
    with pytest.raises(RapportError) as caught:
        _add(alice, meeting, text, priority, minutes)
    assert field in caught.value.fields


def test_someone_elses_meeting_or_question_is_refused(alice: User, bob: User) -> None:
    meeting = MeetingFactory(owner=alice)
    question = _add(alice, meeting, "How did you start?")
    with pytest.raises(RapportError):
        _add(bob, meeting, "Sneaky?")
    with pytest.raises(RapportError):
        plans.question_remove(owner=bob, question=question)
    assert _texts(alice, meeting) == ["How did you start?"]


def test_a_bank_question_comes_once_with_its_kind_and_estimate(alice: User) -> None:
    meeting = MeetingFactory(owner=alice)
    known = bank()[0]
    added = plans.question_add_from_bank(owner=alice, meeting=meeting, bank_id=known.id)
    assert (added.text, added.kind, added.answer_min) == (known.text, known.kind, known.answer_min)
    with pytest.raises(RapportError, match="already in your plan"):
        plans.question_add_from_bank(owner=alice, meeting=meeting, bank_id=known.id)
    with pytest.raises(RapportError, match="not in the bank"):
        plans.question_add_from_bank(owner=alice, meeting=meeting, bank_id="no-such-question")
    choices = plans.bank_choices(owner=alice, meeting=meeting, situation="student")
    assert known.id not in {q.id for q in choices}
    advice_only = plans.bank_choices(
        owner=alice, meeting=meeting, situation="student", kind="advice"
    )
    assert advice_only
    assert {q.kind for q in advice_only} == {"advice"}


def test_the_starter_plan_marks_its_spares_if_time_allows(alice: User) -> None:
    meeting = MeetingFactory(owner=alice, duration_min=30)
    created = plans.plan_start(owner=alice, meeting=meeting, situation="student")
    expected = starter_plan("student", 30)
    assert [q.bank_id for q in created] == [q.id for q in expected]
    assert [q.priority for q in created[-2:]] == [IF_TIME, IF_TIME]
    assert _positions(alice, meeting) == list(range(len(expected)))
    review = plans.plan_review(owner=alice, meeting=meeting).review
    assert review.fits_time
    assert not {"plan.fits-time", "plan.enough"} & {f.rule for f in review.findings}
    with pytest.raises(RapportError, match="already has questions"):
        plans.plan_start(owner=alice, meeting=meeting, situation="student")


def test_pace_comes_from_the_same_bank_question_in_other_meetings(alice: User, bob: User) -> None:
    known = next(q for q in bank() if q.answer_min == 3)
    first, second = MeetingFactory(owner=alice), MeetingFactory(owner=alice)
    earlier = plans.question_add_from_bank(owner=alice, meeting=first, bank_id=known.id)
    now = plans.question_add_from_bank(owner=alice, meeting=second, bank_id=known.id)
    _time(alice, earlier, 300, 360)
    _time(alice, now, 420)
    # Bob's timings of the same question are his, not hers.
    bobs = plans.question_add_from_bank(
        owner=bob, meeting=MeetingFactory(owner=bob), bank_id=known.id
    )
    _time(bob, bobs, 30, 30, 30)

    row = plans.plan_review(owner=alice, meeting=second).rows[0]
    assert row.pace_min == pytest.approx(calibrated_minutes(3, [300, 360, 420]))
    assert row.pace_min == pytest.approx(6.0)

    assert plans.plan_use_pace(owner=alice, meeting=second) == 1
    now.refresh_from_db()
    assert now.answer_min == 6
    assert plans.plan_review(owner=alice, meeting=second).rows[0].pace_min is None  # same now


def test_the_review_uses_the_pace_for_fit_and_marks_cuts_in_order(alice: User) -> None:
    meeting = MeetingFactory(owner=alice, duration_min=15)
    must = _add(alice, meeting, "What does a typical week look like for you?", MUST)
    _add(alice, meeting, "What trends do you see in this field?", SHOULD)
    _add(alice, meeting, "What would you do in my place?", SHOULD)
    _time(alice, must, 600, 600, 600)  # ten minutes a time
    plan = plans.plan_review(owner=alice, meeting=meeting)
    assert plan.review.planned_min == pytest.approx(4 + 10 + 3 + 3)
    assert [row.cut_order for row in plan.rows] == [None, 2, 1]
    assert not plan.review.fits_time
    assert plan.over_min == pytest.approx(5)


# --- the page -------------------------------------------------------------------------------


def test_the_plan_page_shows_fit_cuts_and_coach_findings(alice: User, alice_client: Client) -> None:
    meeting = MeetingFactory(owner=alice, duration_min=15)
    _add(alice, meeting, "What does a typical week look like for you?", MUST, 5)
    _add(alice, meeting, "When was the company founded?", SHOULD, 3)
    _add(alice, meeting, "Are you hiring at the moment?", SHOULD, 3)
    _add(alice, meeting, "Do you enjoy it?", SHOULD, 3)
    page = alice_client.get(reverse("meetings:plan_detail", args=[meeting.pk])).content.decode()
    assert "Over by 3 minutes" in page  # 4 + 5 + 3 + 3 + 3 = 18 for 15
    assert 'data-cut="1">cut 1st' in page
    assert "cut 2nd" not in page
    for rule in ("question.googleable", "question.no-job-ask", "question.open", "plan.fits-time"):
        assert f'data-rule="{rule}"' in page, rule


def test_the_page_adds_moves_edits_and_removes_without_script(
    alice: User, alice_client: Client
) -> None:
    meeting = MeetingFactory(owner=alice)
    plan_url = reverse("meetings:plan_detail", args=[meeting.pk])
    response = alice_client.post(
        reverse("meetings:plan_add", args=[meeting.pk]),
        {"text": "How did you get started?", "priority": "1", "answer_min": "4"},
    )
    assert response.status_code == 302
    assert response["Location"] == plan_url
    response = alice_client.post(
        reverse("meetings:plan_add_bank", args=[meeting.pk]),
        {"bank_id": bank()[0].id, "next": plan_url + "?kind=advice"},
    )
    assert response["Location"] == plan_url + "?kind=advice"
    second = plans.plan_questions(owner=alice, meeting=meeting)[1]
    alice_client.post(reverse("meetings:question_move", args=[second.pk]), {"direction": "up"})
    assert _texts(alice, meeting)[0] == bank()[0].text
    alice_client.post(
        reverse("meetings:question_edit", args=[second.pk]),
        {"text": "In your own words, what changed?", "priority": "3", "answer_min": "2"},
    )
    second.refresh_from_db()
    assert (second.text, second.priority, second.answer_min, second.bank_id) == (
        "In your own words, what changed?",
        3,
        2,
        "",
    )
    alice_client.post(reverse("meetings:question_remove", args=[second.pk]))
    assert _texts(alice, meeting) == ["How did you get started?"]


def test_a_refusal_is_a_clear_form_error_not_a_500(alice: User, alice_client: Client) -> None:
    meeting = MeetingFactory(owner=alice)
    for n in range(plans.MAX_QUESTIONS):
        _add(alice, meeting, f"What is question {n} about?")
    response = alice_client.post(
        reverse("meetings:plan_add", args=[meeting.pk]),
        {"text": "One more?", "priority": "2", "answer_min": "3"},
    )
    assert response.status_code == 200
    assert "at most 30 questions" in response.content.decode()
    response = alice_client.post(
        reverse("meetings:question_edit", args=[_add_ok(alice).pk]),
        {"text": "", "priority": "2", "answer_min": "99"},
    )
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()


def _add_ok(owner: User) -> PlanQuestion:
    return _add(owner, MeetingFactory(owner=owner), "How?")


def test_an_empty_plan_offers_the_suggested_plan(alice: User, alice_client: Client) -> None:
    meeting = MeetingFactory(owner=alice, duration_min=20)
    page = alice_client.get(reverse("meetings:plan_detail", args=[meeting.pk])).content.decode()
    assert "Start from a suggested plan" in page
    alice_client.post(reverse("meetings:plan_start", args=[meeting.pk]))
    assert PlanQuestion.objects.filter(meeting=meeting).count() == len(
        starter_plan("career_changer", 20)
    )


def test_htmx_gets_the_plan_region_back(alice: User, alice_client: Client) -> None:
    meeting = MeetingFactory(owner=alice)
    response = alice_client.post(
        reverse("meetings:plan_add", args=[meeting.pk]),
        {"text": "What surprised you most?", "priority": "2", "answer_min": "3"},
        HTTP_HX_REQUEST="true",
        follow=True,
    )
    assert response.status_code == 200
    assert 'id="plan"' in response.content.decode()
    assert "What surprised you most?" in response.content.decode()


def test_bob_gets_404s_and_changes_nothing(alice: User, bob_client: Client) -> None:
    meeting = MeetingFactory(owner=alice)
    question = _add(alice, meeting, "How did you start?")
    for name in ("plan_detail", "meeting_brief", "rehearse"):
        assert bob_client.get(reverse(f"meetings:{name}", args=[meeting.pk])).status_code == 404
    posts = [
        (reverse("meetings:plan_add", args=[meeting.pk]), {"text": "x", "priority": 2}),
        (reverse("meetings:plan_start", args=[meeting.pk]), {}),
        (reverse("meetings:question_remove", args=[question.pk]), {}),
        (reverse("meetings:question_move", args=[question.pk]), {"direction": "down"}),
    ]
    for url, data in posts:
        assert bob_client.post(url, data).status_code == 404
    assert _texts(alice, meeting) == ["How did you start?"]


def test_the_meeting_page_links_to_plan_brief_and_rehearsal(
    alice: User, alice_client: Client
) -> None:
    meeting = MeetingFactory(owner=alice)
    _add(alice, meeting, "How did you start?")
    page = alice_client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert "How did you start?" in page
    for name in ("plan_detail", "meeting_brief", "rehearse"):
        assert reverse(f"meetings:{name}", args=[meeting.pk]) in page
