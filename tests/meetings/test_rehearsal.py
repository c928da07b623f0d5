"""Saving a rehearsal (all timings or none) and the result page: times against
estimates, the total against the slot, what to cut, and "Use my pace"."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from rapport.accounts.models import User
from rapport.core.errors import RapportError
from rapport.meetings import plans, rehearsals
from rapport.meetings.models import Meeting, PlanQuestion, Rehearsal, RehearsalTiming
from rapport.meetings.plans import minutes_and_seconds
from rapport.playbook.question_bank import cut_suggestions
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def _plan(owner: User, meeting: Meeting, *specs: tuple[str, int, int]) -> list[PlanQuestion]:
    return [
        plans.question_add(owner=owner, meeting=meeting, text=t, priority=p, answer_min=m)
        for t, p, m in specs
    ]


THREE = (
    ("What does a typical week look like for you?", 1, 3),
    ("What trends do you see in this field?", 2, 3),
    ("Who else should I talk to?", 3, 3),
)


def test_a_rehearsal_saves_its_timings_with_their_pace_keys(alice: User) -> None:
    meeting = MeetingFactory(owner=alice)
    first, second, _third = _plan(alice, meeting, *THREE)
    saved = rehearsals.rehearsal_save(
        owner=alice, meeting=meeting, timings=[(first.pk, 200), (second.pk, 95)]
    )
    assert saved.total_seconds == 295
    assert saved.finished_at is not None
    timings = {t.question_id: (t.seconds, t.pace_key) for t in saved.timings.all()}
    assert timings == {first.pk: (200, first.pace_key), second.pk: (95, second.pace_key)}


@pytest.mark.parametrize(
    "bad",
    [
        "bobs",  # a question of Bob's
        "other meeting",  # Alice's, but another meeting's
        "duplicate",
        "too long",
        "negative",
        "empty",
    ],
)
def test_bad_timings_are_refused_and_nothing_is_written(alice: User, bob: User, bad: str) -> None:
    meeting = MeetingFactory(owner=alice)
    mine = _plan(alice, meeting, *THREE)[0]
    bobs = _plan(bob, MeetingFactory(owner=bob), THREE[0])[0]
    elsewhere = _plan(alice, MeetingFactory(owner=alice), THREE[0])[0]
    timings = {
        "bobs": [(mine.pk, 60), (bobs.pk, 60)],
        "other meeting": [(mine.pk, 60), (elsewhere.pk, 60)],
        "duplicate": [(mine.pk, 60), (mine.pk, 70)],
        "too long": [(mine.pk, 3601)],
        "negative": [(mine.pk, -1)],
        "empty": [],
    }[bad]
    with pytest.raises(RapportError) as caught:
        rehearsals.rehearsal_save(owner=alice, meeting=meeting, timings=timings)
    assert "timings" in caught.value.fields
    assert not Rehearsal.objects.exists()
    assert not RehearsalTiming.objects.exists()


def test_bob_cannot_rehearse_alices_meeting(alice: User, bob: User) -> None:
    meeting = MeetingFactory(owner=alice)
    mine = _plan(alice, meeting, *THREE)[0]
    with pytest.raises(RapportError):
        rehearsals.rehearsal_save(owner=bob, meeting=meeting, timings=[(mine.pk, 60)])
    assert not Rehearsal.objects.exists()


def test_the_page_posts_form_fields_and_shows_the_result(alice: User, alice_client: Client) -> None:
    meeting = MeetingFactory(owner=alice, duration_min=15)
    first, second, third = _plan(alice, meeting, *THREE)
    response = alice_client.post(
        reverse("meetings:rehearse", args=[meeting.pk]),
        {f"seconds-{first.pk}": "420", f"seconds-{second.pk}": "", f"seconds-{third.pk}": "240"},
    )
    saved = Rehearsal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:rehearsal_detail", args=[saved.pk])
    page = alice_client.get(response["Location"]).content.decode()
    assert "7 min" in page
    assert "skipped" in page
    assert "4 min" in page
    # 4 + 7 + 3 (skipped: its estimate) + 4 = 18 for a 15-minute slot.
    assert "Over by 3 minutes" in page
    expected = cut_suggestions(
        [(str(first.pk), 1, 7.0), (str(second.pk), 2, 3.0), (str(third.pk), 3, 4.0)], 15
    )
    assert expected == [str(third.pk)]
    assert "#3 Who else should I talk to?" in page
    assert reverse("meetings:plan_use_pace", args=[meeting.pk]) in page


def test_the_page_refuses_bob_question_ids_with_a_clear_error(
    alice: User, bob: User, alice_client: Client
) -> None:
    meeting = MeetingFactory(owner=alice)
    mine = _plan(alice, meeting, *THREE)[0]
    bobs = _plan(bob, MeetingFactory(owner=bob), THREE[0])[0]
    response = alice_client.post(
        reverse("meetings:rehearse", args=[meeting.pk]),
        {f"seconds-{mine.pk}": "60", f"seconds-{bobs.pk}": "60"},
    )
    assert response.status_code == 200
    assert "no longer in this plan" in response.content.decode()
    response = alice_client.post(
        reverse("meetings:rehearse", args=[meeting.pk]), {f"seconds-{mine.pk}": "soon"}
    )
    assert "whole number of seconds" in response.content.decode()
    assert not Rehearsal.objects.exists()


def test_use_my_pace_after_a_rehearsal_sets_the_estimates(
    alice: User, alice_client: Client
) -> None:
    meeting = MeetingFactory(owner=alice)
    first, second, _third = _plan(alice, meeting, *THREE)
    for seconds in (360, 420, 390):
        rehearsals.rehearsal_save(owner=alice, meeting=meeting, timings=[(first.pk, seconds)])
    alice_client.post(reverse("meetings:plan_use_pace", args=[meeting.pk]))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.answer_min == round(390 / 60)  # the median of three
    assert second.answer_min == 3  # never rehearsed: left alone
    page = alice_client.get(reverse("meetings:plan_detail", args=[meeting.pk])).content.decode()
    assert page.count('href="/meetings/rehearsals/') == 3  # listed on the plan page


def test_the_rehearse_page_runs_with_a_script_and_works_without(
    alice: User, alice_client: Client
) -> None:
    meeting = MeetingFactory(owner=alice)
    questions = _plan(alice, meeting, *THREE)
    page = alice_client.get(reverse("meetings:rehearse", args=[meeting.pk])).content.decode()
    assert "js/rehearse.js" in page
    assert "<script>" not in page
    assert 'role="timer"' in page
    assert 'aria-live="polite"' in page
    for q in questions:
        assert f'name="seconds-{q.pk}"' in page


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=10_000))
def test_durations_read_back_to_their_seconds(seconds: int) -> None:
    label = minutes_and_seconds(seconds)
    minutes = int(label.split(" min")[0]) if " min" in label else 0
    rest = int(label.split()[-2]) if label.endswith(" s") else 0
    assert minutes * 60 + rest == seconds
