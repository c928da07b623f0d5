from __future__ import annotations

import re
from pathlib import Path

from rapport.playbook.findings import Severity
from rapport.playbook.rules import RuleId, registry

PLAYBOOK = Path(__file__).resolve().parents[3] / "shared" / "PLAYBOOK.md"
COACH_SECTIONS = ("## 4.", "## 5.", "## 7.", "## 10.")


def playbook_rules() -> dict[str, str]:
    """Rule ids with the severity PLAYBOOK.md gives them, from the coach's sections."""
    text = PLAYBOOK.read_text(encoding="utf-8")
    sections = re.split(r"(?m)^(?=## )", text)
    found: dict[str, str] = {}
    for section in sections:
        if not section.startswith(COACH_SECTIONS):
            continue
        for row in re.finditer(r"\| `([\w.-]+)` \| (error|warning|tip) \|", section):
            found[row.group(1)] = row.group(2)
        for item in re.finditer(r"`([\w.-]+)` \((error|warning|tip)", section):
            found[item.group(1)] = item.group(2)
    return found


def test_every_playbook_rule_has_a_check_with_its_severity() -> None:
    expected = playbook_rules()
    assert len(expected) >= 25
    rules = registry()
    for rule_id, severity in expected.items():
        assert RuleId(rule_id) in rules, rule_id
        assert rules[RuleId(rule_id)].severity == Severity(severity), rule_id


def test_the_registry_has_no_rule_the_playbook_does_not_name() -> None:
    text = PLAYBOOK.read_text(encoding="utf-8")
    for rule_id in registry():
        assert f"`{rule_id}`" in text, rule_id


def test_every_rule_explains_itself() -> None:
    for rule in registry().values():
        assert 3 <= len(rule.title) <= 40
        assert len(rule.why) >= 40
        assert set(RuleId) == set(registry())
