from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.middleware import HtmxDetails

from rapport.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request that LoginRequiredMiddleware has let through: `user` is a real User."""

    user: User
    htmx: HtmxDetails


def client_ip(request: HttpRequest) -> str | None:
    """The address a request came from, for throttling.

    Behind a reverse proxy (RAPPORT_BEHIND_PROXY) REMOTE_ADDR is the proxy itself, so the
    last X-Forwarded-For entry is used: the one our own proxy appended, which a client
    cannot forge (entries to its left can be).
    """
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops and _is_ip(hops[-1]):
            return hops[-1]
    address = request.META.get("REMOTE_ADDR") or ""
    return address if _is_ip(address) else None


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def int_param(value: object, default: int = 0) -> int:
    """A number from a query string or form (`?page=2`); `default` for anything else, so
    a mangled parameter reads as "not given" instead of failing the request."""
    try:
        return int(str(value))
    except ValueError:
        return default


def safe_next(request: HttpRequest, fallback: str) -> str:
    """Where a form asked to go back to, if that is a page of this site."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(wanted, {request.get_host()}, request.is_secure()):
        return wanted
    return fallback
