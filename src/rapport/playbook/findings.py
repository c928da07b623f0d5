"""What a review returns: findings, statistics and a score. Plain frozen values."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"  # the message should not go out like this
    WARNING = "warning"  # likely to hurt the reply rate
    TIP = "tip"  # nice to have


SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.TIP: 2}


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    start: int
    end: int
    suggestion: str | None = None

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = self.severity.value
        if self.suggestion is None:
            del data["suggestion"]
        return data


@dataclass(frozen=True)
class Stats:
    words: int
    chars: int
    sentences: int
    reading_grade: float
    you_words: int
    i_words: int

    @property
    def you_i_ratio(self) -> float:
        return round(self.you_words / self.i_words, 2) if self.i_words else float(self.you_words)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "you_i_ratio": self.you_i_ratio}


@dataclass(frozen=True)
class Review:
    kind: str
    findings: tuple[Finding, ...]
    stats: Stats
    score: int
    notices: tuple[str, ...] = field(default=())

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)

    @property
    def verdict(self) -> str:
        errors = sum(f.severity is Severity.ERROR for f in self.findings)
        warnings = sum(f.severity is Severity.WARNING for f in self.findings)
        if errors:
            return f"Fix {errors} thing{'s' if errors > 1 else ''} first"
        if warnings:
            return f"Nearly there: {warnings} thing{'s' if warnings > 1 else ''} to improve"
        return "Ready to send"

    def rule_ids(self) -> tuple[str, ...]:
        return tuple(f.rule for f in self.findings)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "score": self.score,
            "verdict": self.verdict,
            "findings": [f.as_dict() for f in self.findings],
            "stats": self.stats.as_dict(),
            "notices": list(self.notices),
        }
