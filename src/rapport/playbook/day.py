"""The day of the meeting (PLAYBOOK.md section 9): when to leave, what to wear and bring,
who pays, and when to warn that time is nearly up.

Pure functions on plain values. Times must be aware; arithmetic is done in UTC so a
daylight-saving change on the day never moves a time by an hour, and results come back in
the zone they were given in. The words live in data/day.toml, the numbers in
thresholds.toml [day].
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from rapport.playbook.loader import data_file, threshold


class DayRule(StrEnum):
    ARRIVE = "day.arrive"
    ATTIRE = "day.attire"
    BRING = "day.bring"
    KEEP_TIME = "day.keep-time"
    PAY = "day.pay"


# The meeting modes of the meetings app, spelled as it stores them.
IN_PERSON_MODES = ("office", "cafe")
OTHER_MODE = "other"  # in person only when there is travel to get there
REMOTE_MODES = ("video", "phone")
MODES = (*REMOTE_MODES, *IN_PERSON_MODES, OTHER_MODE)
FORMALITIES = ("casual", "business_casual", "business")


@dataclass(frozen=True)
class Guidance:
    rule: DayRule
    title: str
    why: str


def guidance(rule: DayRule) -> Guidance:
    """A rule's checklist title and its reason, for the day-of page."""
    words = _words(rule)
    return Guidance(rule, words["title"], words["why"])


# --- getting there ------------------------------------------------------------------------


def arrive_by(start: datetime, mode: str, *, early_min: int | None = None) -> datetime | None:
    """When to walk in, for a meeting in a place (`day.arrive`); None for video and phone.

    `early_min` is the seeker's own buffer, kept within the playbook's limits.
    """
    _check_mode(mode)
    if mode in REMOTE_MODES:
        return None
    return _before(start, _early_min(early_min))


def leave_by(
    start: datetime, travel_minutes: int, *, mode: str, early_min: int | None = None
) -> datetime | None:
    """When to set off so as to arrive a few minutes early (`day.arrive`).

    None when there is nowhere to go: video, phone, or an "other" meeting with no travel.
    """
    _check_mode(mode)
    if travel_minutes < 0:
        raise ValueError(f"travel_minutes must not be negative, not {travel_minutes}")
    if not is_in_person(mode, travel_minutes):
        return None
    return _before(start, travel_minutes + _early_min(early_min))


def is_in_person(mode: str, travel_minutes: int) -> bool:
    _check_mode(mode)
    return mode in IN_PERSON_MODES or (mode == OTHER_MODE and travel_minutes > 0)


def _early_min(early_min: int | None) -> int:
    """The arrival buffer: the default, or the seeker's own kept to 5..15 minutes, since
    later leaves no time to settle and earlier puts pressure on the host."""
    if early_min is None:
        return int(threshold("day", "arrive_early_min"))
    low, high = threshold("day", "min_early_min"), threshold("day", "max_early_min")
    return int(min(max(early_min, low), high))


# --- what to wear, bring and pay ----------------------------------------------------------


def attire(formality: str, mode: str) -> str:
    """What to wear (`day.attire`): the level of dress, adjusted to the setting."""
    _check_mode(mode)
    if formality not in FORMALITIES:
        raise ValueError(f"unknown formality {formality!r} (one of {', '.join(FORMALITIES)})")
    words = _words(DayRule.ATTIRE)
    if mode == "phone":
        # Nobody sees the seeker, so the level of dress is beside the point.
        return str(words["setting"]["phone"])
    parts = (words["formality"][formality], words["setting"][mode], words["always"])
    return " ".join(parts)


def what_to_bring(mode: str) -> list[str]:
    """The checklist for the day (`day.bring`): the playbook's four, then the setting's."""
    _check_mode(mode)
    words = _words(DayRule.BRING)
    return [*words["always"], *words["mode"][mode]]


def who_pays(mode: str) -> str | None:
    """At a café or restaurant the seeker offers to pay (`day.pay`); None elsewhere."""
    _check_mode(mode)
    text = _words(DayRule.PAY).get(mode)
    return str(text) if text else None


# --- keeping time -------------------------------------------------------------------------


def time_cues(start: datetime, duration_min: int) -> list[tuple[datetime, str]]:
    """The warnings before the agreed end (`day.keep-time`), earliest first. A cue that
    would fall at or before the start of a very short meeting is left out."""
    if duration_min <= 0:
        raise ValueError(f"duration_min must be positive, not {duration_min}")
    words = _words(DayRule.KEEP_TIME)
    cues = (
        (threshold("day", "wrap_up_warning_min"), words["wrap_up"]),
        (threshold("day", "final_warning_min"), words["final"]),
    )
    end = _after(start, duration_min)
    return [
        (_before(end, minutes), text.format(minutes=minutes))
        for minutes, text in cues
        if minutes < duration_min
    ]


# --- helpers ------------------------------------------------------------------------------


def _before(moment: datetime, minutes: int) -> datetime:
    return _after(moment, -minutes)


def _after(moment: datetime, minutes: int) -> datetime:
    # Aware arithmetic within one zone is wall-clock arithmetic; through UTC it is real time.
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("times must be timezone-aware")
    return (moment.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(moment.tzinfo)


def _check_mode(mode: str) -> None:
    if mode not in MODES:
        raise ValueError(f"unknown meeting mode {mode!r} (one of {', '.join(MODES)})")


def _words(rule: DayRule) -> dict[str, Any]:
    entry: dict[str, Any] = data_file("day")[rule.value]
    return entry
