"""A meeting's question plan (PLAYBOOK.md section 7): the writes that keep it in order,
and the reads that review it against the slot with the seeker's own pace."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import transaction

from rapport.accounts.models import Profile, Situation, User
from rapport.core.errors import RapportError
from rapport.core.models import ensure_owned_by
from rapport.meetings.models import Meeting, PlanQuestion, Rehearsal, RehearsalTiming
from rapport.playbook import day, question_bank
from rapport.playbook.coach import Finding, RuleId, rule
from rapport.playbook.loader import threshold
from rapport.playbook.question_bank import BankQuestion
from rapport.playbook.questions import PlannedQuestion, PlanReview, review_questions

MAX_QUESTIONS = 30  # more than a long meeting could use; past this a plan is a list of wishes
MAX_TEXT = 500
MIN_ANSWER, MAX_ANSWER = 1, 15  # as the model's constraint
Priority = PlanQuestion.Priority


# --- reads ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Advice:
    """One coach finding, with its rule's title and reason, ready to show."""

    rule: str
    severity: str
    title: str
    message: str
    why: str


@dataclass(frozen=True)
class PlanRow:
    question: PlanQuestion
    number: int
    pace_min: float | None  # from rehearsals, when they give a pace unlike the estimate
    advice: tuple[Advice, ...]
    cut_order: int | None  # 1: the first to cut if time runs short
    spare: bool  # beyond what fits, and "if time allows"


@dataclass(frozen=True)
class Plan:
    meeting: Meeting
    rows: tuple[PlanRow, ...]
    review: PlanReview
    advice: tuple[Advice, ...]

    @property
    def over_min(self) -> float:
        slot = self.review.slot_min or 0
        return max(0.0, self.review.planned_min - slot)

    @property
    def kept(self) -> tuple[PlanRow, ...]:
        return tuple(row for row in self.rows if row.cut_order is None)

    @property
    def spares(self) -> tuple[PlanRow, ...]:
        return tuple(row for row in self.rows if row.cut_order is not None)

    @property
    def can_use_pace(self) -> bool:
        return any(row.pace_min is not None for row in self.rows)


def plan_questions(*, owner: User, meeting: Meeting) -> list[PlanQuestion]:
    return list(PlanQuestion.objects.for_owner(owner).filter(meeting=meeting))


def pace_seconds(*, owner: User, keys: Iterable[str]) -> dict[str, list[int]]:
    """Every rehearsal timing of these questions, across all the seeker's meetings."""
    found: dict[str, list[int]] = defaultdict(list)
    timings = RehearsalTiming.objects.for_owner(owner).filter(pace_key__in=set(keys))
    for key, seconds in timings.values_list("pace_key", "seconds"):
        found[key].append(seconds)
    return found


def paced_minutes(question: PlanQuestion, seconds: Sequence[int]) -> float | None:
    """The seeker's own pace for a question, or None before any rehearsal of it. A bank
    question calibrates from the bank's estimate, so using the pace never compounds."""
    if not seconds:
        return None
    known = _bank().get(question.bank_id)
    start = known.answer_min if known else question.answer_min
    return question_bank.calibrated_minutes(start, seconds)


def plan_review(*, owner: User, meeting: Meeting) -> Plan:
    questions = plan_questions(owner=owner, meeting=meeting)
    paces = pace_seconds(owner=owner, keys=(q.pace_key for q in questions))
    minutes = [paced_minutes(q, paces.get(q.pace_key, [])) for q in questions]
    planned = [
        PlannedQuestion(q.text, q.priority, pace if pace is not None else float(q.answer_min))
        for q, pace in zip(questions, minutes, strict=True)
    ]
    review = review_questions(planned, slot_min=meeting.duration_min)
    cut = {index: order for order, index in enumerate(review.drop, start=1)}
    rows = tuple(
        PlanRow(
            question=q,
            number=n + 1,
            pace_min=pace if pace is not None and round(pace, 1) != q.answer_min else None,
            advice=advice(review.questions[n].findings),
            cut_order=cut.get(n),
            spare=n in review.spares,
        )
        for n, (q, pace) in enumerate(zip(questions, minutes, strict=True))
    )
    return Plan(meeting=meeting, rows=rows, review=review, advice=advice(review.findings))


def advice(findings: Iterable[Finding]) -> tuple[Advice, ...]:
    return tuple(
        Advice(f.rule, f.severity.value, _rule_words(f.rule)[0], f.message, _rule_words(f.rule)[1])
        for f in findings
    )


def _rule_words(rule_id: str) -> tuple[str, str]:
    try:
        known = rule(RuleId(rule_id))
    except (KeyError, ValueError):  # not in the registry: show the id itself
        return rule_id, ""
    return known.title, known.why


def situation_of(owner: User) -> str:
    profile = Profile.objects.filter(user=owner).first()
    return profile.situation if profile else Situation.CAREER_CHANGER.value


def bank_choices(
    *, owner: User, meeting: Meeting, situation: str, kind: str = ""
) -> list[BankQuestion]:
    """Bank questions for the seeker's situation (and a kind, if chosen) not yet in the plan."""
    taken = set(
        PlanQuestion.objects.for_owner(owner)
        .filter(meeting=meeting)
        .values_list("bank_id", flat=True)
    )
    chosen = question_bank.for_seeker(situation, (kind,) if kind else ())
    return [q for q in chosen if q.id not in taken]


@dataclass(frozen=True)
class PastRehearsal:
    pk: int
    finished_at: datetime
    total: str


def past_rehearsals(*, owner: User, meeting: Meeting) -> list[PastRehearsal]:
    done = (
        Rehearsal.objects.for_owner(owner)
        .filter(meeting=meeting, finished_at__isnull=False)
        .order_by("-finished_at")
    )
    return [
        PastRehearsal(r.pk, r.finished_at, minutes_and_seconds(r.total_seconds))
        for r in done
        if r.finished_at is not None
    ]


def minutes_and_seconds(seconds: int) -> str:
    """12 min 5 s; whole minutes alone; seconds alone under a minute."""
    minutes, rest = divmod(max(0, int(seconds)), 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def _bank() -> dict[str, BankQuestion]:
    return {q.id: q for q in question_bank.bank()}


# --- writes --------------------------------------------------------------------------------


@transaction.atomic
def question_add(
    *,
    owner: User,
    meeting: Meeting,
    text: str,
    priority: int = Priority.SHOULD,
    answer_min: int = 3,
    bank_id: str = "",
    kind: str = "",
) -> PlanQuestion:
    ensure_owned_by(owner, meeting)
    _lock(meeting)
    count = PlanQuestion.objects.for_owner(owner).filter(meeting=meeting).count()
    if count >= MAX_QUESTIONS:
        raise RapportError(
            f"A plan holds at most {MAX_QUESTIONS} questions. Remove one you are least "
            "likely to ask before adding another.",
            fields={"text": "plan full"},
        )
    return PlanQuestion.objects.create(
        owner=owner,
        meeting=meeting,
        position=count,
        text=_clean_text(text),
        priority=_checked_priority(priority),
        answer_min=_checked_minutes(answer_min),
        bank_id=bank_id,
        kind=kind,
    )


def question_add_from_bank(*, owner: User, meeting: Meeting, bank_id: str) -> PlanQuestion:
    known = _bank().get(bank_id)
    if known is None:
        raise RapportError("That question is not in the bank.", fields={"bank_id": "unknown"})
    with transaction.atomic():
        _lock(meeting)
        if PlanQuestion.objects.for_owner(owner).filter(meeting=meeting, bank_id=bank_id).exists():
            raise RapportError(
                "That question is already in your plan.", fields={"bank_id": "already there"}
            )
        return question_add(
            owner=owner,
            meeting=meeting,
            text=known.text,
            priority=known.priority,
            answer_min=known.answer_min,
            bank_id=known.id,
            kind=known.kind,
        )


@transaction.atomic
def plan_start(*, owner: User, meeting: Meeting, situation: str) -> list[PlanQuestion]:
    """The suggested plan for the slot; its spares are marked "if time allows", so the
    review counts them as spares rather than as running over."""
    ensure_owned_by(owner, meeting)
    _lock(meeting)
    if PlanQuestion.objects.for_owner(owner).filter(meeting=meeting).exists():
        raise RapportError("This plan already has questions; add to it instead.")
    chosen = question_bank.starter_plan(situation, meeting.duration_min)
    spares_from = len(chosen) - int(threshold("plan", "spare_questions"))
    return PlanQuestion.objects.bulk_create(
        PlanQuestion(
            owner=owner,
            meeting=meeting,
            position=position,
            text=q.text,
            bank_id=q.id,
            kind=q.kind,
            priority=Priority.IF_TIME if position >= spares_from else q.priority,
            answer_min=q.answer_min,
        )
        for position, q in enumerate(chosen)
    )


@transaction.atomic
def question_update(
    *, owner: User, question: PlanQuestion, text: str, priority: int, answer_min: int
) -> PlanQuestion:
    """Change the wording, priority or estimate. Rewording a bank question makes it the
    seeker's own: its pace is no longer the bank question's."""
    ensure_owned_by(owner, question)
    text = _clean_text(text)
    if question.bank_id and text != question.text:
        question.bank_id = ""
    question.text = text
    question.priority = _checked_priority(priority)
    question.answer_min = _checked_minutes(answer_min)
    question.save(update_fields=["text", "bank_id", "priority", "answer_min", "updated_at"])
    return question


@transaction.atomic
def question_move(*, owner: User, question: PlanQuestion, up: bool) -> None:
    """One place earlier or later; at either end, nothing moves."""
    ensure_owned_by(owner, question)
    order = _renumber(owner, question.meeting)
    index = next(n for n, q in enumerate(order) if q.pk == question.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(order):
        return
    order[index], order[other] = order[other], order[index]
    _save_positions(order)


@transaction.atomic
def question_remove(*, owner: User, question: PlanQuestion) -> None:
    ensure_owned_by(owner, question)
    meeting = question.meeting
    question.delete()
    _renumber(owner, meeting)


@transaction.atomic
def plan_use_pace(*, owner: User, meeting: Meeting) -> int:
    """Set each rehearsed question's estimate to the seeker's own pace; how many changed."""
    ensure_owned_by(owner, meeting)
    questions = plan_questions(owner=owner, meeting=meeting)
    paces = pace_seconds(owner=owner, keys=(q.pace_key for q in questions))
    changed = []
    for question in questions:
        pace = paced_minutes(question, paces.get(question.pace_key, []))
        if pace is None:
            continue
        minutes = min(max(round(pace), MIN_ANSWER), MAX_ANSWER)
        if minutes != question.answer_min:
            question.answer_min = minutes
            changed.append(question)
    PlanQuestion.objects.bulk_update(changed, ["answer_min"])
    return len(changed)


def _lock(meeting: Meeting) -> None:
    """One writer per plan at a time, so two quick clicks cannot share a position."""
    Meeting.objects.select_for_update().filter(pk=meeting.pk).exists()


def _renumber(owner: User, meeting: Meeting) -> list[PlanQuestion]:
    """The plan in order with positions made dense again (0..n-1)."""
    _lock(meeting)
    order = plan_questions(owner=owner, meeting=meeting)
    _save_positions(order)
    return order


def _save_positions(order: list[PlanQuestion]) -> None:
    moved = []
    for position, question in enumerate(order):
        if question.position != position:
            question.position = position
            moved.append(question)
    PlanQuestion.objects.bulk_update(moved, ["position"])


def _clean_text(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        raise RapportError("Write the question first.", fields={"text": "empty"})
    if len(text) > MAX_TEXT:
        raise RapportError(
            f"Keep a question under {MAX_TEXT} characters; a long one is hard to ask.",
            fields={"text": "too long"},
        )
    return text


def _checked_priority(priority: int) -> int:
    if priority not in Priority.values:
        raise RapportError(
            "Choose must ask, should ask or if time allows.", fields={"priority": "unknown"}
        )
    return int(priority)


def _checked_minutes(minutes: int) -> int:
    if not MIN_ANSWER <= minutes <= MAX_ANSWER:
        raise RapportError(
            f"Estimate between {MIN_ANSWER} and {MAX_ANSWER} minutes for an answer.",
            fields={"answer_min": "out of range"},
        )
    return int(minutes)


# --- the brief -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Logistics:
    """The practical side of the day (PLAYBOOK.md section 9), for the printed brief."""

    start: datetime | None  # in the seeker's zone
    zone: str
    host_start: datetime | None  # in the host's zone, when its clock differs
    host_zone: str
    leave_by: datetime | None
    attire: str
    bring: tuple[str, ...]
    who_pays: str | None


def logistics(meeting: Meeting, *, zone: ZoneInfo) -> Logistics:
    start = meeting.start.astimezone(zone) if meeting.start else None
    host_zone = _zone(meeting.contact.time_zone)
    host_start = start.astimezone(host_zone) if start and host_zone else None
    if start and host_start and host_start.utcoffset() == start.utcoffset():
        host_start = None  # the same clock time: saying it twice only adds noise
    return Logistics(
        start=start,
        zone=str(zone),
        host_start=host_start,
        host_zone=str(host_zone or ""),
        leave_by=day.leave_by(start, meeting.travel_min, mode=meeting.mode) if start else None,
        attire=day.attire(meeting.formality, meeting.mode),
        bring=tuple(day.what_to_bring(meeting.mode)),
        who_pays=day.who_pays(meeting.mode),
    )


def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name) if name else None
    except (ValueError, KeyError):
        return None
