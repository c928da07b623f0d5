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


class HistoryVersion(models.Model):
    """A counter per account that database triggers raise on every change to what the
    Today list is derived from (messages, meetings, a contact's stage, employer, country,
    zone or cadence, snoozes, the follow-up policy): the list is remembered per version,
    so a remembered list can never outlive the history it came from, whichever code path
    (a page, the API, an import, a bulk update) changed it. Migration 0002 makes the
    triggers. No foreign key: triggers may touch it while an account is being deleted."""

    owner_id = models.BigIntegerField(primary_key=True)
    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"history of {self.owner_id}: version {self.version}"
