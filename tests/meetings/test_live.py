"""The meeting itself: starting and ending it, the countdown and its cues, notes, ticks,
and the thank-you countdown that ending starts."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from rapport.accounts.models import User
from rapport.contacts.models import ContactEvent
from rapport.core import clock
from rapport.core.errors import RapportError
from rapport.meetings import live
from rapport.meetings.models import Meeting, PlanQuestion
from rapport.playbook.day import time_cues
from rapport.playbook.stages import Stage
from rapport.reminders.selectors import forget_remembered, today_actions
from tests.factories import ContactFactory, MeetingFactory

pytestmark = pytest.mark.django_db

T0 = datetime(2025, 3, 4, 14, 0, tzinfo=UTC)


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> list[datetime]:
    """The clock the app reads, as a one-item list a test can move."""
    moment = [T0]
    monkeypatch.setattr(clock, "now", lambda: moment[0])
    return moment


@pytest.fixture
def meeting(alice: User) -> Meeting:
    contact = ContactFactory(owner=alice, first_name="Marta", last_name="Silva", stage="scheduled")
    return MeetingFactory(owner=alice, contact=contact, start=T0, duration_min=30)


def question(meeting: Meeting, text: str, position: int) -> PlanQuestion:
    return PlanQuestion.objects.create(
        owner=meeting.owner, meeting=meeting, text=text, position=position
    )


def live_url(meeting: Meeting, name: str = "meeting_live") -> str:
    return reverse(f"meetings:{name}", args=[meeting.pk])


# --- starting ------------------------------------------------------------------------------


def test_starting_runs_the_countdown_from_the_tap(
    alice: User, meeting: Meeting, now: list[datetime]
) -> None:
    now[0] = T0 + timedelta(minutes=7)  # they began late
    live.meeting_start(owner=alice, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.started_at == T0 + timedelta(minutes=7)
    countdown = live.countdown(meeting, now[0])
    assert countdown is not None
    assert countdown.ends_at == T0 + timedelta(minutes=37)
    assert countdown.seconds_left == 30 * 60


def test_starting_twice_keeps_the_first_tap(
    alice: User, meeting: Meeting, now: list[datetime]
) -> None:
    live.meeting_start(owner=alice, meeting=meeting)
    now[0] = T0 + timedelta(minutes=3)
    live.meeting_start(owner=alice, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.started_at == T0


def test_a_meeting_with_no_agreed_time_takes_the_tap_as_its_time(
    alice: User, now: list[datetime]
) -> None:
    meeting = MeetingFactory(owner=alice, start=None, status=Meeting.Status.PROPOSED)
    live.meeting_start(owner=alice, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.start == meeting.started_at == T0


def test_a_cancelled_meeting_cannot_start_or_end(alice: User, meeting: Meeting) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    meeting.refresh_from_db()
    for service in (live.meeting_start, live.meeting_end):
        with pytest.raises(RapportError, match="cancelled"):
            service(owner=alice, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.ended_at is None
    assert meeting.status == Meeting.Status.CANCELLED


# --- ending --------------------------------------------------------------------------------


def test_ending_marks_it_done_and_moves_the_contact_to_met_on_the_timeline(
    alice: User, meeting: Meeting, now: list[datetime]
) -> None:
    now[0] = T0 + timedelta(minutes=34)
    live.meeting_end(owner=alice, meeting=meeting)
    meeting.refresh_from_db()
    meeting.contact.refresh_from_db()
    assert meeting.status == Meeting.Status.DONE
    assert meeting.ended_at == meeting.end == T0 + timedelta(minutes=34)
    assert meeting.contact.stage == Stage.MET
    summaries = set(meeting.contact.events.values_list("kind", "summary"))
    assert (ContactEvent.Kind.STAGE, "Scheduled → Met") in summaries
    assert (ContactEvent.Kind.MEETING, "Meeting held") in summaries


def test_ending_twice_is_harmless(alice: User, meeting: Meeting, now: list[datetime]) -> None:
    live.meeting_end(owner=alice, meeting=meeting)
    events = meeting.contact.events.count()
    now[0] = T0 + timedelta(hours=2)
    live.meeting_end(owner=alice, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.ended_at == T0
    assert meeting.contact.events.count() == events


def test_ending_never_moves_a_contact_back_from_thanked(alice: User, meeting: Meeting) -> None:
    meeting.contact.stage = Stage.THANKED
    meeting.contact.save()
    live.meeting_end(owner=alice, meeting=meeting)
    meeting.contact.refresh_from_db()
    assert meeting.contact.stage == Stage.THANKED


def test_the_services_refuse_someone_elses_meeting(bob: User, meeting: Meeting) -> None:
    first = question(meeting, "How did you start?", 0)
    calls = [
        lambda: live.meeting_start(owner=bob, meeting=meeting),
        lambda: live.meeting_end(owner=bob, meeting=meeting),
        lambda: live.meeting_notes_save(owner=bob, meeting=meeting, notes="x"),
        lambda: live.question_notes_save(owner=bob, question=first, notes="x"),
        lambda: live.question_mark_asked(owner=bob, question=first, asked=True),
    ]
    for call in calls:
        with pytest.raises(RapportError) as raised:
            call()
        assert raised.value.code == "not_found"
    meeting.refresh_from_db()
    assert meeting.started_at is None
    assert meeting.ended_at is None
    assert not meeting.notes


def test_end_meeting_on_the_page_leads_to_the_thank_you_countdown(
    alice_client: Client, meeting: Meeting, now: list[datetime]
) -> None:
    now[0] = T0 + timedelta(minutes=30)
    response = alice_client.post(live_url(meeting, "meeting_end"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("meetings:meeting_detail", args=[meeting.pk])
    page = response.content.decode()
    deadline = T0 + timedelta(minutes=30, hours=24)
    assert f'datetime="{deadline.isoformat()}"' in page
    assert "24 h left" in page
    assert "Write the thank-you" in page


def test_ending_a_cancelled_meeting_on_the_page_says_why(
    alice_client: Client, meeting: Meeting
) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    response = alice_client.post(live_url(meeting, "meeting_end"), follow=True)
    assert response.status_code == 200
    assert "cancelled" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.ended_at is None


def test_today_asks_for_the_thank_you_within_a_day_of_the_real_end(
    alice: User, meeting: Meeting, now: list[datetime]
) -> None:
    now[0] = T0 + timedelta(minutes=50)  # it ran over: the day counts from the real end
    live.meeting_end(owner=alice, meeting=meeting)
    forget_remembered()
    shown = today_actions(owner=alice, now=T0 + timedelta(hours=2))
    thanks = [a for a in shown.now_due if a.kind == "thanks"]
    assert [a.contact.pk for a in thanks] == [meeting.contact.pk]
    assert thanks[0].left == timedelta(hours=22, minutes=50)
    later = today_actions(owner=alice, now=T0 + timedelta(hours=25))
    late = [a for a in later.now_due if a.kind == "thanks"]
    assert late[0].left == timedelta(minutes=-10)


# --- the page: countdown and cues ----------------------------------------------------------


def data(page: str, name: str) -> str:
    found = re.search(rf'id="countdown"[^>]*?{name}="([^"]*)"', page, re.S)
    assert found, f"no {name} on the countdown"
    return found.group(1)


def test_the_countdown_carries_iso_times_from_the_server(
    alice_client: Client, meeting: Meeting, now: list[datetime]
) -> None:
    now[0] = T0 + timedelta(minutes=10)
    page = alice_client.get(live_url(meeting)).content.decode()
    assert datetime.fromisoformat(data(page, "data-ends-at")) == T0 + timedelta(minutes=30)
    assert datetime.fromisoformat(data(page, "data-starts-at")) == T0
    assert datetime.fromisoformat(data(page, "data-server-now")) == now[0]
    assert data(page, "data-duration-seconds") == "1800"
    cue_times = [datetime.fromisoformat(at) for at in re.findall(r'<li data-at="([^"]+)"', page)]
    assert cue_times == [at for at, _ in time_cues(T0, 30)]
    assert ">20:00<" in page  # the time left when the page was made, for a page without script


def test_a_due_cue_is_shown_calmly_and_announced(
    alice_client: Client, meeting: Meeting, now: list[datetime]
) -> None:
    quiet = alice_client.get(live_url(meeting)).content.decode()
    assert re.search(r'id="time-cue"[^>]*aria-live="polite"[^>]*hidden', quiet)
    now[0] = T0 + timedelta(minutes=26)  # four minutes left
    page = alice_client.get(live_url(meeting)).content.decode()
    wrap_up = time_cues(T0, 30)[0][1]
    banner = re.search(r'<p id="time-cue"[^>]*>(.*?)</p>', page, re.S)
    assert banner
    assert banner.group(1) == wrap_up
    assert "hidden" not in banner.group(0)


def test_the_page_offers_start_then_only_end(
    alice_client: Client, meeting: Meeting, now: list[datetime]
) -> None:
    page = alice_client.get(live_url(meeting)).content.decode()
    assert ">Start</button>" in page
    assert ">End meeting</button>" in page
    alice_client.post(live_url(meeting, "meeting_start"))
    page = alice_client.get(live_url(meeting)).content.decode()
    assert ">Start</button>" not in page
    assert ">End meeting</button>" in page


# --- notes and ticks -----------------------------------------------------------------------

JSON = {"Accept": "application/json"}


def test_notes_autosave_answers_json_and_keeps_the_text(
    alice_client: Client, meeting: Meeting, now: list[datetime]
) -> None:
    first = question(meeting, "How did you start?", 0)
    url = live_url(meeting, "meeting_notes")
    response = alice_client.post(
        url, {"question": first.pk, "notes": "Started in GIS\r\nthen data"}, headers=JSON
    )
    assert response.status_code == 200
    assert datetime.fromisoformat(response.json()["saved_at"]) == T0
    first.refresh_from_db()
    assert first.notes == "Started in GIS\nthen data"
    alice_client.post(url, {"notes": "Ask about the meetup"}, headers=JSON)
    meeting.refresh_from_db()
    assert meeting.notes == "Ask about the meetup"


def test_notes_need_the_csrf_token(alice: User, meeting: Meeting) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    url = live_url(meeting, "meeting_notes")
    assert client.post(url, {"notes": "forged"}, headers=JSON).status_code == 403
    client.get(live_url(meeting))  # the page sets the token cookie
    token = client.cookies["csrftoken"].value
    response = client.post(url, {"notes": "mine"}, headers={**JSON, "X-CSRFToken": token})
    assert response.status_code == 200
    meeting.refresh_from_db()
    assert meeting.notes == "mine"


def test_notes_on_someone_elses_meeting_or_question_are_not_found(
    alice: User, bob: User, bob_client: Client, meeting: Meeting
) -> None:
    first = question(meeting, "How did you start?", 0)
    url = live_url(meeting, "meeting_notes")
    assert bob_client.post(url, {"notes": "x"}, headers=JSON).status_code == 404
    bobs = MeetingFactory(owner=bob)
    response = bob_client.post(
        live_url(bobs, "meeting_notes"), {"question": first.pk, "notes": "x"}, headers=JSON
    )
    assert response.status_code == 404
    first.refresh_from_db()
    assert first.notes == ""


def test_notes_over_the_limit_are_refused_with_a_clear_message(
    alice_client: Client, meeting: Meeting
) -> None:
    first = question(meeting, "How did you start?", 0)
    url = live_url(meeting, "meeting_notes")
    too_long = "x" * (live.NOTES_MAX_CHARS + 1)
    response = alice_client.post(url, {"question": first.pk, "notes": too_long}, headers=JSON)
    assert response.status_code == 400
    assert "longer than" in response.json()["error"]
    plain = alice_client.post(url, {"question": first.pk, "notes": too_long})
    assert plain.status_code == 400
    assert "longer than" in plain.content.decode()
    assert too_long in plain.content.decode()  # what they typed is not lost
    first.refresh_from_db()
    assert first.notes == ""


def test_a_plain_save_goes_back_to_the_question(alice_client: Client, meeting: Meeting) -> None:
    first = question(meeting, "How did you start?", 0)
    response = alice_client.post(
        live_url(meeting, "meeting_notes"), {"question": first.pk, "notes": "GIS"}
    )
    assert response["Location"].endswith(f"#question-{first.pk}")


def test_ticking_a_question_points_at_the_next_one(
    alice_client: Client, meeting: Meeting, now: list[datetime]
) -> None:
    first = question(meeting, "How did you start?", 0)
    second = question(meeting, "What would you do differently?", 1)
    page = alice_client.get(live_url(meeting)).content.decode()
    assert re.search(r'id="ask-now".*?How did you start\?', page, re.S)
    response = alice_client.post(
        live_url(meeting, "meeting_asked"),
        {"question": first.pk, "asked": "on"},
        headers={"HX-Request": "true"},
    )
    fragment = response.content.decode()
    assert 'aria-pressed="true"' in fragment
    assert 'hx-swap-oob="true"' in fragment
    assert re.search(r'id="ask-now".*?What would you do differently\?', fragment, re.S)
    first.refresh_from_db()
    assert first.asked_at == T0
    alice_client.post(live_url(meeting, "meeting_asked"), {"question": first.pk})
    first.refresh_from_db()
    assert first.asked_at is None
    assert second.asked_at is None
