"""Error pages that say what happened and where to go, in the app's own layout."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def _page(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    return render(request, "error.html", {"title": title, "text": text}, status=status)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 404, "Not found", "There is nothing here, or it is not yours to see.")


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request, 403, "Not allowed", "The form was out of date. Reload the page and try again."
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return forbidden(request)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 400, "Bad request", "Rapport could not read that request.")


def server_error(request: HttpRequest) -> HttpResponse:
    # No template context here: the failure may be in whatever the context needs.
    return HttpResponse(
        "<!doctype html><title>Something went wrong</title><h1>Something went wrong</h1>"
        "<p>Rapport hit an error. Nothing you entered was half-saved. Try again.</p>",
        status=500,
    )
