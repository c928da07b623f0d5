"""Messages to contacts: drafts, scheduled sends, and sends logged from elsewhere."""

from __future__ import annotations

from django.db import models

from rapport.contacts.models import Contact
from rapport.core.models import OwnedModel


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
    review_rules = models.JSONField(default=list, blank=True)
    review_score = models.PositiveSmallIntegerField(null=True, blank=True)
    message_id = models.CharField(max_length=255, unique=True, null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["owner", "status", "send_at"]),
            models.Index(fields=["owner", "contact", "kind"]),
            models.Index(fields=["owner", "sent_at"]),
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
