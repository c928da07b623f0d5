"""The one application error: a message for the user plus the fields it is about."""

from __future__ import annotations


class RapportError(Exception):
    def __init__(
        self, message: str, *, code: str = "invalid", fields: dict[str, str] | None = None
    ):
        super().__init__(message)
        self.message = message
        self.code = code
        self.fields = fields or {}
