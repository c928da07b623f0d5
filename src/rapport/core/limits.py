"""Limits shared by more than one entry point (the web pages and the API)."""

from __future__ import annotations

# Long enough for any real message or list of questions; a bound so one review stays cheap.
REVIEW_MAX_TEXT_CHARS = 20_000
