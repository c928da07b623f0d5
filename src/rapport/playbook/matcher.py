"""Fast matching of a phrase list: try only the phrases that can start at each word.

Python's regex engine tries every alternative of a long alternation at every position,
which made the coach scan each message a dozen times over. Instead, each phrase's
possible first words are worked out once from its parsed regex, and a text is read word
by word: at each word only the phrases that can start there are tried. Phrases whose
first word cannot be known (they start with a character class, or need exact case) are
scanned the ordinary way.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any, TypeVar

K = TypeVar("K")
TOKEN_RE = re.compile(r"'?[^\W_]+")
PARTIAL_KEY_CHARS = 3  # phrases that end mid-word ("thank…") are filed by their first letters
MAX_PREFIXES = 256  # past this a phrase is simply scanned


def lower(text: str) -> str:
    """Lower-case without changing the length, so spans still line up with the original."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)


def lower_regex(regex: str) -> str:
    """Lower-case a regex's letters but not its escapes (\\b stays \\b, \\B stays \\B)."""
    out = []
    escaped = False
    for ch in regex:
        out.append(ch if escaped else ch.lower())
        escaped = ch == "\\" and not escaped
    return "".join(out)


Entry = tuple[str, re.Pattern[str], bool]  # lexicon key, compiled phrase, match on original


class Matcher:
    """Phrase lists, possibly several (one per lexicon key), indexed by their first words."""

    def __init__(self, lists: Mapping[str, list[str]]) -> None:
        # word -> phrases that start with it; each phrase runs on the lower-cased text, or,
        # when it needs exact case somewhere, case-insensitively on the original text.
        self.by_word: dict[str, list[Entry]] = defaultdict(list)
        # Phrases whose first two words are known are filed by the pair, so a common first
        # word ("I", "you") does not make every phrase that starts with it run everywhere.
        self.by_pair: dict[tuple[str, str], list[Entry]] = defaultdict(list)
        self.by_start: dict[str, list[tuple[str, Entry]]] = defaultdict(list)
        self.keys = tuple(lists)
        # Per key: "^..." entries (tried at sentence starts), and entries scanned the plain
        # way, on the lower-cased text or (when they need case) on the original.
        self.anchored: dict[str, list[re.Pattern[str]]] = defaultdict(list)
        self.scanned: dict[str, re.Pattern[str]] = {}
        self.cased: dict[str, re.Pattern[str]] = {}
        for key, entries in lists.items():
            scanned: list[str] = []
            cased: list[str] = []
            for entry in entries:
                needs_case = "(?-i:" in entry
                if entry.startswith("^"):
                    self.anchored[key].append(re.compile(lower_regex(entry[1:])))
                elif not self._index(key, entry, needs_case):
                    (cased if needs_case else scanned).append(
                        entry if needs_case else lower_regex(entry)
                    )
            if scanned:
                self.scanned[key] = re.compile(_alternation(scanned))
            if cased:
                self.cased[key] = re.compile(_alternation(cased), re.IGNORECASE)

    def _index(self, key: str, entry: str, needs_case: bool) -> bool:
        prefixes = literal_prefixes(lower_regex(entry))
        if not prefixes:
            return False
        compiled = (
            re.compile(entry, re.IGNORECASE) if needs_case else re.compile(lower_regex(entry))
        )
        placements: list[tuple[str, str | None, bool]] = []
        for prefix, complete in prefixes:
            token = TOKEN_RE.match(prefix)
            if token is None or token.start() != 0:
                return False
            whole_word = token.end() < len(prefix) or complete
            if not whole_word and len(token.group()) < PARTIAL_KEY_CHARS:
                return False
            placements.append((token.group(), _second_word(prefix, token, complete), whole_word))
        item = (key, compiled, needs_case)
        for word, second, whole_word in set(placements):
            if whole_word and second:
                self.by_pair[(word, second)].append(item)
            elif whole_word:
                self.by_word[word].append(item)
            else:
                self.by_start[word[:PARTIAL_KEY_CHARS]].append((word, item))
        return True

    def find(
        self,
        text: str,
        lowered: str,
        words: WordIndex | None = None,
        sentence_starts: list[int] | None = None,
    ) -> dict[str, list[re.Match[str]]]:
        """Every match of every list, by key, in order of position."""
        words = words or WordIndex(lowered)
        found: dict[str, list[re.Match[str]]] = {key: [] for key in self.keys}

        def attempt(item: Entry, start: int) -> None:
            key, regex, on_original = item
            match = regex.match(text if on_original else lowered, start)
            if match:
                found[key].append(match)

        for pair in _common(self.by_pair, words.pairs):
            for start in words.pairs[pair]:
                for item in self.by_pair[pair]:
                    attempt(item, start)
        for word in _common(self.by_word, words.starts):
            for start in words.starts[word]:
                for item in self.by_word[word]:
                    attempt(item, start)
        for stem in _common(self.by_start, words.stems):
            for word in words.stems[stem]:
                for prefix, item in self.by_start[stem]:
                    if word.startswith(prefix):
                        for start in words.starts[word]:
                            attempt(item, start)
        for key, regex in self.scanned.items():
            found[key].extend(regex.finditer(lowered))
        for key, regex in self.cased.items():
            found[key].extend(regex.finditer(text))
        for key, regexes in self.anchored.items():
            for regex in regexes:
                for start in sentence_starts or [0]:
                    match = regex.match(lowered, start)
                    if match:
                        found[key].append(match)
        for matches in found.values():
            matches.sort(key=lambda m: (m.start(), -m.end()))
        return found

    def search(self, text: str) -> re.Match[str] | None:
        """The first match of any list in a short text, treated as one sentence."""
        matches = [m for ms in self.find(text, lower(text)).values() for m in ms]
        return min(matches, key=lambda m: m.start()) if matches else None


class WordIndex:
    """Where each word of a lower-cased text starts, and each word's first letters."""

    __slots__ = ("pairs", "starts", "stems")

    def __init__(self, lowered: str) -> None:
        starts: dict[str, list[int]] = {}
        pairs: dict[tuple[str, str], list[int]] = {}
        previous: tuple[int, str] | None = None
        for match in TOKEN_RE.finditer(lowered):
            word, start = match.group(), match.start()
            starts.setdefault(word, []).append(start)
            if previous is not None:
                pairs.setdefault((previous[1], word), []).append(previous[0])
            previous = (start, word)
        self.pairs = pairs
        stems: dict[str, list[str]] = {}
        for word in starts:
            if len(word) >= PARTIAL_KEY_CHARS:
                stems.setdefault(word[:PARTIAL_KEY_CHARS], []).append(word)
        self.starts = starts
        self.stems = stems


def _second_word(prefix: str, first: re.Match[str], complete: bool) -> str | None:
    """The prefix's second word when it is known in full, else None."""
    second = TOKEN_RE.search(prefix, first.end())
    if second is None or (second.end() == len(prefix) and not complete):
        return None
    return second.group()


def _has_two_words(prefix: str) -> bool:
    """Whether the prefix already holds its first two whole words: no need to read further."""
    first = TOKEN_RE.match(prefix)
    if first is None or first.start() != 0:
        return False
    second = TOKEN_RE.search(prefix, first.end())
    return second is not None and second.end() < len(prefix)


def _common(index: Mapping[K, Any], present: Mapping[K, Any]) -> list[K]:
    """Keys in both, walking the smaller dict (a phrase list may file hundreds of pairs)."""
    small, large = (index, present) if len(index) <= len(present) else (present, index)
    return [key for key in small if key in large]


def _alternation(entries: list[str]) -> str:
    return "|".join(f"(?:{entry})" for entry in entries)


def literal_prefixes(regex: str) -> list[tuple[str, bool]] | None:
    """The literal text a match must start with, one entry per way it can start.

    Each entry says whether the prefix is the whole match (True) or where the literal
    part stops. None when some match can start with something other than a literal.
    """
    try:
        parsed = sre_parse.parse(regex)
    except re.error:
        return None
    result = _extend(list(parsed), {("", True)})
    if result is None:
        return None
    prefixes = sorted(result)
    if any(prefix == "" for prefix, _ in prefixes) or len(prefixes) > MAX_PREFIXES:
        return None
    return prefixes


def _extend(
    items: list[tuple[object, object]], state: set[tuple[str, bool]]
) -> set[tuple[str, bool]] | None:
    """Walk the parsed regex, growing each still-open prefix; closed ones stay as they are."""
    for op, av in items:
        open_ones = {p for p, is_open in state if is_open}
        closed = {(p, False) for p, is_open in state if not is_open}
        if not open_ones:
            return state
        if op is sre.AT:
            if av in (sre.AT_END, sre.AT_END_STRING, sre.AT_END_LINE):
                state = closed | {(p, False) for p in open_ones}
            elif av not in (sre.AT_BOUNDARY, sre.AT_NON_BOUNDARY):
                return None
            continue
        if op is sre.LITERAL:
            grown = {p + chr(av) for p in open_ones}  # type: ignore[arg-type]
            state = closed | {(p, not _has_two_words(p)) for p in grown}
        elif op is sre.SUBPATTERN:
            inner = _extend(list(av[-1]), {(p, True) for p in open_ones})  # type: ignore[index]
            if inner is None:
                return None
            state = closed | inner
        elif op is sre.BRANCH:
            merged: set[tuple[str, bool]] = set(closed)
            for branch in av[1]:  # type: ignore[index]
                inner = _extend(list(branch), {(p, True) for p in open_ones})
                if inner is None:
                    return None
                merged |= inner
            state = merged
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[0] == 0 and av[1] == 1:  # type: ignore[index]
            taken = _extend(list(av[2]), {(p, True) for p in open_ones})  # type: ignore[index]
            if taken is None:
                return None
            state = closed | {(p, True) for p in open_ones} | taken
        else:
            state = closed | {(p, False) for p in open_ones}
        if len(state) > MAX_PREFIXES:
            return None
    return state
