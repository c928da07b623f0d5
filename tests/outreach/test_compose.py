"""Starting, approving, sending, logging and answering messages (outreach services)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from rapport.accounts.models import User
from rapport.contacts.models import Contact, ContactEvent
from rapport.core.errors import RapportError
from rapport.meetings.models import Meeting
from rapport.outreach import composer, services
from rapport.outreach.models import Message, MessageTemplate
from rapport.playbook.coach import review_request
from rapport.playbook.stages import Stage
from tests.factories import ContactFactory, MeetingFactory, MessageFactory
from tests.outreach.conftest import CLEAN_REQUEST, JOB_ASK_REQUEST

pytestmark = pytest.mark.django_db

CLEAN, JOB_ASK = CLEAN_REQUEST, JOB_ASK_REQUEST


def draft(owner: User, contact: Contact, body: str = CLEAN, **values: Any) -> Message:
    values.setdefault("kind", Message.Kind.REQUEST)
    values.setdefault("channel", Message.Channel.LINKEDIN)
    return MessageFactory(owner=owner, contact=contact, body=body, **values)


def sent_request(owner: User, contact: Contact, days_ago: float) -> Message:
    return draft(
        owner,
        contact,
        status=Message.Status.SENT,
        sent_at=timezone.now() - timedelta(days=days_ago),
    )


# --- templates and placeholders --------------------------------------------------------------


def test_placeholders_are_filled_and_the_unknown_ones_left_as_visible_notes() -> None:
    filled = composer.fill("Hi {first_name}, {common_ground}. {my_intro}", {"first_name": "Marta"})
    intro = "[one sentence on who you are and where you are now]"
    assert filled == f"Hi Marta, [what you have in common]. {intro}"


def test_every_built_in_template_uses_only_known_placeholders() -> None:
    templates = composer.builtin_templates()
    kinds = {t.kind for t in templates}
    assert kinds == set(Message.Kind.values)  # a starting point for every kind
    for template in templates:
        names = composer.PLACEHOLDER_RE.findall(template.subject + template.body)
        assert set(names) <= set(composer.UNFILLED), template.id
        assert template.channel in {*Message.Channel.values, composer.ANY_CHANNEL}, template.id


def test_a_filled_linkedin_note_fits_linkedins_limit(alice: User, marta: Contact) -> None:
    alice.profile.target_industries = ["energy storage"]
    alice.profile.display_name = "Ana Reyes"
    alice.profile.save()
    message = services.message_start(
        owner=alice, contact=marta, kind=Message.Kind.REQUEST, channel=Message.Channel.LINKEDIN
    )
    assert "[" not in message.body
    assert len(message.body) <= 300
    review = review_request(message.body, channel="linkedin")
    assert "request.channel-limit" not in {str(f.rule) for f in review.findings}


def test_a_request_starts_from_the_first_suitable_template_filled_from_what_is_known(
    alice: User, marta: Contact
) -> None:
    alice.profile.intro = "I'm a final-year geography student at Leeds"
    alice.profile.save()
    message = services.message_start(owner=alice, contact=marta, kind=Message.Kind.REQUEST)
    assert message.status == Message.Status.DRAFT
    assert message.channel == Message.Channel.EMAIL
    assert message.subject == "A question about your work at Lumen Grid"
    assert "Hi Marta," in message.body
    # The note "We both studied..." reads on inside the sentence.
    assert "I noticed that we both studied geography at Leeds, so" in message.body
    assert "I'm a final-year geography student at Leeds." in message.body


def test_the_seekers_own_template_comes_first_and_can_be_chosen(
    alice: User, marta: Contact
) -> None:
    mine = MessageTemplate.objects.create(
        owner=alice, name="Mine", kind="request", channel="", body="Dear {first_name}, hello."
    )
    offered = composer.templates_for("request", "email", [mine])
    assert offered[0].id == f"own:{mine.pk}"
    message = services.message_start(
        owner=alice, contact=marta, kind="request", template_id=f"own:{mine.pk}"
    )
    assert message.body == "Dear Marta, hello."


def test_someone_elses_template_cannot_be_used(alice: User, bob: User, marta: Contact) -> None:
    theirs = MessageTemplate.objects.create(owner=bob, name="Bob's", kind="request", body="Yo")
    message = services.message_start(
        owner=alice, contact=marta, kind="request", template_id=f"own:{theirs.pk}"
    )
    assert message.body != "Yo"


def test_a_follow_up_answers_the_latest_request_and_names_its_date(
    alice: User, marta: Contact
) -> None:
    request = sent_request(alice, marta, days_ago=12)
    request.subject = "A question about your work"
    request.save()
    follow_up = services.message_start(owner=alice, contact=marta, kind=Message.Kind.FOLLOW_UP)
    assert follow_up.in_reply_to == request
    assert follow_up.subject == "Re: A question about your work"
    day = request.sent_at.astimezone(timezone.get_default_timezone())
    assert f"{day:%-d %b}" in follow_up.body or "my note of" in follow_up.body


def test_a_thank_you_is_about_the_latest_meeting_and_its_notes(alice: User, marta: Contact) -> None:
    MeetingFactory(
        owner=alice,
        contact=marta,
        start=timezone.now() - timedelta(days=30),
        status=Meeting.Status.DONE,
    )
    latest = MeetingFactory(
        owner=alice,
        contact=marta,
        start=timezone.now() - timedelta(hours=3),
        status=Meeting.Status.DONE,
        notes="- Learn SQL alongside GIS\n- Talk to Ruth",
    )
    thanks = services.message_start(owner=alice, contact=marta, kind=Message.Kind.THANKS)
    assert thanks.meeting == latest
    assert "Learn SQL alongside GIS" in thanks.body
    # Three hours ago is today or, just after midnight, yesterday; never a blank.
    assert thanks.subject in {"Thank you for your time today", "Thank you for your time yesterday"}


def test_the_meeting_day_reads_as_today_yesterday_or_its_weekday() -> None:
    london = composer.ZoneInfo("Europe/London")
    now = datetime(2026, 11, 19, 15, 0, tzinfo=UTC)  # a Thursday
    meeting = Meeting(start=datetime(2026, 11, 19, 9, 0, tzinfo=UTC), duration_min=30)
    assert composer._meeting_day(meeting, now, london) == "today"
    meeting.start = datetime(2026, 11, 18, 23, 30, tzinfo=UTC)
    assert composer._meeting_day(meeting, now, london) == "yesterday"
    meeting.start = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)
    assert composer._meeting_day(meeting, now, london) == "on Monday"


# --- approval --------------------------------------------------------------------------------


def test_a_message_with_coach_errors_is_refused_until_they_are_acknowledged(
    alice: User, marta: Contact
) -> None:
    message = draft(alice, marta, body=JOB_ASK)
    with pytest.raises(RapportError) as refused:
        services.message_mark_sent(owner=alice, message=message, sent_at=timezone.now())
    assert set(refused.value.fields) == {"errors_acknowledged"}
    message.refresh_from_db()
    assert message.status == Message.Status.DRAFT

    approval = services.Approval(errors_acknowledged=True)
    services.message_mark_sent(
        owner=alice, message=message, sent_at=timezone.now(), approval=approval
    )
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert message.errors_acknowledged is True
    assert "request.no-job-ask" in message.review_rules
    assert any(f["rule"] == "request.no-job-ask" for f in message.review_findings)
    assert message.review_score is not None
    assert message.review_score < 50


def test_a_clean_message_keeps_its_review_and_needs_no_acknowledgement(
    alice: User, marta: Contact
) -> None:
    message = draft(alice, marta)
    services.message_mark_sent(owner=alice, message=message, sent_at=timezone.now())
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert message.errors_acknowledged is False
    assert "request.no-job-ask" not in message.review_rules
    assert message.review_score is not None
    assert message.review_score >= 50


def test_a_follow_up_too_soon_is_refused_unless_they_asked_for_it(
    alice: User, marta: Contact
) -> None:
    request = sent_request(alice, marta, days_ago=2)
    nudge = draft(alice, marta, kind=Message.Kind.FOLLOW_UP, in_reply_to=request, body=(
        "Hi Marta, bringing my note back to the top of your inbox in case it got buried. "
        "If now isn't a good time, no worries at all. Ana"
    ))  # fmt: skip
    with pytest.raises(RapportError) as refused:
        services.message_mark_sent(owner=alice, message=nudge, sent_at=timezone.now())
    assert set(refused.value.fields) == {"asked_for_followup"}
    approval = services.Approval(asked_for_followup=True, errors_acknowledged=True)
    services.message_mark_sent(
        owner=alice, message=nudge, sent_at=timezone.now(), approval=approval
    )
    nudge.refresh_from_db()
    assert nudge.status == Message.Status.SENT
    assert nudge.asked_for_followup is True


def test_a_second_follow_up_past_the_maximum_is_refused(alice: User, marta: Contact) -> None:
    request = sent_request(alice, marta, days_ago=40)
    draft(
        alice, marta, kind=Message.Kind.FOLLOW_UP, in_reply_to=request,
        status=Message.Status.SENT, sent_at=timezone.now() - timedelta(days=25),
    )  # fmt: skip
    another = draft(alice, marta, kind=Message.Kind.FOLLOW_UP, in_reply_to=request)
    allowed, why = services.followup_allowed(another, profile=alice.profile, now=timezone.now())
    assert not allowed
    assert why
    with pytest.raises(RapportError):
        services.message_mark_sent(
            owner=alice,
            message=another,
            sent_at=timezone.now(),
            approval=services.Approval(errors_acknowledged=True),
        )


def test_no_follow_up_is_allowed_after_a_reply(alice: User, marta: Contact) -> None:
    request = sent_request(alice, marta, days_ago=30)
    services.message_reply_received(
        owner=alice, message=request, at=request.sent_at + timedelta(days=1)
    )
    nudge = draft(alice, marta, kind=Message.Kind.FOLLOW_UP, in_reply_to=request)
    allowed, _ = services.followup_allowed(nudge, profile=alice.profile, now=timezone.now())
    assert not allowed


# --- what sending does -----------------------------------------------------------------------


def test_a_sent_request_moves_the_contact_to_requested_and_goes_on_the_timeline(
    alice: User, marta: Contact
) -> None:
    services.message_mark_sent(owner=alice, message=draft(alice, marta), sent_at=timezone.now())
    marta.refresh_from_db()
    assert marta.stage == Stage.REQUESTED
    assert marta.events.filter(kind=ContactEvent.Kind.MESSAGE, summary__contains="Request").exists()


def test_a_thank_you_moves_a_met_contact_to_thanked(alice: User, marta: Contact) -> None:
    marta.stage = Stage.MET
    marta.save()
    thanks = draft(alice, marta, kind=Message.Kind.THANKS, body=(
        "Hi Marta, thank you for your time today. Your advice to learn SQL alongside GIS was "
        "exactly what I needed; I'm starting a course this week. Ana"
    ))  # fmt: skip
    services.message_mark_sent(
        owner=alice, message=thanks, sent_at=timezone.now(),
        approval=services.Approval(errors_acknowledged=True),
    )  # fmt: skip
    marta.refresh_from_db()
    assert marta.stage == Stage.THANKED


def test_a_sent_message_can_no_longer_change_or_be_deleted(alice: User, marta: Contact) -> None:
    message = sent_request(alice, marta, days_ago=1)
    with pytest.raises(RapportError):
        services.message_save_draft(owner=alice, message=message, subject="", body="changed")
    with pytest.raises(RapportError):
        services.message_delete(owner=alice, message=message)
    with pytest.raises(RapportError):
        services.message_mark_sent(owner=alice, message=message, sent_at=timezone.now())


def test_a_sent_date_in_the_future_is_refused(alice: User, marta: Contact) -> None:
    with pytest.raises(RapportError, match="future"):
        services.message_mark_sent(
            owner=alice, message=draft(alice, marta), sent_at=timezone.now() + timedelta(days=2)
        )


def test_only_an_email_with_an_address_can_be_scheduled(alice: User, marta: Contact) -> None:
    with pytest.raises(RapportError) as not_email:
        services.message_schedule(owner=alice, message=draft(alice, marta), send_at=timezone.now())
    assert "channel" in not_email.value.fields
    nobody = ContactFactory(owner=alice, email="")
    email = draft(alice, nobody, channel=Message.Channel.EMAIL)
    with pytest.raises(RapportError) as no_address:
        services.message_schedule(owner=alice, message=email, send_at=timezone.now())
    assert "to" in no_address.value.fields


def test_a_scheduled_email_can_be_taken_back_until_the_worker_has_it(
    alice: User, marta: Contact
) -> None:
    email = draft(alice, marta, channel=Message.Channel.EMAIL, subject="A question about your path")
    later = timezone.now() + timedelta(days=1)
    services.message_schedule(owner=alice, message=email, send_at=later)
    email.refresh_from_db()
    assert (email.status, email.send_at) == (Message.Status.SCHEDULED, later)
    services.message_unschedule(owner=alice, message=email)
    email.refresh_from_db()
    assert email.status == Message.Status.DRAFT
    Message.objects.filter(pk=email.pk).update(status=Message.Status.SENDING)
    with pytest.raises(RapportError, match="already on its way"):
        services.message_unschedule(owner=alice, message=email)


@pytest.mark.parametrize(("went_out", "status"), [(True, "sent"), (False, "draft")])
def test_a_message_stuck_in_sending_is_resolved_by_the_seeker(
    alice: User, marta: Contact, went_out: bool, status: str
) -> None:
    since = timezone.now() - timedelta(hours=1)
    stuck = draft(alice, marta, channel="email", status=Message.Status.SENDING, sending_since=since)
    services.message_resolve_stuck(owner=alice, message=stuck, went_out=went_out)
    stuck.refresh_from_db()
    assert stuck.status == status
    assert (stuck.sent_at == since) is went_out


# --- replies ---------------------------------------------------------------------------------


def test_a_reply_is_recorded_once_and_goes_on_the_timeline(alice: User, marta: Contact) -> None:
    request = sent_request(alice, marta, days_ago=3)
    first = request.sent_at + timedelta(days=1)
    services.message_reply_received(owner=alice, message=request, at=first)
    services.message_reply_received(owner=alice, message=request, at=first + timedelta(days=1))
    request.refresh_from_db()
    assert request.reply_received_at == first
    assert marta.events.filter(summary__startswith="Reply received").count() == 1


@pytest.mark.parametrize("offset", [timedelta(days=-1), timedelta(days=5)])
def test_a_reply_before_the_message_or_in_the_future_is_refused(
    alice: User, marta: Contact, offset: timedelta
) -> None:
    request = sent_request(alice, marta, days_ago=3)
    at = request.sent_at + offset if offset.days < 0 else timezone.now() + offset
    with pytest.raises(RapportError):
        services.message_reply_received(owner=alice, message=request, at=at)
    request.refresh_from_db()
    assert request.reply_received_at is None


def test_they_replied_on_a_contact_marks_their_latest_request_or_follow_up(
    alice: User, marta: Contact
) -> None:
    request = sent_request(alice, marta, days_ago=20)
    nudge = draft(
        alice, marta, kind=Message.Kind.FOLLOW_UP, in_reply_to=request,
        status=Message.Status.SENT, sent_at=timezone.now() - timedelta(days=5),
    )  # fmt: skip
    marked = services.contact_reply_received(owner=alice, contact=marta, at=timezone.now())
    assert marked == nudge
    with pytest.raises(RapportError, match="nothing to reply to"):
        services.contact_reply_received(
            owner=alice,
            contact=ContactFactory(owner=alice),
            at=datetime(2026, 1, 1, tzinfo=UTC),
        )


def test_nothing_of_someone_elses_can_be_touched(alice: User, bob: User, marta: Contact) -> None:
    message = draft(alice, marta)
    for call in (
        lambda: services.message_save_draft(owner=bob, message=message, subject="", body="x"),
        lambda: services.message_mark_sent(owner=bob, message=message, sent_at=timezone.now()),
        lambda: services.message_delete(owner=bob, message=message),
        lambda: services.message_start(owner=bob, contact=marta, kind="request"),
    ):
        with pytest.raises(RapportError):
            call()
    message.refresh_from_db()
    assert (message.status, message.body) == (Message.Status.DRAFT, CLEAN)
