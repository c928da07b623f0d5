"""Sending a seeker's scheduled emails, at most once whatever crashes.

`message_deliver` claims a due message with one conditional UPDATE (scheduled -> sending),
sends it outside any transaction, then records "sent" or "failed". Only "scheduled" is ever
claimed, so a message that a crash leaves in "sending" is never sent again on its own: the
seeker is asked to check whether it went (`message_is_stuck`).
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import smtplib
from collections.abc import Sequence
from datetime import datetime, timedelta
from email import encoders
from email.mime.base import MIMEBase
from email.utils import formataddr, make_msgid, parseaddr
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.filebased import EmailBackend as FileEmailBackend
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from rapport.accounts.models import User
from rapport.contacts.models import Contact
from rapport.core.errors import RapportError
from rapport.meetings.calendar import invite
from rapport.meetings.invites import meeting_event
from rapport.meetings.models import Meeting
from rapport.outreach.models import Message

logger = logging.getLogger(__name__)

# A send takes seconds, and each SMTP step gives up after the configured timeout (10 s by
# default). A message still "sending" after ten minutes was in the hands of a worker that
# died: only the seeker can find out whether it went.
STUCK_AFTER = timedelta(minutes=10)
DUE_BATCH = 50
HTML_TEMPLATE = "emails/message-body-html.html"
# Everything Python's email package or str.splitlines ends a line at: in a header, any of
# them could start a header of the writer's choosing.
LINE_BREAKS = frozenset("\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029")
INVITE_FILENAME = "invite.ics"
# A scheduling email about a meeting with a time carries its invite; other kinds (a thank-you
# is linked to its meeting too) must not put the meeting back in anyone's calendar.
INVITE_STATUSES = (Meeting.Status.CONFIRMED, Meeting.Status.CANCELLED)
SEND_ERROR_MAX_CHARS = 500  # Message.send_error's max_length
TO_ADDRESS_MAX_CHARS = 320  # Message.to_address's max_length


class SendError(Exception):
    """The email was not handed over to the mail server; the text tells the seeker why."""


# --- the worker's side ----------------------------------------------------------------------


def messages_due(*, now: datetime, limit: int = DUE_BATCH) -> list[int]:
    """Ids of scheduled messages whose time has come, oldest first, in every account.

    The one query that crosses accounts; it reads the partial index message_due_for_worker.
    """
    due = Message.objects.filter(status=Message.Status.SCHEDULED, send_at__lte=now)
    return list(due.order_by("send_at").values_list("pk", flat=True)[:limit])


def message_deliver(*, message_id: int, now: datetime) -> str:
    """Send one due message at most once and return its status afterwards.

    Only the caller whose UPDATE moves it from scheduled to sending sends it. Anyone else
    (another worker, a second call, a message not yet due) sends nothing and gets the
    status as it stands ("" if the message is gone). Call it outside any transaction: the
    claim must be visible to other workers before the email goes.
    """
    if not _claim(message_id=message_id, now=now):
        return _status(message_id)
    message = Message.objects.select_related("owner__profile", "contact").get(pk=message_id)
    try:
        _send(email_for(message))
    except (RapportError, SendError) as exc:
        logger.warning("Message %s failed: %s", message_id, exc)
        return _record_failed(message_id, reason=str(exc))
    logger.info("Message %s sent.", message_id)
    return _record_sent(message_id, now=now, to_address=_to_address(message.contact))


def message_is_stuck(message: Message, now: datetime) -> bool:
    """Claimed for sending so long ago that the worker must have died mid-send.

    It may or may not have gone out, so the seeker has to check their sent mail (or ask
    the contact) before doing anything with it. Rapport never sends it again by itself.
    """
    if message.status != Message.Status.SENDING:
        return False
    return message.sending_since is None or now - message.sending_since > STUCK_AFTER


@transaction.atomic
def _claim(*, message_id: int, now: datetime) -> bool:
    claimed = Message.objects.filter(
        pk=message_id, status=Message.Status.SCHEDULED, send_at__lte=now
    ).update(status=Message.Status.SENDING, sending_since=now, send_error="")
    return claimed == 1


def _status(message_id: int) -> str:
    status = Message.objects.filter(pk=message_id).values_list("status", flat=True).first()
    return str(status or "")


@transaction.atomic
def _record_sent(message_id: int, *, now: datetime, to_address: str) -> str:
    Message.objects.filter(pk=message_id, status=Message.Status.SENDING).update(
        status=Message.Status.SENT,
        sent_at=now,
        to_address=to_address[:TO_ADDRESS_MAX_CHARS],
        send_error="",
    )
    return Message.Status.SENT


@transaction.atomic
def _record_failed(message_id: int, *, reason: str) -> str:
    Message.objects.filter(pk=message_id, status=Message.Status.SENDING).update(
        status=Message.Status.FAILED, send_error=reason[:SEND_ERROR_MAX_CHARS]
    )
    return Message.Status.FAILED


# --- the email ------------------------------------------------------------------------------


def email_for(message: Message) -> EmailMultiAlternatives:
    """The email a seeker's message becomes.

    From the seeker's name at Rapport's sender address, replies to the seeker's own address,
    to the contact. A line break in a header value or an address that is not one valid
    address is refused with a RapportError naming the field: never sent, never tidied into
    something the seeker did not write. Gives the message its Message-ID (stored before
    anything is sent) if it has none.
    """
    _ensure_deliverable(message)
    sender = _sender_address()
    seeker = message.owner
    email = EmailMultiAlternatives(
        subject=_one_line(message.subject, field="subject", what="The subject"),
        body=message.body,
        from_email=formataddr((_seeker_name(seeker), sender)),
        to=[_recipient(message.contact)],
        reply_to=_reply_to(seeker),
        headers={"Message-ID": _message_id(message, domain=sender.rpartition("@")[2])},
    )
    context = {"subject": message.subject, "body": message.body}
    email.attach_alternative(render_to_string(HTML_TEMPLATE, context), "text/html")
    _attach_invite(email, message)
    return email


def _attach_invite(email: EmailMultiAlternatives, message: Message) -> None:
    """The meeting's calendar invite (or its cancellation), as mail clients expect it:
    text/calendar with the iTIP method in the content type."""
    meeting = message.meeting
    if message.kind != Message.Kind.SCHEDULING or meeting is None or meeting.start is None:
        return
    if meeting.status not in INVITE_STATUSES:
        return
    event = meeting_event(meeting)
    method = "CANCEL" if event.cancelled else "REQUEST"
    part = MIMEBase("text", "calendar", method=method, charset="utf-8")
    part.set_payload(invite(event, method=method))
    encoders.encode_base64(part)
    part.add_header("Content-Disposition", "attachment", filename=INVITE_FILENAME)
    email.attach(part)


def _ensure_deliverable(message: Message) -> None:
    if message.channel != Message.Channel.EMAIL:
        raise RapportError(
            f"Only emails can be sent from Rapport, and this is a "
            f"{message.get_channel_display()} message. Send it yourself and mark it as sent.",
            fields={"channel": "not email"},
        )
    if not message.contact.email:
        raise RapportError(
            f"{message.contact} has no email address. Add one on their page, then send it again.",
            fields={"to_email": "missing"},
        )


def _sender_address() -> str:
    address = parseaddr(str(settings.DEFAULT_FROM_EMAIL))[1]
    try:
        validate_email(address)
    except ValidationError as exc:
        raise RapportError(
            "Rapport has no valid address to send from. Whoever runs it needs to set "
            "RAPPORT_FROM_EMAIL to an address the mail server accepts.",
            code="not_configured",
            fields={"from_email": "not a valid address"},
        ) from exc
    return address


def _recipient(contact: Contact) -> str:
    name = _one_line(_name_of(contact), field="to_name", what="The contact's name")
    address = _address(contact.email, field="to_email", what="The contact's email address")
    return formataddr((name, address))


def _reply_to(seeker: User) -> list[str]:
    if not seeker.email:
        return []
    address = _address(seeker.email, field="reply_to", what="Your own email address")
    return [formataddr((_seeker_name(seeker), address))]


def _seeker_name(seeker: User) -> str:
    return _one_line(seeker.display_name, field="from_name", what="Your name")


def _to_address(contact: Contact) -> str:
    """Who it went to, as a person reads it (the header itself may be encoded)."""
    name = _name_of(contact)
    return f"{name} <{contact.email}>" if name else contact.email


def _name_of(contact: Contact) -> str:
    return " ".join(part for part in (contact.first_name, contact.last_name) if part)


def _one_line(value: str, *, field: str, what: str) -> str:
    if any(character in LINE_BREAKS for character in value):
        raise RapportError(
            f"{what} has a line break in it, and an email header must be one line. "
            "Remove the line break, then send it again.",
            fields={field: "has a line break"},
        )
    return value


def _address(value: str, *, field: str, what: str) -> str:
    _one_line(value, field=field, what=what)
    try:
        validate_email(value)
    except ValidationError as exc:
        raise RapportError(
            f"{what} ({value}) is not one valid email address. Correct it, then send it again.",
            fields={field: "not a valid address"},
        ) from exc
    return value


def _message_id(message: Message, *, domain: str) -> str:
    """Made and stored before the first attempt, so any attempt is the same email."""
    if not message.message_id:
        with transaction.atomic():
            Message.objects.filter(
                Q(message_id__isnull=True) | Q(message_id=""), pk=message.pk
            ).update(message_id=make_msgid(domain=domain))
        stored = Message.objects.values_list("message_id", flat=True).get(pk=message.pk)
        message.message_id = str(stored)
    return message.message_id


# --- sending --------------------------------------------------------------------------------


def _send(email: EmailMultiAlternatives) -> None:
    connection = _connected()
    try:
        sent = connection.send_messages([email])
    except smtplib.SMTPRecipientsRefused as exc:
        answers = "; ".join(f"{code} {_text(reply)}" for code, reply in exc.recipients.values())
        raise SendError(
            f"The mail server refused the address ({answers}). Nothing was sent."
        ) from exc
    except smtplib.SMTPResponseException as exc:
        raise SendError(
            f"The mail server refused the email ({_reason(exc)}). Nothing was sent."
        ) from exc
    except OSError as exc:
        raise SendError(
            f"The connection to the mail server broke while sending ({_reason(exc)}), so the "
            "email may or may not have arrived. Check before sending it again."
        ) from exc
    finally:
        _close_quietly(connection)
    if sent != 1:
        raise SendError("The mail server did not take the email. Nothing was sent.")


def _connected() -> BaseEmailBackend:
    """An open mail connection. Nothing has gone out yet, so a failure here is reported as
    "nothing was sent" instead of leaving the message "sending" for the seeker to check."""
    try:
        connection = get_connection(fail_silently=False)
    except Exception as exc:  # the set-up itself, e.g. an outbox folder it cannot write to
        raise SendError(f"Rapport could not start sending ({exc}). Nothing was sent.") from exc
    try:
        connection.open()
    except OSError as exc:
        _close_quietly(connection)
        raise SendError(
            f"Rapport could not reach the mail server ({_reason(exc)}). Nothing was sent."
        ) from exc
    return connection


def _close_quietly(connection: BaseEmailBackend) -> None:
    # The email's fate is settled by now: a failed goodbye changes nothing about it.
    with contextlib.suppress(OSError):
        connection.close()


def _reason(exc: OSError) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    return str(exc.strerror or exc) or type(exc).__name__


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply


class EmlFileBackend(FileEmailBackend):
    """Django's file backend, but each email in a `.eml` file of its own, which mail
    programs open (Django's appends them all to one `.log` file)."""

    file_path: str

    def open(self) -> bool:
        return False  # each email opens its own file

    def close(self) -> None:
        pass

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for email in email_messages:
            name = f"{timezone.now():%Y%m%d-%H%M%S}-{secrets.token_hex(4)}.eml"
            with (Path(self.file_path) / name).open("xb") as file:
                file.write(email.message().as_bytes(linesep="\r\n"))
        return len(email_messages)
