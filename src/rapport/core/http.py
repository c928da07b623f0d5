from __future__ import annotations

from django.http import HttpRequest

from rapport.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request that LoginRequiredMiddleware has let through: `user` is a real User."""

    user: User  # type: ignore[assignment]


def client_ip(request: HttpRequest) -> str | None:
    """The peer address. Behind a proxy, the proxy sets REMOTE_ADDR via the WSGI server."""
    address = request.META.get("REMOTE_ADDR") or None
    return str(address) if address else None
