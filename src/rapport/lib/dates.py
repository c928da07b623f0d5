"""Time-zone helpers that need no framework."""

from __future__ import annotations

import functools
import os
import zoneinfo
from pathlib import Path

FALLBACK_ZONE = "UTC"


@functools.cache
def known_time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def is_time_zone(name: str) -> bool:
    return name in known_time_zones()


def system_time_zone(localtime: Path = Path("/etc/localtime")) -> str:
    """The IANA name of this computer's zone, for the local user's first profile.

    TZ wins; else /etc/localtime's link target (`…/zoneinfo/Europe/London`); else UTC.
    """
    configured = os.environ.get("TZ", "").lstrip(":")
    if is_time_zone(configured):
        return configured
    try:
        target = str(localtime.resolve())
    except OSError:
        return FALLBACK_ZONE
    marker = "zoneinfo/"
    if marker in target:
        name = target.split(marker, 1)[1]
        if is_time_zone(name):
            return name
    return FALLBACK_ZONE


def zone_or_utc(name: str) -> zoneinfo.ZoneInfo:
    """The named zone, or UTC for an empty or unknown name (a contact typed in by hand)."""
    return zoneinfo.ZoneInfo(name) if is_time_zone(name) else zoneinfo.ZoneInfo(FALLBACK_ZONE)
