"""The fast phrase matcher must find what plain regex matching finds, and no more."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rapport.playbook.loader import lexicon, pattern
from rapport.playbook.matcher import literal_prefixes, lower, lower_regex

LEXICON = Path(__file__).resolve().parents[2] / "src/rapport/playbook/data/lexicon.toml"
LIST_KEYS = [
    key
    for key, value in tomllib.loads(LEXICON.read_text(encoding="utf-8")).items()
    if isinstance(value, list)
    and key.endswith(
        (
            "ask",
            "pushy",
            "guilt",
            "out",
            "flexible",
            "dictating",
            "phrases",
            "gratitude",
            "intro",
            "purpose",
            "referral",
            "shared",
            "work",
            "specific",
            "step",
            "company",
            "person",
            "them",
            "requests",
        )
    )
]
EVAL = Path(__file__).resolve().parents[3] / "shared" / "eval"
CASES = Path(__file__).resolve().parent / "cases"


SALAD = (  # noqa: SIM905 (easier to read as lines of words)
    "I i'm I'd are you hiring your team refer me thank thanks thx 20 minutes "
    "whenever suits not a the CV resume attached what does company do how did you "
    "get would love to join Stripe . , ! ? fellow we both your talk on"
).split()


def corpus() -> list[str]:
    texts = []
    for folder in (EVAL, CASES):
        for path in sorted(folder.glob("*.jsonl")):
            texts += [json.loads(line)["text"] for line in path.read_text().splitlines() if line]
    return texts


def plain_starts(key: str, text: str) -> set[int]:
    """Every position where some entry matches (overlaps included), the slow plain way."""
    compiled = [re.compile(entry, re.IGNORECASE) for entry in lexicon(key)]
    return {start for start in range(len(text) + 1) if any(c.match(text, start) for c in compiled)}


def assert_agrees(key: str, text: str) -> None:
    """The matcher finds only real matches, and every real match lies inside one it found."""
    matches = pattern(key).find(text, lower(text))[key]
    found = [(m.start(), m.end()) for m in matches]
    expected = plain_starts(key, text)
    assert {start for start, _ in found} <= expected, (key, text)
    for start in expected:
        assert any(a <= start < max(b, a + 1) for a, b in found), (key, text, start)


def test_there_are_phrase_lists_to_check() -> None:
    assert len(LIST_KEYS) >= 15


@pytest.mark.parametrize("key", LIST_KEYS)
def test_the_matcher_agrees_with_plain_regexes_on_real_texts(key: str) -> None:
    for text in corpus():
        for sentence in re.split(r"(?<=[.!?\n])", text):
            assert_agrees(key, sentence)


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(
        st.sampled_from(SALAD),
        max_size=30,
    )
)
def test_the_matcher_agrees_with_plain_regexes_on_word_salad(words: list[str]) -> None:
    text = " ".join(words)
    for key in LIST_KEYS:
        assert_agrees(key, text)


def test_prefixes_are_read_from_the_regex() -> None:
    # Read as far as the first two whole words, so common first words stay cheap.
    assert literal_prefixes(lower_regex(r"\b(?:and )?only then\b")) == [
        ("and only ", False),
        ("only then", True),
    ]
    assert literal_prefixes(r"\bthank(?:s| you)?\b") == [
        ("thank", True),
        ("thank you", True),
        ("thanks", True),
    ]
    assert literal_prefixes(r"!{2,}") is None
