"""Any other CSV (Google or Outlook contacts, a spreadsheet of your own), read through a
mapping from Rapport's fields to the file's columns, which `guess_mapping` proposes."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import BinaryIO

from rapport.contacts.importers.reading import (
    csv_records,
    decode_text,
    is_blank,
    read_limited,
    sniff_delimiter,
)
from rapport.contacts.importers.records import (
    ROW_FIELDS,
    BadFileError,
    ContactRow,
    Parsed,
    Problem,
    RowBuilder,
    split_full_name,
)
from rapport.lib.memory import collector_paused

# What a column may be mapped to: every field of a record, and a whole name that is split
# into first and last when the file has no separate columns for them.
FULL_NAME = "name"
MAPPABLE_FIELDS = (FULL_NAME, *ROW_FIELDS)
FIELD_LABELS = {
    FULL_NAME: "Full name",
    "first_name": "First name",
    "last_name": "Last name",
    "email": "Email",
    "phone": "Phone",
    "linkedin_url": "LinkedIn profile URL",
    "company": "Company",
    "title": "Job title",
    "location": "Location",
    "country": "Country",
    "time_zone": "Time zone",
    "connected_on": "Connected on",
}
IDENTIFYING_FIELDS = frozenset({FULL_NAME, "first_name", "last_name", "email", "linkedin_url"})

# Column headings seen in the wild, written as `_heading_key` reduces them (lower case,
# letters and digits only). The first field whose list has a column's heading gets it.
HEADINGS = {
    FULL_NAME: ("name", "fullname", "displayname", "contactname", "contact"),
    "first_name": ("firstname", "givenname", "forename", "first"),
    "last_name": ("lastname", "surname", "familyname", "last"),
    "email": (
        "email", "emailaddress", "mail", "email1value", "email1", "emailaddress1", "workemail",
        "personalemail", "primaryemail",
    ),
    "phone": (
        "phone", "phonenumber", "telephone", "tel", "mobile", "mobilephone", "cell",
        "cellphone", "phone1value", "businessphone", "primaryphone",
    ),
    "linkedin_url": ("linkedin", "linkedinurl", "linkedinprofile", "profileurl", "url"),
    "company": (
        "company", "companyname", "organisation", "organization", "employer",
        "organization1name", "organisationname", "organizationname",
    ),
    "title": ("title", "jobtitle", "position", "role", "organization1title", "occupation"),
    "location": ("location", "city", "town", "businesscity", "homecity"),
    "country": ("country", "countryregion", "businesscountryregion", "homecountryregion"),
    "time_zone": ("timezone", "tz", "zone"),
    "connected_on": ("connectedon", "connected", "dateadded", "added", "metdate"),
}  # fmt: skip
_NOT_ALNUM_RE = re.compile(r"[\W_]+")


def csv_columns(source: bytes | BinaryIO) -> list[str]:
    """The file's column headings (its first row that is not blank)."""
    text = decode_text(read_limited(source))
    return _header(csv_records(text, delimiter=sniff_delimiter(text)))


def guess_mapping(columns: list[str]) -> dict[str, str]:
    """A proposed mapping, field -> column, from the headings: "E-mail" is the email,
    "Organisation" the company, "Job Title" the title. Each column is used once."""
    by_key: dict[str, str] = {}
    for column in columns:
        by_key.setdefault(_heading_key(column), column)
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for field_name in MAPPABLE_FIELDS:
        for heading in HEADINGS[field_name]:
            found = by_key.get(heading)
            if found is not None and found not in taken:
                mapping[field_name] = found
                taken.add(found)
                break
    if "first_name" in mapping or "last_name" in mapping:
        mapping.pop(FULL_NAME, None)  # separate columns say it better
    return mapping


def _heading_key(heading: str) -> str:
    return _NOT_ALNUM_RE.sub("", heading.casefold())


@collector_paused()
def parse_mapped_csv(source: bytes | BinaryIO, mapping: Mapping[str, str]) -> Parsed:
    text = decode_text(read_limited(source))
    records = csv_records(text, delimiter=sniff_delimiter(text))
    header = _header(records)
    positions = _positions(mapping, header)
    rows: list[ContactRow] = []
    problems: list[Problem] = []
    for number, cells in records:
        if is_blank(cells):
            continue
        row = _row(number, cells, positions, problems)
        if row is not None:
            rows.append(row)
    if not rows and not problems:
        raise BadFileError("The file has a row of column headings but nobody under them.")
    return Parsed(rows, problems)


def _header(records: Iterator[tuple[int, list[str]]]) -> list[str]:
    for _, cells in records:
        if not is_blank(cells):
            return [cell.strip() for cell in cells]
    raise BadFileError("The file is empty.")


def _positions(mapping: Mapping[str, str], header: list[str]) -> dict[str, int]:
    """Field -> column index, checking the mapping against the file."""
    unknown = sorted(set(mapping) - set(MAPPABLE_FIELDS))
    if unknown:
        raise BadFileError(
            f"Rapport has no field {', '.join(unknown)}; it can fill {', '.join(MAPPABLE_FIELDS)}."
        )
    positions: dict[str, int] = {}
    for field_name, column in mapping.items():
        if not column:
            continue
        if column not in header:
            raise BadFileError(
                f"The file has no column “{column}” (for {FIELD_LABELS[field_name]}). Its "
                f"columns are: {', '.join(f'“{name}”' for name in header[:30])}."
            )
        positions[field_name] = header.index(column)
    if not IDENTIFYING_FIELDS & set(positions):
        raise BadFileError(
            "Choose the column that holds each person's name or email: "
            "without one, Rapport cannot tell who a row is."
        )
    return positions


def _row(
    number: int, cells: list[str], positions: dict[str, int], problems: list[Problem]
) -> ContactRow | None:
    raw = {name: cells[index] if index < len(cells) else "" for name, index in positions.items()}
    full_name = raw.pop(FULL_NAME, "")
    if full_name and not (raw.get("first_name") or raw.get("last_name")):
        raw["first_name"], raw["last_name"] = split_full_name(full_name)
    return RowBuilder(number, problems).build(raw)
