"""The private calendar feed: the address calendar apps poll, and the Settings buttons."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from rapport.accounts.views import _settings_page
from rapport.core import clock
from rapport.core.http import AuthenticatedHttpRequest
from rapport.meetings import feeds

# Calendar apps poll on their own schedule; five minutes spares a burst of refreshes.
FEED_CACHE_CONTROL = "private, max-age=300"


@login_not_required
@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed itself. Calendar apps send no cookies: the token in the address is the key.
    An unknown and a revoked token get the same 404."""
    now = clock.now()
    feed = feeds.feed_open(raw_token=token, now=now)
    if feed is None:
        raise Http404("There is no calendar feed at this address.")
    body = feeds.feed_calendar(owner=feed.owner, base_url=_base_url(request), now=now)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = FEED_CACHE_CONTROL
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_POST
def calendar_feed_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Shows the new address on the page itself, once: it is never stored or redirected
    with. Making a new one stops the old one."""
    replacing = feeds.feed_active(owner=request.user) is not None
    _, raw = feeds.feed_create(owner=request.user)
    if replacing:
        messages.success(request, "New calendar feed address made. The old one no longer works.")
    else:
        messages.success(request, "Calendar feed address made.")
    links = feeds.feed_links(base_url=_base_url(request), raw_token=raw)
    return _settings_page(request, new_feed=links)


@require_POST
def calendar_feed_revoke(request: AuthenticatedHttpRequest) -> HttpResponse:
    feed = feeds.feed_active(owner=request.user)
    if feed is None:
        messages.info(request, "You have no calendar feed to revoke.")
    else:
        feeds.feed_revoke(owner=request.user, feed=feed)
        messages.success(
            request,
            "Calendar feed revoked. Calendars subscribed to it will stop updating.",
        )
    return redirect(reverse("accounts:settings") + "#calendar-feed")


def _base_url(request: HttpRequest) -> str:
    """The configured public address if there is one (a proxy may hide it), else this one."""
    return str(settings.BASE_URL or request.build_absolute_uri("/"))
