"""From an uploaded file to text an importer can trust: size, encoding, binary data, CSV."""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
from collections.abc import Iterator
from typing import BinaryIO

from rapport.contacts.importers.records import BadFileError

# LinkedIn's export of 30,000 connections (its largest network) is about 3.5 MB, and a phone's
# address book with photos rarely passes 20 MB; beyond this it is not a contact list.
MAX_FILE_BYTES = 50 * 1024 * 1024
# Real contact files have a few dozen columns (Outlook's has 90); thousands mean a wrong file.
MAX_COLUMNS = 200
# How much of a file the binary sniff looks at, and the share of control bytes that
# marks it as binary rather than text with a stray byte.
SNIFF_BYTES = 8192
BINARY_CONTROL_SHARE = 0.1
# Share of the odd (or even) bytes that are 0 in UTF-16 text without a byte-order mark;
# Latin-script text has nearly all of them 0, other scripts fewer.
UTF16_ZERO_SHARE = 0.4

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE, whose BOM it starts with
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SIGNATURES = (
    (b"PK\x03\x04", "a ZIP archive (or an Excel workbook)"),
    (b"\xd0\xcf\x11\xe0", "an old Excel or Word document"),
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
)
_CONTROL_BYTES = frozenset(range(32)) - {9, 10, 12, 13, 27}
# A valid UTF-8 sequence for a non-ASCII character: a file with these that still fails to
# decode as UTF-8 is damaged UTF-8, not Windows-1252, and guessing would garble every accent.
_UTF8_SEQUENCE_RE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}")


def read_limited(source: bytes | BinaryIO, *, limit: int = MAX_FILE_BYTES) -> bytes:
    """The file's bytes, refusing one above `limit` before reading it when its size is
    known (a file on disk, an upload) and after `limit + 1` bytes when it is not."""
    if isinstance(source, bytes):
        data = source
    else:
        size = _known_size(source)
        if size is not None and size > limit:
            raise _too_big(size, limit)
        data = source.read(limit + 1)
    if len(data) > limit:
        raise _too_big(None, limit)
    return data


def _known_size(source: BinaryIO) -> int | None:
    size = getattr(source, "size", None)  # Django's UploadedFile
    if isinstance(size, int):
        return size
    try:
        return os.fstat(source.fileno()).st_size or None
    except (AttributeError, OSError, io.UnsupportedOperation):
        return None


def _too_big(size: int | None, limit: int) -> BadFileError:
    size_text = f" ({size / 1024 / 1024:,.0f} MB)" if size else ""
    return BadFileError(
        f"The file is too large{size_text}: Rapport imports files of up to "
        f"{limit // 1024 // 1024} MB. A contacts export is far smaller; is this the right file?"
    )


def decode_text(data: bytes) -> str:
    """Text from UTF-8 (with or without a byte-order mark), UTF-16 or UTF-32 with a mark,
    or Windows-1252 (Latin-1) when that is what the bytes clearly are."""
    if not data.strip():
        raise BadFileError("The file is empty.")
    _refuse_known_formats(data)
    encoding = _bom_encoding(data) or _utf16_without_bom(data)
    if encoding:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise BadFileError(
                f"The file says it is {encoding.upper().removesuffix('-SIG')} text but byte "
                f"{exc.start:,} is not; it may be damaged. Save it again as UTF-8."
            ) from exc
    else:
        _refuse_binary(data)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            text = _decode_legacy(data, exc)
    _refuse_nul(text)
    return text.removeprefix("\ufeff")


def _bom_encoding(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text with no mark still shows itself: every other byte of Latin text is 0."""
    head = data[:SNIFF_BYTES]
    zeros_even, zeros_odd, half = head[0::2].count(0), head[1::2].count(0), len(head) // 2
    if zeros_odd > UTF16_ZERO_SHARE * half and not zeros_even:
        return "utf-16-le"
    if zeros_even > UTF16_ZERO_SHARE * half and not zeros_odd:
        return "utf-16-be"
    return None


def _refuse_known_formats(data: bytes) -> None:
    for signature, what in _SIGNATURES:
        if data.startswith(signature):
            hint = (
                " LinkedIn sends your data as a ZIP file: open it and upload Connections.csv."
                if signature == b"PK\x03\x04"
                else " Export or save your contacts as CSV or vCard and upload that."
            )
            raise BadFileError(f"This is {what}, not a text file.{hint}")


def _refuse_binary(data: bytes) -> None:
    head = data[:SNIFF_BYTES]
    controls = sum(byte in _CONTROL_BYTES for byte in head)
    if controls > BINARY_CONTROL_SHARE * len(head):
        raise BadFileError(
            "This looks like binary data (a program, an image or a spreadsheet), not a "
            "text file. Export or save your contacts as CSV or vCard and upload that."
        )


def _refuse_nul(text: str) -> None:
    position = text.find("\x00")
    if position >= 0:
        line = text.count("\n", 0, position) + 1
        raise BadFileError(
            f"Line {line:,} contains a NUL byte, which a text file never has: the file may be "
            "damaged, or UTF-16 without a byte-order mark. Save it again as UTF-8."
        )


def _decode_legacy(data: bytes, error: UnicodeDecodeError) -> str:
    line = data.count(b"\n", 0, error.start) + 1
    if _UTF8_SEQUENCE_RE.search(data):
        raise BadFileError(
            f"The file is UTF-8 text with a damaged byte on line {line:,} "
            f"(0x{data[error.start]:02X}). Save it again as UTF-8 and re-upload it."
        )
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise BadFileError(
            f"The file is neither UTF-8 nor Windows-1252 (Latin-1) text: byte "
            f"0x{data[exc.start]:02X} on line {line:,} is not a character in either. "
            "Save it as UTF-8 (in Excel: CSV UTF-8) and try again."
        ) from exc


def csv_records(text: str, *, delimiter: str = ",") -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) for each record; the number is the line it starts on, which is
    its row in a spreadsheet. Handles quotes, commas and line breaks inside values, and
    CRLF or LF endings."""
    # A value longer than csv's own limit (131,072 characters) is a broken quote or a
    # wrong file; csv reports it as an error, which says so.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise BadFileError(f"Row {start:,} cannot be read as CSV ({exc}).") from exc
        if len(cells) > MAX_COLUMNS:
            raise BadFileError(
                f"Row {start:,} has {len(cells):,} columns; Rapport reads files of up to "
                f"{MAX_COLUMNS}. Is this the right file?"
            )
        yield start, cells
        start = reader.line_num + 1


def sniff_delimiter(text: str) -> str:
    """The separator a spreadsheet used, judged by the first line: a comma, a semicolon
    (Excel in much of Europe), a tab or a bar."""
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    counts = {sep: first_line.count(sep) for sep in (",", ";", "\t", "|")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def is_blank(cells: list[str]) -> bool:
    return not any(cell.strip() for cell in cells)
