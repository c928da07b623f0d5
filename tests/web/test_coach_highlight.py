"""The Coach page's highlighting: the text cut into marked segments, safely and exactly."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rapport.playbook.coach import Finding, Review, Severity, Stats, review
from rapport.web.coach import Segment, char_count, is_marked, present, segments

TEXT = "Hello Ruth. Are you hiring? Thanks!"


def _finding(start: int, end: int, severity: Severity = Severity.ERROR, rule: str = "x") -> Finding:
    return Finding(rule=rule, severity=severity, message="m", start=start, end=end)


def _marked(pieces: list[Segment]) -> list[tuple[str, str | None]]:
    return [(piece.text, piece.severity) for piece in pieces]


def test_text_without_findings_is_one_plain_segment() -> None:
    assert _marked(segments(TEXT, [])) == [(TEXT, None)]


def test_a_span_in_the_middle_is_marked_and_the_rest_is_kept() -> None:
    pieces = segments(TEXT, [_finding(12, 27)])
    assert _marked(pieces) == [
        ("Hello Ruth. ", None),
        ("Are you hiring?", "error"),
        (" Thanks!", None),
    ]


def test_spans_at_both_ends_are_marked_without_empty_pieces() -> None:
    pieces = segments(TEXT, [_finding(0, 5, Severity.TIP), _finding(28, len(TEXT))])
    assert _marked(pieces) == [
        ("Hello", "tip"),
        (" Ruth. Are you hiring? ", None),
        ("Thanks!", "error"),
    ]


def test_overlapping_spans_take_the_more_severe_where_they_overlap() -> None:
    pieces = segments(TEXT, [_finding(0, 20, Severity.TIP), _finding(12, 27, Severity.ERROR)])
    assert _marked(pieces) == [
        ("Hello Ruth. ", "tip"),
        ("Are you hiring?", "error"),
        (" Thanks!", None),
    ]


def test_a_span_inside_another_splits_it_in_three() -> None:
    pieces = segments(TEXT, [_finding(0, 27, Severity.WARNING), _finding(6, 10, Severity.ERROR)])
    assert _marked(pieces)[:3] == [
        ("Hello ", "warning"),
        ("Ruth", "error"),
        (". Are you hiring?", "warning"),
    ]


def test_a_marked_segment_names_every_rule_that_covers_it() -> None:
    pieces = segments(
        TEXT,
        [
            _finding(12, 27, Severity.ERROR, "request.no-job-ask"),
            _finding(12, 27, Severity.WARNING, "request.purpose"),
        ],
    )
    assert len(pieces[1].titles) == 2


def test_empty_and_out_of_range_spans_are_clamped_or_dropped() -> None:
    pieces = segments(TEXT, [_finding(5, 5), _finding(-3, 2), _finding(30, 999)])
    assert "".join(piece.text for piece in pieces) == TEXT
    assert _marked(pieces)[0] == ("He", "error")
    assert _marked(pieces)[-1] == (TEXT[30:], "error")


def test_emoji_and_accents_are_cut_on_character_boundaries() -> None:
    text = "Merci 🙏🏽 Zoë! Are you hiring? 😀"
    start = text.index("Are")
    end = text.index("?") + 1
    pieces = segments(text, [_finding(start, end)])
    assert _marked(pieces) == [
        ("Merci 🙏🏽 Zoë! ", None),
        ("Are you hiring?", "error"),
        (" 😀", None),
    ]


def test_the_engines_spans_on_emoji_text_line_up_with_the_words() -> None:
    text = "Hi Zoë 👋\n\nI'm a student at Leeds 🎓. Are you hiring? Thanks! 😀"
    result = present(text, review("request", text), channel="email")
    marked = [seg.text for seg in result.segments if seg.severity == "error"]
    assert any("hiring" in piece for piece in marked)


def test_warnings_about_the_whole_text_are_listed_but_not_marked() -> None:
    whole = _finding(0, len(TEXT), Severity.WARNING)
    assert not is_marked(TEXT, whole)
    assert is_marked(TEXT, _finding(0, len(TEXT), Severity.ERROR))
    assert is_marked(TEXT, _finding(12, 27, Severity.WARNING))


def test_findings_are_grouped_errors_first_with_rule_titles_and_reasons() -> None:
    text = "Dear [Name], are you hiring?"
    result = present(text, review("request", text), channel="email")
    assert result.groups[0].label == "Errors"
    severities = [group.severity for group in result.groups]
    assert severities == sorted(severities, key=["error", "warning", "tip"].index)
    rules = {view.rule: view for group in result.groups for view in group.findings}
    job_ask = rules["request.no-job-ask"]
    assert job_ask.title != job_ask.rule
    assert job_ask.why


def test_a_rule_that_fires_several_times_is_one_card_with_each_message_once() -> None:
    text = "Please reply ASAP. I need this ASAP. Reply urgently!"
    asap = [text.index("ASAP"), text.rindex("ASAP")]
    urgently = text.index("urgently")
    found = [
        Finding("request.pushy", Severity.ERROR, '"ASAP" is pushy', start, start + 4)
        for start in asap
    ] + [Finding("request.pushy", Severity.ERROR, '"urgently" is pushy', urgently, urgently + 8)]
    stats = Stats(words=9, chars=len(text), sentences=3, reading_grade=1.0, you_words=0, i_words=1)
    result = present(text, Review("request", tuple(found), stats, 20), channel="email")
    (card,) = result.groups[0].findings
    assert card.rule == "request.pushy"
    assert [(note.message, note.times) for note in card.notes] == [
        ('"ASAP" is pushy', 2),
        ('"urgently" is pushy', 1),
    ]
    assert sum(1 for segment in result.segments if segment.severity) == 3


def test_an_unknown_rule_id_shows_its_id_instead_of_failing() -> None:
    stats = Stats(words=1, chars=5, sentences=1, reading_grade=1.0, you_words=0, i_words=0)
    odd = Review(kind="request", findings=(_finding(0, 5, rule="new.rule"),), stats=stats, score=40)
    view = present("Hello", odd, channel="email").groups[0].findings[0]
    assert (view.title, view.why) == ("new.rule", "")


def test_only_linkedin_has_a_character_counter() -> None:
    assert char_count("x" * 20, channel="email") is None
    counter = char_count("x" * 330, channel="linkedin")
    assert counter is not None
    assert (counter.used, counter.limit, counter.over, counter.percent) == (330, 300, 30, 100)
    short = char_count("x" * 150, channel="linkedin")
    assert short is not None
    assert (short.over, short.percent) == (0, 50)


@given(
    text=st.text(max_size=80),
    spans=st.lists(
        st.tuples(st.integers(-5, 90), st.integers(-5, 90), st.sampled_from(list(Severity))),
        max_size=6,
    ),
)
def test_segments_always_join_back_into_the_text(
    text: str, spans: list[tuple[int, int, Severity]]
) -> None:
    pieces = segments(text, [_finding(start, end, severity) for start, end, severity in spans])
    assert "".join(piece.text for piece in pieces) == text
    assert all(piece.text for piece in pieces)
