"""Importing contacts: a preview of what an import would change, then the change, in one
transaction.

A row is the same person as an existing contact when their LinkedIn profile URLs match;
failing that, their emails (in any case); failing that, their names and companies (unless
their URLs or emails say they are two people). Re-importing fills in and updates what the
file knows, except fields the seeker changed by hand (`Contact.edited_fields`).

Everything is read up front into dictionaries and written in bulk, so there is no query
per row; bench/import_bench.py times 30,000 rows against a bare csv + executemany floor.
"""

from __future__ import annotations

import enum
import operator
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, NamedTuple

from django.db import transaction
from django.utils import timezone

from rapport.accounts.models import User
from rapport.contacts import ranking
from rapport.contacts.importers import ContactRow, Parsed, Problem
from rapport.contacts.importers.records import FIELD_MAX_CHARS
from rapport.contacts.models import Company, Contact, ContactEvent
from rapport.core.bulk import bulk_insert, bulk_update, indexes_rebuilt_after, insert_select
from rapport.core.errors import RapportError
from rapport.lib.memory import collector_paused
from rapport.lib.names import company_key, person_key, profile_url_key
from rapport.playbook.priority import Ranked

# What an import may fill in or change on a contact (and "company").
IMPORTED_FIELDS = (
    "first_name", "last_name", "email", "phone", "linkedin_url", "title", "location",
    "country", "time_zone", "connected_on",
)  # fmt: skip
SOURCE_LABELS = {
    Contact.Source.LINKEDIN: "LinkedIn",
    Contact.Source.VCARD: "vCard",
    Contact.Source.CSV: "CSV",
}
COMPANY_KEY_CHARS = 200  # Company.name_key's length
Progress = Callable[[str, int, int], None]  # (what is being done, done so far, total)


class Action(enum.StrEnum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"


class RowOutcome(NamedTuple):
    row: int
    action: Action
    who: str
    detail: str = ""  # what changes, or why the row is skipped
    duplicate_of: int | None = None


@dataclass(frozen=True)
class ImportReport:
    """What an import does (or did) with each row."""

    outcomes: tuple[RowOutcome, ...]

    def count(self, action: Action) -> int:
        return sum(outcome.action is action for outcome in self.outcomes)

    @property
    def new(self) -> int:
        return self.count(Action.NEW)

    @property
    def updated(self) -> int:
        return self.count(Action.UPDATED)

    @property
    def unchanged(self) -> int:
        return self.count(Action.UNCHANGED)

    @property
    def skipped(self) -> int:
        return self.count(Action.SKIPPED)

    @property
    def duplicates(self) -> int:
        return sum(outcome.duplicate_of is not None for outcome in self.outcomes)

    @property
    def changes_anything(self) -> bool:
        return bool(self.new or self.updated)


@collector_paused()
def import_preview(*, owner: User, rows: list[ContactRow]) -> ImportReport:
    """What `import_apply` would do with these rows now. Writes nothing."""
    return _plan(owner, rows).report


@collector_paused()
@transaction.atomic
def import_apply(
    *, owner: User, rows: list[ContactRow], source: str, progress: Progress | None = None
) -> ImportReport:
    """Create and update the owner's contacts from the rows, all or nothing."""
    label = SOURCE_LABELS.get(source)  # type: ignore[call-overload]
    if label is None:
        raise RapportError(f"{source!r} is not an import source.", fields={"source": "unknown"})
    plan = _plan(owner, rows)
    if not plan.report.changes_anything:
        return plan.report
    step = progress or _no_progress
    now = timezone.now()
    company_ids = _companies_ensure(owner, plan, now)
    step("Updating contacts", 0, 4)
    _contacts_update(plan, company_ids, now)
    step("Ranking", 1, 4)
    creates = _creates_ranked(owner, plan, company_ids, source)
    step("Adding contacts", 2, 4)
    with indexes_rebuilt_after(Contact, adding=len(creates)):
        _contacts_insert(owner, creates, source, now)
    _events_add(owner, plan, label, now)
    step("Done", 4, 4)
    return plan.report


def import_problems(report: ImportReport, parsed: Parsed) -> list[Problem]:
    """Every problem to show the seeker, in file order: the parser's, and the rows this
    import skips as duplicates."""
    problems = [
        replace(p, reason=f"skipped: {p.reason}") if p.skipped else p for p in parsed.problems
    ]
    problems += [
        Problem(o.row, "", f"skipped: {o.detail}", skipped=True)
        for o in report.outcomes
        if o.action is Action.SKIPPED
    ]
    return sorted(problems, key=lambda problem: problem.row)


def import_sentence(report: ImportReport, parsed: Parsed) -> str:
    """ "Imported 287 contacts, updated 12, skipped 1 duplicate." """
    parts = [f"Imported {report.new:,} contact{_s(report.new)}"]
    if report.updated:
        parts.append(f"updated {report.updated:,}")
    if report.unchanged:
        parts.append(f"{report.unchanged:,} already up to date")
    duplicates = report.duplicates
    others = report.skipped - duplicates + parsed.dropped
    skipped = []
    if duplicates:
        skipped.append(f"{duplicates:,} duplicate{_s(duplicates)}")
    if others:
        skipped.append(f"{others:,} {parsed.unit}{_s(others)} with problems")
    if skipped:
        parts.append("skipped " + " and ".join(skipped))
    return ", ".join(parts) + "."


def _s(count: int) -> str:
    return "" if count == 1 else "s"


def _no_progress(what: str, done: int, total: int) -> None:
    """The default: nobody is watching."""


# --- planning: who is who --------------------------------------------------------------


class _Keys(NamedTuple):
    """What a row or contact is matched on, worked out once."""

    url: str
    email: str
    name: tuple[str, str]  # person key, company key


@dataclass(slots=True)
class _Person:
    """Someone a row can turn out to be: an existing contact, or an earlier row."""

    keys: _Keys
    contact: _ContactValues | None = None
    claimed_by: ContactRow | None = None  # the first row of the file that is this person


@dataclass
class _Plan:
    company_key: Callable[[str], str]
    known_companies: dict[int, str]  # the owner's companies before the import: id -> key
    outcomes: list[RowOutcome] = field(default_factory=list)
    creates: list[tuple[ContactRow, _Keys]] = field(default_factory=list)
    updates: list[tuple[_ContactValues, dict[str, Any]]] = field(default_factory=list)

    @property
    def report(self) -> ImportReport:
        return ImportReport(tuple(self.outcomes))


class _Directory:
    """Everyone a row could match, by URL, email, and name + company, as plain dicts."""

    def __init__(self, owner: User) -> None:
        self.company_keys: dict[int, str] = dict(
            Company.objects.for_owner(owner).values_list("pk", "name_key")
        )
        self._company_key_cache: dict[str, str] = {}
        self.by_url: dict[str, _Person] = {}
        self.by_email: dict[str, _Person] = {}
        self.by_name: dict[tuple[str, str], list[_Person]] = {}
        existing = (
            Contact.objects.for_owner(owner)
            .order_by("pk")
            .values_list("pk", "company_id", "edited_fields", "linkedin_key", *IMPORTED_FIELDS)
        )
        for values in existing.iterator(chunk_size=5000):
            contact = _ContactValues(*values)
            keys = _Keys(
                contact.linkedin_key,
                contact.email.casefold(),
                (
                    person_key(contact.first_name, contact.last_name),
                    self.company_keys.get(contact.company_id or 0, ""),
                ),
            )
            self.add(_Person(keys, contact=contact), keys)

    def company_key(self, name: str) -> str:
        key = self._company_key_cache.get(name)
        if key is None:
            key = self._company_key_cache[name] = company_key(name)[:COMPANY_KEY_CHARS]
        return key

    def keys(self, row: ContactRow) -> _Keys:
        return _Keys(
            url_key(row.linkedin_url),
            row.email.casefold(),
            (person_key(row.first_name, row.last_name), self.company_key(row.company)),
        )

    def add(self, person: _Person, keys: _Keys) -> None:
        """Index a person under these keys (a row's own, once it is known who it is), so
        later rows for the same person find them."""
        if keys.url:
            self.by_url.setdefault(keys.url, person)
        if keys.email:
            self.by_email.setdefault(keys.email, person)
        if keys.name[0]:
            self.by_name.setdefault(keys.name, []).append(person)

    def match(self, keys: _Keys) -> _Person | None:
        if keys.url and (person := self.by_url.get(keys.url)):
            return person
        if keys.email and (person := self.by_email.get(keys.email)):
            return person
        for person in self.by_name.get(keys.name, ()):
            if _may_be_same(person.keys, keys):
                return person
        return None


def _may_be_same(known: _Keys, row: _Keys) -> bool:
    """Same name and company, and no URL or email that says they are two people."""
    if row.url and known.url and row.url != known.url:
        return False
    return not (row.email and known.email and row.email != known.email)


@dataclass(frozen=True, slots=True)
class _ContactValues:
    """An existing contact as the import compares it: the columns it may change."""

    pk: int
    company_id: int | None
    edited_fields: list[str]
    linkedin_key: str
    first_name: str
    last_name: str
    email: str
    phone: str
    linkedin_url: str
    title: str
    location: str
    country: str
    time_zone: str
    connected_on: Any


def url_key(url: str) -> str:
    """`profile_url_key`, with a shortcut for the plain https://www.linkedin.com/in/... form
    that nearly every row has (a test checks both give the same key)."""
    prefix = len(_PLAIN_PROFILE_PREFIX)
    if url.startswith(_PLAIN_PROFILE_PREFIX) and not _URL_SPECIALS_RE.search(url, prefix):
        return "linkedin.com" + url[prefix - 1 :].rstrip("/").lower()
    return profile_url_key(url) if url else ""


_PLAIN_PROFILE_PREFIX = "https://www.linkedin.com/"
_URL_SPECIALS_RE = re.compile(r"[%?#@:;\s\\]|//", re.ASCII)


def _plan(owner: User, rows: Iterable[ContactRow]) -> _Plan:
    directory = _Directory(owner)
    plan = _Plan(directory.company_key, directory.company_keys)
    for row in rows:
        _check_lengths(row)
        keys = directory.keys(row)
        person = directory.match(keys)
        if person is None:
            plan.creates.append((row, keys))
            plan.outcomes.append(RowOutcome(row.row, Action.NEW, row.label))
            directory.add(_Person(keys, claimed_by=row), keys)
        elif person.claimed_by is not None:
            plan.outcomes.append(_duplicate(row, person.claimed_by))
        else:
            assert person.contact is not None
            person.claimed_by = row
            directory.add(person, keys)
            plan.outcomes.append(_compare(plan, directory, person.contact, row))
    return plan


_LIMITED = tuple(FIELD_MAX_CHARS.items())
_limited_values = operator.attrgetter(*(name for name, _ in _LIMITED))


def _check_lengths(row: ContactRow) -> None:
    """The parsers cut values to fit; this guards callers that did not use one."""
    for (name, limit), value in zip(_LIMITED, _limited_values(row), strict=True):
        if len(value) > limit:
            raise RapportError(
                f"Row {row.row}: {name.replace('_', ' ')} is longer than {limit} characters.",
                fields={name: "too long"},
            )


def _duplicate(row: ContactRow, first: ContactRow) -> RowOutcome:
    how = "an exact duplicate of" if row == first else "the same person as"
    return RowOutcome(
        row.row, Action.SKIPPED, row.label, f"{how} row {first.row}", duplicate_of=first.row
    )


def _compare(
    plan: _Plan, directory: _Directory, contact: _ContactValues, row: ContactRow
) -> RowOutcome:
    changes: dict[str, Any] = {}
    kept: list[str] = []
    edited = set(contact.edited_fields or ())
    for name in IMPORTED_FIELDS:
        new = getattr(row, name)
        if not new or _same(name, getattr(contact, name), new):
            continue
        if name in edited:
            kept.append(name)
        else:
            changes[name] = new
    new_company = directory.company_key(row.company)
    if new_company and new_company != directory.company_keys.get(contact.company_id or 0, ""):
        if "company" in edited:
            kept.append("company")
        else:
            changes["company"] = row.company
    detail = ", ".join(name.replace("_", " ") for name in changes)
    if kept:
        note = "kept your own " + ", ".join(name.replace("_", " ") for name in kept)
        detail = f"{detail}; {note}" if detail else note
    if not changes:
        return RowOutcome(row.row, Action.UNCHANGED, row.label, detail)
    plan.updates.append((contact, changes))
    return RowOutcome(row.row, Action.UPDATED, row.label, detail)


def _same(name: str, old: Any, new: Any) -> bool:
    if name == "email":
        return bool(old.casefold() == new.casefold())
    if name == "linkedin_url":
        return url_key(old) == url_key(new)
    return bool(old == new)


# --- writing -------------------------------------------------------------------------------

CREATE_COLUMNS = (
    "company_id", "linkedin_key", "priority_score", "priority_reasons", *IMPORTED_FIELDS,
)  # fmt: skip


def _companies_ensure(owner: User, plan: _Plan, now: datetime) -> dict[str, int]:
    """The company id for each company key the import needs, making the missing ones."""
    names: dict[str, str] = {}  # key -> the first spelling seen
    wanted = [row.company for row, _ in plan.creates]
    wanted += [changes["company"] for _, changes in plan.updates if "company" in changes]
    for name in wanted:
        key = plan.company_key(name)
        if key:
            names.setdefault(key, name)
    owned = Company.objects.for_owner(owner)
    ids = {key: pk for pk, key in plan.known_companies.items()}
    missing = [(name, key) for key, name in names.items() if key not in ids]
    if missing:
        constants = {"owner_id": owner.pk, "created_at": now, "updated_at": now}
        bulk_insert(Company, ("name", "name_key"), missing, constants=constants)
        ids.update(owned.filter(created_at=now).values_list("name_key", "pk"))
    return ids


class _Create(NamedTuple):
    row: ContactRow
    keys: _Keys
    company_id: int | None
    rank: Ranked


def _creates_ranked(
    owner: User, plan: _Plan, company_ids: dict[str, int], source: str
) -> list[_Create]:
    """The new contacts with their ranks, worked out before they are written; the ranks of
    the companies they join, and of the people already there, are refreshed on the way."""
    companies = [company_ids.get(keys.name[1]) for _, keys in plan.creates]
    touched = {pk for pk in companies if pk is not None}
    for contact, changes in plan.updates:
        if "company" in changes:  # they leave one employer and join another
            touched.add(company_ids[plan.company_key(changes["company"])])
            if contact.company_id is not None:
                touched.add(contact.company_id)
    incoming = [
        ranking.Incoming(company_id, row.title, source)
        for (row, _), company_id in zip(plan.creates, companies, strict=True)
    ]
    # The updated contacts count too: a new title can move someone who stayed put.
    ranks = ranking.ranks_with_incoming(
        owner=owner,
        company_ids=touched,
        contact_ids=[contact.pk for contact, _ in plan.updates],
        incoming=incoming,
    )
    creates = [
        _Create(row, keys, company_id, rank)
        for (row, keys), company_id, rank in zip(plan.creates, companies, ranks, strict=True)
    ]
    return sorted(creates, key=_index_order)


def _index_order(create: _Create) -> float:
    """Most contact indexes go from columns every new row shares (owner, stage, source) to
    the priority: rows inserted in that order are added at a few places in them, not
    scattered through them, when an import is too small for the indexes to be rebuilt."""
    return -create.rank.score


def _contacts_insert(owner: User, creates: list[_Create], source: str, now: datetime) -> None:
    values = (
        (
            create.company_id,
            create.keys.url,
            create.rank.score,
            create.rank.reasons,
            *(getattr(create.row, name) for name in IMPORTED_FIELDS),
        )
        for create in creates
    )
    constants = {
        "owner_id": owner.pk,
        "source": source,
        "created_at": now,
        "updated_at": now,
        "last_activity_at": now,
    }
    bulk_insert(Contact, CREATE_COLUMNS, values, constants=constants)


def _contacts_update(plan: _Plan, company_ids: dict[str, int], now: datetime) -> None:
    """One UPDATE statement per set of changed columns, run for every contact it fits."""
    by_columns: dict[tuple[str, ...], list[tuple[int, list[Any]]]] = {}
    for contact, changes in plan.updates:
        values = dict(changes)
        if "company" in values:
            values["company_id"] = company_ids[plan.company_key(values.pop("company"))]
        if "linkedin_url" in values:
            values["linkedin_key"] = url_key(values["linkedin_url"])
        values.update(updated_at=now, last_activity_at=now)
        columns = tuple(sorted(values))
        by_columns.setdefault(columns, []).append((contact.pk, [values[c] for c in columns]))
    for columns, rows in by_columns.items():
        bulk_update(Contact, columns, rows)


def _events_add(owner: User, plan: _Plan, label: str, now: datetime) -> None:
    """The IMPORTED or UPDATED entry on each contact's timeline. The new contacts' entries
    are made by one INSERT ... SELECT in the database rather than row by row."""
    constants = {"owner_id": owner.pk, "at": now, "created_at": now, "updated_at": now}
    if plan.creates:
        new_ids = Contact.objects.for_owner(owner).filter(created_at=now).values("pk")
        insert_select(
            ContactEvent,
            "contact_id",
            new_ids,
            constants={
                **constants,
                "kind": ContactEvent.Kind.IMPORTED.value,
                "summary": f"Imported from {label}",
            },
        )
    events: list[tuple[int, str, str]] = []
    for contact, changes in plan.updates:
        what = ", ".join(name.replace("_", " ") for name in changes)
        summary = f"Updated from {label} import: {what}"[:300]
        events.append((contact.pk, ContactEvent.Kind.UPDATED.value, summary))
    bulk_insert(ContactEvent, ("contact_id", "kind", "summary"), events, constants=constants)
