"""Each request rule with a case that should fire, one that should not, and a tricky one."""

from __future__ import annotations

import pytest

from rapport.playbook.context import Recipient
from rapport.playbook.request import review_request

GOOD = (
    "Subject: Leeds student curious about your move into ESG\n\n"
    "Hi Ruth,\n\n"
    "I'm a final-year economics student at Leeds, and I enjoyed your article on supplier "
    "audits. Would you have 20 minutes for a call in the next few weeks, whenever suits "
    "you? I'd love to hear how you moved into ESG work.\n\nThank you,\nMaya"
)


def rules(text: str, **options: object) -> set[str]:
    return set(review_request(text, **options).rule_ids())  # type: ignore[arg-type]


def test_a_good_request_is_ready_to_send() -> None:
    review = review_request(GOOD)
    assert review.findings == ()
    assert review.score == 100
    assert review.verdict == "Ready to send"


@pytest.mark.parametrize(
    "sentence",
    [
        "Are you hiring at the moment?",
        "Could you refer me to your recruiter?",
        "Would you pass my CV on to the hiring manager?",
        "I've attached my resume for your consideration.",
        "Please keep me in mind if a position opens up.",
        "I would love to work for your company.",
        "Let me know if any roles open up on your team.",
    ],
)
def test_a_job_ask_is_an_error(sentence: str) -> None:
    review = review_request(GOOD.replace("Thank you,", f"{sentence}\n\nThank you,"))
    assert "request.no-job-ask" in review.rule_ids()
    assert review.score < 50
    assert review.has_errors


@pytest.mark.parametrize(
    "sentence",
    [
        "I'm not looking for a job, just your perspective.",
        "I know you're not hiring, and I'm not asking for a position.",
        'My tutor said "never ask if they are hiring", so I won\'t.',
        "I'm not job hunting yet.",
    ],
)
def test_denying_a_job_ask_is_not_one(sentence: str) -> None:
    assert "request.no-job-ask" not in rules(
        GOOD.replace("Thank you,", f"{sentence}\n\nThank you,")
    )


def test_a_job_ask_after_but_is_still_an_ask() -> None:
    text = GOOD.replace("Thank you,", "I know you're busy, but are you hiring?\n\nThank you,")
    assert "request.no-job-ask" in rules(text)


def test_the_job_ask_finding_offers_the_text_without_that_sentence() -> None:
    text = GOOD.replace("Thank you,", "Are you hiring?\n\nThank you,")
    finding = next(f for f in review_request(text).findings if f.rule == "request.no-job-ask")
    assert text[finding.start : finding.end] == "Are you hiring?"
    assert finding.suggestion is not None
    assert "hiring" not in finding.suggestion
    assert "Thank you" in finding.suggestion


@pytest.mark.parametrize(
    "blank",
    ["____", "[Name]", "{company}", "{{first_name}}", "<your school>", "XX", "(insert name)"],
)
def test_template_blanks_are_errors_and_point_at_the_blank(blank: str) -> None:
    text = GOOD.replace("Ruth", blank, 1)
    finding = next(
        f for f in review_request(text).findings if f.rule == "request.unfilled-placeholder"
    )
    assert text[finding.start : finding.end] == blank


@pytest.mark.parametrize(
    "text", ["I scored [sic] well.", "See note [1].", "Email me at <a@b.org>."]
)
def test_things_that_only_look_like_blanks_are_not(text: str) -> None:
    assert "request.unfilled-placeholder" not in rules(GOOD + "\n" + text)


@pytest.mark.parametrize(
    "sentence",
    [
        "I will call your office tomorrow at 9am.",
        "Please reply by Friday.",
        "I REALLY need this.",
        "This is urgent!!!",
        "It's the least you can do for a fellow alum.",
        "I need 30 minutes with you ASAP.",
    ],
)
def test_pressure_is_pushy(sentence: str) -> None:
    assert "request.pushy" in rules(GOOD.replace("Thank you,", f"{sentence}\n\nThank you,"))


def test_acronyms_and_one_exclamation_are_not_shouting() -> None:
    text = GOOD.replace("ESG work.", "ESG work at KPMG and in the UK. Thanks so much!")
    assert "request.pushy" not in rules(text)


def test_linkedin_notes_over_300_characters_are_an_error_from_the_limit_on() -> None:
    text = "Hi Sam, " + "I'd love to hear about your work in policy. " * 10
    finding = next(
        f
        for f in review_request(text, channel="linkedin").findings
        if f.rule == "request.channel-limit"
    )
    assert finding.start == 300
    assert finding.end == len(text)
    assert "request.channel-limit" not in rules(text, channel="email")


def test_a_long_subject_line_is_cut_on_phones() -> None:
    text = GOOD.replace(
        "Leeds student curious about your move into ESG",
        "A final-year Leeds student who is very curious about your move into ESG work",
    )
    assert "request.channel-limit" in rules(text)


def test_a_message_that_could_go_to_anyone_is_not_personalised() -> None:
    text = (
        "Hello,\n\nI'm a student interested in your industry. Would you have 20 minutes "
        "for a call, whenever suits you? Thank you."
    )
    assert "request.personalised" in rules(text)


@pytest.mark.parametrize(
    "line",
    [
        "Sarah Kim suggested I get in touch.",
        "We both studied chemistry at Durham.",
        "I noticed you moved from audit into analytics.",
        "I read your piece on hospital procurement.",
    ],
)
def test_one_specific_line_personalises_it(line: str) -> None:
    text = (
        f"Hello,\n\nI'm a student exploring analytics. {line} Would you have 20 minutes "
        "for a call, whenever suits you? Thank you."
    )
    assert "request.personalised" not in rules(text)


def test_a_blank_where_the_detail_should_be_does_not_count_as_personal() -> None:
    text = (
        "Hi ____,\n\nI'm a student. I admire your work at [Company]. Would you have 20 "
        "minutes, whenever suits you? Thanks."
    )
    assert "request.personalised" in rules(text)


def test_the_recipients_company_makes_it_personal_when_known() -> None:
    text = (
        "Hello,\n\nI'm a student exploring retail analytics and would love to hear how "
        "analytics works at scale in grocery. Would you have 20 minutes, whenever suits "
        "you? Thanks."
    )
    assert "request.personalised" in rules(text)
    recipient = Recipient(name="Sam", company="grocery")
    assert "request.personalised" not in rules(text, recipient=recipient)


def test_no_self_introduction_is_a_warning() -> None:
    text = GOOD.replace("I'm a final-year economics student at Leeds, and I", "I")
    assert "request.self-intro" in rules(text)


@pytest.mark.parametrize(
    ("ask", "fires"),
    [
        ("Would you have 20 minutes", False),
        ("Could we grab a coffee", False),
        ("Would you be open to a short call", False),
        ("Could we meet for an hour or two", True),
        ("Could we meet", True),
    ],
)
def test_the_time_ask_must_be_modest_and_stated(ask: str, fires: bool) -> None:
    text = GOOD.replace("Would you have 20 minutes for a call", ask)
    assert ("request.time-bounded" in rules(text)) is fires


def test_dictating_one_time_is_not_flexible() -> None:
    text = GOOD.replace("whenever suits you?", "on Tuesday at 2pm? That's the only time I can do.")
    assert "request.flexible" in rules(text)


@pytest.mark.parametrize(
    "closing",
    [
        "Happy to work around your schedule.",
        "Phone or video, whatever is easiest.",
        "No pressure at all.",
    ],
)
def test_deferring_to_them_is_flexible(closing: str) -> None:
    text = GOOD.replace(", whenever suits you?", f"? {closing}")
    assert "request.flexible" not in rules(text)


def test_over_100_words_is_not_concise() -> None:
    padding = " I have been reading a great deal about this area in recent months." * 8
    text = GOOD.replace("ESG work.", "ESG work." + padding)
    assert "request.concise" in rules(text)
    assert "request.concise" not in rules(GOOD)


def test_no_thanks_is_a_tip() -> None:
    text = GOOD.replace("Thank you,", "Best,")
    review = review_request(text)
    assert "request.gratitude" in review.rule_ids()
    assert not review.has_errors


def test_a_generic_subject_is_a_tip() -> None:
    assert "request.subject" in rules(GOOD.replace(GOOD.splitlines()[0], "Subject: Quick question"))


def test_a_request_all_about_the_sender_gets_a_tip() -> None:
    text = (
        "Hi Jo,\n\nI am a designer and I have worked in retail for six years. I think I am "
        "ready for a change and I want to learn more. I have read a lot and I have taken "
        "two courses, and I feel I am close. Would you have 15 minutes for a call, "
        "whenever suits you? Thanks."
    )
    assert "request.about-them" in rules(text)


def test_a_phone_script_reminds_to_have_questions_ready() -> None:
    assert "request.phone-ready" in rules(GOOD, channel="phone")


def test_curly_quotes_and_emoji_do_not_confuse_it() -> None:
    text = GOOD.replace("I'm", "I\u2019m").replace("Thank you,", "Thank you \U0001f64f,")
    review = review_request(text)
    assert review.findings == ()
    assert review.stats.chars == len(text)


def test_non_english_text_gets_a_notice_instead_of_findings() -> None:
    review = review_request(
        "Hola Marta, soy estudiante de economía y me encantaría conocer tu experiencia "
        "en el sector. ¿Tendrías veinte minutos para una llamada?"
    )
    assert review.findings == ()
    assert any("Only English" in notice for notice in review.notices)


def test_empty_text_gets_a_notice() -> None:
    review = review_request("   \n ")
    assert review.findings == ()
    assert review.notices


def test_very_long_input_is_reviewed_without_trouble() -> None:
    review = review_request(GOOD * 300)
    assert "request.concise" in review.rule_ids()
    assert all(0 <= f.start <= f.end <= len(GOOD * 300) for f in review.findings)


def test_length_limits_apply_to_text_in_any_language() -> None:
    note = "Hola Marta, me encantaría conocer tu experiencia en el sector energético. " * 6
    review = review_request(note, channel="linkedin")
    assert [f.rule for f in review.findings] == ["request.channel-limit"]
    assert review.notices
