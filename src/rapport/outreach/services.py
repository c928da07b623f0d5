"""Writes for messages: drafts from templates, approval (the coach's errors and the follow-up
limits), sending or scheduling, logging what was sent elsewhere, and replies.

Nothing is sent that the seeker did not approve: every path to "sent" or "scheduled" goes
through `_approved`, which reviews the text as it stands and refuses unless the seeker has
acknowledged the coach's errors (and, for a nudge outside the playbook's limits, said the
contact asked for it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction

from rapport.accounts.models import Profile, User
from rapport.contacts import services as contact_services
from rapport.contacts.models import Contact, ContactEvent
from rapport.core import clock
from rapport.core.errors import RapportError
from rapport.core.models import ensure_owned_by
from rapport.lib.holidays import public_holidays
from rapport.meetings.models import Meeting
from rapport.outreach import review as reviewing
from rapport.outreach.composer import (
    Context,
    fill,
    placeholder_values,
    template_find,
    templates_for,
)
from rapport.outreach.models import Message, MessageTemplate
from rapport.playbook import cadence
from rapport.playbook.stages import Stage

EDITABLE = (Message.Status.DRAFT, Message.Status.FAILED)
# How sending each kind moves the contact along the pipeline: from these stages, to that one.
STAGE_AFTER: dict[str, tuple[set[str], str]] = {
    Message.Kind.REQUEST: ({Stage.IDENTIFIED, Stage.RESEARCHED}, Stage.REQUESTED),
    Message.Kind.THANKS: ({Stage.SCHEDULED, Stage.MET}, Stage.THANKED),
    Message.Kind.UPDATE: ({Stage.MET, Stage.THANKED}, Stage.KEEPING_IN_TOUCH),
}
VERB: dict[str, str] = {
    Message.Channel.EMAIL: "emailed",
    Message.Channel.LINKEDIN: "sent on LinkedIn",
    Message.Channel.LETTER: "posted",
    Message.Channel.PHONE: "made by phone",
    Message.Channel.IN_PERSON: "made in person",
}


# --- drafts ------------------------------------------------------------------------------


@transaction.atomic
def message_draft_create(
    *,
    owner: User,
    contact: Contact,
    kind: str,
    channel: str = Message.Channel.EMAIL,
    subject: str = "",
    body: str = "",
    in_reply_to: Message | None = None,
    meeting: Meeting | None = None,
) -> Message:
    ensure_owned_by(owner, contact, in_reply_to, meeting)
    return Message.objects.create(
        owner=owner,
        contact=contact,
        kind=kind,
        channel=channel,
        subject=subject,
        body=body,
        in_reply_to=in_reply_to,
        meeting=meeting,
    )


@transaction.atomic
def message_start(
    *,
    owner: User,
    contact: Contact,
    kind: str,
    channel: str = Message.Channel.EMAIL,
    template_id: str = "",
    meeting: Meeting | None = None,
) -> Message:
    """A draft started from a template (the one named, else the first that suits), with
    its placeholders filled. A follow-up or scheduling reply answers the contact's latest
    request; a thank-you or update is about their latest meeting unless one is given."""
    ensure_owned_by(owner, contact, meeting)
    if kind not in Message.Kind.values or channel not in Message.Channel.values:
        raise RapportError("Choose a kind of message and a channel.", fields={"kind": "unknown"})
    own = MessageTemplate.objects.for_owner(owner)
    template = template_find(template_id, own) if template_id else None
    if template is None or template.kind != kind:
        suitable = templates_for(kind, channel, own)
        template = suitable[0] if suitable else None
    request = latest_request(owner=owner, contact=contact)
    if kind in (Message.Kind.THANKS, Message.Kind.UPDATE) and meeting is None:
        meeting = latest_meeting(owner=owner, contact=contact)
    values = placeholder_values(
        Context(contact=contact, author=owner, request=request, meeting=meeting, now=clock.now())
    )
    answers = request if kind in (Message.Kind.FOLLOW_UP, Message.Kind.SCHEDULING) else None
    return message_draft_create(
        owner=owner,
        contact=contact,
        kind=kind,
        channel=channel,
        subject=fill(template.subject, values) if template else "",
        body=fill(template.body, values) if template else "",
        in_reply_to=answers,
        meeting=meeting,
    )


def latest_request(*, owner: User, contact: Contact) -> Message | None:
    return (
        Message.objects.for_owner(owner)
        .filter(contact=contact, kind=Message.Kind.REQUEST, status=Message.Status.SENT)
        .order_by("-sent_at", "-pk")
        .first()
    )


def latest_meeting(*, owner: User, contact: Contact) -> Meeting | None:
    meetings = Meeting.objects.for_owner(owner).filter(contact=contact, start__isnull=False)
    return meetings.exclude(status=Meeting.Status.CANCELLED).order_by("-start").first()


@transaction.atomic
def message_save_draft(
    *, owner: User, message: Message, subject: str, body: str, channel: str | None = None
) -> Message:
    """Autosave: the text as it stands. Only a draft (or a failed send) can change."""
    ensure_owned_by(owner, message)
    _ensure_editable(message)
    message.subject, message.body = subject, body
    fields = ["subject", "body", "updated_at"]
    if channel is not None and channel != message.channel:
        if channel not in Message.Channel.values:
            raise RapportError("Choose a channel.", fields={"channel": "unknown"})
        message.channel = channel
        fields.append("channel")
    message.save(update_fields=fields)
    return message


@transaction.atomic
def message_delete(*, owner: User, message: Message) -> None:
    ensure_owned_by(owner, message)
    if message.status not in (*EDITABLE, Message.Status.CANCELLED):
        raise RapportError("Only a draft can be deleted; a sent message is part of the record.")
    message.delete()


def _ensure_editable(message: Message) -> None:
    if message.status not in EDITABLE:
        raise RapportError(
            f"This message is {message.get_status_display().lower()}; it can no longer change.",
            code="conflict",
        )


# --- approval ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Approval:
    """What the seeker said when they pressed send or "mark as sent"."""

    errors_acknowledged: bool = False
    asked_for_followup: bool = False


def _approved(message: Message, approval: Approval, now: datetime) -> dict[str, Any]:
    """The review to keep with the message, once it may go; else a RapportError saying why
    not, naming the box to tick."""
    profile = _profile(message.owner)
    review = reviewing.message_review(message, profile=profile, now=now)
    if message.kind == Message.Kind.FOLLOW_UP and not approval.asked_for_followup:
        allowed, why = followup_allowed(message, profile=profile, now=now)
        if not allowed:
            raise RapportError(
                f"{why} Wait, or tick “they asked me to follow up” if they did.",
                fields={"asked_for_followup": why},
            )
    if reviewing.has_errors(review) and not approval.errors_acknowledged:
        raise RapportError(
            "The coach found errors in this message. Fix them, or tick the box to say you "
            "have read them and want to go ahead anyway.",
            fields={"errors_acknowledged": "the coach's errors are not acknowledged"},
        )
    return {
        **reviewing.review_record(review),
        "errors_acknowledged": approval.errors_acknowledged and reviewing.has_errors(review),
        "asked_for_followup": approval.asked_for_followup,
    }


def followup_allowed(
    message: Message, *, profile: Profile | None, now: datetime
) -> tuple[bool, str]:
    """Whether a nudge may go now (PLAYBOOK.md section 5), and if not, why."""
    request = message.in_reply_to
    if request is None or request.sent_at is None:
        return True, ""
    others = Message.objects.filter(
        owner_id=message.owner_id, in_reply_to=request, kind=Message.Kind.FOLLOW_UP
    ).exclude(pk=message.pk)
    sent = others.filter(status=Message.Status.SENT)
    replies = [m.reply_received_at for m in [request, *sent] if m.reply_received_at]
    thread = cadence.Thread(
        request_id=request.pk,
        sent_at=request.sent_at,
        follow_ups=tuple(m.sent_at for m in sent if m.sent_at),
        replied_at=min(replies) if replies else None,
    )
    policy = cadence.Policy.from_settings(
        max_nudges=profile.max_nudges if profile else None,
        keep_in_touch_weeks=profile.keep_in_touch_weeks if profile else None,
    )
    return cadence.followup_allowed(
        thread,
        policy=policy,
        now=now,
        country=reviewing.contact_country(message, profile),
        zone=str(reviewing.contact_zone(message, profile)),
        holidays=public_holidays,
    )


def _profile(user: User) -> Profile | None:
    return Profile.objects.filter(user=user).first()


# --- sending, scheduling, logging ----------------------------------------------------------


@transaction.atomic
def message_mark_sent(
    *,
    owner: User,
    message: Message,
    sent_at: datetime,
    approval: Approval = Approval(),
) -> Message:
    """The seeker sent it themselves (LinkedIn, their own mail, a letter, a call)."""
    ensure_owned_by(owner, message)
    _ensure_editable(message)
    now = clock.now()
    if sent_at > now:
        raise RapportError(
            "The date it was sent cannot be in the future.", fields={"sent_at": "future"}
        )
    record = _approved(message, approval, now)
    updated = Message.objects.filter(pk=message.pk, status__in=EDITABLE).update(
        status=Message.Status.SENT, sent_at=sent_at, send_error="", **record
    )
    if not updated:
        raise RapportError("This message changed meanwhile; reload the page.", code="conflict")
    message.refresh_from_db()
    _after_sent(owner, message)
    return message


@transaction.atomic
def message_schedule(
    *,
    owner: User,
    message: Message,
    send_at: datetime,
    approval: Approval = Approval(),
) -> Message:
    """Queue an email for the worker to send at `send_at` (now or later)."""
    ensure_owned_by(owner, message)
    _ensure_editable(message)
    if message.channel != Message.Channel.EMAIL:
        raise RapportError(
            "Only an email can be sent from Rapport. Copy the text and mark it as sent.",
            fields={"channel": "not email"},
        )
    if not message.contact.email:
        raise RapportError(
            f"{message.contact} has no email address yet. Add one on their page first.",
            fields={"to": "no address"},
        )
    record = _approved(message, approval, clock.now())
    updated = Message.objects.filter(pk=message.pk, status__in=EDITABLE).update(
        status=Message.Status.SCHEDULED, send_at=send_at, send_error="", **record
    )
    if not updated:
        raise RapportError("This message changed meanwhile; reload the page.", code="conflict")
    message.refresh_from_db()
    return message


def message_send_now(*, owner: User, message: Message, approval: Approval = Approval()) -> Message:
    """Schedule for now and deliver at once, in this request (the worker would pick it up
    within seconds anyway; this way the seeker sees the result)."""
    from rapport.outreach.delivery import message_deliver

    now = clock.now()
    message_schedule(owner=owner, message=message, send_at=now, approval=approval)
    message_deliver(message_id=message.pk, now=max(now, message.send_at or now))
    message.refresh_from_db()
    if message.status == Message.Status.SENT:
        _after_sent(owner, message)
    return message


@transaction.atomic
def message_unschedule(*, owner: User, message: Message) -> Message:
    """Back to a draft, if the worker has not taken it yet."""
    ensure_owned_by(owner, message)
    updated = Message.objects.filter(pk=message.pk, status=Message.Status.SCHEDULED).update(
        status=Message.Status.DRAFT, send_at=None
    )
    if not updated:
        raise RapportError("Too late: it is already on its way.", code="conflict")
    message.refresh_from_db()
    return message


@transaction.atomic
def message_resolve_stuck(*, owner: User, message: Message, went_out: bool) -> Message:
    """After a crash mid-send the seeker checked their sent mail: it went, or it did not
    (then it goes back to a draft, to be sent again only if they choose to)."""
    ensure_owned_by(owner, message)
    if went_out:
        sent_at = message.sending_since or clock.now()
        changed = {"status": Message.Status.SENT, "sent_at": sent_at}
    else:
        changed = {"status": Message.Status.DRAFT, "send_at": None, "sending_since": None}
    updated = Message.objects.filter(pk=message.pk, status=Message.Status.SENDING).update(**changed)
    if not updated:
        raise RapportError("This message is no longer waiting for a check.", code="conflict")
    message.refresh_from_db()
    if went_out:
        _after_sent(owner, message)
    return message


def _after_sent(owner: User, message: Message) -> None:
    """The timeline entry, and the contact moved along the pipeline."""
    contact = message.contact
    contact_services.contact_event_add(
        owner=owner,
        contact=contact,
        kind=ContactEvent.Kind.MESSAGE,
        summary=f"{message.get_kind_display()} {VERB.get(message.channel, 'sent')}",
        at=message.sent_at,
    )
    move = STAGE_AFTER.get(message.kind)
    if move and contact.stage in move[0]:
        contact_services.contact_update(
            owner=owner, contact=contact, data={"stage": move[1]}, by_hand=False
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
    in_reply_to: Message | None = None,
    meeting: Meeting | None = None,
) -> Message:
    """Record a message sent in the past as a fact (the demo's history, a data import):
    no review, no pipeline move, just the record."""
    ensure_owned_by(owner, contact, in_reply_to, meeting)
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
        in_reply_to=in_reply_to,
        meeting=meeting,
    )


# --- replies -------------------------------------------------------------------------------


@transaction.atomic
def message_reply_received(*, owner: User, message: Message, at: datetime) -> Message:
    """A reply came: every pending nudge for this request stops (the Today list is derived,
    so marking the reply is all it takes)."""
    ensure_owned_by(owner, message)
    if message.status != Message.Status.SENT or message.sent_at is None:
        raise RapportError("Only a sent message can have a reply.", fields={"at": "not sent"})
    if at < message.sent_at:
        raise RapportError(
            "A reply cannot arrive before the message was sent.", fields={"at": "before sending"}
        )
    if at > clock.now():
        raise RapportError("The reply date cannot be in the future.", fields={"at": "future"})
    if message.reply_received_at is None:
        message.reply_received_at = at
        message.save(update_fields=["reply_received_at", "updated_at"])
        contact_services.contact_event_add(
            owner=owner,
            contact=message.contact,
            kind=ContactEvent.Kind.MESSAGE,
            summary=f"Reply received to your {message.get_kind_display().lower()}",
            at=at,
        )
    return message


@transaction.atomic
def contact_reply_received(*, owner: User, contact: Contact, at: datetime) -> Message:
    """The one-click "they replied" on a contact: the latest sent request or follow-up."""
    ensure_owned_by(owner, contact)
    latest = (
        Message.objects.for_owner(owner)
        .filter(
            contact=contact,
            status=Message.Status.SENT,
            kind__in=[Message.Kind.REQUEST, Message.Kind.FOLLOW_UP],
            sent_at__lte=at,
        )
        .order_by("-sent_at", "-pk")
        .first()
    )
    if latest is None:
        raise RapportError(
            f"No request to {contact} was sent by then, so there is nothing to reply to.",
            fields={"at": "no request"},
        )
    return message_reply_received(owner=owner, message=latest, at=at)


# --- templates -------------------------------------------------------------------------------


@transaction.atomic
def template_save(
    *,
    owner: User,
    name: str,
    kind: str,
    channel: str,
    subject: str,
    body: str,
    template: MessageTemplate | None = None,
) -> MessageTemplate:
    """Add one of the seeker's own templates, or change it."""
    ensure_owned_by(owner, template)
    name = " ".join(name.split())
    if not name or not body.strip():
        raise RapportError("A template needs a name and some text.", fields={"name": "empty"})
    clash = MessageTemplate.objects.for_owner(owner).filter(name__iexact=name)
    if template is not None:
        clash = clash.exclude(pk=template.pk)
    if clash.exists():
        raise RapportError(
            f"You already have a template called “{name}”.", fields={"name": "taken"}
        )
    template = template or MessageTemplate(owner=owner)
    template.name, template.kind, template.channel = name, kind, channel
    template.subject, template.body = subject, body
    template.full_clean()
    template.save()
    return template


@transaction.atomic
def template_delete(*, owner: User, template: MessageTemplate) -> None:
    ensure_owned_by(owner, template)
    template.delete()
