"""The playbook's data files, read once on first use."""

from __future__ import annotations

import functools
import re
import tomllib
from importlib.resources import files
from typing import Any

from rapport.playbook.matcher import Matcher


@functools.cache
def data_file(name: str) -> dict[str, Any]:
    text = (files("rapport.playbook") / "data" / f"{name}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def lexicon(key: str) -> Any:
    return data_file("lexicon")[key]


def threshold(section: str, name: str) -> Any:
    return data_file("thresholds")[section][name]


# Lists of plain words, looked up as sets rather than matched as phrases.
WORD_LISTS = frozenset(
    {
        "stopwords",
        "generic_proper",
        "closed_openers",
        "open_openers",
        "question_subordinators",
        "shout_words",
        "negation_words",
        "hedge_after_negation",
        "generic_subject_words",
    }
)


@functools.cache
def pattern(key: str) -> Matcher:
    """One phrase list on its own, for short texts."""
    return Matcher({key: lexicon(key)})


@functools.cache
def phrase_index() -> Matcher:
    """Every phrase list in one index, so a message is read once for all of them."""
    lists = {
        key: value
        for key, value in data_file("lexicon").items()
        if isinstance(value, list) and key not in WORD_LISTS
    }
    return Matcher(lists)


@functools.cache
def regex(key: str) -> re.Pattern[str]:
    """A short lexicon list as one plain case-insensitive regex, for small texts."""
    return re.compile("|".join(f"(?:{entry})" for entry in lexicon(key)), re.IGNORECASE)


@functools.cache
def single_regex(key: str) -> re.Pattern[str]:
    """A lexicon entry that is one regex (not a list), compiled case-insensitively."""
    return re.compile(lexicon(key), re.IGNORECASE)


@functools.cache
def coverage_patterns() -> dict[str, re.Pattern[str]]:
    return {kind: re.compile(regex, re.IGNORECASE) for kind, regex in lexicon("coverage").items()}


@functools.cache
def word_set(key: str) -> frozenset[str]:
    return frozenset(word.lower() for word in lexicon(key))
