"""`plan.fits-time` and `plan.enough` agree: spares are "if time allows" questions beyond
what fits, asked for by one rule and never counted as an overrun by the other."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rapport.playbook.question_bank import starter_plan
from rapport.playbook.questions import PlannedQuestion, review_questions

MUST, SHOULD, IF_TIME = 1, 2, 3
TYPICAL_WEEK = "What does a typical week look like for you?"
TRENDS = "What trends do you see changing this field?"
ADVICE = "What would you do in my place?"
PEOPLE = "Who else would you suggest I talk to?"
NEXT = "What could I do this month to test the fit?"


def _rules(review: object) -> set[str]:
    return {f.rule for f in review.findings}  # type: ignore[attr-defined]


def test_a_plan_that_fits_exactly_with_no_spares_is_told_to_add_some() -> None:
    # 4 + 3 * 3 = 13 minutes for a 15-minute slot: it fits, but nothing is in reserve.
    plan = [PlannedQuestion(q, SHOULD, 3) for q in (TYPICAL_WEEK, TRENDS, ADVICE)]
    review = review_questions(plan, slot_min=15)
    assert review.fits
    assert review.fits_time
    assert "plan.fits-time" not in _rules(review)
    enough = next(f for f in review.findings if f.rule == "plan.enough")
    assert "2 more" in enough.message


def test_two_if_time_spares_beyond_the_slot_satisfy_both_rules() -> None:
    plan = [
        PlannedQuestion(TYPICAL_WEEK, MUST, 3),
        PlannedQuestion(TRENDS, SHOULD, 3),
        PlannedQuestion(ADVICE, SHOULD, 3),
        PlannedQuestion(PEOPLE, IF_TIME, 3),
        PlannedQuestion(NEXT, IF_TIME, 3),
    ]
    review = review_questions(plan, slot_min=15)
    assert review.drop == (4, 3)  # they do not fit...
    assert review.spares == (4, 3)  # ...and are spares, so
    assert review.fits_time
    assert not review.fits
    assert not {"plan.fits-time", "plan.enough"} & _rules(review)


def test_one_spare_is_not_yet_enough() -> None:
    plan = [PlannedQuestion(q, SHOULD, 3) for q in (TYPICAL_WEEK, TRENDS, ADVICE)]
    plan.append(PlannedQuestion(NEXT, IF_TIME, 3))
    review = review_questions(plan, slot_min=15)
    assert review.spares == (3,)
    assert "plan.fits-time" not in _rules(review)
    enough = next(f for f in review.findings if f.rule == "plan.enough")
    assert "1 more 'if time allows' question " in enough.message


def test_a_should_ask_question_that_does_not_fit_is_an_overrun_not_a_spare() -> None:
    plan = [PlannedQuestion(q, SHOULD, 3) for q in (TYPICAL_WEEK, TRENDS, ADVICE, PEOPLE)]
    review = review_questions(plan, slot_min=15)
    assert review.drop == (3,)
    assert review.spares == ()
    assert not review.fits_time
    assert "plan.fits-time" in _rules(review)
    assert "plan.enough" not in _rules(review)  # the overrun comes first


def test_without_a_slot_neither_rule_can_judge() -> None:
    review = review_questions([TYPICAL_WEEK])
    assert not {"plan.fits-time", "plan.enough"} & _rules(review)


def test_an_empty_plan_is_not_told_to_add_spares() -> None:
    assert "plan.enough" not in _rules(review_questions([], slot_min=30))


@pytest.mark.parametrize("slot", [20, 30, 45, 60])
def test_a_starter_plan_with_its_spares_marked_if_time_gets_neither_finding(slot: int) -> None:
    chosen = starter_plan("career_changer", slot)
    asked, spares = chosen[:-2], chosen[-2:]
    plan = [q.planned() for q in asked]
    plan += [PlannedQuestion(q.text, IF_TIME, q.answer_min) for q in spares]
    review = review_questions(plan, slot_min=slot)
    assert not {"plan.fits-time", "plan.enough"} & _rules(review)


@settings(max_examples=200, deadline=None)
@given(
    plan=st.lists(
        st.builds(
            PlannedQuestion,
            st.just(TYPICAL_WEEK),
            st.integers(min_value=1, max_value=3),
            st.integers(min_value=1, max_value=5).map(float),
        ),
        max_size=12,
    ),
    slot=st.integers(min_value=5, max_value=60),
)
def test_the_two_rules_never_contradict_each_other(plan: list[PlannedQuestion], slot: int) -> None:
    review = review_questions(plan, slot_min=slot)
    rules = _rules(review)
    # Never "cut questions" and "add questions" at once.
    assert not {"plan.fits-time", "plan.enough"} <= rules
    assert ("plan.fits-time" in rules) == (not review.fits_time)
    spares = [plan[i] for i in review.spares]
    assert all(q.priority == IF_TIME for q in spares)
    if plan and "plan.enough" not in rules and review.fits_time:
        assert len(spares) >= 2
