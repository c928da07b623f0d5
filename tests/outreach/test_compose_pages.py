"""The composer and message pages over HTTP: start, autosave with the coach, send, schedule,
log, print, reply, and the seeker's own templates."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from rapport.accounts.models import User
from rapport.contacts.models import Contact
from rapport.outreach.models import Message, MessageTemplate
from rapport.playbook.stages import Stage
from tests.factories import MessageFactory
from tests.outreach.conftest import CLEAN_REQUEST, JOB_ASK_REQUEST, SmtpServer

pytestmark = pytest.mark.django_db

CLEAN, JOB_ASK = CLEAN_REQUEST, JOB_ASK_REQUEST


def draft(alice: User, marta: Contact, body: str = CLEAN, channel: str = "email") -> Message:
    return MessageFactory(
        owner=alice, contact=marta, body=body, channel=channel,
        subject="Your path to Head of Research",
    )  # fmt: skip


def url(name: str, message: Message) -> str:
    return reverse(f"outreach:{name}", args=[message.pk])


def test_starting_a_request_makes_a_draft_from_the_chosen_template(
    alice_client: Client, marta: Contact
) -> None:
    page = alice_client.get(reverse("outreach:message_new"), {"contact": marta.pk})
    assert page.status_code == 200
    assert b"Short request, with common ground" in page.content
    response = alice_client.post(
        reverse("outreach:message_new"),
        {"contact": marta.pk, "kind": "request", "channel": "email",
         "template": "builtin:request-email-referral"},
    )  # fmt: skip
    message = Message.objects.get(contact=marta)
    assert response["Location"] == url("message_edit", message)
    assert message.status == Message.Status.DRAFT
    assert message.subject == "[who introduced you] suggested I get in touch"


def test_the_composer_shows_the_draft_and_the_coach(
    alice_client: Client, alice: User, marta: Contact
) -> None:
    message = draft(alice, marta, body=JOB_ASK)
    html = alice_client.get(url("message_edit", message)).content.decode()
    assert "Are you hiring at the moment?" in html
    assert 'data-rule="request.no-job-ask"' in html
    assert 'name="errors_acknowledged"' in html  # errors: a box to tick before sending


def test_typing_saves_the_draft_and_reviews_it_again(
    alice_client: Client, alice: User, marta: Contact
) -> None:
    message = draft(alice, marta, body=JOB_ASK)
    response = alice_client.post(
        url("message_review", message),
        {"channel": "email", "subject": "Your path", "body": CLEAN},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="coach-results"' in html
    assert "request.no-job-ask" not in html
    assert 'id="save-status"' in html
    assert "Draft saved" in html
    message.refresh_from_db()
    assert (message.subject, message.body) == ("Your path", CLEAN)


def test_marking_as_sent_needs_the_errors_acknowledged(
    alice_client: Client, alice: User, marta: Contact
) -> None:
    message = draft(alice, marta, body=JOB_ASK)
    today = timezone.localdate().isoformat()
    refused = alice_client.post(
        url("message_send", message), {"action": "mark_sent", "sent_on": today}
    )
    assert refused.status_code == 400
    assert "The coach found errors" in refused.content.decode()
    message.refresh_from_db()
    assert message.status == Message.Status.DRAFT

    sent = alice_client.post(
        url("message_send", message),
        {"action": "mark_sent", "sent_on": today, "errors_acknowledged": "on"},
    )
    assert sent["Location"] == url("message_detail", message)
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert message.errors_acknowledged
    marta.refresh_from_db()
    assert marta.stage == Stage.REQUESTED


def test_a_past_sent_date_is_kept_and_a_future_one_refused(
    alice_client: Client, alice: User, marta: Contact
) -> None:
    message = draft(alice, marta, channel="linkedin")
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = alice_client.post(
        url("message_send", message), {"action": "mark_sent", "sent_on": future}
    )
    assert response.status_code == 400
    past = timezone.localdate() - timedelta(days=3)
    alice_client.post(
        url("message_send", message), {"action": "mark_sent", "sent_on": past.isoformat()}
    )
    message.refresh_from_db()
    assert message.sent_at is not None
    assert timezone.localtime(message.sent_at).date() == past


def test_send_now_delivers_through_the_mail_server(
    alice_client: Client, alice: User, marta: Contact, smtp_server: SmtpServer
) -> None:
    message = draft(alice, marta)
    response = alice_client.post(url("message_send", message), {"action": "send_now"})
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert [r.rcpt_tos for r in smtp_server.received] == [["marta@example.org"]]
    assert smtp_server.received[0].message["Message-ID"] == message.message_id


def test_sending_at_a_time_schedules_it_and_it_can_be_taken_back(
    alice_client: Client, alice: User, marta: Contact
) -> None:
    message = draft(alice, marta)
    when = timezone.localtime() + timedelta(days=2)
    alice_client.post(
        url("message_send", message),
        {"action": "schedule", "send_at": when.strftime("%Y-%m-%dT%H:%M")},
    )
    message.refresh_from_db()
    assert message.status == Message.Status.SCHEDULED
    assert message.send_at == when.replace(second=0, microsecond=0)
    alice_client.post(url("message_unschedule", message))
    message.refresh_from_db()
    assert message.status == Message.Status.DRAFT


def test_the_letter_page_lays_out_the_message_for_printing(
    alice_client: Client, alice: User, marta: Contact
) -> None:
    message = draft(alice, marta, channel="letter")
    html = alice_client.get(url("message_letter", message)).content.decode()
    assert "Marta Silva" in html
    assert "Lumen Grid" in html
    assert "battery" in html
    assert "letter.css" in html


def test_a_reply_on_the_message_page(alice_client: Client, alice: User, marta: Contact) -> None:
    message = draft(alice, marta)
    Message.objects.filter(pk=message.pk).update(
        status=Message.Status.SENT, sent_at=timezone.now() - timedelta(days=4)
    )
    page = alice_client.get(url("message_detail", message)).content.decode()
    assert "Reply received" in page
    alice_client.post(url("message_reply", message), {"replied_on": timezone.localdate()})
    message.refresh_from_db()
    assert message.reply_received_at is not None


def test_the_seekers_own_template_from_a_draft(
    alice_client: Client, alice: User, marta: Contact
) -> None:
    message = draft(alice, marta)
    form = alice_client.get(reverse("outreach:template_new"), {"from_message": message.pk})
    assert b"battery storage" in form.content
    alice_client.post(
        reverse("outreach:template_new"),
        {"name": "My opener", "kind": "request", "channel": "", "subject": "Hi",
         "body": "Hi {first_name}, a question about {company}."},
    )  # fmt: skip
    template = MessageTemplate.objects.for_owner(alice).get()
    assert template.name == "My opener"
    listing = alice_client.get(reverse("outreach:template_list")).content.decode()
    assert "My opener" in listing
    clash = alice_client.post(
        reverse("outreach:template_new"),
        {"name": "my opener", "kind": "request", "channel": "", "subject": "", "body": "x"},
    )
    assert "already have a template" in clash.content.decode()
    assert MessageTemplate.objects.for_owner(alice).count() == 1


def test_a_sent_message_shows_the_review_it_went_with(
    alice_client: Client, alice: User, marta: Contact
) -> None:
    message = draft(alice, marta, body=JOB_ASK)
    alice_client.post(
        url("message_send", message),
        {"action": "mark_sent", "sent_on": timezone.localdate().isoformat(),
         "errors_acknowledged": "on"},
    )  # fmt: skip
    html = alice_client.get(url("message_detail", message)).content.decode()
    assert "review when it went" in html
    assert "request.no-job-ask" in html
    assert "errors acknowledged" in html
