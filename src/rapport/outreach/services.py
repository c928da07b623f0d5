"""Writes for messages."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from rapport.accounts.models import User
from rapport.contacts.models import Contact
from rapport.core.errors import RapportError
from rapport.core.models import ensure_owned_by
from rapport.outreach.models import Message


@transaction.atomic
def message_draft_create(
    *,
    owner: User,
    contact: Contact,
    kind: str,
    channel: str = Message.Channel.EMAIL,
    subject: str = "",
    body: str = "",
) -> Message:
    ensure_owned_by(owner, contact)
    return Message.objects.create(
        owner=owner, contact=contact, kind=kind, channel=channel, subject=subject, body=body
    )


@transaction.atomic
def message_log_sent(
    *,
    owner: User,
    contact: Contact,
    kind: str,
    channel: str,
    sent_at: datetime,
    subject: str = "",
    body: str = "",
    reply_received_at: datetime | None = None,
) -> Message:
    """Record a message the seeker sent outside Rapport (LinkedIn, their own mail, a letter)."""
    ensure_owned_by(owner, contact)
    if reply_received_at is not None and reply_received_at < sent_at:
        raise RapportError(
            "A reply cannot arrive before the message was sent.",
            fields={"reply_received_at": "before the send date"},
        )
    return Message.objects.create(
        owner=owner,
        contact=contact,
        kind=kind,
        channel=channel,
        subject=subject,
        body=body,
        status=Message.Status.SENT,
        sent_at=sent_at,
        reply_received_at=reply_received_at,
    )
