"""Rehearsal (PLAYBOOK.md section 8): saving one timed run through the plan, and what it
says about the plan: each answer against its estimate, the total against the slot, and
which questions to cut."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from rapport.accounts.models import User
from rapport.core import clock
from rapport.core.errors import RapportError
from rapport.core.models import ensure_owned_by
from rapport.meetings.models import Meeting, PlanQuestion, Rehearsal, RehearsalTiming
from rapport.meetings.plans import minutes_and_seconds, plan_questions
from rapport.playbook.loader import threshold
from rapport.playbook.question_bank import cut_suggestions

MAX_SECONDS = 3600  # an hour on one answer is a timer left running, not a rehearsal


@transaction.atomic
def rehearsal_save(
    *, owner: User, meeting: Meeting, timings: Sequence[tuple[int, int]]
) -> Rehearsal:
    """One rehearsal with a timing per answered question (question id, seconds). Every
    timing is checked before anything is written: all of them are saved, or none."""
    ensure_owned_by(owner, meeting)
    questions = {q.pk: q for q in plan_questions(owner=owner, meeting=meeting)}
    _check(timings, questions)
    rehearsal = Rehearsal.objects.create(
        owner=owner,
        meeting=meeting,
        finished_at=clock.now(),
        total_seconds=sum(seconds for _id, seconds in timings),
    )
    RehearsalTiming.objects.bulk_create(
        RehearsalTiming(
            owner=owner,
            rehearsal=rehearsal,
            question=questions[question_id],
            pace_key=questions[question_id].pace_key,
            seconds=seconds,
        )
        for question_id, seconds in timings
    )
    return rehearsal


def _check(timings: Sequence[tuple[int, int]], questions: dict[int, PlanQuestion]) -> None:
    if not timings:
        raise RapportError(
            "Time at least one answer before finishing, or skip the rehearsal for now.",
            fields={"timings": "empty"},
        )
    seen: set[int] = set()
    for question_id, seconds in timings:
        if question_id not in questions:
            raise RapportError(
                "A timed question is no longer in this plan. Reload the page and run it again.",
                fields={"timings": "unknown question"},
            )
        if question_id in seen:
            raise RapportError(
                "A question was timed twice. Reload the page and run it again.",
                fields={"timings": "duplicate"},
            )
        if not 0 <= seconds <= MAX_SECONDS:
            raise RapportError(
                f"A timing must be between 0 and {MAX_SECONDS} seconds.",
                fields={"timings": "out of range"},
            )
        seen.add(question_id)


@dataclass(frozen=True)
class TimedQuestion:
    question: PlanQuestion
    number: int
    seconds: int | None  # None when skipped, or added to the plan since
    cut_order: int | None

    @property
    def over(self) -> bool:
        return self.seconds is not None and self.seconds > self.question.answer_min * 60

    @property
    def time_label(self) -> str:
        return "" if self.seconds is None else minutes_and_seconds(self.seconds)

    @property
    def minutes(self) -> float:
        """What the run says this answer takes: the timing, or the estimate if skipped."""
        if self.seconds is None or self.seconds < threshold("plan", "min_timing_sec"):
            return float(self.question.answer_min)
        return self.seconds / 60


@dataclass(frozen=True)
class RehearsalResult:
    rehearsal: Rehearsal
    rows: tuple[TimedQuestion, ...]
    slot_min: int
    removed: int  # timings of questions taken out of the plan since

    @property
    def total_label(self) -> str:
        return minutes_and_seconds(self.rehearsal.total_seconds)

    @property
    def overhead_min(self) -> int:
        return 2 * int(threshold("question", "open_close_min"))

    @property
    def projected_min(self) -> float:
        return self.overhead_min + sum(row.minutes for row in self.rows)

    @property
    def over_min(self) -> float:
        return max(0.0, self.projected_min - self.slot_min)

    @property
    def cuts(self) -> tuple[TimedQuestion, ...]:
        return tuple(sorted((r for r in self.rows if r.cut_order), key=lambda r: r.cut_order or 0))


def rehearsal_result(*, owner: User, rehearsal: Rehearsal) -> RehearsalResult:
    ensure_owned_by(owner, rehearsal)
    meeting = rehearsal.meeting
    timings = RehearsalTiming.objects.for_owner(owner).filter(rehearsal=rehearsal)
    seconds = {t.question_id: t.seconds for t in timings}
    questions = plan_questions(owner=owner, meeting=meeting)
    rows = [TimedQuestion(q, n, seconds.get(q.pk), None) for n, q in enumerate(questions, 1)]
    cut = cut_suggestions(
        [(str(row.question.pk), row.question.priority, row.minutes) for row in rows],
        meeting.duration_min,
    )
    order = {question_id: n for n, question_id in enumerate(cut, start=1)}
    rows = [
        TimedQuestion(r.question, r.number, r.seconds, order.get(str(r.question.pk))) for r in rows
    ]
    in_plan = {q.pk for q in questions}
    return RehearsalResult(
        rehearsal=rehearsal,
        rows=tuple(rows),
        slot_min=meeting.duration_min,
        removed=sum(1 for question_id in seconds if question_id not in in_plan),
    )
