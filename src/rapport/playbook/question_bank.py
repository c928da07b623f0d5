"""The question bank (PLAYBOOK.md sections 7 and 8): ready questions, starter plans, and
the seeker's own pace from rehearsal.

The questions live in data/questions.toml and are checked when first read; the plan
arithmetic is the coach's own (questions.fit_to_slot and the [question]/[plan] thresholds),
so a starter plan never disagrees with the review of that plan.
"""

from __future__ import annotations

import functools
import re
import statistics
import tomllib
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapport.playbook.loader import data_file, threshold
from rapport.playbook.questions import COVERAGE_LABELS, PlannedQuestion, fit_to_slot

KINDS = tuple(COVERAGE_LABELS)  # the coach's coverage kinds, in its order
SITUATIONS = ("career_changer", "student", "same_field")
ASSUMPTIONS = ("any", *SITUATIONS)
PRIORITIES = (1, 2, 3)  # as PlannedQuestion: 1 must ask, 2 should ask, 3 if time allows
FIELDS = ("id", "text", "kind", "assumes", "priority", "answer_min")
SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class BankError(ValueError):
    """The question bank data is malformed; the message names the file and the question."""


@dataclass(frozen=True)
class BankQuestion:
    id: str
    text: str
    kind: str
    assumes: tuple[str, ...]
    priority: int
    answer_min: int

    def planned(self) -> PlannedQuestion:
        """The question as the plan review takes it."""
        return PlannedQuestion(self.text, self.priority, float(self.answer_min))

    def suits(self, situation: str) -> bool:
        return "any" in self.assumes or situation in self.assumes


# --- loading and validation ---------------------------------------------------------------


@functools.cache
def bank() -> tuple[BankQuestion, ...]:
    """Every question, in file order, validated once."""
    return parse_bank(data_file("questions"), source="questions.toml")


def load_bank(source: Path | str) -> tuple[BankQuestion, ...]:
    """Validate a bank from a file (a Path) or from TOML text (a str); for tests and tools."""
    if isinstance(source, Path):
        name, text = source.name, source.read_text(encoding="utf-8")
    else:
        name, text = "<text>", source
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise BankError(f"{name}: not valid TOML: {error}") from error
    return parse_bank(data, source=name)


def parse_bank(data: Mapping[str, Any], *, source: str) -> tuple[BankQuestion, ...]:
    entries = data.get("question")
    if not isinstance(entries, list) or not entries:
        raise BankError(f"{source}: no [[question]] entries")
    questions = tuple(_question(entry, n, source) for n, entry in enumerate(entries, start=1))
    _check_unique(questions, source)
    return questions


def _question(entry: Any, number: int, source: str) -> BankQuestion:
    if not isinstance(entry, dict):
        raise BankError(f"{source}: question #{number} is not a table")
    qid = entry.get("id")
    if not isinstance(qid, str) or not SLUG_RE.fullmatch(qid):
        raise BankError(f"{source}: question #{number} needs an id in lower-case-slug form")
    problems = list(_problems(entry))
    if problems:
        raise BankError(f"{source}: question {qid!r}: {'; '.join(problems)}")
    return BankQuestion(
        id=qid,
        text=entry["text"].strip(),
        kind=entry["kind"],
        assumes=tuple(entry["assumes"]),
        priority=entry["priority"],
        answer_min=entry["answer_min"],
    )


def _problems(entry: dict[str, Any]) -> Iterator[str]:
    missing = [name for name in FIELDS if name not in entry]
    unknown = sorted(set(entry) - set(FIELDS))
    if missing:
        yield f"missing {', '.join(missing)}"
    if unknown:
        yield f"unknown field {', '.join(unknown)}"
    if missing:
        return
    text, kind, assumes = entry["text"], entry["kind"], entry["assumes"]
    if not isinstance(text, str) or not text.strip():
        yield "text is empty"
    if kind not in KINDS:
        yield f"unknown kind {kind!r} (one of {', '.join(KINDS)})"
    yield from _assumption_problems(assumes)
    low, high = threshold("plan", "min_answer_min"), threshold("plan", "max_answer_min")
    yield from _range_problem("priority", entry["priority"], PRIORITIES[0], PRIORITIES[-1])
    yield from _range_problem("answer_min", entry["answer_min"], low, high)


def _assumption_problems(assumes: Any) -> Iterator[str]:
    if not isinstance(assumes, list) or not assumes:
        yield "assumes must be a non-empty list"
        return
    for value in assumes:
        if value not in ASSUMPTIONS:
            yield f"unknown assumption {value!r} (one of {', '.join(ASSUMPTIONS)})"
    if "any" in assumes and len(assumes) > 1:
        # "any" already covers every situation; listing more hides which one was meant.
        yield "assumes lists 'any' together with a situation"
    if len(set(assumes)) != len(assumes):
        yield "assumes repeats a value"


def _range_problem(name: str, value: Any, low: int, high: int) -> Iterator[str]:
    # bool is an int in Python; `priority = true` is a typo, not a 1.
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        yield f"{name} must be a whole number from {low} to {high}, not {value!r}"


def _check_unique(questions: Sequence[BankQuestion], source: str) -> None:
    seen: set[str] = set()
    for question in questions:
        if question.id in seen:
            raise BankError(f"{source}: question {question.id!r}: duplicate id")
        seen.add(question.id)


# --- choosing questions -------------------------------------------------------------------


def for_seeker(situation: str, kinds: Collection[str] = ()) -> list[BankQuestion]:
    """The questions that suit a seeker, optionally of some kinds only: priority order,
    then bank order. Situation "any" means none in particular: the general questions."""
    _check_choice("situation", situation, ASSUMPTIONS)
    for kind in kinds:
        _check_choice("kind", kind, KINDS)
    suitable = [q for q in bank() if q.suits(situation) and (not kinds or q.kind in kinds)]
    return sorted(suitable, key=lambda q: q.priority)  # stable: bank order within a priority


def starter_plan(situation: str, slot_minutes: int) -> list[BankQuestion]:
    """A first plan for a slot: the questions that fit, in priority order, then the spares.

    The slot loses the opening and closing minutes the plan review reserves. Questions are
    taken greedily in priority order, one kind at a time in turn, so every kind gets its
    best question before any kind gets a second; a question too long for what is left is
    passed over for a shorter one. The last `[plan] spare_questions` are the spares: the
    next best of the rest, asked only if answers run short.
    """
    if slot_minutes < 0:
        raise ValueError(f"slot_minutes must not be negative, not {slot_minutes}")
    candidates = _in_turns(for_seeker(situation))
    budget = slot_minutes - 2 * threshold("question", "open_close_min")
    chosen: list[BankQuestion] = []
    for question in candidates:
        if question.answer_min <= budget:
            chosen.append(question)
            budget -= question.answer_min
    spares = [q for q in candidates if q not in chosen][: threshold("plan", "spare_questions")]
    order = {q.id: n for n, q in enumerate(bank())}
    chosen.sort(key=lambda q: (q.priority, order[q.id]))
    return chosen + spares


def _in_turns(questions: Sequence[BankQuestion]) -> list[BankQuestion]:
    """Within each priority, the kinds take turns: best of each kind, then second best..."""
    turn: dict[tuple[int, str], int] = {}
    ranked = []
    for question in questions:
        key = (question.priority, question.kind)
        turn[key] = turn.get(key, 0) + 1
        ranked.append((question.priority, turn[key], KINDS.index(question.kind), question))
    return [q for *_, q in sorted(ranked, key=lambda row: row[:3])]


def _check_choice(name: str, value: str, allowed: Sequence[str]) -> None:
    if value not in allowed:
        raise ValueError(f"unknown {name} {value!r} (one of {', '.join(allowed)})")


# --- pace and cuts ------------------------------------------------------------------------


def calibrated_minutes(estimate: float, rehearsed_seconds: Sequence[float]) -> float:
    """The seeker's own expected minutes for a question.

    With no rehearsal, the bank estimate. From `[plan] calibration_timings` (3) timings on,
    their median: it is their real pace, and one stumble or rushed run does not move it.
    Before that, a blend that trusts each timing a third more: one timing is one part of
    their mean to two of the estimate, two timings two parts to one. A single run is
    noisy, so it nudges the estimate rather than replacing it, and the blend meets the
    median rule without a jump. Timings under `[plan] min_timing_sec` were skips, not
    answers, and are left out.
    """
    if estimate <= 0:
        raise ValueError(f"estimate must be positive, not {estimate}")
    if any(seconds < 0 for seconds in rehearsed_seconds):
        raise ValueError("rehearsal timings cannot be negative")
    timings = [s / 60 for s in rehearsed_seconds if s >= threshold("plan", "min_timing_sec")]
    enough = threshold("plan", "calibration_timings")
    if len(timings) >= enough:
        return statistics.median(timings)
    if not timings:
        return float(estimate)
    weight = len(timings) / enough
    return weight * statistics.fmean(timings) + (1 - weight) * estimate


def cut_suggestions(questions: Sequence[tuple[str, int, float]], slot_minutes: int) -> list[str]:
    """The ids to drop, in the order to drop them, so the plan fits the slot: the lowest
    priority first, the latest first among equals (the plan review's own rule)."""
    plan = [PlannedQuestion(qid, priority, minutes) for qid, priority, minutes in questions]
    _keep, drop, _planned = fit_to_slot(plan, slot_minutes)
    return [questions[index][0] for index in drop]
