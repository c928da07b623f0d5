"""What the coach may know besides the text: who it is for, and what was said."""

from __future__ import annotations

import re
from dataclasses import dataclass

CONTENT_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'-]{3,}")


@dataclass(frozen=True)
class Recipient:
    name: str = ""
    company: str = ""
    title: str = ""
    notes: str = ""  # the seeker's research notes and common ground

    def specifics(self) -> list[str]:
        """Phrases whose mention shows the message was written for this person."""
        found = [self.company.strip(), self.title.strip()]
        return [phrase for phrase in found if len(phrase) >= 2]


def content_words(text: str, stopwords: frozenset[str]) -> set[str]:
    """Distinctive words (4+ letters, not common), lower-cased, roughly singular."""
    words = set()
    for match in CONTENT_WORD_RE.finditer(text):
        word = match.group().lower().strip("'-")
        if word in stopwords:
            continue
        words.add(word[:-1] if word.endswith("s") and len(word) > 4 else word)
    return words
