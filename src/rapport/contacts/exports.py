"""Contacts and companies out of Rapport: CSV for spreadsheets, vCard 4.0 for address books.

Every export is a generator of text chunks, so a download of 30,000 contacts streams a
batch of rows at a time instead of being built in memory first.
"""

from __future__ import annotations

import csv
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from operator import attrgetter
from typing import Any, TypeVar

from rapport.accounts.models import User
from rapport.contacts import selectors
from rapport.contacts.models import Company, Contact

T = TypeVar("T")

ROWS_PER_QUERY = 1000  # rows (and their tags) fetched per query while streaming
ROWS_PER_CHUNK = 100  # CSV lines or vCards sent to the client per chunk

# A spreadsheet runs a cell that starts with one of these as a formula ("CSV injection",
# OWASP); a leading apostrophe makes it plain text. A phone number such as "+44 20 ..."
# gets one too: safe first, then pretty.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
UTF8_BOM = "\ufeff"  # without it, Excel reads UTF-8 as the local code page and mangles names

# vCard (RFC 6350): lines end in CRLF and are folded at 75 octets.
VCARD_LINE_OCTETS = 75
CRLF = "\r\n"


# --- what is exported -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ContactRow:
    """One contact as exported: plain values, with no database behind them.

    Read with `values()` and one tag query per batch rather than as model instances with
    prefetched tags: a 30,000-contact export is several times faster that way.
    """

    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    linkedin_url: str = ""
    company: str = ""
    title: str = ""
    location: str = ""
    time_zone: str = ""
    country: str = ""
    connected_on: date | None = None
    source: str = ""
    stage: str = ""
    tags: tuple[str, ...] = ()
    priority_score: float = 0.0
    priority_reasons: tuple[str, ...] = ()
    research_role: str = ""
    research_tenure: str = ""
    research_path: str = ""
    research_achievements: str = ""
    research_writing: str = ""
    common_ground: str = ""
    notes: str = ""
    created_at: datetime | None = None


# The row's fields that are the contact's own columns (company and tags come from joins).
_CONTACT_FIELDS = tuple(f.name for f in fields(ContactRow) if f.name not in {"company", "tags"})


def contacts_for_export(*, owner: User) -> Iterator[ContactRow]:
    """The owner's contacts by name, with company and tags, read a bounded batch at a time."""
    rows = (
        Contact.objects.for_owner(owner)
        .order_by("last_name", "first_name", "pk")
        .values("pk", "company__name", *_CONTACT_FIELDS)
        .iterator(chunk_size=ROWS_PER_QUERY)
    )
    for batch in _batches(rows, ROWS_PER_QUERY):
        tags = _tag_names_by_contact([row["pk"] for row in batch])
        for row in batch:
            yield _contact_row(row, tags.get(row["pk"], ()))


def _contact_row(values: dict[str, Any], tags: Iterable[str]) -> ContactRow:
    own = {name: values[name] for name in _CONTACT_FIELDS}
    own["priority_reasons"] = tuple(own["priority_reasons"] or ())
    return ContactRow(**own, company=values["company__name"] or "", tags=tuple(tags))


def _tag_names_by_contact(contact_ids: list[int]) -> dict[int, list[str]]:
    links = Contact.tags.through.objects.filter(contact_id__in=contact_ids)
    names: dict[int, list[str]] = defaultdict(list)
    for contact_id, name in links.values_list("contact_id", "tag__name"):
        names[contact_id].append(name)
    return {contact_id: sorted(tags, key=str.casefold) for contact_id, tags in names.items()}


def companies_for_export(*, owner: User) -> Iterator[Company]:
    """The owner's companies, highest ranked first, with how many contacts each has."""
    return selectors.company_list(owner=owner).iterator(chunk_size=ROWS_PER_QUERY)


Column = tuple[str, Callable[[Any], object]]

CONTACT_COLUMNS: tuple[Column, ...] = (
    ("First name", attrgetter("first_name")),
    ("Last name", attrgetter("last_name")),
    ("Email", attrgetter("email")),
    ("Phone", attrgetter("phone")),
    ("LinkedIn URL", attrgetter("linkedin_url")),
    ("Company", attrgetter("company")),
    ("Title", attrgetter("title")),
    ("Location", attrgetter("location")),
    ("Time zone", attrgetter("time_zone")),
    ("Country", attrgetter("country")),
    ("Connected on", attrgetter("connected_on")),
    ("Source", attrgetter("source")),
    ("Stage", attrgetter("stage")),
    ("Tags", lambda contact: ", ".join(contact.tags)),
    ("Priority", attrgetter("priority_score")),
    ("Priority reasons", lambda contact: "; ".join(contact.priority_reasons)),
    ("Role and responsibilities", attrgetter("research_role")),
    ("Time in role", attrgetter("research_tenure")),
    ("Career path", attrgetter("research_path")),
    ("Achievements", attrgetter("research_achievements")),
    ("Writing and talks", attrgetter("research_writing")),
    ("Common ground", attrgetter("common_ground")),
    ("Notes", attrgetter("notes")),
    ("Added", attrgetter("created_at")),
)

COMPANY_COLUMNS: tuple[Column, ...] = (
    ("Name", attrgetter("name")),
    ("Domain", attrgetter("domain")),
    ("Keenness", attrgetter("keenness")),
    ("Hiring signal", attrgetter("hiring_signal")),
    ("Rank", attrgetter("rank_score")),
    ("Rank reasons", lambda company: "; ".join(company.rank_reasons)),
    ("Contacts", attrgetter("contact_count")),
    ("Notes", attrgetter("notes")),
    ("Added", attrgetter("created_at")),
)


# --- CSV ----------------------------------------------------------------------------------


def csv_cell(value: object) -> str:
    """A value as spreadsheet-safe text: never read as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class _Echo:
    """A file-like object that hands back what is written, so csv.writer yields lines."""

    def write(self, text: str) -> str:
        return text


def csv_lines(columns: Sequence[Column], rows: Iterable[object]) -> Iterator[str]:
    """A BOM, the header row, then one CSV line (CRLF-terminated) per row, in chunks."""
    writer = csv.writer(_Echo())
    yield UTF8_BOM + writer.writerow([csv_cell(header) for header, _ in columns])
    lines = (writer.writerow([csv_cell(get(row)) for _, get in columns]) for row in rows)
    yield from _chunked(lines)


def contacts_csv(contacts: Iterable[ContactRow]) -> Iterator[str]:
    return csv_lines(CONTACT_COLUMNS, contacts)


def companies_csv(companies: Iterable[Company]) -> Iterator[str]:
    return csv_lines(COMPANY_COLUMNS, companies)


# --- vCard --------------------------------------------------------------------------------


def vcard_text(value: str) -> str:
    """Escape a text value (RFC 6350 section 3.4): backslash, comma, semicolon, newline."""
    value = value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def vcard_fold(line: str) -> str:
    """Fold a content line so no physical line is over 75 octets; continuations start
    with a space. Characters are never split, so multi-byte UTF-8 stays whole."""
    if len(line.encode()) <= VCARD_LINE_OCTETS:
        return line
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        width = len(char.encode())
        if size + width > VCARD_LINE_OCTETS:
            parts.append("".join(current))
            current, size = [" "], 1
        current.append(char)
        size += width
    parts.append("".join(current))
    return CRLF.join(parts)


def _uri(value: str) -> str:
    # A URI is not escaped like text, but it cannot hold a line break.
    return "".join(value.split())


def contact_vcard(contact: ContactRow) -> str:
    """One contact as a vCard 4.0, CRLF line ends, folded."""
    # FN is required: the name, else the email address, else a placeholder.
    name = " ".join(part for part in (contact.first_name, contact.last_name) if part)
    # N is structured: family; given; additional; prefixes; suffixes.
    family_given = (vcard_text(contact.last_name), vcard_text(contact.first_name))
    properties = [
        ("VERSION", "4.0"),
        ("FN", vcard_text(name or contact.email or "(no name)")),
        ("N", ";".join((*family_given, "", "", ""))),
    ]
    optional = [
        ("EMAIL", vcard_text(contact.email)),
        ("TEL", vcard_text(contact.phone)),
        ("ORG", vcard_text(contact.company)),
        ("TITLE", vcard_text(contact.title)),
        ("URL", _uri(contact.linkedin_url)),
        ("NOTE", vcard_text(contact.notes)),
        ("CATEGORIES", ",".join(vcard_text(tag) for tag in contact.tags)),
    ]
    properties += [(name, value) for name, value in optional if value]
    lines = ["BEGIN:VCARD", *(vcard_fold(f"{n}:{v}") for n, v in properties), "END:VCARD"]
    return CRLF.join(lines) + CRLF


def contacts_vcard(contacts: Iterable[ContactRow]) -> Iterator[str]:
    return _chunked(contact_vcard(contact) for contact in contacts)


def _chunked(pieces: Iterable[str]) -> Iterator[str]:
    """Join pieces a batch at a time: fewer, larger writes to the client, memory bounded."""
    for batch in _batches(pieces, ROWS_PER_CHUNK):
        yield "".join(batch)


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch
