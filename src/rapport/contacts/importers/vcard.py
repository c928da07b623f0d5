"""vCard 3.0 and 4.0 files, as phones and mail apps export them (read with vobject).

Each card is read on its own, so one malformed card is reported with its number and the
others are still imported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, BinaryIO

import vobject

from rapport.contacts.importers.reading import decode_text, read_limited
from rapport.contacts.importers.records import (
    BadFileError,
    ContactRow,
    Parsed,
    Problem,
    RowBuilder,
    linkedin_profile_url,
    split_full_name,
)
from rapport.lib.memory import collector_paused

_BEGIN_RE = re.compile(r"BEGIN:VCARD\s*", re.IGNORECASE)
_END_RE = re.compile(r"END:VCARD\s*", re.IGNORECASE)
_PREFERRED_PHONES = {"cell", "mobile", "iphone"}


@dataclass(frozen=True)
class Card:
    number: int  # its place in the file: the first card is 1
    line: int  # the line its BEGIN:VCARD is on
    text: str
    complete: bool  # it has its END:VCARD


@collector_paused()
def parse_vcard(source: bytes | BinaryIO) -> Parsed:
    cards = split_cards(decode_text(read_limited(source)))
    if not cards:
        raise BadFileError("There are no vCards in this file: a vCard file has BEGIN:VCARD lines.")
    rows: list[ContactRow] = []
    problems: list[Problem] = []
    for card in cards:
        row = _row(card, problems)
        if row is not None:
            rows.append(row)
    return Parsed(rows, problems, unit="card")


def split_cards(text: str) -> list[Card]:
    """The cards, by their BEGIN and END lines. Lines that continue a folded line start with
    a space, so they never look like either."""
    cards: list[Card] = []
    current: list[str] | None = None
    start = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if _BEGIN_RE.fullmatch(line):
            if current is not None:  # the previous card never ended
                cards.append(Card(len(cards) + 1, start, "\n".join(current), complete=False))
            current, start = [line], number
        elif current is not None:
            current.append(line)
            if _END_RE.fullmatch(line):
                cards.append(Card(len(cards) + 1, start, "\n".join(current), complete=True))
                current = None
    if current is not None:
        cards.append(Card(len(cards) + 1, start, "\n".join(current), complete=False))
    return cards


def _row(card: Card, problems: list[Problem]) -> ContactRow | None:
    builder = RowBuilder(card.number, problems)
    if not card.complete:
        builder.skip(f"the card starting on line {card.line:,} has no END:VCARD line")
        return None
    try:
        parsed = vobject.readOne(card.text)
    # vobject raises many kinds of error on malformed input; any of them means this one
    # card cannot be read, which is reported while the others are imported.
    except Exception as exc:
        builder.skip(f"the card starting on line {card.line:,} cannot be read ({_why(exc)})")
        return None
    return builder.build(card_values(parsed))


def _why(exc: Exception) -> str:
    # vobject's own line numbers are not reliable, so the card's first line is the pointer.
    if isinstance(exc, vobject.base.VObjectError):
        return str(exc.msg)
    return str(exc) or type(exc).__name__


def card_values(card: Any) -> dict[str, str]:
    """The raw values Rapport keeps, by field name."""
    contents: dict[str, list[Any]] = card.contents
    first, last = _names(contents)
    address = _first(contents, "adr")
    return {
        "first_name": first,
        "last_name": last,
        "email": _text(_preferred(contents.get("email", []), set())),
        "phone": _text(_preferred(contents.get("tel", []), _PREFERRED_PHONES)),
        "linkedin_url": _linkedin(contents),
        "company": _organisation(_first(contents, "org")),
        "title": _text(_first(contents, "title")),
        "location": _location(address),
        "country": _text(getattr(address, "country", "")),
        "time_zone": _text(_first(contents, "tz")),
    }


def _names(contents: dict[str, list[Any]]) -> tuple[str, str]:
    name = _first(contents, "n")
    first = _text(getattr(name, "given", ""))
    last = _text(getattr(name, "family", ""))
    if first or last:
        return first, last
    return split_full_name(_text(_first(contents, "fn")))


def _first(contents: dict[str, list[Any]], key: str) -> Any:
    lines = contents.get(key) or []
    return lines[0].value if lines else ""


def _preferred(lines: list[Any], wanted_types: set[str]) -> Any:
    """The value marked preferred (PREF in 4.0, TYPE=pref in 3.0), else one of the wanted
    types, else the first."""
    if not lines:
        return ""

    def rank(line: Any) -> int:
        types = {str(t).lower() for t in line.params.get("TYPE", [])}
        if "PREF" in line.params or "pref" in types:
            return 0
        return 1 if types & wanted_types else 2

    return min(lines, key=rank).value


def _linkedin(contents: dict[str, list[Any]]) -> str:
    for key in ("url", "x-socialprofile"):
        for line in contents.get(key, []):
            url = _text(line.value)
            if linkedin_profile_url(url):
                return url
    return ""


def _organisation(value: Any) -> str:
    """ORG is the organisation, then its units ("Bank of England;Monetary Analysis")."""
    if isinstance(value, list | tuple):
        return next((_text(part) for part in value if _text(part)), "")
    return _text(value)


def _location(address: Any) -> str:
    parts = (_text(getattr(address, "city", "")), _text(getattr(address, "region", "")))
    return ", ".join(part for part in parts if part)


def _text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return " ".join(_text(part) for part in value if _text(part))
    return value if isinstance(value, str) else ""
