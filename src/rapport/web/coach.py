"""What the Coach page shows for a review: the text cut into highlighted segments, the
findings grouped by severity with their rule's words, and the character count.

Plain Python over the playbook's results (no Django), so it is quick to test. The template
escapes every segment itself; nothing here builds HTML.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from rapport.playbook.coach import Finding, Review, RuleId, Severity, rule
from rapport.playbook.findings import SEVERITY_ORDER
from rapport.playbook.loader import threshold

# A warning or tip whose span covers this share of the text is about the message as a
# whole ("nothing here is personal"), not about a place in it. Painting all of the text
# would hide the findings that do point somewhere, so those are listed but not marked.
WHOLE_TEXT_SHARE = 0.8

GROUP_LABELS = {Severity.ERROR: "Errors", Severity.WARNING: "Warnings", Severity.TIP: "Tips"}
KIND_LABELS = {
    "request": "Request to talk",
    "followup": "Follow-up",
    "thanks": "Thank-you note",
    "question": "Question to ask",
}
CHANNEL_LABELS = {
    "email": "Email",
    "linkedin": "LinkedIn note",
    "letter": "Letter",
    "phone": "Phone",
}


@dataclass(frozen=True)
class Segment:
    """A stretch of the text, marked with the most severe finding that covers it (if any)."""

    text: str
    severity: str | None = None
    titles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Note:
    message: str
    times: int  # the same message for several places ("ASAP" twice) is shown once


@dataclass(frozen=True)
class FindingView:
    """One rule's findings together: a rule that fires four times is one card, not four."""

    rule: str
    severity: str
    title: str
    notes: tuple[Note, ...]
    why: str
    suggestion: str | None
    marked: bool  # False when every finding is about the whole text, so nothing is marked


@dataclass(frozen=True)
class FindingGroup:
    severity: str
    label: str
    findings: tuple[FindingView, ...]


@dataclass(frozen=True)
class CharCount:
    used: int
    limit: int

    @property
    def over(self) -> int:
        return max(0, self.used - self.limit)

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.used / self.limit)) if self.limit else 100


@dataclass(frozen=True)
class CoachResult:
    review: Review
    segments: tuple[Segment, ...]
    groups: tuple[FindingGroup, ...]
    char_count: CharCount | None

    @property
    def tone(self) -> str:
        """error, warning or ok: the colour of the score."""
        severities = {finding.severity for finding in self.review.findings}
        if Severity.ERROR in severities:
            return "error"
        return "warning" if Severity.WARNING in severities else "ok"


def present(text: str, review: Review, *, channel: str) -> CoachResult:
    """Everything the results panel needs for `review` of `text`."""
    marked = [f for f in review.findings if is_marked(text, f)]
    return CoachResult(
        review=review,
        segments=tuple(segments(text, marked)),
        groups=tuple(_groups(text, review.findings)),
        char_count=char_count(text, channel=channel),
    )


def is_marked(text: str, finding: Finding) -> bool:
    """Whether to highlight a finding's span: errors always; others unless whole-text."""
    start, end = _clamp(text, finding)
    if end <= start:
        return False
    if finding.severity is Severity.ERROR:
        return True
    total = len(text.strip())
    return len(text[start:end].strip()) < WHOLE_TEXT_SHARE * total


def segments(text: str, findings: Sequence[Finding]) -> list[Segment]:
    """`text` cut at every span edge; each piece takes the most severe covering finding.

    Spans may overlap, nest, touch the ends or reach past them (they are clamped). The
    pieces always join back into exactly `text`.
    """
    spans = [(*_clamp(text, f), f) for f in findings]
    spans = [(start, end, f) for start, end, f in spans if end > start]
    edges = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    pieces: list[Segment] = []
    for start, end in itertools.pairwise(edges):
        covering = [f for s, e, f in spans if s <= start and end <= e]
        pieces.append(_segment(text[start:end], covering))
    return _merge(pieces)


def char_count(text: str, *, channel: str) -> CharCount | None:
    """Characters used against the channel's hard limit; only LinkedIn notes have one."""
    if channel != "linkedin":
        return None
    return CharCount(used=len(text), limit=int(threshold("request", "linkedin_note_max_chars")))


def _clamp(text: str, finding: Finding) -> tuple[int, int]:
    size = len(text)
    return max(0, min(finding.start, size)), max(0, min(finding.end, size))


def _segment(text: str, covering: list[Finding]) -> Segment:
    if not covering:
        return Segment(text)
    worst = min(covering, key=lambda f: SEVERITY_ORDER[f.severity])
    titles = tuple(dict.fromkeys(_title(f.rule) for f in covering))
    return Segment(text, worst.severity.value, titles)


def _merge(pieces: list[Segment]) -> list[Segment]:
    """Neighbours marked the same way become one segment, so one mark per highlight."""
    merged: list[Segment] = []
    for piece in pieces:
        if not piece.text:
            continue
        last = merged[-1] if merged else None
        if last and (last.severity, last.titles) == (piece.severity, piece.titles):
            merged[-1] = Segment(last.text + piece.text, last.severity, last.titles)
        else:
            merged.append(piece)
    return merged


def _groups(text: str, findings: Sequence[Finding]) -> list[FindingGroup]:
    groups = []
    for severity in sorted(GROUP_LABELS, key=SEVERITY_ORDER.__getitem__):
        by_rule: dict[str, list[Finding]] = {}
        for finding in findings:
            if finding.severity is severity:
                by_rule.setdefault(finding.rule, []).append(finding)
        if by_rule:
            views = tuple(_view(text, same) for same in by_rule.values())
            groups.append(FindingGroup(severity.value, GROUP_LABELS[severity], views))
    return groups


def _view(text: str, same_rule: list[Finding]) -> FindingView:
    first = same_rule[0]
    times = Counter(finding.message for finding in same_rule)
    return FindingView(
        rule=first.rule,
        severity=first.severity.value,
        title=_title(first.rule),
        notes=tuple(Note(message, count) for message, count in times.items()),
        why=_why(first.rule),
        suggestion=next((f.suggestion for f in same_rule if f.suggestion), None),
        marked=any(is_marked(text, finding) for finding in same_rule),
    )


def _title(rule_id: str) -> str:
    try:
        return rule(RuleId(rule_id)).title
    except (KeyError, ValueError):  # a rule the registry does not know: show its id
        return rule_id


def _why(rule_id: str) -> str:
    try:
        return rule(RuleId(rule_id)).why
    except (KeyError, ValueError):
        return ""
