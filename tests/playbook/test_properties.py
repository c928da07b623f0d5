"""Properties that hold for any text: the coach never crashes and its spans are real."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from rapport.playbook.coach import CHANNELS, KINDS, review
from rapport.playbook.questions import review_questions

# Text with the characters that trip parsers: quotes of every kind, brackets, newlines,
# emoji, right-to-left script, combining marks.
tricky = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(list("\n\r\t\"'’“”[]{}<>_-—!?.,:;XIi hiring CV ")),
    ),
    max_size=400,
)
wordy = st.lists(
    st.sampled_from(
        [
            "Hi",
            "Dear",
            "Subject:",
            "I'm",
            "not",
            "hiring",
            "refer",
            "me",
            "CV",
            "thanks",
            "____",
            "[Name]",
            "15",
            "minutes",
            "whenever",
            "suits",
            "you",
            "!!",
            "REALLY",
            "\n",
            ".",
            ",",
            "“quoted”",
            "but",
            "are",
            "you",
            "your",
            "talk",
            "Best,",
            "Tom",
            "XX",
            "😀",
        ]
    ),
    max_size=80,
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(
    text=st.one_of(tricky, wordy), kind=st.sampled_from(KINDS), channel=st.sampled_from(CHANNELS)
)
def test_any_text_gets_a_review_with_spans_inside_it(text: str, kind: str, channel: str) -> None:
    result = review(kind, text, channel=channel)
    assert 0 <= result.score <= 100
    assert result.stats.chars == len(text)
    for finding in result.findings:
        assert 0 <= finding.start <= finding.end <= len(text)
    if result.has_errors:
        assert result.score < 50


@settings(max_examples=100, deadline=None)
@given(
    questions=st.lists(st.one_of(tricky, wordy), max_size=12),
    slot=st.one_of(st.none(), st.integers(min_value=5, max_value=90)),
)
def test_a_plan_always_fits_after_its_drops(questions: list[str], slot: int | None) -> None:
    result = review_questions(questions, slot_min=slot)
    assert sorted(result.keep + result.drop) == list(range(len(questions)))
    overhead, per_question = 4, 3  # the playbook's defaults: 2 + 2 minutes, 3 per answer
    if slot is None:
        assert result.drop == ()
        return
    kept_min = overhead + per_question * len(result.keep)
    assert kept_min <= slot  # whatever is kept fits
    if result.drop:  # and nothing was cut that did not need to be
        assert kept_min + per_question > slot
