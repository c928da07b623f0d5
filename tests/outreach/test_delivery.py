"""Sending one scheduled message: the email it becomes, and the at-most-once rules."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, timedelta
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rapport.accounts.models import User
from rapport.core.errors import RapportError
from rapport.outreach.delivery import (
    STUCK_AFTER,
    email_for,
    message_deliver,
    message_is_stuck,
    messages_due,
)
from rapport.outreach.models import WORKER_DUE_INDEX, Message
from tests.factories import ContactFactory, MessageFactory
from tests.outreach.conftest import REPO, SmtpServer, free_port

pytestmark = [pytest.mark.django_db]

SENDER = "Rapport <rapport@careers.example>"
BODY = (
    "Dear Marta,\n\n"
    "I read your piece on forecasting grid demand <and> loved it.\n"
    "Could we talk for twenty minutes?\n\n"
    "Best wishes,\nAna"
)


@pytest.fixture(autouse=True)
def sender(settings: Any) -> None:
    settings.DEFAULT_FROM_EMAIL = SENDER


@pytest.fixture
def seeker(alice: User) -> User:
    alice.profile.display_name = "Ana Reyes"
    alice.profile.save()
    return alice


def scheduled(owner: User, **fields: Any) -> Message:
    contact_fields = {
        "first_name": "Marta",
        "last_name": "Silva",
        "email": "marta@example.org",
        **fields.pop("contact", {}),
    }
    defaults: dict[str, Any] = {
        "subject": "Twenty minutes on grid forecasting?",
        "body": BODY,
        "status": Message.Status.SCHEDULED,
        "send_at": timezone.now() - timedelta(minutes=1),
    }
    return MessageFactory(
        owner=owner, contact=ContactFactory(owner=owner, **contact_fields), **defaults | fields
    )


def only_email(smtp_server: SmtpServer) -> EmailMessage:
    assert len(smtp_server.received) == 1
    return smtp_server.received[0].message


def part(message: EmailMessage, subtype: str) -> str:
    body = message.get_body(preferencelist=(subtype,))
    assert body is not None
    assert body.get_content_subtype() == subtype
    return str(body.get_content()).replace("\r\n", "\n")  # SMTP carries CRLF line ends


# --- the email ------------------------------------------------------------------------------


@pytest.mark.smtp
def test_the_email_is_from_the_seeker_to_the_contact_and_replies_go_to_the_seeker(
    seeker: User, smtp_server: SmtpServer
) -> None:
    message = scheduled(seeker)
    now = timezone.now()

    assert message_deliver(message_id=message.pk, now=now) == Message.Status.SENT

    received = only_email(smtp_server)
    assert received["From"].addresses[0].display_name == "Ana Reyes"
    assert received["From"].addresses[0].addr_spec == "rapport@careers.example"
    assert str(received["Reply-To"]) == "Ana Reyes <alice@example.org>"
    assert str(received["To"]) == "Marta Silva <marta@example.org>"
    assert received["Subject"] == "Twenty minutes on grid forecasting?"
    dated = parsedate_to_datetime(received["Date"])  # "-0000" (UTC, says RFC 5322) is naive
    assert abs(dated.replace(tzinfo=dated.tzinfo or UTC) - now) < timedelta(minutes=1)
    assert smtp_server.received[0].mail_from == "rapport@careers.example"
    assert smtp_server.received[0].rcpt_tos == ["marta@example.org"]
    message.refresh_from_db()
    assert received["Message-ID"] == message.message_id
    assert message.sent_at == now
    assert message.to_address == "Marta Silva <marta@example.org>"


@pytest.mark.smtp
def test_the_email_has_the_body_as_written_and_an_escaped_html_part(
    seeker: User, smtp_server: SmtpServer
) -> None:
    message_deliver(message_id=scheduled(seeker).pk, now=timezone.now())

    received = only_email(smtp_server)
    assert part(received, "plain").rstrip("\n") == BODY
    html = part(received, "html")
    assert "&lt;and&gt;" in html
    assert "<and>" not in html
    assert html.count("<p>") == 3
    assert "loved it.<br>Could we talk" in html


@pytest.mark.smtp
def test_each_message_gets_its_own_message_id_at_the_senders_domain(
    seeker: User, smtp_server: SmtpServer
) -> None:
    first, second = scheduled(seeker), scheduled(seeker)
    for message in (first, second):
        message_deliver(message_id=message.pk, now=timezone.now())

    ids = smtp_server.message_ids()
    assert len(set(ids)) == 2
    assert all(message_id.endswith("@careers.example>") for message_id in ids)
    first.refresh_from_db()
    second.refresh_from_db()
    assert ids == [first.message_id, second.message_id]


@pytest.mark.smtp
def test_accented_names_and_an_emoji_subject_arrive_intact(
    seeker: User, smtp_server: SmtpServer
) -> None:
    seeker.profile.display_name = "José Muñoz García"
    seeker.profile.save()
    subject = "¿Un café? Préstame 20 minutes 🚀"
    contact = {"first_name": "Zoë", "last_name": "Ångström, Jr."}
    message_deliver(
        message_id=scheduled(seeker, subject=subject, contact=contact).pk, now=timezone.now()
    )

    received = only_email(smtp_server)
    assert received["Subject"] == subject
    assert received["From"].addresses[0].display_name == "José Muñoz García"
    assert received["To"].addresses[0].display_name == "Zoë Ångström, Jr."
    assert received["To"].addresses[0].addr_spec == "marta@example.org"
    headers = smtp_server.received[0].raw.split(b"\r\n\r\n")[0]
    assert headers.isascii(), "non-ASCII header text must be encoded (RFC 2047)"


def test_email_for_gives_the_stored_message_id_and_keeps_it(seeker: User) -> None:
    message = scheduled(seeker)
    first = email_for(message)
    message.refresh_from_db()
    again = email_for(message)

    assert first.extra_headers["Message-ID"] == message.message_id
    assert again.extra_headers["Message-ID"] == message.message_id


def test_a_seeker_without_an_email_address_gets_no_reply_to(seeker: User) -> None:
    seeker.email = ""
    seeker.save()

    assert email_for(scheduled(seeker)).reply_to == []


# --- refusals -------------------------------------------------------------------------------

INJECTIONS = [
    pytest.param({"subject": "Hello\r\nBcc: everyone@example.org"}, "subject", id="subject"),
    pytest.param({"subject": "Hello\u2028Bcc: everyone@example.org"}, "subject", id="subject-ls"),
    pytest.param(
        {"contact": {"last_name": "Silva\nBcc: everyone@example.org"}}, "to_name", id="name"
    ),
    pytest.param(
        {"contact": {"email": "marta@example.org\r\nBcc: everyone@example.org"}},
        "to_email",
        id="email",
    ),
]


@pytest.mark.parametrize(("fields", "field"), INJECTIONS)
def test_a_line_break_in_a_header_is_refused_and_names_the_field(
    seeker: User, fields: dict[str, Any], field: str
) -> None:
    with pytest.raises(RapportError) as refused:
        email_for(scheduled(seeker, **fields))

    assert field in refused.value.fields
    assert "line break" in refused.value.message


@pytest.mark.smtp
@pytest.mark.parametrize(("fields", "field"), INJECTIONS)
def test_a_message_with_a_line_break_in_a_header_fails_and_nothing_is_sent(
    seeker: User, smtp_server: SmtpServer, fields: dict[str, Any], field: str
) -> None:
    message = scheduled(seeker, **fields)

    assert message_deliver(message_id=message.pk, now=timezone.now()) == Message.Status.FAILED

    assert smtp_server.received == []
    message.refresh_from_db()
    assert message.sent_at is None
    assert "line break" in message.send_error


def test_a_line_break_in_the_seekers_own_name_or_address_is_refused(seeker: User) -> None:
    seeker.profile.display_name = "Ana\r\nBcc: everyone@example.org"
    seeker.profile.save()
    with pytest.raises(RapportError) as refused:
        email_for(scheduled(seeker))
    assert "from_name" in refused.value.fields

    seeker.profile.display_name = "Ana Reyes"
    seeker.profile.save()
    seeker.email = "alice@example.org\nBcc: everyone@example.org"
    seeker.save()
    with pytest.raises(RapportError) as refused:
        email_for(scheduled(seeker))
    assert "reply_to" in refused.value.fields


def test_a_contact_address_that_is_really_two_is_refused(seeker: User) -> None:
    message = scheduled(seeker, contact={"email": "marta@example.org, boss@example.org"})

    with pytest.raises(RapportError) as refused:
        email_for(message)

    assert refused.value.fields == {"to_email": "not a valid address"}


@pytest.mark.smtp
def test_a_recipient_the_server_refuses_fails_with_the_servers_reason(
    seeker: User, smtp_server: SmtpServer
) -> None:
    smtp_server.refuse("marta@example.org", "550 5.1.1 No such mailbox here")
    message = scheduled(seeker)

    assert message_deliver(message_id=message.pk, now=timezone.now()) == Message.Status.FAILED

    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert "550" in message.send_error
    assert "No such mailbox here" in message.send_error
    assert "Traceback" not in message.send_error
    assert message.sent_at is None
    assert smtp_server.received == []


@pytest.mark.smtp
def test_a_mail_server_that_cannot_be_reached_fails_the_message_with_a_reason(
    seeker: User, smtp_server: SmtpServer, settings: Any
) -> None:
    settings.EMAIL_PORT = free_port()  # nothing listens there
    message = scheduled(seeker)

    assert message_deliver(message_id=message.pk, now=timezone.now()) == Message.Status.FAILED

    message.refresh_from_db()
    assert message.send_error.startswith("Rapport could not reach the mail server")
    assert "Nothing was sent" in message.send_error


def test_an_outbox_folder_that_cannot_be_made_fails_the_message_with_a_reason(
    seeker: User, settings: Any, tmp_path: Path
) -> None:
    in_the_way = tmp_path / "outbox"
    in_the_way.write_text("a file where the folder should be")
    settings.EMAIL_BACKEND = "rapport.outreach.delivery.EmlFileBackend"
    settings.EMAIL_FILE_PATH = str(in_the_way)
    message = scheduled(seeker)

    assert message_deliver(message_id=message.pk, now=timezone.now()) == Message.Status.FAILED

    message.refresh_from_db()
    assert message.send_error.startswith("Rapport could not start sending")
    assert str(in_the_way) in message.send_error


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"channel": Message.Channel.LINKEDIN}, "Only emails can be sent"),
        ({"contact": {"email": ""}}, "has no email address"),
    ],
)
def test_a_message_that_cannot_be_an_email_fails_with_the_reason(
    seeker: User, mailoutbox: list[Any], fields: dict[str, Any], reason: str
) -> None:
    message = scheduled(seeker, **fields)

    assert message_deliver(message_id=message.pk, now=timezone.now()) == Message.Status.FAILED

    message.refresh_from_db()
    assert reason in message.send_error
    assert mailoutbox == []


def test_without_a_sender_address_nothing_is_sent(
    seeker: User, settings: Any, mailoutbox: list[Any]
) -> None:
    settings.DEFAULT_FROM_EMAIL = ""
    message = scheduled(seeker)

    assert message_deliver(message_id=message.pk, now=timezone.now()) == Message.Status.FAILED

    message.refresh_from_db()
    assert "RAPPORT_FROM_EMAIL" in message.send_error
    assert mailoutbox == []


# --- at most once ---------------------------------------------------------------------------


@pytest.mark.smtp
def test_a_second_delivery_of_the_same_message_sends_nothing(
    seeker: User, smtp_server: SmtpServer
) -> None:
    message = scheduled(seeker)
    now = timezone.now()

    assert message_deliver(message_id=message.pk, now=now) == Message.Status.SENT
    assert message_deliver(message_id=message.pk, now=now + timedelta(hours=1)) == "sent"

    assert len(smtp_server.received) == 1


def test_a_message_not_yet_due_is_not_sent(seeker: User, mailoutbox: list[Any]) -> None:
    now = timezone.now()
    message = scheduled(seeker, send_at=now + timedelta(minutes=5))

    assert message_deliver(message_id=message.pk, now=now) == Message.Status.SCHEDULED

    message.refresh_from_db()
    assert message.status == Message.Status.SCHEDULED
    assert message.sending_since is None
    assert mailoutbox == []


@pytest.mark.parametrize(
    "status",
    [
        Message.Status.DRAFT,
        Message.Status.CANCELLED,
        Message.Status.FAILED,
        Message.Status.SENDING,
        Message.Status.SENT,
    ],
)
def test_only_a_scheduled_message_is_ever_sent(
    seeker: User, mailoutbox: list[Any], status: str
) -> None:
    now = timezone.now()
    sent_at = now if status == Message.Status.SENT else None
    message = scheduled(seeker, status=status, sent_at=sent_at)

    assert message_deliver(message_id=message.pk, now=now + timedelta(days=30)) == status

    assert mailoutbox == []


def test_delivering_a_message_that_was_deleted_sends_nothing(mailoutbox: list[Any]) -> None:
    assert message_deliver(message_id=10**9, now=timezone.now()) == ""
    assert mailoutbox == []


def test_a_message_is_stuck_once_sending_has_lasted_past_the_threshold(seeker: User) -> None:
    since = timezone.now()
    message = scheduled(seeker, status=Message.Status.SENDING, sending_since=since)

    assert not message_is_stuck(message, since + STUCK_AFTER - timedelta(seconds=1))
    assert message_is_stuck(message, since + STUCK_AFTER + timedelta(seconds=1))
    message.status = Message.Status.SENT
    assert not message_is_stuck(message, since + timedelta(days=1))


# --- what is due ----------------------------------------------------------------------------


def test_messages_due_are_every_accounts_scheduled_messages_oldest_first(
    seeker: User, bob: User
) -> None:
    now = timezone.now()
    later = scheduled(seeker, send_at=now - timedelta(minutes=1))
    earlier = scheduled(bob, send_at=now - timedelta(minutes=5))
    scheduled(seeker, send_at=now + timedelta(minutes=1))
    scheduled(seeker, status=Message.Status.DRAFT, send_at=now - timedelta(days=1))
    scheduled(seeker, status=Message.Status.SENDING, send_at=now - timedelta(days=1))

    assert messages_due(now=now) == [earlier.pk, later.pk]
    assert messages_due(now=now, limit=1) == [earlier.pk]


def test_messages_due_reads_the_partial_index(seeker: User) -> None:
    with CaptureQueriesContext(connection) as queries:
        messages_due(now=timezone.now())
    (query,) = queries.captured_queries
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # a near-empty table would scan
            cursor.execute(f"EXPLAIN {query['sql']}")
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {query['sql']}")
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert WORKER_DUE_INDEX in plan


# --- the local outbox -----------------------------------------------------------------------


def test_the_outbox_backend_writes_one_eml_file_per_email(
    seeker: User, settings: Any, tmp_path: Path
) -> None:
    settings.EMAIL_BACKEND = "rapport.outreach.delivery.EmlFileBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "outbox")
    first, second = scheduled(seeker), scheduled(seeker)
    for message in (first, second):
        message_deliver(message_id=message.pk, now=timezone.now())

    files = sorted((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 2
    first.refresh_from_db()
    assert any(f"Message-ID: {first.message_id}".encode() in path.read_bytes() for path in files)


def _email_settings(tmp_path: Path, code: str, **env: str) -> list[str]:
    """Email settings as a fresh process loads them, for `code` that prints them."""
    clean = {key: value for key, value in os.environ.items() if not key.startswith("RAPPORT_")}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env={**clean, "RAPPORT_DATA_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


SHOW_EMAIL_SETTINGS = (
    "from rapport.cli import setup_django; setup_django()\n"
    "from django.conf import settings\n"
    "print(settings.EMAIL_BACKEND, settings.EMAIL_FILE_PATH or '-')\n"
)
SERVER_ENV = {
    "RAPPORT_MODE": "server",
    "RAPPORT_SECRET_KEY": "s" * 60,
    "RAPPORT_ALLOWED_HOSTS": "careers.example",
}


def test_local_mode_without_an_email_url_saves_emails_in_the_outbox(tmp_path: Path) -> None:
    backend, folder = _email_settings(tmp_path, SHOW_EMAIL_SETTINGS)
    assert backend == "rapport.outreach.delivery.EmlFileBackend"
    assert Path(folder) == tmp_path / "outbox"


def test_server_mode_without_an_email_url_prints_emails(tmp_path: Path) -> None:
    backend, folder = _email_settings(tmp_path, SHOW_EMAIL_SETTINGS, **SERVER_ENV)
    assert backend == "django.core.mail.backends.console.EmailBackend"
    assert folder == "-"


def test_the_demo_never_sends_to_a_configured_mail_server(tmp_path: Path) -> None:
    demo = SHOW_EMAIL_SETTINGS.replace("setup_django()", "_setup_demo_django()").replace(
        "import setup_django", "import _setup_demo_django"
    )
    backend, folder = _email_settings(
        tmp_path, demo, RAPPORT_EMAIL_URL="smtp://mail.careers.example:587"
    )
    assert backend == "rapport.outreach.delivery.EmlFileBackend"
    assert Path(folder) == tmp_path / "demo" / "outbox"
