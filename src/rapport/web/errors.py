"""Error pages that say what happened and where to go, in the app's own layout.

Under /api/ the same errors answer in the API's JSON error shape instead.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from rapport.core.errors import error_body

API_PATH_PREFIX = "/api/"


def _page(request: HttpRequest, status: int, code: str, title: str, text: str) -> HttpResponse:
    if request.path_info.startswith(API_PATH_PREFIX):
        return JsonResponse(error_body(code=code, message=text), status=status)
    return render(request, "error.html", {"title": title, "text": text}, status=status)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request, 404, "not_found", "Not found", "There is nothing here, or it is not yours to see."
    )


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request,
        403,
        "forbidden",
        "Not allowed",
        "The form was out of date. Reload the page and try again.",
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return forbidden(request)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 400, "bad_request", "Bad request", "Rapport could not read that request.")


def server_error(request: HttpRequest) -> HttpResponse:
    message = "Rapport hit an error. Nothing you entered was half-saved. Try again."
    if request.path_info.startswith(API_PATH_PREFIX):
        return JsonResponse(error_body(code="server_error", message=message), status=500)
    # No template context here: the failure may be in whatever the context needs.
    return HttpResponse(
        "<!doctype html><title>Something went wrong</title><h1>Something went wrong</h1>"
        "<p>Rapport hit an error. Nothing you entered was half-saved. Try again.</p>",
        status=500,
    )
