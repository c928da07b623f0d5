"""Reads for companies and contacts, always scoped to one owner."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Lower

from rapport.accounts.models import User
from rapport.contacts.models import STAGE_CHOICES, Company, Contact, ContactEvent, Tag
from rapport.playbook.research import Gap, ResearchFacts, research_gaps
from rapport.playbook.stages import END_STAGES, PIPELINE, STAGE_LABELS, Stage

CONTACT_SORTS = {
    "priority": ("-priority_score", "last_name", "first_name", "pk"),
    "name": ("last_name", "first_name", "pk"),
    "activity": (F("last_activity_at").desc(nulls_last=True), "last_name", "first_name", "pk"),
}
NOT_ASKED_STAGES = [Stage.IDENTIFIED.value, Stage.RESEARCHED.value]
TIMELINE_LENGTH = 50
# What a pipeline card shows: reading only these keeps a full board's rows small.
CARD_FIELDS = ("first_name", "last_name", "title", "stage", "company__name")
TAG_FETCHED_BY_ID = 5000  # a tag on up to this many is read by id, not in page order
SEARCH_IDS_LISTED = 500  # up to this many matches, a search filters by a list of ids


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
    """The owner's contacts, searched (names, company, title, notes, tags) and filtered.

    Tags are matched through subqueries rather than joins, so no row comes back twice and
    no DISTINCT is needed. A page that shows tags reads them with `contact_tag_names`.
    """
    narrowed = _narrowed(owner, query.split(), tag.strip())
    contacts = _by_id(owner) if narrowed.by_id else Contact.objects.for_owner(owner)
    contacts = contacts.select_related("company").filter(narrowed.condition)
    if stage:
        contacts = contacts.filter(stage=stage)
    if source:
        contacts = contacts.filter(source=source)
    if company_id is not None:
        contacts = contacts.filter(company_id=company_id)
    return contacts.order_by(*CONTACT_SORTS.get(sort, CONTACT_SORTS["priority"]))


@dataclass(frozen=True)
class Narrowed:
    condition: Q
    by_id: bool  # the condition names few enough contacts to fetch them by id


def _narrowed(owner: User, words: list[str], tag: str) -> Narrowed:
    """The search words and the tag as a condition, and whether it is narrow.

    A typical search (a name) or a small tag matches a few people. Their ids are found
    first (each word in one pass over the contacts' own columns, on SQLite over an index
    holding all of them, plus lookups of matching companies and tags), and the count and
    the page are then lookups by id. Filtering in page order instead would walk all the
    contacts reading each one's row. A broad search (one letter) is the other way round:
    the page fills from the first rows walked, so it is filtered as it goes.
    """
    ids: set[int] | None = None
    condition, by_id = Q(), False
    if tag:
        tagged = _through(_tag_ids(owner, tag, exact=True)).values_list("contact_id", flat=True)
        condition &= Q(pk__in=tagged)
        by_id = tagged[: TAG_FETCHED_BY_ID + 1].count() <= TAG_FETCHED_BY_ID
    for word in words:
        found = _ids_matching(owner, word)
        if found is None:
            condition &= _word_condition(owner, word)
        else:
            ids = found if ids is None else ids & found
    if ids is not None:
        return Narrowed(condition & Q(pk__in=sorted(ids)), by_id=True)
    return Narrowed(condition, by_id)


def _by_id(owner: User) -> QuerySet[Contact]:
    """The owner's contacts, for a condition that names a few of them by id.

    The owner is checked as `owner_id + 0`, which no index serves. Without statistics
    (SQLite has none unless ANALYZE runs) the planner takes `owner_id = ?` for a narrow
    filter and walks all the owner's contacts testing each id, instead of fetching the
    ones it was given.
    """
    if not owner.is_authenticated:
        return Contact.objects.none()
    return Contact.objects.alias(owner_key=F("owner_id") + 0).filter(owner_key=owner.pk)


def _ids_matching(owner: User, word: str) -> set[int] | None:
    """The ids of the contacts matching one word; None when there are too many to list."""
    contacts = Contact.objects.for_owner(owner)
    sources = [contacts.filter(_own_columns(word)).values_list("pk", flat=True)]
    companies = _company_ids(owner, word)
    if companies:
        sources.append(contacts.filter(company_id__in=companies).values_list("pk", flat=True))
    tags = _tag_ids(owner, word)
    if tags:
        sources.append(_through(tags).values_list("contact_id", flat=True))
    found: set[int] = set()
    for source in sources:
        found.update(source[: SEARCH_IDS_LISTED + 1])
        if len(found) > SEARCH_IDS_LISTED:
            return None
    return found


def _own_columns(word: str) -> Q:
    return (
        Q(first_name__icontains=word)
        | Q(last_name__icontains=word)
        | Q(title__icontains=word)
        | Q(notes__icontains=word)
    )


def _word_condition(owner: User, word: str) -> Q:
    """One word matched in the WHERE clause. Companies and tags are looked up first, so
    each contact is tested against a short list rather than a subquery."""
    companies: list[int] | QuerySet[Any] = _company_ids(owner, word)
    if len(companies) > SEARCH_IDS_LISTED:  # a long list costs more to send than to query
        companies = Company.objects.for_owner(owner).filter(name__icontains=word).values("pk")
    return (
        _own_columns(word)
        | Q(company_id__in=companies)
        | Q(pk__in=_through(_tag_ids(owner, word)).values("contact_id"))
    )


def _company_ids(owner: User, word: str) -> list[int]:
    companies = Company.objects.for_owner(owner).filter(name__icontains=word)
    return list(companies.values_list("pk", flat=True))


def _tag_ids(owner: User, word: str, *, exact: bool = False) -> list[int]:
    tags = Tag.objects.for_owner(owner)
    tags = tags.filter(name__iexact=word) if exact else tags.filter(name__icontains=word)
    return list(tags.values_list("pk", flat=True))


def _through(tag_ids: list[int]) -> QuerySet[Any]:
    return Contact.tags.through.objects.filter(tag_id__in=tag_ids)


def contact_tag_names(contacts: Iterable[Contact]) -> dict[int, list[str]]:
    """Each contact's tag names, for a page of them, in one query however long the page
    (a plain lookup: prefetch_related costs several times more for the same rows)."""
    rows = (
        Contact.tags.through.objects.filter(contact_id__in=[c.pk for c in contacts])
        .order_by(Lower("tag__name"))
        .values_list("contact_id", "tag__name")
    )
    names: dict[int, list[str]] = defaultdict(list)
    for contact_id, name in rows:
        names[contact_id].append(name)
    return names


def tag_names(*, owner: User) -> list[str]:
    return list(Tag.objects.for_owner(owner).order_by(Lower("name")).values_list("name", flat=True))


def company_list(*, owner: User, query: str = "") -> QuerySet[Company]:
    """The owner's companies, highest ranked first, each with its number of contacts.

    The count is a subquery per company rather than a GROUP BY over every contact, so a
    page of 50 counts 50 companies' people, not all of them.
    """
    people = (
        Contact.objects.filter(company=OuterRef("pk"))
        .order_by()
        .values("company")
        .annotate(n=Count("pk"))
        .values("n")
    )
    companies = Company.objects.for_owner(owner).annotate(
        contact_count=Coalesce(Subquery(people, output_field=IntegerField()), Value(0))
    )
    for word in query.split():
        companies = companies.filter(Q(name__icontains=word) | Q(domain__icontains=word))
    return companies.order_by("-rank_score", "name", "pk")


def company_people(*, owner: User, company: Company) -> QuerySet[Contact]:
    """Everyone at the company, the best to talk to first."""
    return (
        Contact.objects.for_owner(owner)
        .filter(company=company)
        .order_by(*CONTACT_SORTS["priority"])
    )


def company_best_contact(*, owner: User, company: Company) -> Contact | None:
    """The person to ask first there: the highest priority among those not asked yet."""
    people = company_people(owner=owner, company=company)
    return people.filter(stage__in=NOT_ASKED_STAGES).first()


def contact_timeline(*, owner: User, contact: Contact) -> list[ContactEvent]:
    """The latest things that happened with the contact, newest first."""
    events = ContactEvent.objects.for_owner(owner).filter(contact=contact)
    return list(events.order_by("-at", "-pk")[:TIMELINE_LENGTH])


def contact_research_gaps(contact: Contact) -> tuple[Gap, ...]:
    company = contact.company
    return research_gaps(
        ResearchFacts(
            title=contact.title,
            role=contact.research_role,
            tenure=contact.research_tenure,
            has_company=company is not None,
            company_notes=company.notes if company else "",
            common_ground=contact.common_ground,
        )
    )


@dataclass(frozen=True)
class PipelineColumn:
    stage: str
    label: str
    is_end: bool
    count: int
    contacts: list[Contact]

    @property
    def hidden_count(self) -> int:
        return self.count - len(self.contacts)


def pipeline_columns(
    *, owner: User, per_column: int, per_ended_column: int | None = None
) -> list[PipelineColumn]:
    """Each stage's best contacts (`per_column`, or `per_ended_column` for the ends), the
    forward path first, then the ends.

    One query per column, each served by the (owner, stage, priority) index, so the board
    costs the same with 300 contacts or 30,000.
    """
    counts = dict(
        Contact.objects.for_owner(owner).values_list("stage").annotate(n=Count("pk")).order_by()
    )
    columns = []
    for stage in (*PIPELINE, *sorted(END_STAGES, key=list(Stage).index)):
        count = counts.get(stage.value, 0)
        limit = per_ended_column or per_column if stage.is_end else per_column
        shown = _column(owner, stage, limit) if count else []
        columns.append(PipelineColumn(stage.value, STAGE_LABELS[stage], stage.is_end, count, shown))
    return columns


def _column(owner: User, stage: Stage, limit: int) -> list[Contact]:
    contacts = Contact.objects.for_owner(owner).filter(stage=stage.value)
    contacts = contacts.select_related("company").only(*CARD_FIELDS)
    return list(contacts.order_by(*CONTACT_SORTS["priority"])[:limit])


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
