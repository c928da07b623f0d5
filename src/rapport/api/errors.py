"""Every API error, whatever raised it, answers with the one shape:
`{"error": {"code": ..., "message": ..., "fields": {...}}}`.

A body that is not JSON at all is 400; a body that is JSON but has missing or wrong
fields is 422, with `fields` naming each one.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from rapport.core.errors import RapportError, error_body

INVALID_STATUS = 422
UNAUTHENTICATED_MESSAGE = (
    "Sign in first, or send a personal access token in an "
    "`Authorization: Bearer <token>` header. Make tokens in Settings."
)
BAD_BODY_MESSAGE = (
    "Rapport could not read the request body. Send JSON with Content-Type: application/json."
)
NOT_FOUND_MESSAGE = "There is nothing here, or it is not yours to see."
STATUS_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "invalid",
    429: "throttled",
}
RAPPORT_ERROR_STATUS = {"not_found": 404, "duplicate": 409}


def install(api: NinjaAPI) -> None:
    """Route ninja's errors and Rapport's own through `error_body`."""

    def respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(ValidationError)
    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        fields = _field_problems(exc.errors)
        message = f"Some fields need fixing: {', '.join(fields) or 'the request'}."
        body = error_body(code="invalid", message=message, fields=fields)
        return respond(request, INVALID_STATUS, body)

    @api.exception_handler(AuthenticationError)
    def on_authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        body = error_body(code="unauthenticated", message=UNAUTHENTICATED_MESSAGE)
        return respond(request, 401, body)

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = STATUS_CODES.get(exc.status_code, "error")
        message = BAD_BODY_MESSAGE if exc.status_code == 400 else str(exc)
        return respond(request, exc.status_code, error_body(code=code, message=message))

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, error_body(code="not_found", message=NOT_FOUND_MESSAGE))

    @api.exception_handler(RapportError)
    def on_rapport_error(request: HttpRequest, exc: RapportError) -> HttpResponse:
        status = RAPPORT_ERROR_STATUS.get(exc.code, INVALID_STATUS)
        return respond(request, status, exc.as_body())


def _field_problems(errors: list[dict[str, Any]]) -> dict[str, str]:
    """pydantic's error list as {field: problem}; the first problem per field wins.

    A location looks like ("body", "payload", "kind"): where it came from, the parameter,
    then the field. Only the field path means anything to the caller.
    """
    problems: dict[str, str] = {}
    for error in errors:
        location = [str(part) for part in error.get("loc", ())]
        path = location[2:] if location[:1] == ["body"] else location[1:]
        name = ".".join(path) or (location[-1] if location else "body")
        message = str(error.get("msg", "is not valid"))
        problems.setdefault(name, message.removeprefix("Value error, "))
    return problems
