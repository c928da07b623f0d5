"""LinkedIn's Connections.csv, exactly as "Get a copy of your data" exports it.

The file opens with a few lines of notes before the header; emails are mostly empty
(people opt in to share them); values with commas or quotes are quoted; names come in
any script; some rows have only a name; some rows repeat exactly. A date that cannot be
read is left out and reported; the person is still imported.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import BinaryIO

from rapport.contacts.importers.reading import (
    csv_records,
    decode_text,
    is_blank,
    read_limited,
    sniff_delimiter,
)
from rapport.contacts.importers.records import BadFileError, ContactRow, Parsed, Problem, RowBuilder
from rapport.lib.memory import collector_paused

COLUMNS = {
    "first name": "first_name",
    "last name": "last_name",
    "url": "linkedin_url",
    "email address": "email",
    "company": "company",
    "position": "title",
    "connected on": "connected_on",
}
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"
# LinkedIn's notes take three lines; a few more are allowed for what it may add.
MAX_PREAMBLE_ROWS = 10


@collector_paused()
def parse_linkedin(source: bytes | BinaryIO) -> Parsed:
    text = decode_text(read_limited(source))
    records = csv_records(text)
    columns = _header(records)
    rows: list[ContactRow] = []
    problems: list[Problem] = []
    for number, cells in records:
        if is_blank(cells):
            continue
        row = _row(number, cells, columns, problems)
        if row is not None:
            rows.append(row)
    if not rows and not problems:
        raise BadFileError("The file has LinkedIn's column headings but no connections under them.")
    return Parsed(rows, problems)


def _header(records: Iterator[tuple[int, list[str]]]) -> list[str]:
    """Reads past the notes to the header; the fields its columns hold, in order."""
    first_seen: list[str] = []
    for _, cells in itertools.islice(records, MAX_PREAMBLE_ROWS):
        names = [cell.strip().lower() for cell in cells]
        if "first name" in names:
            return _columns(names)
        if len(names) == 1 and names[0].startswith("first name"):
            raise _wrong_delimiter(cells[0])
        if not first_seen and len(cells) > 1:
            first_seen = cells
    raise _not_linkedin(first_seen)


def _columns(names: list[str]) -> list[str]:
    missing = [name for name in COLUMNS if name not in names]
    if missing:
        raise BadFileError(
            f"This is not LinkedIn's Connections.csv: the columns {HEADER} were expected, but "
            f"{_titles(missing)} {'is' if len(missing) == 1 else 'are'} missing (found: "
            f"{_titles(names)}). For another kind of CSV, choose “Other CSV”."
        )
    return [COLUMNS.get(name, "") for name in names]


def _wrong_delimiter(line: str) -> BadFileError:
    separator = sniff_delimiter(line)
    shown = {"\t": "tabs", ";": "semicolons", "|": "bars"}.get(separator, f"“{separator}”")
    return BadFileError(
        f"The columns are separated by {shown}, but LinkedIn's Connections.csv uses commas: "
        f"expected the columns {HEADER}, found one column “{line.strip()[:120]}”. Was it "
        "saved again from a spreadsheet? Download it again from LinkedIn, or choose "
        "“Other CSV”, which reads any separator."
    )


def _not_linkedin(first_seen: list[str]) -> BadFileError:
    if len(first_seen) <= 1:
        return BadFileError(
            f"No header found: LinkedIn's Connections.csv has a line {HEADER}. "
            "Is this the right file? For another kind of CSV, choose “Other CSV”."
        )
    found = _titles([cell.strip() for cell in first_seen])
    return BadFileError(
        f"This is not LinkedIn's Connections.csv: the columns {HEADER} were expected, but "
        f"the file has {found}. For another kind of CSV, choose “Other CSV”."
    )


def _titles(names: list[str]) -> str:
    shown = [name.title() if name.islower() else name for name in names[:12]]
    more = f" and {len(names) - 12} more" if len(names) > 12 else ""
    return ", ".join(f"“{name}”" for name in shown) + more


def _row(
    number: int, cells: list[str], columns: list[str], problems: list[Problem]
) -> ContactRow | None:
    builder = RowBuilder(number, problems)
    if len(cells) > len(columns) and not is_blank(cells[len(columns) :]):
        builder.skip(
            f"it has {len(cells)} values where the header has {len(columns)} columns; a value "
            "with a comma may have lost its quotes"
        )
        return None
    raw = {field: cell for field, cell in zip(columns, cells, strict=False) if field}
    return builder.build(raw)
