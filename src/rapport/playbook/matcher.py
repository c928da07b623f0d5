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
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]

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


class Matcher:
    def __init__(self, entries: list[str]) -> None:
        # word -> phrases that start with it; each phrase runs on the lower-cased text, or,
        # when it needs exact case somewhere, case-insensitively on the original text.
        self.by_word: dict[str, list[tuple[re.Pattern[str], bool]]] = defaultdict(list)
        self.by_start: dict[str, list[tuple[str, re.Pattern[str], bool]]] = defaultdict(list)
        self.anchored: list[re.Pattern[str]] = []  # "^..." entries: tried at sentence starts
        scanned: list[str] = []
        cased: list[str] = []
        for entry in entries:
            needs_case = "(?-i:" in entry
            if entry.startswith("^"):
                self.anchored.append(re.compile(lower_regex(entry[1:])))
            elif not self._index(entry, needs_case):
                (cased if needs_case else scanned).append(
                    entry if needs_case else lower_regex(entry)
                )
        self.scanned = re.compile(_alternation(scanned)) if scanned else None
        self.cased = re.compile(_alternation(cased), re.IGNORECASE) if cased else None

    def _index(self, entry: str, needs_case: bool) -> bool:
        prefixes = literal_prefixes(lower_regex(entry))
        if not prefixes:
            return False
        compiled = (
            re.compile(entry, re.IGNORECASE) if needs_case else re.compile(lower_regex(entry))
        )
        placements: list[tuple[str, bool]] = []
        for prefix, complete in prefixes:
            token = TOKEN_RE.match(prefix)
            if token is None or token.start() != 0:
                return False
            whole_word = token.end() < len(prefix) or complete
            if not whole_word and len(token.group()) < PARTIAL_KEY_CHARS:
                return False
            placements.append((token.group(), whole_word))
        for word, whole_word in set(placements):
            if whole_word:
                self.by_word[word].append((compiled, needs_case))
            else:
                self.by_start[word[:PARTIAL_KEY_CHARS]].append((word, compiled, needs_case))
        return True

    def finditer(
        self, text: str, lowered: str, words: WordIndex | None = None
    ) -> list[re.Match[str]]:
        """Every match in `text` (lower-cased as `lowered`), in order of position."""
        words = words or WordIndex(lowered)
        found: list[re.Match[str]] = []
        for word in self.by_word.keys() & words.starts.keys():
            for start in words.starts[word]:
                for regex, on_original in self.by_word[word]:
                    match = regex.match(text if on_original else lowered, start)
                    if match:
                        found.append(match)
        for stem in self.by_start.keys() & words.stems.keys():
            for word in words.stems[stem]:
                for prefix, regex, on_original in self.by_start[stem]:
                    if word.startswith(prefix):
                        for start in words.starts[word]:
                            match = regex.match(text if on_original else lowered, start)
                            if match:
                                found.append(match)
        if self.scanned:
            found.extend(self.scanned.finditer(lowered))
        if self.cased:
            found.extend(self.cased.finditer(text))
        found.sort(key=lambda m: (m.start(), -m.end()))
        return found

    def at_starts(self, lowered: str, starts: list[int]) -> list[re.Match[str]]:
        """Matches of the "^..." entries, each tried at the given sentence starts."""
        found = []
        for regex in self.anchored:
            for start in starts:
                match = regex.match(lowered, start)
                if match:
                    found.append(match)
        return found

    def search(self, text: str) -> re.Match[str] | None:
        """The first match in a short text, treated as one sentence."""
        lowered = lower(text)
        matches = self.finditer(text, lowered) + self.at_starts(lowered, [0])
        return min(matches, key=lambda m: m.start()) if matches else None


class WordIndex:
    """Where each word of a lower-cased text starts, and each word's first letters."""

    __slots__ = ("starts", "stems")

    def __init__(self, lowered: str) -> None:
        starts: dict[str, list[int]] = {}
        for match in TOKEN_RE.finditer(lowered):
            starts.setdefault(match.group(), []).append(match.start())
        stems: dict[str, list[str]] = {}
        for word in starts:
            if len(word) >= PARTIAL_KEY_CHARS:
                stems.setdefault(word[:PARTIAL_KEY_CHARS], []).append(word)
        self.starts = starts
        self.stems = stems


def _has_first_word(prefix: str) -> bool:
    """Whether the prefix already holds its whole first word: no need to read further."""
    token = TOKEN_RE.match(prefix)
    return token is not None and token.start() == 0 and token.end() < len(prefix)


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
            if av not in (sre.AT_BOUNDARY, sre.AT_NON_BOUNDARY):
                return None
            continue
        if op is sre.LITERAL:
            grown = {p + chr(av) for p in open_ones}  # type: ignore[arg-type]
            state = closed | {(p, not _has_first_word(p)) for p in grown}
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
