"""Research gaps (PLAYBOOK.md section 3): what is still unknown before asking and meeting.

Pure functions on plain values; the words live in data/research.toml.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from rapport.playbook.findings import Severity
from rapport.playbook.loader import data_file


class GapId(StrEnum):
    PERSON = "research.person"
    COMPANY = "research.company"
    COMMON_GROUND = "research.common-ground"


SEVERITIES = {
    GapId.PERSON: Severity.WARNING,
    GapId.COMPANY: Severity.WARNING,
    GapId.COMMON_GROUND: Severity.TIP,
}


@dataclass(frozen=True)
class ResearchFacts:
    title: str = ""
    role: str = ""  # what the role involves
    tenure: str = ""  # how long they have held it
    has_company: bool = False
    company_notes: str = ""
    common_ground: str = ""


@dataclass(frozen=True)
class Gap:
    id: GapId
    severity: Severity
    title: str
    why: str
    missing: tuple[str, ...]  # what to fill in, in the words of the form


def research_gaps(facts: ResearchFacts) -> tuple[Gap, ...]:
    """The gaps, most important first; an empty tuple when the research is done."""
    missing = {
        GapId.PERSON: _blank(
            ("title", facts.title), ("role", facts.role), ("time in role", facts.tenure)
        ),
        GapId.COMPANY: ("employer",)
        if not facts.has_company
        else _blank(("company notes", facts.company_notes)),
        GapId.COMMON_GROUND: _blank(("common ground", facts.common_ground)),
    }
    return tuple(_gap(gap_id, fields) for gap_id, fields in missing.items() if fields)


def _blank(*fields: tuple[str, str]) -> tuple[str, ...]:
    return tuple(label for label, value in fields if not value.strip())


def _gap(gap_id: GapId, missing: tuple[str, ...]) -> Gap:
    words = data_file("research")["gaps"][gap_id.value]
    return Gap(gap_id, SEVERITIES[gap_id], words["title"], words["why"], missing)
