"""Exports: contacts and companies as CSV a spreadsheet cannot be tricked by, contacts as vCard."""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from rapport.accounts.models import User
from rapport.contacts import exports
from rapport.contacts.models import Contact, Tag
from tests.factories import CompanyFactory, ContactFactory

CONTACTS_CSV = "contacts:export_contacts_csv"
COMPANIES_CSV = "contacts:export_companies_csv"
CONTACTS_VCF = "contacts:export_contacts_vcf"


def _download(client: Client, name: str) -> tuple[Any, bytes]:
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert response.streaming, "an export must stream, not be built in memory"
    return response, b"".join(response.streaming_content)


def _csv_rows(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


# --- spreadsheet formula injection ----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil.example","click")',
        "+44 20 7946 0000",
        "-2+3",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_a_cell_a_spreadsheet_would_run_becomes_plain_text(text: str) -> None:
    assert exports.csv_cell(text) == f"'{text}"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Ruth", "Ruth"), ("a=b", "a=b"), ("", ""), (None, ""), (3, "3"), ("'quoted", "'quoted")],
)
def test_ordinary_values_are_left_alone(value: object, expected: str) -> None:
    assert exports.csv_cell(value) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "column"),
    [
        ("first_name", "First name"),
        ("title", "Title"),
        ("notes", "Notes"),
        ("common_ground", "Common ground"),
    ],
)
def test_a_formula_typed_into_a_contact_reaches_the_csv_as_text(
    alice: User, alice_client: Client, field: str, column: str
) -> None:
    ContactFactory(owner=alice, **{field: "=cmd|' /C calc'!A0"})
    header, row = _csv_rows(_download(alice_client, CONTACTS_CSV)[1])
    assert row[header.index(column)] == "'=cmd|' /C calc'!A0"


@pytest.mark.django_db
def test_a_formula_in_a_company_name_reaches_the_csv_as_text(
    alice: User, alice_client: Client
) -> None:
    CompanyFactory(owner=alice, name="@Evil Corp")
    _, body = _download(alice_client, COMPANIES_CSV)
    assert _csv_rows(body)[1][0] == "'@Evil Corp"


# --- the CSV files -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_contacts_csv_has_a_header_and_every_contact_in_any_script(
    alice: User, alice_client: Client
) -> None:
    acme = CompanyFactory(owner=alice, name="Acme, Inc.")
    zoe = ContactFactory(
        owner=alice, first_name="Zoë", last_name="Ndiaye", company=acme, notes="Line one\nline two"
    )
    zoe.tags.add(Tag.objects.create(owner=alice, name="energy"))
    ContactFactory(owner=alice, first_name="李", last_name="小龙", company=None)
    rows = _csv_rows(_download(alice_client, CONTACTS_CSV)[1])
    header = rows[0]
    assert header == [name for name, _ in exports.CONTACT_COLUMNS]
    by_name = {
        row[header.index("First name")]: dict(zip(header, row, strict=True)) for row in rows[1:]
    }
    assert set(by_name) == {"Zoë", "李"}
    assert by_name["Zoë"]["Company"] == "Acme, Inc."
    assert by_name["Zoë"]["Notes"] == "Line one\nline two"
    assert by_name["Zoë"]["Tags"] == "energy"
    assert by_name["李"]["Company"] == ""


@pytest.mark.django_db
def test_the_companies_csv_lists_each_company_with_its_contacts(
    alice: User, alice_client: Client
) -> None:
    acme = CompanyFactory(owner=alice, name="Acme", keenness=3, rank_score=4.0)
    CompanyFactory(owner=alice, name="Halden", keenness=1, rank_score=1.0)
    ContactFactory.create_batch(2, owner=alice, company=acme)
    rows = _csv_rows(_download(alice_client, COMPANIES_CSV)[1])
    header = rows[0]
    assert header == [name for name, _ in exports.COMPANY_COLUMNS]
    assert [(r[0], r[header.index("Keenness")], r[header.index("Contacts")]) for r in rows[1:]] == [
        ("Acme", "3", "2"),
        ("Halden", "1", "0"),
    ]


@pytest.mark.django_db
def test_an_empty_account_exports_just_the_header(alice_client: Client) -> None:
    assert len(_csv_rows(_download(alice_client, CONTACTS_CSV)[1])) == 1
    assert _download(alice_client, CONTACTS_VCF)[1] == b""


# --- downloads ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "filename", "content_type"),
    [
        (CONTACTS_CSV, "rapport-contacts-{}.csv", "text/csv; charset=utf-8"),
        (COMPANIES_CSV, "rapport-companies-{}.csv", "text/csv; charset=utf-8"),
        (CONTACTS_VCF, "rapport-contacts-{}.vcf", "text/vcard; charset=utf-8"),
    ],
)
def test_a_download_is_an_attachment_named_with_the_date(
    alice_client: Client, name: str, filename: str, content_type: str
) -> None:
    response, _ = _download(alice_client, name)
    today = timezone.localdate(timezone=ZoneInfo("Europe/London"))  # alice's profile zone
    expected = filename.format(today.isoformat())
    assert response["Content-Disposition"] == f'attachment; filename="{expected}"'
    assert response["Content-Type"] == content_type
    assert "no-store" in response["Cache-Control"]


def test_the_urls_are_where_the_docs_say() -> None:
    assert reverse(CONTACTS_CSV) == "/contacts/export/contacts.csv"
    assert reverse(COMPANIES_CSV) == "/contacts/export/companies.csv"
    assert reverse(CONTACTS_VCF) == "/contacts/export/contacts.vcf"


@pytest.mark.django_db
@pytest.mark.parametrize("name", [CONTACTS_CSV, COMPANIES_CSV, CONTACTS_VCF])
def test_an_export_holds_only_the_owners_rows(
    alice: User, bob: User, alice_client: Client, name: str
) -> None:
    ContactFactory(owner=alice, first_name="Ruth", company=CompanyFactory(owner=alice, name="Acme"))
    ContactFactory(
        owner=bob, first_name="Zebedee", company=CompanyFactory(owner=bob, name="Quartermaine")
    )
    _, body = _download(alice_client, name)
    assert b"Zebedee" not in body
    assert b"Quartermaine" not in body
    assert b"Acme" in body


@pytest.mark.django_db
@pytest.mark.parametrize("name", [CONTACTS_CSV, COMPANIES_CSV, CONTACTS_VCF])
def test_an_anonymous_visitor_is_sent_to_sign_in(client: Client, name: str) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_a_download_takes_the_same_queries_for_20_or_200_contacts(
    alice: User, alice_client: Client
) -> None:
    tag = Tag.objects.create(owner=alice, name="energy")

    def queries_for(count: int) -> int:
        Contact.objects.all().delete()
        for contact in ContactFactory.create_batch(count, owner=alice):
            contact.tags.add(tag)
        with CaptureQueriesContext(connection) as queries:
            _download(alice_client, CONTACTS_VCF)
        return len(queries)

    assert queries_for(20) == queries_for(200)


BLANK_COMPANY = {
    "domain": "", "keenness": 0, "hiring_signal": 0, "rank_score": 0, "rank_reasons": [],
    "contact_count": 0, "notes": "", "created_at": "",
}  # fmt: skip


def test_rows_are_read_as_they_are_written_not_all_first() -> None:
    """The generator pulls a batch of rows at a time, so 30,000 contacts never sit in memory."""
    pulled = 0

    def endless() -> Iterator[SimpleNamespace]:
        nonlocal pulled
        for n in itertools.count():
            pulled += 1
            yield SimpleNamespace(**BLANK_COMPANY, name=f"Company {n}")

    chunks = exports.companies_csv(endless())
    next(chunks)  # BOM and header
    first_batch = next(chunks)
    assert first_batch.count("\r\n") == exports.ROWS_PER_CHUNK
    assert pulled <= exports.ROWS_PER_CHUNK + 1


# --- vCard ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("Acme, Inc.", "Acme\\, Inc."),
        ("R&D; Labs", "R&D\\; Labs"),
        ("C:\\Users", "C:\\\\Users"),
        ("one\ntwo", "one\\ntwo"),
        ("one\r\ntwo", "one\\ntwo"),
        ("one\rtwo", "one\\ntwo"),
        ("\\,", "\\\\\\,"),
        ("plain", "plain"),
    ],
)
def test_vcard_text_is_escaped_as_rfc_6350_says(text: str, escaped: str) -> None:
    assert exports.vcard_text(text) == escaped


def _unescape_split(value: str, separator: str | None = None) -> list[str]:
    """Split a vCard value on unescaped separators, then unescape each part."""
    parts, current, chars = [], [], iter(value)
    for char in chars:
        if char == "\\":
            following = next(chars, "")
            current.append("\n" if following in "nN" else following)
        elif char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _parse_vcards(text: str) -> list[dict[str, str]]:
    """A small vCard reader for the test: unfold, then one dict of raw values per card."""
    assert "\n" not in text.replace("\r\n", ""), "lines must end in CRLF"
    cards: list[dict[str, str]] = []
    for line in text.replace("\r\n ", "").split("\r\n"):
        name, _, value = line.partition(":")
        if name == "BEGIN":
            cards.append({})
        elif line and name != "END":
            cards[-1][name] = value
    return cards


TRICKY_NOTES = (
    "Met at the fair; talked about grid storage, pumped hydro and C:\\data.\n"
    "Follow up in March — she said «ask me about the pilot» 🙂 " + "long words " * 20
)


TRICKY = exports.ContactRow(
    first_name="Zoë, Jr.",
    last_name="O'Brien; Ndiaye",
    email="zoe@example.org",
    phone="+44 20 7946 0000",
    linkedin_url="https://www.linkedin.com/in/zoe-obrien",
    company="Smith, Jones; & Partners",
    title="Head of Storage, EMEA",
    notes=TRICKY_NOTES,
    tags=("alumni", "energy, storage", "keen\\one"),
)


def test_a_vcard_reads_back_as_the_contact_it_came_from() -> None:
    (card,) = _parse_vcards(exports.contact_vcard(TRICKY))
    assert card["VERSION"] == "4.0"
    assert _unescape_split(card["FN"]) == ["Zoë, Jr. O'Brien; Ndiaye"]
    assert _unescape_split(card["N"], ";") == ["O'Brien; Ndiaye", "Zoë, Jr.", "", "", ""]
    assert _unescape_split(card["EMAIL"]) == ["zoe@example.org"]
    assert _unescape_split(card["TEL"]) == ["+44 20 7946 0000"]
    assert _unescape_split(card["ORG"], ";") == ["Smith, Jones; & Partners"]
    assert _unescape_split(card["TITLE"]) == ["Head of Storage, EMEA"]
    assert card["URL"] == "https://www.linkedin.com/in/zoe-obrien"
    assert _unescape_split(card["NOTE"]) == [TRICKY_NOTES]
    assert _unescape_split(card["CATEGORIES"], ",") == ["alumni", "energy, storage", "keen\\one"]


def test_vcard_lines_are_folded_at_75_octets_without_splitting_characters() -> None:
    text = exports.contact_vcard(TRICKY)
    assert text.startswith("BEGIN:VCARD\r\nVERSION:4.0\r\n")
    assert text.endswith("END:VCARD\r\n")
    lines = text.split("\r\n")[:-1]
    assert max(len(line.encode()) for line in lines) <= 75
    assert any(line.startswith(" ") for line in lines), "the long note should be folded"


def test_empty_fields_are_left_out_and_a_nameless_contact_goes_by_email() -> None:
    (card,) = _parse_vcards(exports.contact_vcard(exports.ContactRow(email="x@example.org")))
    assert set(card) == {"VERSION", "FN", "N", "EMAIL"}
    assert card["FN"] == "x@example.org"
    assert card["N"] == ";;;;"


@pytest.mark.django_db
def test_a_contact_is_read_for_export_with_its_company_and_sorted_tags(alice: User) -> None:
    contact = ContactFactory(
        owner=alice,
        first_name="Ruth",
        country="GB",
        company=CompanyFactory(owner=alice, name="Acme"),
        priority_reasons=["also studied at Leeds"],
    )
    for name in ("energy", "Alumni"):
        contact.tags.add(Tag.objects.create(owner=alice, name=name))
    ContactFactory(owner=alice, first_name="Solo", last_name="Z", company=None)
    ruth, solo = exports.contacts_for_export(owner=alice)
    assert (ruth.first_name, ruth.company, ruth.country) == ("Ruth", "Acme", "GB")
    assert ruth.tags == ("Alumni", "energy")
    assert ruth.priority_reasons == ("also studied at Leeds",)
    assert ruth.created_at == contact.created_at
    assert (solo.company, solo.tags) == ("", ())


@pytest.mark.django_db
def test_the_vcf_download_holds_one_card_per_contact(alice: User, alice_client: Client) -> None:
    ContactFactory.create_batch(3, owner=alice)
    cards = _parse_vcards(_download(alice_client, CONTACTS_VCF)[1].decode("utf-8"))
    assert len(cards) == 3
    assert all(card["VERSION"] == "4.0" for card in cards)


def test_vobject_reads_the_vcards_too() -> None:
    vobject = pytest.importorskip("vobject")
    card = vobject.readOne(exports.contact_vcard(TRICKY))
    assert card.fn.value == "Zoë, Jr. O'Brien; Ndiaye"
    assert card.email.value == "zoe@example.org"
    assert card.note.value == TRICKY_NOTES
    assert (card.n.value.family, card.n.value.given) == ("O'Brien; Ndiaye", "Zoë, Jr.")
    assert card.org.value == ["Smith, Jones; & Partners"]
    assert card.categories.value == ["alumni", "energy, storage", "keen\\one"]
