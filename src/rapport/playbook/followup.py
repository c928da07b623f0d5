"""Reviewing a follow-up to a request that got no reply (PLAYBOOK.md section 5)."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import date

from rapport.playbook.calendar import add_business_days, business_days_between
from rapport.playbook.engine import (
    body_span,
    build_review,
    finding,
    first_hit,
    guarded_review,
    hits,
)
from rapport.playbook.findings import Finding, Review
from rapport.playbook.loader import threshold
from rapport.playbook.placeholders import placeholder_spans
from rapport.playbook.request import placeholder_findings, pushy_findings
from rapport.playbook.rules import RuleId as R
from rapport.playbook.text import Doc

SUGGEST_EASY_OUT = "If now isn't a good time, no worries at all - I completely understand."


def review_followup(
    text: str,
    *,
    request_sent_on: date | None = None,
    today: date | None = None,
    nudges_sent: int = 0,
    max_nudges: int | None = None,
    holidays: Collection[date] = (),
) -> Review:
    """Review the text; with the request's date, also the timing and the number of nudges."""
    doc, early = guarded_review("followup", text)
    if early:
        return early
    findings = list(followup_text_findings(doc))
    findings += timing_findings(doc, request_sent_on, today, nudges_sent, max_nudges, holidays)
    return build_review("followup", doc, findings)


def followup_text_findings(doc: Doc) -> Iterator[Finding]:
    yield from placeholder_findings(placeholder_spans(doc.plain))
    for hit in hits(doc, doc.sentences, "guilt"):
        yield finding(
            R.FOLLOWUP_GUILT,
            f'"{hit.text.strip()}" can read as a reproach. Assume they were busy, not rude.',
            hit.start,
            hit.end,
        )
    yield from pushy_findings(doc, R.FOLLOWUP_GUILT)
    if not first_hit(doc, doc.sentences, "easy_out", masked=False, negatable=False):
        start, end = body_span(doc)
        yield finding(
            R.FOLLOWUP_EASY_OUT,
            "Make 'no' or 'later' easy: say you understand if now is not a good time.",
            start,
            end,
            suggestion=SUGGEST_EASY_OUT,
        )


def timing_findings(
    doc: Doc,
    request_sent_on: date | None,
    today: date | None,
    nudges_sent: int,
    max_nudges: int | None,
    holidays: Collection[date],
) -> list[Finding]:
    start, end = body_span(doc)
    found = []
    limit = allowed_nudges(max_nudges)
    if nudges_sent >= limit:
        found.append(
            finding(
                R.FOLLOWUP_MAX_NUDGES,
                f"You have already followed up {nudges_sent} time(s) without a reply. Let "
                "this one rest and write to someone else.",
                start,
                end,
            )
        )
    if request_sent_on and today:
        wait = threshold("followup", "wait_business_days")
        waited = business_days_between(request_sent_on, today, holidays)
        if waited < wait:
            ready = add_business_days(request_sent_on, wait, holidays)
            found.append(
                finding(
                    R.FOLLOWUP_TOO_SOON,
                    f"Only {waited} business day(s) since your request. Wait until "
                    f"{ready:%a %d %b} before a gentle nudge.",
                    start,
                    end,
                )
            )
    return found


def allowed_nudges(configured: int | None) -> int:
    """The user's setting, within the playbook's limits (1 by default, 2 at most)."""
    default = threshold("followup", "max_nudges_default")
    ceiling = threshold("followup", "max_nudges_limit")
    value = default if configured is None else configured
    return max(1, min(int(value), int(ceiling)))
