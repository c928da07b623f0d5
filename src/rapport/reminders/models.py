"""What the seeker said about a suggested action. The actions themselves are derived from
the history (rapport.playbook.cadence) and never stored."""

from __future__ import annotations

from django.db import models

from rapport.contacts.models import Contact
from rapport.core.models import OwnedModel


class ActionSnooze(OwnedModel):
    """An action put off until a date, or dismissed for good (no date)."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="snoozes")
    action_key = models.CharField(max_length=120, help_text="The action's stable key.")
    until = models.DateField(null=True, blank=True, help_text="Empty: dismissed.")

    class Meta:
        indexes = [models.Index(fields=["owner", "action_key"])]
        constraints = [
            models.UniqueConstraint(fields=["owner", "action_key"], name="snooze_owner_key"),
        ]

    def __str__(self) -> str:
        return f"{self.action_key} until {self.until or 'dismissed'}"
