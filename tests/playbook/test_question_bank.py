"""The question bank (PLAYBOOK.md sections 7 and 8): its data, starter plans, the seeker's
own pace and what to cut."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.playbook.loader import coverage_patterns
from rapport.playbook.question_bank import (
    ASSUMPTIONS,
    KINDS,
    SITUATIONS,
    BankError,
    BankQuestion,
    bank,
    calibrated_minutes,
    cut_suggestions,
    for_seeker,
    load_bank,
    starter_plan,
)
from rapport.playbook.questions import review_question, review_questions

GOOD = """
[[question]]
id = "typical-week"
text = "What does a typical week look like for you?"
kind = "insights"
assumes = ["any"]
priority = 1
answer_min = 3
"""


def _with(**changes: str) -> str:
    """A second question after GOOD, with some of its TOML lines replaced."""
    fields = {
        "id": '"wish-you-knew"',
        "text": '"What do you wish you had known?"',
        "kind": '"advice"',
        "assumes": '["student"]',
        "priority": "2",
        "answer_min": "3",
    }
    fields.update(changes)
    lines = [f"{name} = {value}" for name, value in fields.items() if value != "<omit>"]
    return GOOD + "\n[[question]]\n" + "\n".join(lines) + "\n"


# --- data validation ----------------------------------------------------------------------


def test_a_good_file_loads_from_a_path(tmp_path: Path) -> None:
    path = tmp_path / "questions.toml"
    path.write_text(_with(), encoding="utf-8")
    loaded = load_bank(path)
    assert [q.id for q in loaded] == ["typical-week", "wish-you-knew"]
    assert loaded[1] == BankQuestion(
        id="wish-you-knew",
        text="What do you wish you had known?",
        kind="advice",
        assumes=("student",),
        priority=2,
        answer_min=3,
    )


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"kind": '"trend"'}, "unknown kind 'trend'"),
        ({"assumes": '["graduate"]'}, "unknown assumption 'graduate'"),
        ({"assumes": "[]"}, "assumes must be a non-empty list"),
        ({"assumes": '["any", "student"]'}, "'any' together with a situation"),
        ({"assumes": '["student", "student"]'}, "repeats"),
        ({"priority": "0"}, "priority must be a whole number from 1 to 3, not 0"),
        ({"priority": "4"}, "priority must be a whole number from 1 to 3, not 4"),
        ({"priority": "true"}, "priority must be a whole number from 1 to 3, not True"),
        ({"answer_min": "0"}, "answer_min must be a whole number from 1 to 5, not 0"),
        ({"answer_min": "6"}, "answer_min must be a whole number from 1 to 5, not 6"),
        ({"answer_min": "2.5"}, "answer_min must be a whole number from 1 to 5, not 2.5"),
        ({"text": '"   "'}, "text is empty"),
        ({"text": "<omit>"}, "missing text"),
        ({"minutes": "3"}, "unknown field minutes"),
    ],
)
def test_each_malformed_question_is_refused_by_its_id(
    tmp_path: Path, changes: dict[str, str], problem: str
) -> None:
    path = tmp_path / "questions.toml"
    path.write_text(_with(**changes), encoding="utf-8")
    with pytest.raises(BankError) as error:
        load_bank(path)
    assert "questions.toml: question 'wish-you-knew'" in str(error.value)
    assert problem in str(error.value)


def test_a_duplicate_id_is_refused_by_its_id() -> None:
    with pytest.raises(BankError, match="question 'typical-week': duplicate id"):
        load_bank(_with(id='"typical-week"'))


@pytest.mark.parametrize("bad_id", ['"Typical Week"', '""', "<omit>", "7"])
def test_a_question_without_a_slug_id_is_named_by_its_position(bad_id: str) -> None:
    with pytest.raises(BankError, match="question #2 needs an id"):
        load_bank(_with(id=bad_id))


def test_a_file_that_is_not_toml_says_so(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("[[question]\nid = ", encoding="utf-8")
    with pytest.raises(BankError, match=r"broken\.toml: not valid TOML"):
        load_bank(path)


def test_a_file_without_questions_says_so() -> None:
    with pytest.raises(BankError, match="no \\[\\[question\\]\\] entries"):
        load_bank("[other]\nx = 1\n")


# --- the bank itself ----------------------------------------------------------------------


def test_the_bank_is_big_enough() -> None:
    assert len(bank()) >= 70


def test_every_kind_has_at_least_ten_questions() -> None:
    counts = Counter(q.kind for q in bank())
    assert set(counts) == set(KINDS)
    assert min(counts.values()) >= 10, counts


def test_every_situation_has_at_least_eight_questions_of_its_own() -> None:
    counts = Counter(a for q in bank() for a in q.assumes)
    assert set(counts) == set(ASSUMPTIONS)
    assert all(counts[situation] >= 8 for situation in SITUATIONS), counts


def test_every_kind_has_a_first_priority_question_for_everyone() -> None:
    general = {q.kind for q in bank() if q.assumes == ("any",) and q.priority == 1}
    assert general == set(KINDS)


@pytest.mark.parametrize("question", bank(), ids=lambda q: q.id)
def test_the_coach_finds_nothing_to_fix_in_a_bank_question(question: BankQuestion) -> None:
    review = review_question(question.text)
    assert review.findings == ()
    assert review.notices == ()


@pytest.mark.parametrize("question", bank(), ids=lambda q: q.id)
def test_the_plan_review_counts_a_bank_question_as_its_kind(question: BankQuestion) -> None:
    assert coverage_patterns()[question.kind].search(question.text)


def test_no_two_questions_ask_the_same_thing_in_the_same_words() -> None:
    texts = [q.text.lower() for q in bank()]
    assert len(set(texts)) == len(texts)


# --- choosing -----------------------------------------------------------------------------


def test_a_student_gets_general_and_student_questions_only() -> None:
    chosen = for_seeker("student")
    assert chosen
    assert all("any" in q.assumes or "student" in q.assumes for q in chosen)
    assert "changer-bridge" not in {q.id for q in chosen}
    assert "newcomer-thrive" in {q.id for q in chosen}  # written for students and changers


def test_questions_come_in_priority_then_bank_order() -> None:
    ids = [q.id for q in for_seeker("student", kinds=["resources"])]
    assert ids == [
        "student-societies-events",
        "who-else",
        "what-you-read",
        "student-recent-graduate",
        "communities-worth-it",
        "events-if-new",
        "learning-resources",
        "whose-work-you-follow",
        "book-that-changed",
        "stuck-talk-to",
        "truest-picture",
    ]


def test_no_particular_situation_means_the_general_questions() -> None:
    assert all(q.assumes == ("any",) for q in for_seeker("any"))


def test_unknown_situations_and_kinds_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown situation 'retiree'"):
        for_seeker("retiree")
    with pytest.raises(ValueError, match="unknown kind 'gossip'"):
        for_seeker("student", kinds=["gossip"])


def test_a_thirty_minute_student_plan_by_hand() -> None:
    # Budget 26: one of each kind in the coach's order (3+3+3+2+3), then a second turn
    # until the next-steps question no longer fits; its place goes to the spares.
    assert [q.id for q in starter_plan("student", 30)] == [
        "student-picture-day",
        "typical-week",
        "student-future-joiners",
        "field-changed",
        "student-last-year",
        "in-my-place",
        "student-this-term",
        "student-societies-events",
        "who-else",
        "first-step-this-month",  # spare
        "next-five-years",  # spare
    ]


SLOTS = (15, 20, 30, 45, 60)


@pytest.mark.parametrize("situation", SITUATIONS)
@pytest.mark.parametrize("slot", SLOTS)
def test_a_starter_plan_fits_its_slot_and_leaves_no_room_unused(situation: str, slot: int) -> None:
    plan = starter_plan(situation, slot)
    asked, spares = plan[:-2], plan[-2:]
    used = 4 + sum(q.answer_min for q in asked)  # two minutes to open, two to close
    assert used <= slot
    unused = [q for q in for_seeker(situation) if q not in plan]
    assert all(q.answer_min > slot - used for q in [*spares, *unused])
    assert len(set(plan)) == len(plan)
    assert [q.priority for q in asked] == sorted(q.priority for q in asked)


@pytest.mark.parametrize("situation", SITUATIONS)
@pytest.mark.parametrize("slot", SLOTS)
def test_the_plan_review_agrees_the_starter_plan_fits(situation: str, slot: int) -> None:
    asked = [q.planned() for q in starter_plan(situation, slot)[:-2]]
    review = review_questions(asked, slot_min=slot)
    assert review.drop == ()
    assert "plan.fits-time" not in {f.rule for f in review.findings}


@pytest.mark.parametrize("situation", SITUATIONS)
@pytest.mark.parametrize("slot", [30, 45, 60])
def test_from_thirty_minutes_a_starter_plan_covers_every_kind(situation: str, slot: int) -> None:
    asked = starter_plan(situation, slot)[:-2]
    assert {q.kind for q in asked} == set(KINDS)
    review = review_questions([q.planned() for q in asked], slot_min=slot)
    assert set(review.covered) == set(KINDS)


def test_every_plan_brings_two_spares_even_when_nothing_fits() -> None:
    plan = starter_plan("student", 4)
    assert len(plan) == 2
    assert [q.id for q in plan] == ["student-future-joiners", "student-picture-day"]


# --- the seeker's own pace ----------------------------------------------------------------


def test_without_rehearsal_the_bank_estimate_stands() -> None:
    assert calibrated_minutes(3, []) == 3


def test_one_timing_moves_the_estimate_a_third_of_the_way() -> None:
    assert calibrated_minutes(3, [120]) == pytest.approx(8 / 3)  # 1/3 x 2 + 2/3 x 3


def test_two_timings_move_it_two_thirds_of_the_way() -> None:
    assert calibrated_minutes(3, [60, 180]) == pytest.approx(7 / 3)  # 2/3 x 2 + 1/3 x 3


def test_from_three_timings_their_median_is_their_pace() -> None:
    assert calibrated_minutes(3, [60, 120, 600]) == 2
    assert calibrated_minutes(5, [60, 120, 600, 90]) == 1.75


def test_skipped_questions_do_not_count_as_timings() -> None:
    assert calibrated_minutes(3, [2, 0, 120]) == calibrated_minutes(3, [120])


def test_impossible_timings_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        calibrated_minutes(3, [-60])
    with pytest.raises(ValueError, match="positive"):
        calibrated_minutes(0, [60])


@given(
    st.floats(min_value=0.5, max_value=5),
    st.lists(st.floats(min_value=5, max_value=900), max_size=6),
)
def test_the_pace_lies_between_the_estimate_and_their_timings(
    estimate: float, seconds: list[float]
) -> None:
    minutes = [s / 60 for s in seconds]
    pace = calibrated_minutes(estimate, seconds)
    low, high = min([estimate, *minutes]), max([estimate, *minutes])
    assert low - 1e-9 <= pace <= high + 1e-9
    if len(seconds) >= 3:
        assert pace == calibrated_minutes(estimate + 1, seconds)


# --- what to cut --------------------------------------------------------------------------


def test_the_lowest_priority_goes_first_and_the_latest_among_equals() -> None:
    plan = [("a", 1, 3.0), ("b", 2, 3.0), ("c", 3, 3.0), ("d", 2, 3.0), ("e", 3, 4.0)]
    # 4 + 17 = 21 minutes for 15: drop e (17), then c (14).
    assert cut_suggestions(plan, 15) == ["e", "c"]


def test_equal_priorities_lose_the_latest() -> None:
    assert cut_suggestions([("x", 2, 3.0), ("y", 2, 3.0), ("z", 2, 3.0)], 10) == ["z"]


def test_a_plan_that_fits_loses_nothing() -> None:
    assert cut_suggestions([("a", 3, 3.0), ("b", 3, 3.0)], 10) == []


def test_a_slot_too_short_to_open_and_close_loses_everything() -> None:
    assert cut_suggestions([("a", 1, 1.0), ("b", 3, 1.0), ("c", 1, 1.0)], 3) == ["b", "c", "a"]


def test_rehearsed_paces_decide_what_fits() -> None:
    plan = [("a", 1, calibrated_minutes(3, [300, 300, 300])), ("b", 2, 3.0)]
    assert cut_suggestions(plan, 12) == []  # 4 + 5 + 3 = 12: fits
    assert cut_suggestions(plan, 11) == ["b"]
    assert cut_suggestions(plan, 8) == ["b", "a"]


plans = st.lists(
    st.tuples(st.integers(1, 3), st.floats(min_value=0.5, max_value=5)), max_size=12
).map(lambda rows: [(f"q{n}", priority, minutes) for n, (priority, minutes) in enumerate(rows)])


@given(plans, st.integers(0, 90))
def test_cutting_leaves_a_plan_that_fits_or_nothing(
    plan: list[tuple[str, int, float]], slot: int
) -> None:
    dropped = cut_suggestions(plan, slot)
    kept = [row for row in plan if row[0] not in dropped]
    assert not kept or 4 + sum(minutes for _, _, minutes in kept) <= slot


@given(plans, st.integers(0, 90))
def test_cutting_never_drops_a_higher_priority_before_a_lower_one(
    plan: list[tuple[str, int, float]], slot: int
) -> None:
    priority = {qid: p for qid, p, _ in plan}
    dropped = cut_suggestions(plan, slot)
    kept = [qid for qid in priority if qid not in dropped]
    assert [priority[q] for q in dropped] == sorted((priority[q] for q in dropped), reverse=True)
    assert all(priority[k] <= priority[d] for k in kept for d in dropped)


@given(plans, st.integers(0, 90))
def test_cutting_stops_as_soon_as_the_plan_fits(
    plan: list[tuple[str, int, float]], slot: int
) -> None:
    dropped = cut_suggestions(plan, slot)
    if dropped:
        minutes = {qid: m for qid, _, m in plan}
        with_last_back = [qid for qid in minutes if qid not in dropped[:-1]]
        assert 4 + sum(minutes[qid] for qid in with_last_back) > slot
