"""The one application error: a message for the user plus the fields it is about."""

from __future__ import annotations

from typing import Any


class RapportError(Exception):
    def __init__(
        self, message: str, *, code: str = "invalid", fields: dict[str, str] | None = None
    ):
        super().__init__(message)
        self.message = message
        self.code = code
        self.fields = fields or {}

    def as_body(self) -> dict[str, Any]:
        return error_body(code=self.code, message=self.message, fields=self.fields)


def error_body(*, code: str, message: str, fields: dict[str, str] | None = None) -> dict[str, Any]:
    """The JSON every API error answers with: `{"error": {"code", "message", "fields"}}`."""
    return {"error": {"code": code, "message": message, "fields": fields or {}}}
