"""What every review shares: finding phrases, negation, statistics, language and score."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rapport.playbook.findings import Finding, Review, Severity, Stats
from rapport.playbook.loader import regex, threshold, word_set
from rapport.playbook.rules import RuleId, rule
from rapport.playbook.text import Doc, Sentence

CLAUSE_BREAK_RE = re.compile(r"[,;()]|\s-\s|\bbut\b|\bhowever\b|\bthough\b|\byet\b", re.I)
NEGATION_WINDOW_WORDS = 6  # a negation further back than this usually governs something else
YOU_WORDS = frozenset({"you", "your", "yours", "yourself", "yourselves", "u", "ur"})
I_WORDS = frozenset({"i", "me", "my", "mine", "myself", "im"})
YOU_RE = re.compile(r"\b(?:you|your|yours|yourself|you're|you've|you'd|you'll)\b", re.I)
I_RE = re.compile(r"\b(?:i|me|my|mine|myself|i'm|i've|i'd|i'll)\b", re.I)
VOWEL_GROUPS_RE = re.compile(r"[aeiouy]+", re.I)
LATIN_RE = re.compile(r"[A-Za-z\u00c0-\u024f]")
LETTER_RE = re.compile(r"[^\W\d_]")
SHOUT_CANDIDATE_RE = re.compile(r"(?<![\w'])[A-Z]{3,}(?![\w'])")


@dataclass(frozen=True)
class Hit:
    sentence: Sentence
    start: int  # absolute, in the user's text
    end: int

    @property
    def text(self) -> str:
        return self.sentence.text[self.start - self.sentence.start : self.end - self.sentence.start]


def hits(
    doc: Doc,
    sentences: Iterable[Sentence],
    key: str,
    *,
    masked: bool = True,
    negatable: bool = True,
) -> Iterator[Hit]:
    """Matches of a lexicon list inside the given sentences, minus the negated ones."""
    wanted = {id(sentence) for sentence in sentences}
    for start, end in doc.matches(key, masked=masked):
        sentence = doc.sentence_at(start)
        if sentence is None or id(sentence) not in wanted or end > sentence.end:
            continue
        lowered = sentence.lower_masked if masked else sentence.lower
        if negatable and is_negated(lowered, start - sentence.start):
            continue
        yield Hit(sentence, start, end)


def first_hit(doc: Doc, sentences: Iterable[Sentence], key: str, **options: bool) -> Hit | None:
    return next(hits(doc, sentences, key, **options), None)


def anywhere(doc: Doc, key: str) -> bool:
    """Whether a phrase occurs anywhere, greeting and sign-off included."""
    return bool(doc.matches(key, masked=False))


def is_negated(text: str, start: int) -> bool:
    """Whether a negation governs the phrase at `start`, within its clause.

    "I'm not looking for a position" negates; "I know you're not hiring, but could you
    refer me" does not (the clause breaks at "but"); "not sure if you're hiring" hedges.
    """
    before = text[:start]
    breaks = list(CLAUSE_BREAK_RE.finditer(before))
    clause = before[breaks[-1].end() :] if breaks else before
    words = clause.lower().split()[-NEGATION_WINDOW_WORDS:]
    negations = word_set("negation_words")
    hedges = word_set("hedge_after_negation")
    for index, word in enumerate(words):
        bare = word.strip(".,!?\"'")
        if bare in negations or bare.endswith("n't"):
            following = words[index + 1].strip(".,!?") if index + 1 < len(words) else ""
            if following not in hedges:
                return True
    return bool(regex("negation_phrases").search(" ".join(words)))


def finding(
    rule_id: RuleId, message: str, start: int, end: int, suggestion: str | None = None
) -> Finding:
    return Finding(rule_id.value, rule(rule_id).severity, message, start, end, suggestion)


def body_span(doc: Doc) -> tuple[int, int]:
    """Where a "something is missing" finding points: the message body."""
    start, end = doc.core_start, doc.sign_off_start
    text = doc.plain[start:end]
    stripped_start = start + len(text) - len(text.lstrip())
    stripped_end = start + len(text.rstrip())
    if stripped_end <= stripped_start:
        return 0, len(doc.plain)
    return stripped_start, stripped_end


def stats(doc: Doc) -> Stats:
    words = doc.word_count
    sentence_count = max(1, len(doc.sentences)) if words else 0
    return Stats(
        words=words,
        chars=len(doc.original),
        sentences=sentence_count,
        reading_grade=_reading_grade(doc, words, sentence_count),
        you_words=_count(doc, YOU_WORDS),
        i_words=_count(doc, I_WORDS),
    )


def _count(doc: Doc, words: frozenset[str]) -> int:
    starts = doc.word_index.starts
    return sum(len(starts[word]) for word in words if word in starts)


@functools.lru_cache(maxsize=50_000)
def _syllables(word: str) -> int:
    return max(1, len(VOWEL_GROUPS_RE.findall(word)))


def _reading_grade(doc: Doc, words: int, sentence_count: int) -> float:
    """Flesch-Kincaid grade, with syllables estimated from vowel groups."""
    if not words or not sentence_count:
        return 0.0
    counted = doc.word_index.starts
    syllables = max(words, sum(_syllables(w) * len(at) for w, at in counted.items()))
    grade = 0.39 * words / sentence_count + 11.8 * syllables / words - 15.59
    return round(max(0.0, grade), 1)


def is_english(doc: Doc) -> bool:
    """Rough but safe: enough common English words, and mostly Latin letters."""
    words = doc.word_count
    if words < threshold("language", "min_words_to_judge"):
        return True
    if not doc.plain.isascii():
        letters = len(LETTER_RE.findall(doc.plain))
        latin_share = len(LATIN_RE.findall(doc.plain)) / max(1, letters)
        if 1 - latin_share > threshold("language", "max_non_latin_share"):
            return False
    stopwords = word_set("stopwords")
    common = sum(len(spots) for word, spots in doc.word_index.starts.items() if word in stopwords)
    return common / words >= threshold("language", "min_english_share")


NOT_ENGLISH_NOTICE = (
    "Only English is checked for now, so this text got no advice. "
    "The length and character counts still apply."
)
EMPTY_NOTICE = "There is nothing to check yet: write or paste your text."


def score(findings: Iterable[Finding]) -> int:
    penalties = {
        Severity.ERROR: threshold("score", "error_penalty"),
        Severity.WARNING: threshold("score", "warning_penalty"),
        Severity.TIP: threshold("score", "tip_penalty"),
    }
    findings = list(findings)
    value = 100 - sum(penalties[f.severity] for f in findings)
    if any(f.severity is Severity.ERROR for f in findings):
        value = min(value, threshold("score", "error_cap"))
    return max(0, value)


def build_review(kind: str, doc: Doc, findings: Iterable[Finding]) -> Review:
    ordered = tuple(sorted(_dedupe(findings), key=lambda f: (f.start, f.end, f.rule)))
    return Review(kind=kind, findings=ordered, stats=stats(doc), score=score(ordered))


def _dedupe(findings: Iterable[Finding]) -> Iterator[Finding]:
    """One finding per rule and span: overlapping phrases of one rule say the same thing."""
    kept: dict[str, list[Finding]] = {}
    for item in findings:
        same_rule = kept.setdefault(item.rule, [])
        if not any(item.start < other.end and other.start < item.end for other in same_rule):
            same_rule.append(item)
            yield item


def guarded_review(kind: str, text: str) -> tuple[Doc, Review | None]:
    """The doc, plus a finished review when there is nothing the rules should judge."""
    doc = Doc(text)
    if not doc.plain.strip():
        return doc, _notice_review(kind, doc, EMPTY_NOTICE)
    if not is_english(doc):
        return doc, _notice_review(kind, doc, NOT_ENGLISH_NOTICE)
    return doc, None


def _notice_review(kind: str, doc: Doc, notice: str) -> Review:
    return Review(kind=kind, findings=(), stats=stats(doc), score=100, notices=(notice,))


def shouting_spans(doc: Doc) -> list[tuple[int, int]]:
    """ALL-CAPS words that are ordinary words ("REALLY", "NEED"), not names or acronyms."""
    shout = word_set("shout_words")
    acronyms = word_set("generic_proper")
    spans = []
    for match in SHOUT_CANDIDATE_RE.finditer(doc.masked):
        lowered = match.group().lower()
        if lowered not in acronyms and lowered in shout:
            spans.append((match.start(), match.end()))
    return spans
