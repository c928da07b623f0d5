"""Meetings with contacts, from proposed to done."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.db import models

from rapport.contacts.models import Contact
from rapport.core.models import OwnedModel


def new_calendar_uid() -> str:
    """Stable for the meeting's life, so calendars update one event on reschedule."""
    return f"{uuid.uuid4()}@rapport"


class Meeting(OwnedModel):
    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        CONFIRMED = "confirmed", "Confirmed"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"
        NO_SHOW = "no_show", "No-show"

    class Mode(models.TextChoices):
        VIDEO = "video", "Video call"
        PHONE = "phone", "Phone call"
        OFFICE = "office", "Their office"
        CAFE = "cafe", "Café or restaurant"
        OTHER = "other", "Other"

    class Formality(models.TextChoices):
        CASUAL = "casual", "Casual"
        BUSINESS_CASUAL = "business_casual", "Business casual"
        BUSINESS = "business", "Business"

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="meetings")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PROPOSED)
    start = models.DateTimeField(null=True, blank=True)
    duration_min = models.PositiveSmallIntegerField(default=30)
    mode = models.CharField(max_length=16, choices=Mode.choices, default=Mode.VIDEO)
    place = models.CharField("place or link", max_length=500, blank=True)
    formality = models.CharField(
        max_length=20, choices=Formality.choices, default=Formality.BUSINESS_CASUAL
    )
    travel_min = models.PositiveSmallIntegerField(default=0)
    calendar_uid = models.CharField(
        max_length=255, unique=True, default=new_calendar_uid, editable=False
    )
    sequence = models.PositiveIntegerField(default=0)
    notes = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["owner", "status", "start"]),
            models.Index(fields=["owner", "contact"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_min__gte=5, duration_min__lte=180),
                name="meeting_duration_5_180",
            ),
        ]

    def __str__(self) -> str:
        return f"Meeting with {self.contact}"

    @property
    def end(self) -> datetime | None:
        return self.start + timedelta(minutes=self.duration_min) if self.start else None
