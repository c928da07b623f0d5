"""Reading a message the way the coach needs to: parts, sentences, words, quotes.

Every transformation keeps the text's length, so a character span found in the working
copy is a span in what the user wrote.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property

from rapport.playbook.loader import phrase_index
from rapport.playbook.matcher import WordIndex, lower

# One character in, one character out: curly quotes, dashes and odd spaces made plain.
_PLAIN = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00ab": '"', "\u00bb": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2015": "-", "\u2212": "-",
        "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ",
        "\u2026": ".",
    }
)  # fmt: skip

WORD_RE = re.compile(r"[^\W_][\w'-]*")
SUBJECT_RE = re.compile(r"\A\s*(?:subject|re|subj)\s*:[ \t]*(?P<subject>[^\n]*)\n?", re.I)
# A salutation and up to four name words ("Hi Dr. Okafor,"), ending in punctuation or
# the end of its line, so "Hi Chris, I'm a..." keeps its body.
GREETING_RE = re.compile(
    r"[ \t]*(?:hi|hello|hey|dear|hiya|greetings|good (?:morning|afternoon|evening)"
    r"|to whom it may concern)\b(?:[ \t]+[^\s,!:;?\n]+){0,4}?[ \t]*(?:[,!:\-]|[ \t]*$)",
    re.I | re.M,
)
SIGN_OFF_RE = re.compile(
    r"^[ \t]*(?:thanks|thank you|many thanks|thanks so much|thanks a lot|thanks again"
    r"|with thanks|best|best wishes|best regards|kind regards|warm regards|warmly|regards"
    r"|sincerely|yours sincerely|yours truly|cheers|all the best|take care|respectfully"
    r"|thx|gratefully|with gratitude|speak soon|yours faithfully|faithfully|yours|warm wishes"
    r"|kind wishes|love|xoxo|xx|ciao|gracias\w*|merci\w*|danke\w*|grazie|teşekkür\w*"
    r"|obrigad[oa]|dziękuję|with appreciation|appreciatively|until soon)\b[^\n]{0,25}$",
    re.I | re.M,
)
# "…whenever suits. Many thanks, Ravi" on one line, as LinkedIn notes end.
INLINE_SIGN_OFF_RE = re.compile(
    r"(?<=[.!?)\s])(?:thanks|thank you|many thanks|thanks again|cheers|best|best wishes|regards"
    r"|kind regards|warm regards|warmly|all the best|speak soon)[,!.]?\s+"
    r"(?-i:[A-Z][\w'-]+)(?:\s+(?-i:[A-Z][\w'-]+))?\s*[.!]?\s*\Z",
    re.I,
)
SENTENCE_END_RE = re.compile(r"[.!?]+(?=[\s\"')\]]|$)|\n\s*\n|\n")
ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "jr",
        "sr",
        "vs",
        "etc",
        "e.g",
        "i.e",
        "approx",
        "dept",
        "inc",
        "ltd",
        "co",
        "no",
        "fig",
        "p.s",
    ]
)
QUOTED_RE = re.compile(r"\"[^\"\n]{1,300}\"|(?<![\w])'[^'\n]{2,200}'(?![\w])")


def plain(text: str) -> str:
    return text.translate(_PLAIN)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(frozen=True, eq=False)
class Sentence:
    start: int
    end: int
    text: str  # the plain working copy, quotes intact
    masked: str  # the same, with quoted words blanked out
    lower: str  # `text` lower-cased, same length
    lower_masked: str  # `masked` lower-cased, same length

    def offset(self, index: int) -> int:
        return self.start + index


class Doc:
    """A message split into subject, greeting, body and sign-off, with sentences."""

    def __init__(self, text: str) -> None:
        self.original = text
        self.plain = plain(text)
        self.masked = _mask_quotes(self.plain)
        self.lower = lower(self.plain)
        self.lower_masked = lower(self.masked)
        self._found: dict[str, list[re.Match[str]]] | None = None
        self._spans: dict[str, list[tuple[int, int]]] = {}

    @cached_property
    def subject(self) -> Span | None:
        match = SUBJECT_RE.match(self.plain)
        if not match:
            return None
        return Span(match.start("subject"), match.end("subject"), match.group("subject").strip())

    @cached_property
    def body_start(self) -> int:
        match = SUBJECT_RE.match(self.plain)
        return match.end() if match else 0

    @cached_property
    def greeting(self) -> Span | None:
        rest = self.plain[self.body_start :]
        leading = len(rest) - len(rest.lstrip())
        match = GREETING_RE.match(rest, leading)
        if not match:
            return None
        start = self.body_start + match.start()
        return Span(start, self.body_start + match.end(), match.group().strip())

    @cached_property
    def sign_off_start(self) -> int:
        """Where the closing ('Thanks,\\nTom') begins; the text's end when there is none."""
        tail_start = max(self.body_start, len(self.plain) - 120)
        candidates = [
            m for m in SIGN_OFF_RE.finditer(self.plain, tail_start) if self._only_names_after(m)
        ]
        if candidates:
            return candidates[0].start()
        inline = INLINE_SIGN_OFF_RE.search(self.plain, tail_start)
        return inline.start() if inline else len(self.plain)

    def _only_names_after(self, match: re.Match[str]) -> bool:
        after = self.plain[match.end() :].strip()
        lines = [line for line in after.splitlines() if line.strip()]
        return len(lines) <= 3 and all(len(line) <= 60 for line in lines)

    @cached_property
    def signature(self) -> str:
        return self.plain[self.sign_off_start :]

    @cached_property
    def core_start(self) -> int:
        return self.greeting.end if self.greeting else self.body_start

    @cached_property
    def sentences(self) -> tuple[Sentence, ...]:
        """Sentences of the body between greeting and sign-off, plus the subject line."""
        found = []
        if self.subject and self.subject.text:
            found.append(self._sentence(self.subject.start, self.subject.end))
        found.extend(self._split(self.core_start, self.sign_off_start))
        return tuple(found)

    @cached_property
    def body_sentences(self) -> tuple[Sentence, ...]:
        return tuple(s for s in self.sentences if not self.subject or s.start >= self.body_start)

    def _split(self, start: int, end: int) -> list[Sentence]:
        pieces: list[Sentence] = []
        cursor = start
        for match in SENTENCE_END_RE.finditer(self.plain, start, end):
            if match.group().startswith(".") and self._is_abbreviation(match.start()):
                continue
            if self.plain[cursor : match.end()].strip():
                pieces.append(self._sentence(cursor, match.end()))
            cursor = match.end()
        if self.plain[cursor:end].strip():
            pieces.append(self._sentence(cursor, end))
        return pieces

    def _is_abbreviation(self, dot: int) -> bool:
        word = re.search(r"([\w.]+)$", self.plain[max(0, dot - 8) : dot])
        return bool(word) and word.group(1).lower() in ABBREVIATIONS  # type: ignore[union-attr]

    def _sentence(self, start: int, end: int) -> Sentence:
        text = self.plain[start:end]
        stripped_start = start + (len(text) - len(text.lstrip()))
        stripped_end = start + len(text.rstrip())
        return Sentence(
            stripped_start,
            stripped_end,
            self.plain[stripped_start:stripped_end],
            self.masked[stripped_start:stripped_end],
            self.lower[stripped_start:stripped_end],
            self.lower_masked[stripped_start:stripped_end],
        )

    @cached_property
    def word_count(self) -> int:
        return len(WORD_RE.findall(self.plain))

    @cached_property
    def word_index(self) -> WordIndex:
        return WordIndex(self.lower)

    @cached_property
    def sentence_starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    def matches(self, key: str, *, masked: bool) -> list[tuple[int, int]]:
        """Spans of a lexicon list's phrases anywhere in the text.

        All lists are matched in one pass the first time any is asked for. With `masked`,
        phrases that reach into quoted words are left out: those words are someone else's.
        """
        if self._found is None:
            self._found = phrase_index().find(
                self.plain, self.lower, self.word_index, self.sentence_starts
            )
        spans = self._spans.get(key)
        if spans is None:
            spans = self._spans[key] = [(m.start(), m.end()) for m in self._found[key]]
        if masked and self.quoted:
            return [span for span in spans if not self._touches_quote(span)]
        return spans

    @cached_property
    def quoted(self) -> list[tuple[int, int]]:
        """The insides of quotations, which `masked` blanks out."""
        return [(m.start() + 1, m.end() - 1) for m in QUOTED_RE.finditer(self.plain)]

    def _touches_quote(self, span: tuple[int, int]) -> bool:
        return any(span[0] < end and start < span[1] for start, end in self.quoted)

    def sentence_at(self, position: int) -> Sentence | None:
        index = bisect.bisect_right(self.sentence_starts, position) - 1
        if index < 0:
            return None
        sentence = self.sentences[index]
        return sentence if position < sentence.end else None

    @cached_property
    def body_text(self) -> str:
        """The message without subject, greeting and sign-off, quotes blanked."""
        return self.masked[self.core_start : self.sign_off_start]


def _mask_quotes(text: str) -> str:
    """Blank out quoted words, so advice quoted from someone else is not read as yours."""
    return QUOTED_RE.sub(lambda m: m.group()[0] + " " * (len(m.group()) - 2) + m.group()[-1], text)
