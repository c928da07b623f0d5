"""The Coach page: a draft in, advice out, with or without JavaScript."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from rapport.accounts.models import User

pytestmark = pytest.mark.django_db

PAGE_URL = reverse("web:coach")
REVIEW_URL = reverse("web:coach_review")
JOB_ASK = "Hi Ruth,\n\nI'm a final-year student at Leeds. Are you hiring?\n\nThanks,\nMaya"
HTMX = {"HX-Request": "true"}


def _form(text: str = JOB_ASK, kind: str = "request", channel: str = "email") -> dict[str, str]:
    return {"text": text, "kind": kind, "channel": channel}


def test_the_page_shows_an_empty_form_and_a_hint(alice_client: Client) -> None:
    response = alice_client.get(PAGE_URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Coach</h1>" in page
    assert 'id="coach-text"' in page
    assert 'name="kind"' in page
    assert 'name="channel"' in page
    assert "Advice appears here" in page
    assert "<mark" not in page


def test_the_form_live_reviews_through_htmx_and_posts_without_it(alice_client: Client) -> None:
    page = alice_client.get(PAGE_URL).content.decode()
    form = re.search(r"<form class=\"card coach-form\"[^>]*>", page)
    assert form is not None
    tag = form.group(0)
    assert f'action="{PAGE_URL}"' in tag
    assert 'method="post"' in tag
    assert f'hx-post="{REVIEW_URL}"' in tag
    assert "input changed delay:300ms from:#coach-text" in tag
    assert 'name="csrfmiddlewaretoken"' in page
    assert "X-CSRFToken" in page


def test_coach_is_in_the_navigation_after_meetings(alice_client: Client) -> None:
    page = alice_client.get(PAGE_URL).content.decode()
    meetings = page.index(f'href="{reverse("meetings:meeting_list")}"')
    coach = page.index(f'href="{PAGE_URL}" aria-current="page"')
    assert meetings < coach


def test_posting_without_javascript_renders_the_page_with_highlighted_findings(
    alice_client: Client,
) -> None:
    response = alice_client.post(PAGE_URL, _form())
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Coach</h1>" in page, "the whole page comes back"
    assert re.search(r'<mark class="sev-error"[^>]*>Are you hiring\?</mark>', page)
    assert 'data-rule="request.no-job-ask"' in page
    assert "Fix 1 thing first" in page
    assert "<details><summary>Why this matters</summary>" in page
    assert ">Are you hiring?</textarea>" not in page
    assert "Are you hiring?\n\nThanks,\nMaya</textarea>" in page, "the draft stays in the box"


def test_findings_are_grouped_with_a_suggestion_to_try(alice_client: Client) -> None:
    page = alice_client.post(PAGE_URL, _form()).content.decode()
    errors = page.index('id="group-error"')
    warnings = page.index('id="group-warning"')
    assert errors < warnings
    assert '<span class="try">Try:</span>' in page


def test_an_htmx_request_gets_only_the_results_fragment(alice_client: Client) -> None:
    response = alice_client.post(REVIEW_URL, _form(), headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith('<section id="coach-results"')
    assert "<nav" not in html
    assert "<textarea" not in html
    assert 'data-rule="request.no-job-ask"' in html
    assert 'id="coach-status"' in html
    assert 'hx-swap-oob="innerHTML"' in html


def test_removing_the_job_ask_removes_the_finding(alice_client: Client) -> None:
    text = JOB_ASK.replace(" Are you hiring?", "")
    html = alice_client.post(REVIEW_URL, _form(text), headers=HTMX).content.decode()
    assert "request.no-job-ask" not in html


def test_the_users_text_is_escaped_not_run(alice_client: Client) -> None:
    text = 'Hi <script>alert("x")</script> <b>Ruth</b>. Are you hiring?'
    page = alice_client.post(PAGE_URL, _form(text)).content.decode()
    assert "<script>alert" not in page
    assert "<b>Ruth</b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    fragment = alice_client.post(REVIEW_URL, _form(text), headers=HTMX).content.decode()
    assert "<script>alert" not in fragment
    assert "&lt;b&gt;Ruth&lt;/b&gt;" in fragment


def test_windows_line_breaks_count_as_one_character(alice_client: Client) -> None:
    response = alice_client.post(PAGE_URL, _form("Hi Ruth,\r\nThanks!", channel="linkedin"))
    result = response.context["result"]
    assert result.review.stats.chars == len("Hi Ruth,\nThanks!")
    assert result.char_count.used == len("Hi Ruth,\nThanks!")


def test_a_linkedin_note_shows_a_character_counter(alice_client: Client) -> None:
    note = "I loved your talk on grid storage and would value your advice. " * 6
    html = alice_client.post(REVIEW_URL, _form(note, channel="linkedin")).content.decode()
    assert f"<strong>{len(note)}</strong> of 300 characters" in html
    assert f"{len(note) - 300} too many for a LinkedIn note" in html
    email = alice_client.post(REVIEW_URL, _form(note, channel="email")).content.decode()
    assert "of 300 characters" not in email


def test_each_kind_is_reviewed(alice_client: Client) -> None:
    for kind, text, rule in (
        ("followup", "Just following up since you never replied. ASAP please.", "followup.guilt"),
        ("thanks", "Thanks for the chat! Do you have any openings?", "thanks.no-job-ask"),
        ("question", "What does your company do?", "question.googleable"),
    ):
        html = alice_client.post(REVIEW_URL, _form(text, kind=kind)).content.decode()
        assert f'data-rule="{rule}"' in html, kind


def test_an_empty_text_gets_a_note_not_an_error(alice_client: Client) -> None:
    response = alice_client.post(REVIEW_URL, _form(""), headers=HTMX)
    assert response.status_code == 200
    assert b"nothing to check yet" in response.content
    assert b"<mark" not in response.content


def test_non_english_text_says_only_english_is_checked(alice_client: Client) -> None:
    text = "Hola, me gustaría hablar contigo sobre tu trabajo. ¿Tienes tiempo?"
    html = alice_client.post(REVIEW_URL, _form(text)).content.decode()
    assert "Only English is checked" in html
    assert "Nothing to change" not in html


def test_a_bad_kind_or_overlong_text_is_explained(alice_client: Client) -> None:
    html = alice_client.post(REVIEW_URL, _form(kind="sonnet"), headers=HTMX).content.decode()
    assert 'class="form-errors"' in html
    assert "sonnet is not one of the available choices" in html
    long = alice_client.post(REVIEW_URL, _form("a" * 20_001), headers=HTMX).content.decode()
    assert "at most 20000 characters" in long


def test_the_review_url_only_takes_posts(alice_client: Client) -> None:
    assert alice_client.get(REVIEW_URL).status_code == 405


def test_an_anonymous_visitor_is_sent_to_log_in(client: Client) -> None:
    for url in (PAGE_URL, REVIEW_URL):
        response = client.post(url, _form())
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_the_coach_needs_the_csrf_token(alice: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(REVIEW_URL, _form(), headers=HTMX).status_code == 403
