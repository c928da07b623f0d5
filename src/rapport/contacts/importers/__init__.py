"""Read contact files into plain records, without touching the database.

Each parser takes the file's bytes (or an open binary file), and returns a `Parsed`: the
`ContactRow`s it read and the `Problem`s it met, each with its row number. A file that
cannot be imported at all (empty, binary, too large, the wrong columns) raises `BadFileError`
with a message for the user. See docs/architecture.md, "Importing contacts".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import BinaryIO

from rapport.contacts.importers.linkedin import parse_linkedin
from rapport.contacts.importers.mapped import (
    FIELD_LABELS,
    MAPPABLE_FIELDS,
    csv_columns,
    guess_mapping,
    parse_mapped_csv,
)
from rapport.contacts.importers.reading import MAX_COLUMNS, MAX_FILE_BYTES, read_limited
from rapport.contacts.importers.records import (
    BadFileError,
    ContactRow,
    Parsed,
    Problem,
)
from rapport.contacts.importers.vcard import parse_vcard

LINKEDIN, VCARD, CSV = "linkedin", "vcard", "csv"
KINDS = {LINKEDIN: "LinkedIn connections (CSV)", VCARD: "vCard (.vcf)", CSV: "Other CSV"}

__all__ = [
    "CSV",
    "FIELD_LABELS",
    "KINDS",
    "LINKEDIN",
    "MAPPABLE_FIELDS",
    "MAX_COLUMNS",
    "MAX_FILE_BYTES",
    "VCARD",
    "BadFileError",
    "ContactRow",
    "Parsed",
    "Problem",
    "csv_columns",
    "guess_mapping",
    "parse",
    "parse_linkedin",
    "parse_mapped_csv",
    "parse_vcard",
    "read_limited",
]


def parse(kind: str, source: bytes | BinaryIO, mapping: Mapping[str, str] | None = None) -> Parsed:
    """Any of the three kinds; "csv" needs a mapping (see `guess_mapping`)."""
    if kind == LINKEDIN:
        return parse_linkedin(source)
    if kind == VCARD:
        return parse_vcard(source)
    if kind == CSV:
        return parse_mapped_csv(source, mapping or {})
    raise BadFileError(f"Rapport cannot import “{kind}”; it reads {', '.join(KINDS)}.")
