"""The coach's front door: one function per kind of text."""

from __future__ import annotations

from rapport.playbook.context import Recipient
from rapport.playbook.findings import Finding, Review, Severity, Stats
from rapport.playbook.followup import review_followup
from rapport.playbook.questions import (
    PlannedQuestion,
    PlanReview,
    review_question,
    review_questions,
)
from rapport.playbook.request import CHANNELS, review_note, review_request
from rapport.playbook.rules import Rule, RuleId, registry, rule
from rapport.playbook.thanks import review_thanks

KINDS = ("request", "followup", "thanks", "question")


def review(kind: str, text: str, *, channel: str = "email") -> Review:
    """Any kind by name, as the CLI and the API receive it."""
    if kind == "request":
        return review_request(text, channel=channel)
    if kind == "followup":
        return review_followup(text)
    if kind == "thanks":
        return review_thanks(text)
    if kind == "question":
        return review_question(text)
    raise ValueError(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")


__all__ = [
    "CHANNELS",
    "KINDS",
    "Finding",
    "PlanReview",
    "PlannedQuestion",
    "Recipient",
    "Review",
    "Rule",
    "RuleId",
    "Severity",
    "Stats",
    "registry",
    "review",
    "review_followup",
    "review_note",
    "review_question",
    "review_questions",
    "review_request",
    "review_thanks",
    "rule",
]
