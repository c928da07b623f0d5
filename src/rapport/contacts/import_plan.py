"""Planning an import: who each row is (an existing contact, an earlier row, or someone new)
and what it would change. Reads the owner's contacts once into dictionaries; writes nothing.

A row is the same person as an existing contact when their LinkedIn profile URLs match;
failing that, their emails (in any case); failing that, their names and companies (unless
their URLs or emails say they are two people). Re-importing fills in and updates what the
file knows, except fields the seeker changed by hand (`Contact.edited_fields`).
"""

from __future__ import annotations

import enum
import operator
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from rapport.accounts.models import User
from rapport.contacts.importers import ContactRow
from rapport.contacts.importers.records import FIELD_MAX_CHARS
from rapport.contacts.models import Company, Contact
from rapport.core.errors import RapportError
from rapport.lib.names import company_key, person_key, profile_url_key

# What an import may fill in or change on a contact (and "company").
IMPORTED_FIELDS = (
    "first_name", "last_name", "email", "phone", "linkedin_url", "title", "location",
    "country", "time_zone", "connected_on",
)  # fmt: skip
COMPANY_KEY_CHARS = 200  # Company.name_key's length


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


# --- planning: who is who --------------------------------------------------------------


class RowKeys(NamedTuple):
    """What a row or contact is matched on, worked out once."""

    url: str
    email: str
    name: tuple[str, str]  # person key, company key


@dataclass(slots=True)
class Person:
    """Someone a row can turn out to be: an existing contact, or an earlier row."""

    keys: RowKeys
    contact: ContactValues | None = None
    claimed_by: ContactRow | None = None  # the first row of the file that is this person


@dataclass
class ImportPlan:
    company_key: Callable[[str], str]
    known_companies: dict[int, str]  # the owner's companies before the import: id -> key
    outcomes: list[RowOutcome] = field(default_factory=list)
    creates: list[tuple[ContactRow, RowKeys]] = field(default_factory=list)
    updates: list[tuple[ContactValues, dict[str, Any]]] = field(default_factory=list)

    @property
    def report(self) -> ImportReport:
        return ImportReport(tuple(self.outcomes))


class Directory:
    """Everyone a row could match, by URL, email, and name + company, as plain dicts."""

    def __init__(self, owner: User) -> None:
        self.company_keys: dict[int, str] = dict(
            Company.objects.for_owner(owner).values_list("pk", "name_key")
        )
        self._company_key_cache: dict[str, str] = {}
        self.by_url: dict[str, Person] = {}
        self.by_email: dict[str, Person] = {}
        self.by_name: dict[tuple[str, str], list[Person]] = {}
        existing = (
            Contact.objects.for_owner(owner)
            .order_by("pk")
            .values_list("pk", "company_id", "edited_fields", "linkedin_key", *IMPORTED_FIELDS)
        )
        for values in existing.iterator(chunk_size=5000):
            contact = ContactValues(*values)
            keys = RowKeys(
                contact.linkedin_key,
                contact.email.casefold(),
                (
                    person_key(contact.first_name, contact.last_name),
                    self.company_keys.get(contact.company_id or 0, ""),
                ),
            )
            self.add(Person(keys, contact=contact), keys)

    def company_key(self, name: str) -> str:
        key = self._company_key_cache.get(name)
        if key is None:
            key = self._company_key_cache[name] = company_key(name)[:COMPANY_KEY_CHARS]
        return key

    def keys(self, row: ContactRow) -> RowKeys:
        return RowKeys(
            url_key(row.linkedin_url),
            row.email.casefold(),
            (person_key(row.first_name, row.last_name), self.company_key(row.company)),
        )

    def add(self, person: Person, keys: RowKeys) -> None:
        """Index a person under these keys (a row's own, once it is known who it is), so
        later rows for the same person find them."""
        if keys.url:
            self.by_url.setdefault(keys.url, person)
        if keys.email:
            self.by_email.setdefault(keys.email, person)
        if keys.name[0]:
            self.by_name.setdefault(keys.name, []).append(person)

    def match(self, keys: RowKeys) -> Person | None:
        if keys.url and (person := self.by_url.get(keys.url)):
            return person
        if keys.email and (person := self.by_email.get(keys.email)):
            return person
        for person in self.by_name.get(keys.name, ()):
            if _may_be_same(person.keys, keys):
                return person
        return None


def _may_be_same(known: RowKeys, row: RowKeys) -> bool:
    """Same name and company, and no URL or email that says they are two people."""
    if row.url and known.url and row.url != known.url:
        return False
    return not (row.email and known.email and row.email != known.email)


@dataclass(frozen=True, slots=True)
class ContactValues:
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


def plan_import(owner: User, rows: Iterable[ContactRow]) -> ImportPlan:
    directory = Directory(owner)
    plan = ImportPlan(directory.company_key, directory.company_keys)
    for row in rows:
        _check_lengths(row)
        keys = directory.keys(row)
        person = directory.match(keys)
        if person is None:
            plan.creates.append((row, keys))
            plan.outcomes.append(RowOutcome(row.row, Action.NEW, row.label))
            directory.add(Person(keys, claimed_by=row), keys)
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
    plan: ImportPlan, directory: Directory, contact: ContactValues, row: ContactRow
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
