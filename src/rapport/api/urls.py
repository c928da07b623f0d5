"""The API's URL patterns, mounted at /api/v1/ by rapport.urls.

The API answers for itself: it authenticates every call and says 401 in JSON rather
than sending anyone to the login page, so its views are exempt from LoginRequiredMiddleware.
A wrong method also gets the JSON error shape instead of Django's empty 405.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.urls import URLPattern

from rapport.api.api import api
from rapport.core.errors import error_body


def _answers_for_itself(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = JsonResponse(
                error_body(
                    code="method_not_allowed",
                    message=f"{request.method} is not allowed here; use {allowed}.",
                ),
                status=405,
            )
            response["Allow"] = allowed
        return response

    wrapper.login_required = False  # type: ignore[attr-defined]
    return wrapper


def _patterns() -> list[URLPattern]:
    patterns, _, _ = api.urls
    guarded = []
    for pattern in patterns:
        assert isinstance(pattern, URLPattern)
        guarded.append(
            URLPattern(pattern.pattern, _answers_for_itself(pattern.callback), name=pattern.name)
        )
    return guarded


app_name = "api"
urlpatterns = _patterns()
