"""The pipeline a contact moves through (PLAYBOOK.md section 1)."""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    IDENTIFIED = "identified"
    RESEARCHED = "researched"
    REQUESTED = "requested"
    SCHEDULED = "scheduled"
    MET = "met"
    THANKED = "thanked"
    KEEPING_IN_TOUCH = "keeping_in_touch"
    DECLINED = "declined"
    NO_REPLY = "no_reply"
    ARCHIVED = "archived"

    @property
    def label(self) -> str:
        return STAGE_LABELS[self]

    @property
    def is_end(self) -> bool:
        return self in END_STAGES


# The forward path, in order; a contact can be re-opened from any end back onto it.
PIPELINE: tuple[Stage, ...] = (
    Stage.IDENTIFIED,
    Stage.RESEARCHED,
    Stage.REQUESTED,
    Stage.SCHEDULED,
    Stage.MET,
    Stage.THANKED,
    Stage.KEEPING_IN_TOUCH,
)
END_STAGES: frozenset[Stage] = frozenset({Stage.DECLINED, Stage.NO_REPLY, Stage.ARCHIVED})

STAGE_LABELS: dict[Stage, str] = {
    Stage.IDENTIFIED: "Identified",
    Stage.RESEARCHED: "Researched",
    Stage.REQUESTED: "Requested",
    Stage.SCHEDULED: "Scheduled",
    Stage.MET: "Met",
    Stage.THANKED: "Thanked",
    Stage.KEEPING_IN_TOUCH: "Keeping in touch",
    Stage.DECLINED: "Declined",
    Stage.NO_REPLY: "No reply",
    Stage.ARCHIVED: "Archived",
}
