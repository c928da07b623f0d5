"""`rapport import`: the preview report, dry runs, confirmation, and bad files (exit 2)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from rapport import import_command
from rapport.accounts.models import User
from rapport.cli import main
from rapport.contacts.importers import KINDS
from rapport.contacts.models import Contact

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[1] / "contacts" / "samples"
LINKEDIN_SAMPLE = SAMPLES / "linkedin_connections_sample.csv"
VCARD_SAMPLE = SAMPLES / "contacts_sample.vcf"
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


def rapport_import(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, ["import", *args], input=stdin)


def write(tmp_path: Path, data: bytes, name: str = "Connections.csv") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_the_kinds_it_offers_are_the_kinds_the_parsers_read() -> None:
    assert tuple(KINDS) == import_command.KINDS


def test_a_dry_run_shows_the_report_and_writes_nothing() -> None:
    result = rapport_import("linkedin", str(LINKEDIN_SAMPLE), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "linkedin_connections_sample.csv: 30 rows read." in result.output
    assert "New:             29" in result.output
    assert "Skipped:          1" in result.output
    assert "Row 34: skipped: an exact duplicate of row 33" in result.output
    assert "Dry run: nothing was written." in result.output
    assert Contact.objects.count() == 0


def test_yes_imports_into_the_local_user() -> None:
    result = rapport_import("linkedin", str(LINKEDIN_SAMPLE), "--yes")
    assert result.exit_code == 0, result.output
    assert "Imported 29 contacts, skipped 1 duplicate." in result.output
    assert Contact.objects.filter(owner__username="local").count() == 29


def test_without_a_terminal_it_imports_without_asking() -> None:
    result = rapport_import("vcard", str(VCARD_SAMPLE))
    assert result.exit_code == 0, result.output
    assert "Imported 4 contacts." in result.output


def test_in_a_terminal_it_asks_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(import_command, "_interactive", lambda: True)
    declined = rapport_import("linkedin", str(LINKEDIN_SAMPLE), stdin="n\n")
    assert "Import 29 new contacts and update 0?" in declined.output
    assert declined.exit_code == 1
    assert Contact.objects.count() == 0
    accepted = rapport_import("linkedin", str(LINKEDIN_SAMPLE), stdin="y\n")
    assert accepted.exit_code == 0, accepted.output
    assert Contact.objects.count() == 29


def test_a_second_import_of_the_same_file_changes_nothing() -> None:
    rapport_import("linkedin", str(LINKEDIN_SAMPLE), "--yes")
    result = rapport_import("linkedin", str(LINKEDIN_SAMPLE), "--yes")
    assert result.exit_code == 0, result.output
    assert "Unchanged:       29" in result.output
    assert Contact.objects.count() == 29


def test_user_picks_whose_contacts_they_are(alice: User) -> None:
    result = rapport_import("vcard", str(VCARD_SAMPLE), "--user", "ALICE@example.org")
    assert result.exit_code == 0, result.output
    assert Contact.objects.for_owner(alice).count() == 4


def test_an_unknown_user_is_bad_input() -> None:
    result = rapport_import("vcard", str(VCARD_SAMPLE), "--user", "nobody@example.org")
    assert result.exit_code == 2
    assert "There is no user nobody@example.org" in result.output


def test_a_csv_is_read_through_the_guessed_and_given_columns(tmp_path: Path) -> None:
    path = write(tmp_path, b"Who,E-mail,Employer\nAna Silva,ana@example.org,Acme\n", "c.csv")
    result = rapport_import("csv", path, "--map", "name=Who")
    assert result.exit_code == 0, result.output
    assert "Full name ← “Who”" in result.output
    assert "Email ← “E-mail”" in result.output
    ana = Contact.objects.get()
    assert (ana.first_name, ana.last_name, ana.email) == ("Ana", "Silva", "ana@example.org")
    assert ana.company is not None


def test_a_map_for_an_unknown_field_is_bad_input(tmp_path: Path) -> None:
    path = write(tmp_path, b"Name,Email\nAna,a@b.org\n", "c.csv")
    result = rapport_import("csv", path, "--map", "shoe_size=Name")
    assert result.exit_code == 2
    assert "FIELD is one of name, first_name" in result.output


def _sparse(tmp_path: Path) -> str:
    path = tmp_path / "Connections.csv"
    with path.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)
    return str(path)


BAD_FILES = {
    "empty file": (b"", "The file is empty"),
    "header only": (HEADER.encode(), "no connections under them"),
    "wrong columns": (b"Name,Email\nAna,a@b.org\n", "were expected"),
    "wrong delimiter": (HEADER.replace(",", ";").encode() + b"A;B;;;;;\n", "semicolons"),
    "binary data": (bytes(range(256)) * 64, "binary data"),
    "NUL bytes": (HEADER.encode() + b"Ana,Sil\x00va,,,,,\n", "Line 2 contains a NUL byte"),
    "10,000 columns": (HEADER.encode() + b"x," * 10_000 + b"\n", "Row 2 has 10,001 columns"),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=str)
def test_a_bad_file_exits_2_with_its_reason_and_writes_nothing(tmp_path: Path, case: str) -> None:
    data, message = BAD_FILES[case]
    result = rapport_import("linkedin", write(tmp_path, data), "--yes")
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert result.output.startswith("Error: Connections.csv: ")
    assert Contact.objects.count() == 0


def test_a_200_mb_file_is_refused_at_once(tmp_path: Path) -> None:
    result = rapport_import("linkedin", _sparse(tmp_path), "--yes")
    assert result.exit_code == 2
    assert "too large (200 MB)" in result.output
    assert Contact.objects.count() == 0


@pytest.mark.parametrize("encoding", ["utf-16", "latin-1"])
def test_utf16_and_latin1_exports_import(tmp_path: Path, encoding: str) -> None:
    data = (HEADER + "José,Muñoz,,,Société Générale,Analyst,07 Jan 2019\n").encode(encoding)
    result = rapport_import("linkedin", write(tmp_path, data), "--yes")
    assert result.exit_code == 0, result.output
    assert Contact.objects.get().last_name == "Muñoz"


def test_a_malformed_date_is_reported_and_the_person_imported_without_it(tmp_path: Path) -> None:
    data = (HEADER + "Ana,Silva,,,Acme,CTO,31 Foo 2020\nBo,Li,,,Acme,CTO,01 Feb 2020\n").encode()
    result = rapport_import("linkedin", write(tmp_path, data), "--yes")
    assert result.exit_code == 0, result.output
    assert "Row 2: connected on: “31 Foo 2020” is not a date" in result.output
    assert dict(Contact.objects.values_list("first_name", "connected_on")) == {
        "Ana": None,
        "Bo": date(2020, 2, 1),
    }


def test_a_malformed_card_is_reported_by_number_and_the_others_imported(tmp_path: Path) -> None:
    cards = (
        b"BEGIN:VCARD\nVERSION:3.0\nFN:Good One\nEND:VCARD\n"
        b"BEGIN:VCARD\nVERSION:3.0\nFN:Broken\nno colon here\nEND:VCARD\n"
    )
    result = rapport_import("vcard", write(tmp_path, cards, "c.vcf"), "--yes")
    assert result.exit_code == 0, result.output
    assert "Card 2: skipped: the card starting on line 5 cannot be read" in result.output
    assert "Imported 1 contact, skipped 1 card with problems." in result.output
    assert list(Contact.objects.values_list("first_name", flat=True)) == ["Good"]
