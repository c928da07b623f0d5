"""Reviewing a thank-you after the meeting (PLAYBOOK.md section 10)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from rapport.playbook.context import content_words
from rapport.playbook.engine import (
    body_span,
    build_review,
    finding,
    first_hit,
    guarded_review,
    hits,
)
from rapport.playbook.findings import Finding, Review
from rapport.playbook.loader import threshold, word_set
from rapport.playbook.placeholders import placeholder_spans
from rapport.playbook.request import job_ask_findings, placeholder_findings
from rapport.playbook.rules import RuleId as R
from rapport.playbook.text import Doc, Sentence

NOTES_OVERLAP_MIN_WORDS = 2  # two shared distinctive words: the note refers to the meeting
SUGGEST_SPECIFIC = (
    "Name one thing they said, e.g. 'Your advice to learn SQL alongside GIS was exactly "
    "what I needed.'"
)
SUGGEST_NEXT = (
    "Say what you will do, e.g. 'I'll sign up for the course you mentioned and let you "
    "know how it goes.'"
)


def review_thanks(
    text: str,
    *,
    meeting_notes: str | None = None,
    meeting_ended_at: datetime | None = None,
    now: datetime | None = None,
) -> Review:
    doc, early = guarded_review("thanks", text)
    if early:
        return early
    findings = list(thanks_findings(doc, meeting_notes))
    findings += timing_findings(doc, meeting_ended_at, now)
    return build_review("thanks", doc, findings)


def thanks_findings(doc: Doc, meeting_notes: str | None) -> Iterator[Finding]:
    yield from placeholder_findings(placeholder_spans(doc.plain))
    asks = list(job_ask_findings(doc, R.THANKS_NO_JOB_ASK))
    yield from asks
    ask_starts = {item.start for item in asks}
    usable = [s for s in doc.sentences if s.start not in ask_starts]
    start, end = body_span(doc)
    if not is_specific(doc, usable, meeting_notes):
        yield finding(
            R.THANKS_SPECIFIC,
            "Mention one specific thing they said or advised; it shows you listened.",
            start,
            end,
            suggestion=SUGGEST_SPECIFIC,
        )
    if not first_hit(doc, usable, "next_step", masked=False, negatable=False):
        yield finding(
            R.THANKS_NEXT_STEP,
            "Say what you will do with their advice; it gives you a reason to write again.",
            start,
            end,
            suggestion=SUGGEST_NEXT,
        )


def is_specific(doc: Doc, sentences: list[Sentence], meeting_notes: str | None) -> bool:
    if first_hit(doc, sentences, "thanks_specific", masked=False, negatable=False):
        return True
    if not meeting_notes:
        return False
    stopwords = word_set("stopwords")
    written = content_words(" ".join(s.text for s in sentences), stopwords)
    return len(written & content_words(meeting_notes, stopwords)) >= NOTES_OVERLAP_MIN_WORDS


def timing_findings(
    doc: Doc, meeting_ended_at: datetime | None, now: datetime | None
) -> list[Finding]:
    if meeting_ended_at is None or now is None:
        return []
    window = timedelta(hours=threshold("thanks", "within_hours"))
    late_by = now - meeting_ended_at - window
    if late_by <= timedelta(0):
        return []
    start, end = body_span(doc)
    hours = int(late_by.total_seconds() // 3600)
    return [
        finding(
            R.THANKS_WITHIN_24H,
            f"The meeting ended more than a day ago ({hours} hour(s) past the 24). Send it "
            "now anyway, with a short apology for the delay.",
            start,
            end,
        )
    ]


__all__ = ["hits", "review_thanks"]
