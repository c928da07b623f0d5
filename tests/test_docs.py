"""The docs keep up with the code: every setting is documented, the CLI page is current."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "rapport"
SETTINGS_DOC = ROOT / "docs" / "settings.md"
ENV_EXAMPLE = ROOT / ".env.example"
CLI_DOC = ROOT / "docs" / "cli.md"
GENERATOR = ROOT / "tools" / "gen_cli_docs.py"

# Only names written as strings: variables are read by name, constants are not.
VARIABLE = re.compile(r"(?<=[\"'])RAPPORT_[A-Z_]*[A-Z](?=[\"'])")
TEXT_SUFFIXES = {".py", ".html", ".txt", ".toml", ".json"}


def variables_in_source() -> set[str]:
    """Every RAPPORT_* name the package mentions.

    `NAME_FILE` variants are built at run time from `NAME` (see rapport.lib.env), and the
    docs describe them together with `NAME`, so a literal `_FILE` name is left out here.
    """
    names: set[str] = set()
    for path in SOURCE.rglob("*"):
        if path.suffix in TEXT_SUFFIXES and "__pycache__" not in path.parts:
            names.update(VARIABLE.findall(path.read_text(encoding="utf-8")))
    return {name for name in names if not name.endswith("_FILE")}


def variables_in_env_example() -> set[str]:
    """The names assigned on `# NAME=value` lines of .env.example."""
    text = ENV_EXAMPLE.read_text(encoding="utf-8")
    return set(re.findall(r"^#?\s*(RAPPORT_[A-Z_]+)=", text, flags=re.MULTILINE))


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_cli_docs", GENERATOR)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_source_scan_finds_the_settings_it_should() -> None:
    # Guards the scan itself: if it found nothing, the tests below would pass vacuously.
    assert {"RAPPORT_MODE", "RAPPORT_DATABASE_URL"} <= variables_in_source()


@pytest.mark.parametrize("name", sorted(variables_in_source()))
def test_every_variable_the_code_reads_is_in_the_settings_reference(name: str) -> None:
    assert f"`{name}`" in SETTINGS_DOC.read_text(encoding="utf-8"), (
        f"{name} is read by the code but not documented (in backticks) in docs/settings.md"
    )


@pytest.mark.parametrize("name", sorted(variables_in_source()))
def test_every_variable_the_code_reads_is_in_env_example(name: str) -> None:
    assert name in variables_in_env_example(), (
        f"{name} is read by the code but has no `# {name}=...` line in .env.example"
    )


def test_env_example_lists_no_variable_the_code_has_dropped() -> None:
    stale = variables_in_env_example() - variables_in_source()
    assert not stale, f".env.example lists variables the code no longer reads: {sorted(stale)}"


def test_the_cli_reference_matches_the_real_help_output() -> None:
    expected = load_generator().render()
    assert CLI_DOC.read_text(encoding="utf-8") == expected, (
        "docs/cli.md is out of date; run: python tools/gen_cli_docs.py --write docs/cli.md"
    )


def test_the_cli_reference_has_a_section_for_every_command() -> None:
    generator = load_generator()
    text = CLI_DOC.read_text(encoding="utf-8")
    for name in generator.command_names():
        assert f"\n## rapport {name}\n" in text


def test_the_coach_guide_lists_every_rule_with_its_title() -> None:
    from rapport.playbook.rules import registry

    guide = (ROOT / "docs" / "coach.md").read_text(encoding="utf-8")
    for rule in registry().values():
        assert f"`{rule.id}`" in guide, rule.id
        assert rule.title in guide, rule.id
