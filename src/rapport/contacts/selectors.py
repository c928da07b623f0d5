"""Reads for companies and contacts, always scoped to one owner."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet

from rapport.accounts.models import User
from rapport.contacts.models import STAGE_CHOICES, Company, Contact, Tag

CONTACT_SORTS = {
    "priority": ("-priority_score", "last_name", "first_name", "pk"),
    "name": ("last_name", "first_name", "pk"),
    "activity": (F("last_activity_at").desc(nulls_last=True), "last_name", "pk"),
}


def contact_list(
    *,
    owner: User,
    query: str = "",
    stage: str = "",
    tag: str = "",
    company_id: int | None = None,
    source: str = "",
    sort: str = "priority",
) -> QuerySet[Contact]:
    """The owner's contacts, searched (names, company, title, notes, tags) and filtered."""
    contacts = Contact.objects.for_owner(owner).select_related("company")
    if stage:
        contacts = contacts.filter(stage=stage)
    if source:
        contacts = contacts.filter(source=source)
    if company_id is not None:
        contacts = contacts.filter(company_id=company_id)
    if tag:
        contacts = contacts.filter(tags__name__iexact=tag)
    for word in query.split():
        matching_tags = Tag.objects.for_owner(owner).filter(name__icontains=word)
        contacts = contacts.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(title__icontains=word)
            | Q(company__name__icontains=word)
            | Q(notes__icontains=word)
            | Q(tags__in=matching_tags)
        )
    if tag or query:
        contacts = contacts.distinct()
    return contacts.order_by(*CONTACT_SORTS.get(sort, CONTACT_SORTS["priority"]))


def company_list(*, owner: User) -> QuerySet[Company]:
    return (
        Company.objects.for_owner(owner)
        .annotate(contact_count=Count("contacts"))
        .order_by("-rank_score", "name")
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
