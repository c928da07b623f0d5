"""Meetings with contacts, from proposed to done."""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime, timedelta

from django.core.validators import MaxValueValidator, MinValueValidator
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
    # The times offered in the scheduling message (ISO 8601, UTC) while it is proposed.
    proposed_slots = models.JSONField(default=list, blank=True)
    # Set from the meeting page: the thank-you countdown runs from the real end.
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

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
        """When it ended, if the seeker said so on the meeting page, else when it should."""
        if self.ended_at is not None:
            return self.ended_at
        return self.start + timedelta(minutes=self.duration_min) if self.start else None


def pace_key(text: str, bank_id: str = "") -> str:
    """What ties rehearsal timings of one question together across meetings: the bank id,
    or for the seeker's own question its wording with case and spacing ignored."""
    if bank_id:
        return f"bank:{bank_id}"
    wording = " ".join(text.casefold().split())
    return "own:" + hashlib.sha256(wording.encode()).hexdigest()[:40]


class PlanQuestion(OwnedModel):
    """One question in a meeting's plan, in the order the seeker means to ask it."""

    class Priority(models.IntegerChoices):
        MUST = 1, "Must ask"
        SHOULD = 2, "Should ask"
        IF_TIME = 3, "If time allows"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(default=0)
    text = models.TextField(max_length=500)
    bank_id = models.CharField(max_length=80, blank=True)  # from the question bank, if so
    kind = models.CharField(max_length=16, blank=True)  # the bank's kind; blank for own ones
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.SHOULD)
    answer_min = models.PositiveSmallIntegerField(
        "estimated answer (minutes)",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(15)],
    )
    notes = models.TextField(blank=True)  # taken during the meeting
    asked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["owner", "meeting", "position"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(priority__gte=1, priority__lte=3),
                name="plan_question_priority_1_3",
            ),
            models.CheckConstraint(
                condition=models.Q(answer_min__gte=1, answer_min__lte=15),
                name="plan_question_answer_1_15",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def pace_key(self) -> str:
        return pace_key(self.text, self.bank_id)


class Rehearsal(OwnedModel):
    """One run through a meeting's plan against the clock."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rehearsals")
    finished_at = models.DateTimeField(null=True, blank=True)
    total_seconds = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["owner", "meeting", "created_at"])]

    def __str__(self) -> str:
        return f"Rehearsal for {self.meeting}"


class RehearsalTiming(OwnedModel):
    """How long one answer took in a rehearsal. Kept by pace key, so a question the seeker
    asks again in another meeting starts from their own pace."""

    rehearsal = models.ForeignKey(Rehearsal, on_delete=models.CASCADE, related_name="timings")
    question = models.ForeignKey(
        PlanQuestion, on_delete=models.SET_NULL, null=True, blank=True, related_name="timings"
    )
    pace_key = models.CharField(max_length=80)
    seconds = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["owner", "pace_key"])]

    def __str__(self) -> str:
        return f"{self.seconds} s"


class Takeaway(OwnedModel):
    """Something to keep from the meeting: a piece of advice, or a person they suggested."""

    class Kind(models.TextChoices):
        ADVICE = "advice", "Advice"
        PERSON = "person", "Person to talk to"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="takeaways")
    question = models.ForeignKey(
        PlanQuestion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    text = models.TextField(max_length=1000, blank=True)  # the advice, or why talk to them
    person_name = models.CharField(max_length=200, blank=True)
    person_company = models.CharField(max_length=200, blank=True)
    person_reach = models.CharField("how to reach them", max_length=300, blank=True)
    contact = models.ForeignKey(  # the contact made from a suggested person
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["owner", "meeting", "kind"])]

    def __str__(self) -> str:
        return self.person_name or self.text[:60]


class CalendarFeed(OwnedModel):
    """A private calendar subscription URL. Only a hash of its secret is stored; revoking
    it (or making a new one) stops the old URL at once."""

    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["owner", "revoked_at"])]

    def __str__(self) -> str:
        return f"Calendar feed {self.prefix}…"
