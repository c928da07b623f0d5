"""Reviewing interview questions and a question plan (PLAYBOOK.md section 7)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from rapport.playbook.engine import (
    Hit,
    build_review,
    finding,
    first_hit,
    guarded_review,
    score,
)
from rapport.playbook.findings import Finding, Review
from rapport.playbook.loader import (
    coverage_patterns,
    pattern,
    single_regex,
    threshold,
    word_set,
)
from rapport.playbook.request import job_ask_findings
from rapport.playbook.rules import RuleId as R
from rapport.playbook.text import Doc

FIRST_WORDS_RE = re.compile(r"[A-Za-z][\w']*")
# A capitalised name after the first word ("Does Ocado..."), standing for an organisation.
NAMED_ORG_RE = re.compile(r"(?<=\S )(?-i:[A-Z\u00c0-\u00de][\w&.'-]+)")
COVERAGE_LABELS = {
    "trends": "trends in the field",
    "insights": "what the role is really like",
    "advice": "advice for you",
    "resources": "people and reading to follow up",
    "next_steps": "what you could do next",
}


def review_question(text: str) -> Review:
    doc, early = guarded_review("question", text)
    if early:
        return early
    return build_review("question", doc, question_findings(doc))


def question_findings(doc: Doc) -> Iterator[Finding]:
    whole = (0, len(doc.original.rstrip()))
    asks = list(job_ask_findings(doc, R.QUESTION_NO_JOB_ASK))
    yield from asks
    company_fact = first_hit(
        doc, doc.sentences, "googleable_company", masked=False, negatable=False
    ) or organisation_fact(doc)
    person_fact = first_hit(doc, doc.sentences, "googleable_person", masked=False, negatable=False)
    fact = company_fact or person_fact
    if fact and not asks:
        yield finding(
            R.QUESTION_GOOGLEABLE,
            "A quick search or their public profile answers this. Ask what only they can "
            "tell you, such as how they see it from the inside.",
            fact.start,
            fact.end,
        )
    if not is_open(doc.plain):
        yield finding(
            R.QUESTION_OPEN,
            "This can be answered with a yes or no. Try starting with 'how' or 'what'.",
            *whole,
        )
    if asks or company_fact:
        yield finding(
            R.QUESTION_ABOUT_THEM,
            "Ask about their own experience, judgement or advice; that is what they can "
            "give you that nobody else can.",
            *whole,
        )


def organisation_fact(doc: Doc) -> Hit | None:
    """A plain fact about a named organisation ("When did the museum open?"), asked
    without a word about the person's own view or experience."""
    for sentence in doc.sentences:
        text = sentence.text
        org = single_regex("org_nouns").search(text) or NAMED_ORG_RE.search(text)
        fact = single_regex("org_facts").search(text)
        if org and fact and not single_regex("opinion_cues").search(text):
            return Hit(sentence, sentence.start, sentence.end)
    return None


def is_open(question: str) -> bool:
    """Whether the question invites more than yes or no, judged by its leading word."""
    if pattern("open_requests").search(question):
        return True
    openers = word_set("open_openers")
    closers = word_set("closed_openers")
    for match in FIRST_WORDS_RE.finditer(_main_clause(question)):
        word = match.group().lower()
        if word in openers:
            return True
        if word in closers:
            return False
    return True


def _main_clause(question: str) -> str:
    """The question without a lead-in clause such as "If you were starting out today,"."""
    lead, comma, rest = question.partition(",")
    first = FIRST_WORDS_RE.search(lead)
    if (
        comma
        and rest.strip()
        and first
        and first.group().lower() in word_set("question_subordinators")
    ):
        return rest
    return question


IF_TIME_PRIORITY = 3  # "if time allows": the lowest priority, the one spares have


@dataclass(frozen=True)
class PlannedQuestion:
    text: str
    priority: int = 2  # 1 must ask, 2 should ask, 3 if time allows
    estimate_min: float | None = None


@dataclass(frozen=True)
class PlanReview:
    questions: tuple[Review, ...]
    findings: tuple[Finding, ...]
    planned_min: float
    slot_min: int | None
    keep: tuple[int, ...]  # indexes that fit the slot, in the order given
    drop: tuple[int, ...]  # indexes to cut first, lowest priority first
    covered: tuple[str, ...]
    score: int
    spares: tuple[int, ...] = ()  # the dropped ones marked "if time allows"

    @property
    def fits(self) -> bool:
        """Everything fits, spares and all."""
        return not self.drop

    @property
    def fits_time(self) -> bool:
        """Every must- and should-ask question fits; only spares are left over."""
        return len(self.spares) == len(self.drop)


def review_questions(
    questions: Sequence[PlannedQuestion | str], *, slot_min: int | None = None
) -> PlanReview:
    plan = [q if isinstance(q, PlannedQuestion) else PlannedQuestion(q) for q in questions]
    reviews = tuple(review_question(q.text) for q in plan)
    keep, drop, planned = fit_to_slot(plan, slot_min)
    covered = tuple(kind for kind in COVERAGE_LABELS if _covers(plan, kind))
    findings = tuple(_plan_findings(plan, slot_min, planned, drop, covered))
    all_findings = [f for review in reviews for f in review.findings] + list(findings)
    return PlanReview(
        questions=reviews,
        findings=findings,
        planned_min=planned,
        slot_min=slot_min,
        keep=keep,
        drop=drop,
        covered=covered,
        score=score(all_findings),
        spares=spares(plan, drop),
    )


def estimate(question: PlannedQuestion) -> float:
    default = threshold("question", "default_answer_min")
    return question.estimate_min if question.estimate_min is not None else default


def fit_to_slot(
    plan: Sequence[PlannedQuestion], slot_min: int | None
) -> tuple[tuple[int, ...], tuple[int, ...], float]:
    """Which questions fit, dropping the lowest priority (then the latest) first."""
    overhead = 2 * threshold("question", "open_close_min")
    planned = overhead + sum(estimate(q) for q in plan)
    if slot_min is None:
        return tuple(range(len(plan))), (), planned
    order = sorted(range(len(plan)), key=lambda i: (-plan[i].priority, -i))
    dropped: list[int] = []
    total = planned
    for index in order:
        if total <= slot_min:
            break
        dropped.append(index)
        total -= estimate(plan[index])
    keep = tuple(i for i in range(len(plan)) if i not in dropped)
    return keep, tuple(dropped), planned


def _covers(plan: Sequence[PlannedQuestion], kind: str) -> bool:
    regex = coverage_patterns()[kind]
    return any(regex.search(q.text) for q in plan)


def spares(plan: Sequence[PlannedQuestion], drop: Sequence[int]) -> tuple[int, ...]:
    """The questions beyond what fits that the seeker marked "if time allows": kept in
    reserve in case answers run short (`plan.enough`), not an overrun (`plan.fits-time`)."""
    return tuple(i for i in drop if plan[i].priority >= IF_TIME_PRIORITY)


def _plan_findings(
    plan: Sequence[PlannedQuestion],
    slot_min: int | None,
    planned: float,
    drop: tuple[int, ...],
    covered: tuple[str, ...],
) -> Iterator[Finding]:
    # One definition for both rules: the slot must hold every must- and should-ask
    # question; beyond that, a few "if time allows" ones are spares, which is what
    # `plan.enough` asks for, so they never count as running over.
    reserve = spares(plan, drop)
    if slot_min is not None and len(reserve) < len(drop):
        names = ", ".join(f"#{i + 1}" for i in drop)
        yield finding(
            R.PLAN_FITS_TIME,
            f"The plan runs about {round(planned, 1):g} minutes for a {slot_min}-minute slot. Drop "
            f"{names} first (lowest priority); mark any you keep as spares 'if time allows'.",
            0,
            0,
        )
    missing = [COVERAGE_LABELS[kind] for kind in COVERAGE_LABELS if kind not in covered]
    if plan and missing:
        yield finding(
            R.PLAN_COVERAGE,
            f"Nothing yet on {', '.join(missing)}.",
            0,
            0,
        )
    wanted = threshold("plan", "spare_questions")
    if plan and slot_min is not None and len(reserve) == len(drop) and len(reserve) < wanted:
        more = wanted - len(reserve)
        yield finding(
            R.PLAN_ENOUGH,
            f"Add {more} more 'if time allows' question{'s' if more > 1 else ''} beyond "
            "what fits, in priority order, so you never run dry if answers are short.",
            0,
            0,
        )
