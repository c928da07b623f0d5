"""Writes for the Today list: the only things stored about an action are that the seeker
put it off until a date, or dismissed it."""

from __future__ import annotations

import re
from datetime import date

from django.db import transaction

from rapport.accounts.models import User
from rapport.contacts import services as contact_services
from rapport.contacts.models import Contact
from rapport.core.errors import RapportError
from rapport.core.models import ensure_owned_by
from rapport.playbook.stages import Stage
from rapport.reminders.models import ActionSnooze

# Keys come from rapport.playbook.cadence: "follow_up:request:41:1", "update:contact:7:2026-12-30".
ACTION_KEY_RE = re.compile(r"[a-z_]+(:[A-Za-z0-9_.-]+){1,4}")


@transaction.atomic
def action_snooze(
    *, owner: User, contact: Contact, action_key: str, until: date | None, today: date
) -> ActionSnooze:
    """Hide the action until `until` (None: for good)."""
    ensure_owned_by(owner, contact)
    if not ACTION_KEY_RE.fullmatch(action_key) or len(action_key) > 120:
        raise RapportError("That is not one of Rapport's suggestions.", fields={"key": "unknown"})
    if until is not None and until <= today:
        raise RapportError("Choose a day after today.", fields={"until": "not in the future"})
    snooze, _ = ActionSnooze.objects.update_or_create(
        owner=owner, action_key=action_key, defaults={"contact": contact, "until": until}
    )
    return snooze


@transaction.atomic
def contact_mark_no_reply(*, owner: User, contact: Contact) -> Contact:
    """The follow-ups are used up: let them rest (PLAYBOOK.md section 5)."""
    ensure_owned_by(owner, contact)
    return contact_services.contact_set_stage(owner=owner, contact=contact, stage=Stage.NO_REPLY)
