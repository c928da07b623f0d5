"""Research gaps (PLAYBOOK.md section 3): which research is missing, and why it matters."""

from __future__ import annotations

import re
from pathlib import Path

from rapport.playbook.findings import Severity
from rapport.playbook.research import SEVERITIES, GapId, ResearchFacts, research_gaps

PLAYBOOK = Path(__file__).resolve().parents[3] / "shared" / "PLAYBOOK.md"
DONE = ResearchFacts(
    title="ESG Analyst",
    role="Audits supply chains",
    tenure="Since 2022",
    has_company=True,
    company_notes="ESG consultancy",
    common_ground="Both from Hull",
)


def _ids(facts: ResearchFacts) -> list[str]:
    return [gap.id.value for gap in research_gaps(facts)]


def test_the_ids_and_severities_are_the_playbooks() -> None:
    section = PLAYBOOK.read_text(encoding="utf-8").split("## 3.", 1)[1].split("\n## ", 1)[0]
    named = dict(re.findall(r"`(research\.[\w-]+)` \((error|warning|tip)", section))
    assert named == {gap.value: SEVERITIES[gap].value for gap in GapId}


def test_nothing_is_missing_when_the_research_is_done() -> None:
    assert research_gaps(DONE) == ()


def test_nothing_known_means_every_gap() -> None:
    gaps = research_gaps(ResearchFacts())
    assert [gap.id for gap in gaps] == [GapId.PERSON, GapId.COMPANY, GapId.COMMON_GROUND]
    assert gaps[0].missing == ("title", "role", "time in role")
    assert gaps[1].missing == ("employer",)
    assert [gap.severity for gap in gaps] == [Severity.WARNING, Severity.WARNING, Severity.TIP]


def test_the_person_gap_names_just_what_is_missing() -> None:
    gaps = research_gaps(ResearchFacts(**{**DONE.__dict__, "tenure": "  "}))
    assert [(gap.id, gap.missing) for gap in gaps] == [(GapId.PERSON, ("time in role",))]


def test_an_employer_without_notes_is_a_company_gap() -> None:
    assert _ids(ResearchFacts(**{**DONE.__dict__, "company_notes": ""})) == ["research.company"]


def test_common_ground_is_a_tip() -> None:
    (gap,) = research_gaps(ResearchFacts(**{**DONE.__dict__, "common_ground": ""}))
    assert gap.id == GapId.COMMON_GROUND
    assert gap.severity == Severity.TIP


def test_every_gap_says_why_it_matters_in_a_sentence() -> None:
    for gap in research_gaps(ResearchFacts()):
        assert 3 <= len(gap.title) <= 40
        assert 40 <= len(gap.why) <= 200
        assert gap.why.endswith(".")
