"""The one registry of coach rules. Ids come from PLAYBOOK.md; words from data/rules.toml."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from enum import StrEnum

from rapport.playbook.findings import Severity
from rapport.playbook.loader import data_file


class RuleId(StrEnum):
    REQUEST_NO_JOB_ASK = "request.no-job-ask"
    REQUEST_UNFILLED_PLACEHOLDER = "request.unfilled-placeholder"
    REQUEST_PUSHY = "request.pushy"
    REQUEST_CHANNEL_LIMIT = "request.channel-limit"
    REQUEST_PERSONALISED = "request.personalised"
    REQUEST_SELF_INTRO = "request.self-intro"
    REQUEST_PURPOSE = "request.purpose"
    REQUEST_TIME_BOUNDED = "request.time-bounded"
    REQUEST_FLEXIBLE = "request.flexible"
    REQUEST_CONCISE = "request.concise"
    REQUEST_ABOUT_THEM = "request.about-them"
    REQUEST_GRATITUDE = "request.gratitude"
    REQUEST_SUBJECT = "request.subject"
    REQUEST_PHONE_READY = "request.phone-ready"
    FOLLOWUP_TOO_SOON = "followup.too-soon"
    FOLLOWUP_MAX_NUDGES = "followup.max-nudges"
    FOLLOWUP_GUILT = "followup.guilt"
    FOLLOWUP_EASY_OUT = "followup.easy-out"
    QUESTION_NO_JOB_ASK = "question.no-job-ask"
    QUESTION_GOOGLEABLE = "question.googleable"
    QUESTION_ABOUT_THEM = "question.about-them"
    QUESTION_OPEN = "question.open"
    PLAN_FITS_TIME = "plan.fits-time"
    PLAN_COVERAGE = "plan.coverage"
    PLAN_ENOUGH = "plan.enough"
    THANKS_WITHIN_24H = "thanks.within-24h"
    THANKS_SPECIFIC = "thanks.specific"
    THANKS_NO_JOB_ASK = "thanks.no-job-ask"
    THANKS_NEXT_STEP = "thanks.next-step"


@dataclass(frozen=True)
class Rule:
    id: RuleId
    severity: Severity
    title: str
    why: str

    @property
    def kind(self) -> str:
        return self.id.split(".", 1)[0]


@functools.cache
def registry() -> dict[RuleId, Rule]:
    entries = data_file("rules")["rules"]
    return {
        RuleId(rule_id): Rule(
            id=RuleId(rule_id),
            severity=Severity(entry["severity"]),
            title=entry["title"],
            why=entry["why"],
        )
        for rule_id, entry in entries.items()
    }


def rule(rule_id: RuleId) -> Rule:
    return registry()[rule_id]
