"""Reads for companies and contacts, always scoped to one owner."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from rapport.accounts.models import User
from rapport.contacts.models import STAGE_CHOICES, Company, Contact


def contact_list(*, owner: User, query: str = "", stage: str = "") -> QuerySet[Contact]:
    contacts = Contact.objects.for_owner(owner).select_related("company")
    if stage:
        contacts = contacts.filter(stage=stage)
    for word in query.split():
        contacts = contacts.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(title__icontains=word)
            | Q(company__name__icontains=word)
        )
    return contacts.order_by("last_name", "first_name", "pk")


def company_list(*, owner: User) -> QuerySet[Company]:
    return (
        Company.objects.for_owner(owner)
        .annotate(contact_count=Count("contacts"))
        .order_by("-keenness", "-hiring_signal", "name")
    )


@dataclass(frozen=True)
class StageCount:
    stage: str
    label: str
    count: int
    share_of_largest_pct: int


def stage_counts(*, owner: User) -> list[StageCount]:
    """How many contacts sit at each stage, in pipeline order, with bar lengths."""
    rows = Contact.objects.for_owner(owner).values("stage").annotate(n=Count("pk"))
    counts = {row["stage"]: row["n"] for row in rows}
    largest = max(counts.values(), default=0) or 1
    return [
        StageCount(
            value, str(label), counts.get(value, 0), round(100 * counts.get(value, 0) / largest)
        )
        for value, label in STAGE_CHOICES
    ]
