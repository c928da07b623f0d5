"""The NinjaAPI instance: version 1, its auth, its error shape and its routes."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI

from rapport.api import errors
from rapport.api.auth import BearerToken, SignedInSession
from rapport.api.contacts import router as contacts_router
from rapport.api.schemas import ErrorOut, ReviewIn, ReviewOut
from rapport.playbook.coach import review

api = NinjaAPI(
    title="Rapport API",
    version="1",
    description=(
        "Rapport's JSON API. Authenticate with a personal access token "
        "(`Authorization: Bearer rpt_...`, made in Settings) or, from the web app, the "
        "signed-in session plus its CSRF token. Every error has the shape "
        '`{"error": {"code": ..., "message": ..., "fields": {...}}}`.'
    ),
    urls_namespace="api",
    auth=[BearerToken(), SignedInSession()],
    docs_url=None,  # ninja's Swagger page loads its scripts from a CDN; Rapport uses none
)
errors.install(api)
api.add_router("/", contacts_router)

ERRORS = {401: ErrorOut, 403: ErrorOut, 422: ErrorOut}


@api.post(
    "/review",
    response={200: ReviewOut, **ERRORS},
    url_name="review",
    exclude_unset=True,  # a finding without a suggestion has no "suggestion" key
    summary="Review a text against the playbook",
    tags=["coach"],
)
def review_text(request: HttpRequest, payload: ReviewIn) -> HttpResponse:
    """Findings with character spans, statistics, a 0-100 score and a verdict."""
    # Returned as ready JSON: `as_dict()` already has ReviewOut's shape (the API tests
    # check every response against the schema), and re-validating it through pydantic
    # on every keystroke of the Coach page would cost more than the review itself.
    result = review(payload.kind, payload.text, channel=payload.channel)
    return JsonResponse(result.as_dict(), json_dumps_params={"ensure_ascii": False})
