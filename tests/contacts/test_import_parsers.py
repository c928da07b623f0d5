"""Reading contact files into records: the real sample exports, and every way a file can
be wrong. The expected values come from reading the sample files by eye."""

from __future__ import annotations

import codecs
import io
from datetime import date
from pathlib import Path

import pytest

from rapport.contacts.importers import (
    MAX_FILE_BYTES,
    BadFileError,
    ContactRow,
    guess_mapping,
    parse_linkedin,
    parse_mapped_csv,
    parse_vcard,
    read_limited,
)
from rapport.contacts.importers.records import FIELD_MAX_CHARS
from rapport.contacts.models import Company, Contact

SAMPLES = Path(__file__).parent / "samples"
LINKEDIN_SAMPLE = SAMPLES / "linkedin_connections_sample.csv"
VCARD_SAMPLE = SAMPLES / "contacts_sample.vcf"
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"
NOTES = 'Notes:\n"When exporting your connection data, some emails may be missing."\n\n'


def linkedin(*rows: str, notes: str = NOTES) -> bytes:
    return (notes + HEADER + "\n" + "".join(row + "\n" for row in rows)).encode("utf-8")


def by_name(rows: list[ContactRow]) -> dict[str, ContactRow]:
    return {row.name: row for row in rows}


# --- the real LinkedIn sample ----------------------------------------------------------------


def test_the_linkedin_sample_reads_thirty_rows_after_the_notes() -> None:
    parsed = parse_linkedin(LINKEDIN_SAMPLE.read_bytes())
    assert len(parsed.rows) == 30  # lines 5 to 34; the duplicate is the service's to skip
    assert parsed.problems == []
    assert parsed.rows[0].row == 5  # the spreadsheet row, after three lines of notes
    assert parsed.rows[-1].row == 34


def test_the_linkedin_sample_keeps_quoted_commas_and_quotes() -> None:
    people = by_name(parse_linkedin(LINKEDIN_SAMPLE.read_bytes()).rows)
    assert people["Jordan Lee"].title == "Senior Consultant, Sustainability"
    assert people["Sam Smith"].company == "Smith, Jones & Partners, LLP"
    assert people["Sam Smith"].title == 'Associate, "Tax" Practice'


def test_the_linkedin_sample_reads_names_in_any_script_and_dates() -> None:
    people = by_name(parse_linkedin(LINKEDIN_SAMPLE.read_bytes()).rows)
    assert people["José Muñoz García"].email == "jose@example.es"
    assert people["Zoë Ng"].company == "Shopify"
    assert people["李 娜"].company == "Tencent"
    assert people["Priya Raman"].connected_on == date(2026, 11, 14)
    assert people["Priya Raman"].linkedin_url == "https://www.linkedin.com/in/priya-raman-4b2a1"
    assert people["Priya Raman"].email == ""


def test_the_linkedin_sample_keeps_a_row_with_only_a_name() -> None:
    ahmed = by_name(parse_linkedin(LINKEDIN_SAMPLE.read_bytes()).rows)["Ahmed Hassan"]
    assert (ahmed.linkedin_url, ahmed.email, ahmed.company, ahmed.title) == ("", "", "", "")
    assert ahmed.connected_on == date(2020, 10, 10)


def test_nine_people_in_the_linkedin_sample_shared_an_email() -> None:
    rows = parse_linkedin(LINKEDIN_SAMPLE.read_bytes()).rows
    assert sum(bool(row.email) for row in rows) == 9


def test_an_export_with_a_byte_order_mark_and_windows_line_endings_reads_the_same() -> None:
    plain = parse_linkedin(LINKEDIN_SAMPLE.read_bytes())
    windows = codecs.BOM_UTF8 + LINKEDIN_SAMPLE.read_bytes().replace(b"\n", b"\r\n")
    assert parse_linkedin(windows).rows == plain.rows


def test_an_export_without_the_notes_reads_too() -> None:
    parsed = parse_linkedin(linkedin("Ana,Silva,,,Acme,CTO,01 Jan 2020", notes=""))
    assert parsed.rows[0].name == "Ana Silva"
    assert parsed.rows[0].row == 2


def test_a_value_with_a_line_break_inside_quotes_stays_one_row() -> None:
    parsed = parse_linkedin(linkedin('Ana,Silva,,,"Acme\nLabs",CTO,01 Jan 2020', "Bo,Li,,,,,"))
    assert [row.company for row in parsed.rows] == ["Acme Labs", ""]
    assert [row.row for row in parsed.rows] == [5, 7]


# --- the real vCard sample -------------------------------------------------------------------


def test_the_vcard_sample_reads_four_cards() -> None:
    parsed = parse_vcard(VCARD_SAMPLE.read_bytes())
    assert parsed.unit == "card"
    assert parsed.problems == []
    assert [row.name for row in parsed.rows] == [
        "Daniel Okafor",
        "Chloé Dubois",
        "Kenji Watanabe",
        "No Email Person",
    ]


def test_a_vcard_organisation_drops_the_department() -> None:
    daniel = parse_vcard(VCARD_SAMPLE.read_bytes()).rows[0]
    assert daniel.company == "Bank of England"
    assert daniel.title == "Senior Economist"
    assert daniel.email == "d.okafor@example.org"
    assert daniel.phone == "+44 7700 900123"


def test_a_vcard_4_card_gives_its_time_zone_and_linkedin_url() -> None:
    chloe = parse_vcard(VCARD_SAMPLE.read_bytes()).rows[1]
    assert chloe.time_zone == "Europe/Paris"
    assert chloe.linkedin_url == "https://www.linkedin.com/in/chloe-dubois-ft"


def test_a_vcard_address_gives_the_location_and_country() -> None:
    kenji = parse_vcard(VCARD_SAMPLE.read_bytes()).rows[2]
    assert kenji.location == "Minato-ku, Tokyo"
    assert kenji.country == "JP"


def test_a_card_without_email_is_still_read() -> None:
    nobody = parse_vcard(VCARD_SAMPLE.read_bytes()).rows[3]
    assert (nobody.first_name, nobody.last_name) == ("No Email", "Person")
    assert nobody.email == ""
    assert nobody.phone == "+1 415 555 0100"


def test_escaped_commas_in_a_card_are_commas() -> None:
    card = b"BEGIN:VCARD\nVERSION:3.0\nFN:Ana Silva\nORG:Acme\\, Inc.;Research\nEND:VCARD\n"
    assert parse_vcard(card).rows[0].company == "Acme, Inc."


def test_a_card_with_only_a_full_name_is_split_into_first_and_last() -> None:
    card = b"BEGIN:VCARD\nVERSION:3.0\nFN:Ana Maria Silva\nEND:VCARD\n"
    row = parse_vcard(card).rows[0]
    assert (row.first_name, row.last_name) == ("Ana Maria", "Silva")


def test_a_website_that_is_not_linkedin_is_not_taken_for_a_profile() -> None:
    card = b"BEGIN:VCARD\nVERSION:3.0\nFN:Ana Silva\nURL:https://ana.example\nEND:VCARD\n"
    assert parse_vcard(card).rows[0].linkedin_url == ""


# --- other CSV files ---------------------------------------------------------------------------


def test_the_mapping_is_guessed_from_the_headings() -> None:
    columns = ["Name", "E-mail", "Organisation", "Job Title", "Mobile", "Notes"]
    assert guess_mapping(columns) == {
        "name": "Name",
        "email": "E-mail",
        "phone": "Mobile",
        "company": "Organisation",
        "title": "Job Title",
    }


def test_separate_name_columns_win_over_a_full_name_column() -> None:
    mapping = guess_mapping(["Display Name", "Given Name", "Family Name", "E-mail 1 - Value"])
    assert mapping == {
        "first_name": "Given Name",
        "last_name": "Family Name",
        "email": "E-mail 1 - Value",
    }


def test_a_mapped_csv_reads_through_the_mapping() -> None:
    data = b"Full name;Mail;Employer\nAna Maria Silva;ana@example.org;Acme\n"
    mapping = {"name": "Full name", "email": "Mail", "company": "Employer"}
    row = parse_mapped_csv(data, mapping).rows[0]
    assert (row.first_name, row.last_name, row.email, row.company) == (
        "Ana Maria",
        "Silva",
        "ana@example.org",
        "Acme",
    )


def test_a_mapping_to_a_column_the_file_lacks_says_which() -> None:
    with pytest.raises(BadFileError, match="no column “Surname”"):
        parse_mapped_csv(b"Name,Email\nAna,a@b.org\n", {"last_name": "Surname"})


def test_a_mapping_without_a_name_or_email_is_refused() -> None:
    with pytest.raises(BadFileError, match="name or email"):
        parse_mapped_csv(b"Company,Title\nAcme,CTO\n", {"company": "Company"})


# --- bad input: each case the issue lists --------------------------------------------------


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(BadFileError, match="The file is empty"):
        parse_linkedin(b"")
    with pytest.raises(BadFileError, match="The file is empty"):
        parse_vcard(b"\r\n \n")


def test_a_header_without_rows_is_refused() -> None:
    with pytest.raises(BadFileError, match="no connections under them"):
        parse_linkedin(linkedin())


def test_wrong_columns_say_which_were_expected_and_found() -> None:
    with pytest.raises(BadFileError) as caught:
        parse_linkedin(b"Name,Email,Phone\nAna,a@b.org,123\n")
    assert HEADER in caught.value.message
    assert "“Name”, “Email”, “Phone”" in caught.value.message


def test_a_missing_column_is_named() -> None:
    data = b"First Name,Last Name,URL,Email Address,Company,Connected On\nA,B,,,C,\n"
    with pytest.raises(BadFileError, match="“Position” is missing"):
        parse_linkedin(data)


def test_a_semicolon_separated_export_is_explained() -> None:
    data = (HEADER.replace(",", ";") + "\nAna;Silva;;;Acme;CTO;01 Jan 2020\n").encode()
    with pytest.raises(BadFileError) as caught:
        parse_linkedin(data)
    assert "separated by semicolons" in caught.value.message
    assert "First Name;Last Name" in caught.value.message


def test_binary_data_is_refused() -> None:
    with pytest.raises(BadFileError, match="binary data"):
        parse_linkedin(bytes(range(256)) * 40)


def test_a_zip_file_gets_a_hint_about_linkedins_archive() -> None:
    with pytest.raises(BadFileError, match=r"open it and upload Connections\.csv"):
        parse_linkedin(b"PK\x03\x04" + b"\x14\x00" * 100)


def test_a_nul_byte_in_text_is_refused_with_its_line() -> None:
    data = linkedin("Ana,Silva,,,Acme,CTO,01 Jan 2020", "Bo,Li\x00,,,Acme,CTO,01 Jan 2020")
    with pytest.raises(BadFileError, match="Line 6 contains a NUL byte"):
        parse_linkedin(data)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_exports_are_decoded(encoding: str) -> None:
    # "utf-16" writes a byte-order mark; "-le" and "-be" write none, as some tools do
    data = (NOTES + HEADER + "\nZoë,Ng,,,Shopify,UX Researcher,30 Sep 2025\n").encode(encoding)
    assert parse_linkedin(data).rows[0].name == "Zoë Ng"


def test_a_latin1_export_is_decoded() -> None:
    data = (NOTES + HEADER + "\nJosé,Muñoz,,,Société Générale,Analyst,\n").encode("latin-1")
    row = parse_linkedin(data).rows[0]
    assert (row.name, row.company) == ("José Muñoz", "Société Générale")


def test_a_windows_1252_export_keeps_its_curly_quotes() -> None:
    data = (HEADER + "\nAna,O’Neill,,,Acme,“Chief” Analyst,\n").encode("cp1252")
    row = parse_linkedin(data).rows[0]
    assert (row.last_name, row.title) == ("O’Neill", "“Chief” Analyst")


def test_utf8_with_a_damaged_byte_is_refused_rather_than_garbled() -> None:
    data = linkedin("José,Muñoz,,,Acme,CTO,") + b"Bo,Li,,,\xff,CTO,\n"
    with pytest.raises(BadFileError, match="damaged byte on line 6"):
        parse_linkedin(data)


def test_bytes_that_are_no_known_encoding_are_refused() -> None:
    data = (HEADER + "\nAna,Silva,,,Acme,CTO,\n").encode() + b"Bo,\x81\x8d,,,,,\n"
    with pytest.raises(BadFileError, match="neither UTF-8 nor Windows-1252"):
        parse_linkedin(data)


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    huge = tmp_path / "Connections.csv"
    with huge.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: 200 MB on paper, nothing on disk
    with huge.open("rb") as handle:
        with pytest.raises(BadFileError, match="up to 50 MB"):
            parse_linkedin(handle)
        assert handle.tell() == 0, "it read the file before refusing it"


def test_an_oversized_stream_of_unknown_size_is_read_no_further_than_the_limit() -> None:
    class Endless(io.RawIOBase):
        def __init__(self) -> None:
            self.served = 0

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
            buffer[:] = b"a" * len(buffer)
            self.served += len(buffer)
            return len(buffer)

    stream = Endless()
    with pytest.raises(BadFileError, match="too large"):
        read_limited(io.BufferedReader(stream), limit=1024)
    assert stream.served < 64 * 1024
    assert MAX_FILE_BYTES == 50 * 1024 * 1024  # the documented limit


def test_a_row_with_ten_thousand_columns_is_refused() -> None:
    data = linkedin("Ana,Silva,,,Acme,CTO,01 Jan 2020", ",".join(["x"] * 10_000))
    with pytest.raises(BadFileError, match="Row 6 has 10,000 columns"):
        parse_linkedin(data)


def test_a_value_longer_than_csv_allows_is_refused() -> None:
    data = linkedin('Ana,"' + "x" * 200_000 + '",,,,,')
    with pytest.raises(BadFileError, match="Row 5 cannot be read"):
        parse_linkedin(data)


def test_a_malformed_date_is_reported_and_the_person_kept() -> None:
    parsed = parse_linkedin(
        linkedin("Ana,Silva,,,Acme,CTO,31 Foo 2020", "Bo,Li,,,Acme,CTO,30 Feb 2021")
    )
    assert [row.connected_on for row in parsed.rows] == [None, None]
    assert [(p.row, p.field, p.skipped) for p in parsed.problems] == [
        (5, "connected_on", False),
        (6, "connected_on", False),
    ]
    assert "“31 Foo 2020” is not a date" in parsed.problems[0].reason


def test_malformed_vcards_are_reported_by_number_and_the_rest_read() -> None:
    cards = (
        b"BEGIN:VCARD\nVERSION:3.0\nFN:Good One\nEND:VCARD\n"
        b"BEGIN:VCARD\nVERSION:3.0\nFN:Broken\nthis line has no colon\nEND:VCARD\n"
        b"BEGIN:VCARD\nVERSION:3.0\nFN:Good Two\nEND:VCARD\n"
        b"BEGIN:VCARD\nVERSION:3.0\nFN:Never Ends\n"
    )
    parsed = parse_vcard(cards)
    assert [row.name for row in parsed.rows] == ["Good One", "Good Two"]
    assert [(p.row, p.skipped) for p in parsed.problems] == [(2, True), (4, True)]
    assert "starting on line 5" in parsed.problems[0].reason
    assert "this line has no colon" in parsed.problems[0].reason
    assert "no END:VCARD" in parsed.problems[1].reason


def test_a_file_with_no_cards_is_refused() -> None:
    with pytest.raises(BadFileError, match="no vCards"):
        parse_vcard(LINKEDIN_SAMPLE.read_bytes())


def test_a_row_with_more_values_than_columns_is_skipped_with_a_reason() -> None:
    parsed = parse_linkedin(linkedin("Ana,Silva,,,Acme, Inc,CTO,01 Jan 2020"))
    assert parsed.rows == []
    assert parsed.problems[0].skipped
    assert "8 values where the header has 7" in parsed.problems[0].reason


def test_a_row_with_no_name_email_or_url_is_skipped() -> None:
    parsed = parse_linkedin(linkedin(",,,,Acme,CTO,01 Jan 2020", "Bo,Li,,,,,"))
    assert [row.name for row in parsed.rows] == ["Bo Li"]
    assert parsed.problems[0].reason == "it has no name, email or profile URL"


def test_a_bad_email_is_left_out_and_reported() -> None:
    parsed = parse_linkedin(linkedin("Ana,Silva,,not-an-email,Acme,CTO,"))
    assert parsed.rows[0].email == ""
    assert parsed.problems[0].field == "email"


def test_an_overlong_title_is_cut_and_reported() -> None:
    parsed = parse_linkedin(linkedin("Ana,Silva,,,Acme," + "t" * 300 + ","))
    assert len(parsed.rows[0].title) == 200
    assert parsed.problems[0].field == "title"


def test_the_length_limits_match_the_database_columns() -> None:
    for name, limit in FIELD_MAX_CHARS.items():
        model = Company if name == "company" else Contact
        column = model._meta.get_field("name" if name == "company" else name)
        assert column.max_length == limit, name
