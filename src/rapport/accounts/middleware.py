from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from rapport.accounts.models import Profile


class ViewerTimezoneMiddleware:
    """Show every time in the signed-in user's own zone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone_name = self._zone_for(request)
        if zone_name:
            timezone.activate(zoneinfo.ZoneInfo(zone_name))
        else:
            timezone.deactivate()
        return self.get_response(request)

    @staticmethod
    def _zone_for(request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        try:
            return str(user.profile.time_zone)
        except Profile.DoesNotExist:
            return None
