from __future__ import annotations

from django.db.models import QuerySet

from rapport.accounts.models import User
from rapport.outreach.models import Message


def message_list(*, owner: User, status: str = "") -> QuerySet[Message]:
    messages = Message.objects.for_owner(owner).select_related("contact")
    if status:
        messages = messages.filter(status=status)
    return messages.order_by("-updated_at", "-pk")


def drafts_waiting(*, owner: User) -> QuerySet[Message]:
    return message_list(owner=owner, status=Message.Status.DRAFT)
