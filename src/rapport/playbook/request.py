"""Reviewing a request for an informational interview (PLAYBOOK.md section 4)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from rapport.playbook.context import Recipient, content_words
from rapport.playbook.engine import (
    I_RE,
    YOU_RE,
    Hit,
    anywhere,
    body_span,
    build_review,
    finding,
    first_hit,
    guarded_review,
    hits,
    score,
    shouting_spans,
)
from rapport.playbook.findings import Finding, Review
from rapport.playbook.loader import threshold, word_set
from rapport.playbook.placeholders import placeholder_spans
from rapport.playbook.rules import RuleId as R
from rapport.playbook.text import Doc, Sentence

CHANNELS = ("email", "linkedin", "letter", "phone")

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "ten": 10,
    "fifteen": 15, "twenty": 20, "twenty-five": 25, "thirty": 30, "forty": 40,
    "forty-five": 45, "sixty": 60, "ninety": 90, "a couple of": 2, "a few": 3, "several": 3,
}  # fmt: skip
_NUM = (
    r"(\d+(?:\.\d+)?|a couple of|a few|several|twenty-five|forty-five|"
    + "|".join(
        sorted((w for w in NUMBER_WORDS if " " not in w and "-" not in w), key=len, reverse=True)
    )
    + ")"
)
DURATION_RE = re.compile(
    rf"\b{_NUM}(?:\s*(?:-|to|or)\s*{_NUM})?\s*-?\s*(minutes?|mins?|hours?|hrs?|hr|h)\b"
    rf"(?:\s+or\s+{_NUM}\b)?",
    re.IGNORECASE,
)
UNIT_RE = re.compile(r"(?<![^\W\d_])(?:minutes?|mins?|hours?|hrs?|hr|h)\b")
DURATION_LOOKBACK_CHARS = 30  # "twenty-five or thirty minutes" fits inside this
MAX_ACRONYM_CHARS = 5  # KPMG, UCLA, NASA: longer all-caps words are shouting, not names
SHOUTED_MIN_WORDS = 3  # "I AM DESPERATE TO GET INTO..." is shouting, not a list of names
LOWER_WORD_RE = re.compile(r"\b[a-z]{4,}\b")  # a subject with one is not in Title Case
CAPS_WORD_RE = re.compile(r"\b[A-Z]{2,}\b")
BLANK_REACH_CHARS = 15  # "your experience at ______": the blank follows the phrase closely
PROPER_RE = re.compile(r"(?-i:[A-Z][\w&'.-]*[\w&]|[A-Z])")

SUGGEST_TIME = "Would you have 15-20 minutes for a short call in the next few weeks?"
SUGGEST_FLEXIBLE = "I'm happy to work around your schedule, by phone or video."
SUGGEST_THANKS = "Thank you for considering it."
SUGGEST_INTRO = "For example: I'm a final-year economics student exploring careers in policy."
SUGGEST_PERSONAL = (
    "Add one line only they could receive: how you found them, something they wrote or "
    "built, what you have in common, or who suggested you write."
)
SUGGEST_PURPOSE = "For example: I'd love to hear how you moved into this role."


def review_request(
    text: str, *, channel: str = "email", recipient: Recipient | None = None
) -> Review:
    doc, early = guarded_review("request", text)
    if early:
        # Length limits hold in any language, so they are checked even when nothing else is.
        limits = list(channel_findings(doc, channel)) if doc.plain.strip() else []
        return replace(early, findings=tuple(limits), score=score(limits)) if limits else early
    return build_review("request", doc, request_findings(doc, channel, recipient))


def review_note(text: str, *, channel: str = "email") -> Review:
    """A message with no rules of its own (an update, a reply offering times): the checks
    every message needs. No blanks left, no job ask, no pressure, within the channel."""
    doc, early = guarded_review("note", text)
    if early:
        return early
    findings = [
        *placeholder_findings(placeholder_spans(doc.plain)),
        *job_ask_findings(doc, R.REQUEST_NO_JOB_ASK),
        *pushy_findings(doc, R.REQUEST_PUSHY),
        *channel_findings(doc, channel),
    ]
    return build_review("note", doc, findings)


def request_findings(doc: Doc, channel: str, recipient: Recipient | None) -> Iterator[Finding]:
    blanks = placeholder_spans(doc.plain)
    yield from placeholder_findings(blanks)
    yield from job_ask_findings(doc, R.REQUEST_NO_JOB_ASK)
    yield from pushy_findings(doc, R.REQUEST_PUSHY)
    yield from channel_findings(doc, channel)
    yield from personalised_findings(doc, recipient, blanks)
    yield from presence_findings(doc)
    yield from time_findings(doc)
    yield from flexible_findings(doc)
    yield from length_findings(doc)
    if channel == "email":
        yield from subject_findings(doc)
    if channel == "phone":
        start, end = body_span(doc)
        yield finding(
            R.REQUEST_PHONE_READY,
            "They may want to talk right away: keep your question list beside the phone.",
            start,
            end,
        )


def placeholder_findings(blanks: list[tuple[int, int]]) -> Iterator[Finding]:
    for start, end in blanks:
        yield finding(
            R.REQUEST_UNFILLED_PLACEHOLDER,
            "This template blank is still empty: replace it with the real detail.",
            start,
            end,
        )


def job_ask_findings(doc: Doc, rule_id: R) -> Iterator[Finding]:
    for hit in hits(doc, doc.sentences, "job_ask"):
        yield finding(
            rule_id,
            f'"{hit.text}" asks for a job or a referral. Ask to learn from them instead; '
            "leads come later, if at all, from a good conversation.",
            hit.sentence.start,
            hit.sentence.end,
            suggestion=without_sentence(doc, hit.sentence),
        )


def pushy_findings(doc: Doc, rule_id: R) -> Iterator[Finding]:
    for hit in hits(doc, doc.sentences, "pushy"):
        yield finding(
            rule_id,
            f'"{hit.text.strip()}" puts pressure on them. Make it easy to say yes, or no.',
            hit.start,
            hit.end,
        )
    for start, end in shouting_spans(doc):
        yield finding(
            rule_id,
            "Capital letters read as shouting; write it in ordinary case.",
            start,
            end,
        )


def without_sentence(doc: Doc, sentence: Sentence) -> str:
    before = doc.original[: sentence.start].rstrip(" ")
    after = doc.original[sentence.end :].lstrip(" ")
    return before + (" " if before and not before.endswith("\n") and after else "") + after


def channel_findings(doc: Doc, channel: str) -> Iterator[Finding]:
    if channel == "linkedin":
        limit = threshold("request", "linkedin_note_max_chars")
        if len(doc.original) > limit:
            yield finding(
                R.REQUEST_CHANNEL_LIMIT,
                f"A LinkedIn connection note stops at {limit} characters; this one has "
                f"{len(doc.original)}. Cut {len(doc.original) - limit} or send it as a message.",
                limit,
                len(doc.original),
            )
    subject = doc.subject
    limit = threshold("request", "subject_max_chars")
    if channel == "email" and subject and len(subject.text) > limit:
        yield finding(
            R.REQUEST_CHANNEL_LIMIT,
            f"Phones cut subject lines at about {limit} characters; this one has "
            f"{len(subject.text)}. Put the specific part first.",
            subject.start,
            subject.end,
        )


def personalised_findings(
    doc: Doc, recipient: Recipient | None, blanks: list[tuple[int, int]]
) -> Iterator[Finding]:
    if is_personalised(doc, recipient, blanks):
        return
    start, end = body_span(doc)
    yield finding(
        R.REQUEST_PERSONALISED,
        "Nothing here is specific to this person, so it could have gone to anyone.",
        start,
        end,
        suggestion=SUGGEST_PERSONAL,
    )


def is_personalised(doc: Doc, recipient: Recipient | None, blanks: list[tuple[int, int]]) -> bool:
    for key in ("personal_referral", "personal_shared", "personal_their_work"):
        for hit in hits(doc, doc.sentences, key, masked=False, negatable=False):
            if not _blank_near(hit.start, hit.end, blanks):
                return True
    if recipient and _mentions_recipient(list(doc.sentences), recipient):
        return True
    return any(True for _ in named_things(doc, blanks))


def _blank_near(start: int, end: int, blanks: list[tuple[int, int]]) -> bool:
    """A template blank inside or just after a phrase ("your work at [Company]") empties it."""
    return any(start <= blank_start <= end + BLANK_REACH_CHARS for blank_start, _ in blanks)


def _mentions_recipient(sentences: list[Sentence], recipient: Recipient) -> bool:
    text = " ".join(s.text for s in sentences).lower()
    if any(phrase.lower() in text for phrase in recipient.specifics()):
        return True
    stopwords = word_set("stopwords")
    noted = content_words(recipient.notes, stopwords)
    return len(noted & content_words(text, stopwords)) >= 2


def named_things(doc: Doc, blanks: list[tuple[int, int]]) -> Iterator[Hit]:
    """Names of organisations, places, events or people other than the two writers.

    Subject lines are skipped (Title Case says nothing), and in a sentence about the
    sender ("I'm a student at Leeds") a name counts only with a sign of interest in it.
    """
    generic = word_set("generic_proper") | word_set("stopwords") | word_set("shout_words")
    writers = _writer_names(doc)
    for sentence in _sentences_for_names(doc):
        counts_from = _names_count_from(doc, sentence)
        if counts_from is None:
            continue
        for match in PROPER_RE.finditer(sentence.masked):
            start = sentence.start + match.start()
            word = match.group().rstrip(".'")
            if (
                start < counts_from
                or match.start() == _first_word_start(sentence.masked)
                or any(b_start <= start < b_end for b_start, b_end in blanks)
                or word.lower() in generic
                or word in writers
                or len(word) < 2
                or (word.isupper() and len(word) > MAX_ACRONYM_CHARS)
            ):
                continue
            yield Hit(sentence, start, sentence.start + match.end())


def _sentences_for_names(doc: Doc) -> tuple[Sentence, ...]:
    """Body sentences, plus the subject line unless it is in Title Case throughout."""
    subject = doc.sentences[0] if doc.subject and doc.sentences else None
    if subject is None or subject.start >= doc.body_start:
        return doc.body_sentences
    title_case = not LOWER_WORD_RE.search(subject.text)
    return doc.body_sentences if title_case else (subject, *doc.body_sentences)


def _names_count_from(doc: Doc, sentence: Sentence) -> int | None:
    """Where names in this sentence start to say something about the recipient.

    In "I'm a student at Leeds and I loved your talk at PyCon", Leeds is about the
    sender; only what follows "you"/"your" or a word of interest ("loved") counts.
    """
    if _shouted(sentence):
        return None
    about_sender = first_hit(doc, [sentence], "self_intro", masked=False, negatable=False)
    if not about_sender:
        return sentence.start
    you = YOU_RE.search(sentence.text)
    interest = first_hit(doc, [sentence], "engagement", masked=False, negatable=False)
    marks = [sentence.start + you.start()] if you else []
    marks += [interest.start] if interest else []
    return min(marks) if marks else None


def _shouted(sentence: Sentence) -> bool:
    return len(CAPS_WORD_RE.findall(sentence.masked)) >= SHOUTED_MIN_WORDS


def _first_word_start(text: str) -> int:
    match = re.search(r"[^\W_]", text)
    return match.start() if match else -1


def _writer_names(doc: Doc) -> frozenset[str]:
    names = set()
    if doc.greeting:
        names.update(re.findall(r"(?-i:[A-Z][\w'-]+)", doc.greeting.text))
    names.update(re.findall(r"(?-i:[A-Z][\w'-]+)", doc.signature))
    return frozenset(names)


def presence_findings(doc: Doc) -> Iterator[Finding]:
    """Things a good request says somewhere: who you are, why, and thanks."""
    start, end = body_span(doc)
    body = doc.body_sentences
    if not first_hit(doc, body, "self_intro", masked=False, negatable=False):
        yield finding(
            R.REQUEST_SELF_INTRO,
            "Say in one line who you are and where you are now.",
            start,
            end,
            suggestion=SUGGEST_INTRO,
        )
    if not first_hit(doc, doc.sentences, "purpose", masked=False, negatable=False):
        yield finding(
            R.REQUEST_PURPOSE,
            "Say what you hope to learn from them, so they know why you are asking.",
            start,
            end,
            suggestion=SUGGEST_PURPOSE,
        )
    if not anywhere(doc, "gratitude"):
        yield finding(
            R.REQUEST_GRATITUDE,
            "A word of thanks for their time goes a long way.",
            start,
            end,
            suggestion=SUGGEST_THANKS,
        )
    yield from about_them_findings(doc, start, end)


def about_them_findings(doc: Doc, start: int, end: int) -> Iterator[Finding]:
    body = doc.body_text
    words = len(body.split())
    if words < threshold("request", "about_them_min_words"):
        return
    you, i = len(YOU_RE.findall(body)), len(I_RE.findall(body))
    if i > threshold("request", "about_them_max_i_per_you") * max(1, you):
        yield finding(
            R.REQUEST_ABOUT_THEM,
            f'This says "I" or "me" {i} times and "you" {you}. Turn a sentence or two '
            "towards them.",
            start,
            end,
        )


def time_findings(doc: Doc) -> Iterator[Finding]:
    longest, modest, span = _time_asks(doc)
    limit = threshold("request", "time_ask_max_min")
    if modest:
        return
    if longest is not None and longest > limit and span is not None:
        yield finding(
            R.REQUEST_TIME_BOUNDED,
            f"About {longest} minutes is a big favour to ask a stranger. Ask for 15-30.",
            span[0],
            span[1],
            suggestion=SUGGEST_TIME,
        )
        return
    start, end = body_span(doc)
    yield finding(
        R.REQUEST_TIME_BOUNDED,
        "Say how much time you are asking for: 15-20 minutes is easy to say yes to.",
        start,
        end,
        suggestion=SUGGEST_TIME,
    )


def _time_asks(doc: Doc) -> tuple[int | None, bool, tuple[int, int] | None]:
    """The longest duration asked for, whether any ask is modest, and where the long one is."""
    limit = threshold("request", "time_ask_max_min")
    longest: int | None = None
    span = None
    modest = (
        first_hit(doc, doc.sentences, "time_phrases", masked=False, negatable=False) is not None
    )
    for match in _durations(doc):
        minutes = _duration_min(match)
        if minutes is None:
            continue
        if minutes <= limit:
            modest = True
        if longest is None or minutes > longest:
            longest = minutes
            span = (match.start(), match.end())
    return longest, modest, span


def _durations(doc: Doc) -> list[re.Match[str]]:
    """Durations such as "15-20 minutes" or "an hour or two", found near their unit words.

    Looking only around "minute"/"hour" words first keeps this cheap on long texts.
    """
    found: list[re.Match[str]] = []
    for unit in UNIT_RE.finditer(doc.lower, doc.core_start, doc.sign_off_start):
        window_start = max(doc.core_start, unit.start() - DURATION_LOOKBACK_CHARS)
        window_end = min(doc.sign_off_start, unit.end() + DURATION_LOOKBACK_CHARS)
        for match in DURATION_RE.finditer(doc.plain, window_start, window_end):
            if match.start() <= unit.start() < match.end() and match not in found:
                found.append(match)
    return found


def _duration_min(match: re.Match[str]) -> int | None:
    numbers = [_number(g) for g in (match.group(1), match.group(2), match.group(4)) if g]
    values = [n for n in numbers if n is not None]
    if not values:
        return None
    per_unit = 60 if match.group(3).lower().startswith("h") else 1
    return round(max(values) * per_unit)


def _number(text: str) -> float | None:
    text = text.lower()
    if text in NUMBER_WORDS:
        return NUMBER_WORDS[text]
    try:
        return float(text)
    except ValueError:
        return None


def flexible_findings(doc: Doc) -> Iterator[Finding]:
    dictated = first_hit(doc, doc.sentences, "dictating", masked=False, negatable=False)
    # Making "no" easy ("totally fine if now isn't good") defers to them as well.
    flexible = first_hit(doc, doc.sentences, "flexible", masked=False, negatable=False) or (
        first_hit(doc, doc.sentences, "easy_out", masked=False, negatable=False)
    )
    if flexible and not dictated:
        return
    start, end = (dictated.start, dictated.end) if dictated else body_span(doc)
    yield finding(
        R.REQUEST_FLEXIBLE,
        "Let them pick the time and the format; offer to fit around their schedule.",
        start,
        end,
        suggestion=SUGGEST_FLEXIBLE,
    )


def length_findings(doc: Doc) -> Iterator[Finding]:
    start, end = body_span(doc)
    words = len(doc.plain[start:end].split())
    limit = threshold("request", "concise_max_words")
    if words > limit:
        target = threshold("request", "concise_target_words")
        yield finding(
            R.REQUEST_CONCISE,
            f"{words} words is long for a first message. Aim for under {target}: keep who "
            "you are, why them, and the ask.",
            start,
            end,
        )


def subject_findings(doc: Doc) -> Iterator[Finding]:
    """Only judged when the text carries a "Subject:" line; a bare body may have one elsewhere."""
    subject = doc.subject
    if subject is None:
        return
    if not subject.text:
        yield finding(
            R.REQUEST_SUBJECT,
            "The subject line is empty. Say who you are and what it is about.",
            subject.start,
            subject.end,
        )
    elif _is_generic_subject(subject.text):
        yield finding(
            R.REQUEST_SUBJECT,
            f'"{subject.text}" could be any email. Say who you are and what it is about.',
            subject.start,
            subject.end,
        )


def _is_generic_subject(subject: str) -> bool:
    words = re.findall(r"[a-z']+", subject.lower())
    generic = word_set("generic_subject_words")
    return len(words) <= 4 and all(word in generic for word in words)


__all__ = ["CHANNELS", "review_request"]
