"""Messages to contacts: drafts, scheduled sends, and sends logged from elsewhere."""

from __future__ import annotations

from django.db import models

from rapport.contacts.models import Contact
from rapport.core.models import OwnedModel

WORKER_DUE_INDEX = "message_due_for_worker"


class Message(OwnedModel):
    class Kind(models.TextChoices):
        REQUEST = "request", "Request"
        FOLLOW_UP = "follow_up", "Follow-up"
        THANKS = "thanks", "Thank-you"
        UPDATE = "update", "Update"
        SCHEDULING = "scheduling", "Scheduling"

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        LINKEDIN = "linkedin", "LinkedIn"
        LETTER = "letter", "Letter"
        PHONE = "phone", "Phone"
        IN_PERSON = "in_person", "In person"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.EMAIL)
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    in_reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_ups"
    )
    send_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    reply_received_at = models.DateTimeField(null=True, blank=True)
    meeting = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages",
        help_text="The meeting a thank-you or scheduling message is about.",
    )
    to_address = models.CharField(
        max_length=320, blank=True, help_text="Who an email went to, as it was sent."
    )
    # The coach's review as it stood when the message was sent or logged: rule ids, the
    # score, and each finding ({rule, severity, message}), kept with the message.
    review_rules = models.JSONField(default=list, blank=True)
    review_score = models.PositiveSmallIntegerField(null=True, blank=True)
    review_findings = models.JSONField(default=list, blank=True)
    errors_acknowledged = models.BooleanField(
        default=False, help_text="The seeker read the coach's errors and sent it anyway."
    )
    asked_for_followup = models.BooleanField(
        default=False, help_text="A nudge the contact asked for, outside the usual limits."
    )
    message_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    sending_since = models.DateTimeField(
        null=True, blank=True, help_text="When a worker claimed it for sending."
    )
    send_error = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["owner", "status", "send_at"]),
            models.Index(fields=["owner", "contact", "kind"]),
            models.Index(fields=["owner", "sent_at"]),
            # Not led by the owner: the worker looks for due messages across all accounts.
            models.Index(
                fields=["send_at"],
                condition=models.Q(status="scheduled"),
                name=WORKER_DUE_INDEX,
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="message_sent_has_sent_at",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="scheduled") | models.Q(send_at__isnull=False),
                name="message_scheduled_has_send_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.contact}"


class MessageTemplate(OwnedModel):
    """A seeker's own starting point for a kind of message, beside the built-in ones."""

    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=16, choices=Message.Kind.choices)
    channel = models.CharField(
        max_length=16,
        choices=Message.Channel.choices,
        blank=True,
        help_text="Empty when it suits any channel.",
    )
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField()

    class Meta:
        indexes = [models.Index(fields=["owner", "kind", "name"])]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="template_owner_name"),
        ]

    def __str__(self) -> str:
        return self.name
