"""What goes in and out of the API, as pydantic models, so the OpenAPI schema is exact."""

from __future__ import annotations

from ninja import Field, Schema
from pydantic import field_validator

from rapport.core.limits import REVIEW_MAX_TEXT_CHARS
from rapport.playbook.coach import CHANNELS, KINDS, Severity


class ErrorDetail(Schema):
    code: str = Field(description="A stable, machine-readable reason, e.g. `invalid`.")
    message: str = Field(description="What went wrong, in words a person can act on.")
    fields: dict[str, str] = Field(description="Per-field problems, keyed by field name.")


class ErrorOut(Schema):
    error: ErrorDetail


class ReviewIn(Schema):
    kind: str = Field(description="What the text is.", json_schema_extra={"enum": list(KINDS)})
    text: str = Field(max_length=REVIEW_MAX_TEXT_CHARS, description="The text to review.")
    channel: str = Field(
        "email",
        description="How it will be sent; sets limits such as LinkedIn's 300 characters.",
        json_schema_extra={"enum": list(CHANNELS)},
    )

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        if value not in KINDS:
            raise ValueError(f"use one of {', '.join(KINDS)}")
        return value

    @field_validator("channel")
    @classmethod
    def _known_channel(cls, value: str) -> str:
        if value not in CHANNELS:
            raise ValueError(f"use one of {', '.join(CHANNELS)}")
        return value


class FindingOut(Schema):
    rule: str = Field(description="The playbook rule id, e.g. `request.no-job-ask`.")
    severity: Severity
    message: str
    start: int = Field(description="Where the span starts, in characters (code points).")
    end: int = Field(description="Where the span ends (exclusive).")
    suggestion: str | None = Field(None, description="A rewrite to try; absent when none.")


class StatsOut(Schema):
    words: int
    chars: int
    sentences: int
    reading_grade: float
    you_words: int
    i_words: int
    you_i_ratio: float


class ReviewOut(Schema):
    kind: str
    score: int = Field(ge=0, le=100, description="0-100; any error keeps it below 50.")
    verdict: str
    findings: list[FindingOut]
    stats: StatsOut
    notices: list[str] = Field(description="Notes about the review itself, e.g. language.")
