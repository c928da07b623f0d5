from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from rapport.playbook.followup import review_followup
from rapport.playbook.questions import (
    PlannedQuestion,
    is_open,
    review_question,
    review_questions,
)
from rapport.playbook.thanks import review_thanks

KIND_FOLLOWUP = (
    "Hi Jordan, just bringing my note back to the top of your inbox. I'd still love 15 "
    "minutes whenever suits you - and if now isn't a good time, I completely understand."
)


def test_a_kind_follow_up_passes() -> None:
    assert review_followup(KIND_FOLLOWUP).findings == ()


@pytest.mark.parametrize(
    "line",
    [
        "I haven't heard back from you.",
        "Per my last email, I need an answer.",
        "As I said before, this matters.",
        "This is my third email.",
        "I noticed you read my message but didn't reply.",
        "Please get back to me by Friday.",
    ],
)
def test_guilt_and_pressure_are_errors(line: str) -> None:
    review = review_followup(f"{line} {KIND_FOLLOWUP}")
    assert "followup.guilt" in review.rule_ids()
    assert review.has_errors


def test_just_following_up_is_not_guilt() -> None:
    review = review_followup(
        "Hi Sam, just following up on my note from last week. No worries if not!"
    )
    assert "followup.guilt" not in review.rule_ids()


def test_no_easy_way_out_is_a_tip() -> None:
    assert "followup.easy-out" in review_followup("Hi Sam, circling back on this.").rule_ids()


def test_a_nudge_before_seven_business_days_is_too_soon() -> None:
    monday = date(2026, 11, 2)
    early = review_followup(KIND_FOLLOWUP, request_sent_on=monday, today=date(2026, 11, 10))
    assert "followup.too-soon" in early.rule_ids()
    on_time = review_followup(KIND_FOLLOWUP, request_sent_on=monday, today=date(2026, 11, 11))
    assert "followup.too-soon" not in on_time.rule_ids()


def test_holidays_push_the_wait_back() -> None:
    monday = date(2026, 11, 2)
    review = review_followup(
        KIND_FOLLOWUP,
        request_sent_on=monday,
        today=date(2026, 11, 11),
        holidays={date(2026, 11, 11)},
    )
    assert "followup.too-soon" in review.rule_ids()


def test_a_second_nudge_is_over_the_limit_unless_allowed() -> None:
    assert "followup.max-nudges" in review_followup(KIND_FOLLOWUP, nudges_sent=1).rule_ids()
    allowed = review_followup(KIND_FOLLOWUP, nudges_sent=1, max_nudges=2)
    assert "followup.max-nudges" not in allowed.rule_ids()
    capped = review_followup(KIND_FOLLOWUP, nudges_sent=2, max_nudges=5)
    assert "followup.max-nudges" in capped.rule_ids()


GOOD_THANKS = (
    "Hi Priya, thank you for your time yesterday. Your advice to build a portfolio piece "
    "around an accessibility audit was exactly what I needed. I'll start one this week and "
    "let you know how it goes. Best, Tom"
)


def test_a_specific_thank_you_with_a_next_step_passes() -> None:
    assert review_thanks(GOOD_THANKS).findings == ()


def test_a_generic_thank_you_gets_two_nudges() -> None:
    ids = review_thanks("Thanks for the chat. Great talking to you!").rule_ids()
    assert "thanks.specific" in ids
    assert "thanks.next-step" in ids


def test_meeting_notes_show_that_a_plain_thank_you_is_specific() -> None:
    text = "Thank you for talking me through supplier negotiation and demand planning."
    assert "thanks.specific" not in review_thanks(text).rule_ids()
    plain = "Thank you for the chat about negotiation and demand planning today."
    assert "thanks.specific" in review_thanks(plain).rule_ids()
    notes = "Demand planning is mostly negotiation with suppliers."
    assert "thanks.specific" not in review_thanks(plain, meeting_notes=notes).rule_ids()


def test_a_job_ask_in_a_thank_you_is_an_error() -> None:
    text = GOOD_THANKS + " Also, let me know if any jobs open up on your team."
    assert "thanks.no-job-ask" in review_thanks(text).rule_ids()


def test_a_late_thank_you_is_flagged() -> None:
    ended = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
    late = review_thanks(GOOD_THANKS, meeting_ended_at=ended, now=ended + timedelta(hours=30))
    assert "thanks.within-24h" in late.rule_ids()
    prompt = review_thanks(GOOD_THANKS, meeting_ended_at=ended, now=ended + timedelta(hours=20))
    assert "thanks.within-24h" not in prompt.rule_ids()


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What does a typical week look like for you?", set()),
        ("What does your company do?", {"question.googleable", "question.about-them"}),
        (
            "Are you hiring interns this summer?",
            {"question.no-job-ask", "question.open", "question.about-them"},
        ),
        ("Do you like your job?", {"question.open"}),
        ("What's your job title?", {"question.googleable"}),
        ("If you were starting out today, what would you do differently?", set()),
        ("Could you tell me how you chose this field?", set()),
    ],
)
def test_questions(question: str, expected: set[str]) -> None:
    assert set(review_question(question).rule_ids()) == expected


@pytest.mark.parametrize(
    ("question", "is_open_question"),
    [
        ("How did you start?", True),
        ("Is there anyone else I should talk to?", False),
        ("When you started, did you feel lost?", False),
        ("What's one project you're proud of, and why?", True),
    ],
)
def test_open_and_closed_questions(question: str, is_open_question: bool) -> None:
    assert is_open(question) is is_open_question


def test_a_plan_that_overruns_drops_the_lowest_priority_first() -> None:
    plan = [
        PlannedQuestion("What does a typical week look like for you?", priority=1),
        PlannedQuestion("What trends do you see in this field?", priority=3),
        PlannedQuestion("What would you do in my place?", priority=1),
        PlannedQuestion("Who else should I talk to?", priority=2),
        PlannedQuestion("What resources would you recommend?", priority=3, estimate_min=5),
        PlannedQuestion("What surprised you most in your first year?", priority=2),
    ]
    result = review_questions(plan, slot_min=15)
    assert result.planned_min == 4 + 3 * 5 + 5
    # 24 planned: drop the 5-minute #5 (priority 3, latest), then #2 (priority 3), then the
    # latest priority-2 question, #6, which brings it to 13.
    assert result.drop == (4, 1, 5)
    assert result.keep == (0, 2, 3)
    assert "plan.fits-time" in {f.rule for f in result.findings}
    assert review_questions(plan, slot_min=30).fits


def test_a_plan_with_narrow_coverage_gets_a_tip() -> None:
    result = review_questions(["What does a typical week look like for you?"])
    coverage = next(f for f in result.findings if f.rule == "plan.coverage")
    assert "trends" in coverage.message
