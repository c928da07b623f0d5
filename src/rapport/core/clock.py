"""What time it is, for everything that decides what is due.

Normally the real time. For the browser tests only, RAPPORT_TEST_CLOCK (local mode) names a
file holding a number of seconds to add to it, so a test can move a running server's "now"
forward ("eight business days later, the follow-up is due") without waiting or touching
the computer's clock. Sent and received times are always real.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone


def now() -> datetime:
    return timezone.now() + offset()


def offset() -> timedelta:
    path = getattr(settings, "CLOCK_FILE", None)
    if not path:
        return timedelta(0)
    try:
        return timedelta(seconds=float(Path(path).read_text(encoding="utf-8").strip() or 0))
    except (OSError, ValueError):  # no file yet, or half-written: no offset
        return timedelta(0)
