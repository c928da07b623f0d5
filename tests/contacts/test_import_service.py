"""The import service: preview, then one transaction; matching, re-imports, edits by hand."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.accounts.models import User
from rapport.contacts import imports, services
from rapport.contacts.importers import ContactRow, parse_linkedin, parse_vcard
from rapport.contacts.imports import Action, import_apply, import_preview, import_sentence
from rapport.contacts.models import Company, Contact, ContactEvent
from rapport.contacts.ranking import ranks_refresh
from rapport.core.errors import RapportError
from rapport.lib.names import profile_url_key
from tests.factories import CompanyFactory, ContactFactory

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "samples"
LINKEDIN_SAMPLE = (SAMPLES / "linkedin_connections_sample.csv").read_bytes()


def counts(owner: User) -> tuple[int, int, int]:
    return (
        Contact.objects.for_owner(owner).count(),
        Company.objects.for_owner(owner).count(),
        ContactEvent.objects.for_owner(owner).count(),
    )


def row(number: int = 2, **values: Any) -> ContactRow:
    return ContactRow(number, **values)


def test_the_linkedin_sample_imports_29_people_at_26_companies(alice: User) -> None:
    parsed = parse_linkedin(LINKEDIN_SAMPLE)
    report = import_apply(owner=alice, rows=parsed.rows, source="linkedin")
    assert (report.new, report.updated, report.unchanged, report.skipped) == (29, 0, 0, 1)
    assert counts(alice) == (29, 26, 29)
    assert import_sentence(report, parsed) == "Imported 29 contacts, skipped 1 duplicate."


def test_the_duplicate_row_is_skipped_as_a_duplicate_of_the_row_before(alice: User) -> None:
    report = import_preview(owner=alice, rows=parse_linkedin(LINKEDIN_SAMPLE).rows)
    skipped = [o for o in report.outcomes if o.action is Action.SKIPPED]
    assert [(o.row, o.detail) for o in skipped] == [(34, "an exact duplicate of row 33")]


def test_imported_contacts_have_their_values_source_and_a_timeline_entry(alice: User) -> None:
    import_apply(owner=alice, rows=parse_linkedin(LINKEDIN_SAMPLE).rows, source="linkedin")
    jose = Contact.objects.for_owner(alice).get(first_name="José")
    assert jose.last_name == "Muñoz García"
    assert jose.company is not None
    assert jose.company.name == "Banco Santander"
    assert jose.connected_on == date(2019, 1, 7)
    assert jose.source == Contact.Source.LINKEDIN
    assert jose.stage == "identified"
    assert jose.edited_fields == []
    assert jose.linkedin_key == "linkedin.com/in/jose-munoz-garcia"
    assert jose.last_activity_at is not None
    assert [(e.kind, e.summary) for e in jose.events.all()] == [
        (ContactEvent.Kind.IMPORTED, "Imported from LinkedIn")
    ]


def test_the_vcard_sample_imports_four_people(alice: User) -> None:
    import_apply(
        owner=alice,
        rows=parse_vcard((SAMPLES / "contacts_sample.vcf").read_bytes()).rows,
        source="vcard",
    )
    kenji = Contact.objects.for_owner(alice).get(first_name="Kenji")
    assert (kenji.country.code, kenji.location, kenji.source) == ("JP", "Minato-ku, Tokyo", "vcard")
    assert counts(alice) == (4, 3, 4)


def test_the_preview_writes_nothing(alice: User) -> None:
    report = import_preview(owner=alice, rows=parse_linkedin(LINKEDIN_SAMPLE).rows)
    assert report.new == 29
    assert counts(alice) == (0, 0, 0)


def test_reimporting_the_same_file_changes_nothing(alice: User) -> None:
    rows = parse_linkedin(LINKEDIN_SAMPLE).rows
    import_apply(owner=alice, rows=rows, source="linkedin")
    before = counts(alice)
    stamps = sorted(Contact.objects.for_owner(alice).values_list("updated_at", flat=True))
    report = import_apply(owner=alice, rows=rows, source="linkedin")
    assert (report.new, report.updated, report.unchanged, report.skipped) == (0, 0, 29, 1)
    assert counts(alice) == before
    assert sorted(Contact.objects.for_owner(alice).values_list("updated_at", flat=True)) == stamps


def test_a_newer_export_updates_a_title_but_not_what_was_edited_by_hand(alice: User) -> None:
    import_apply(owner=alice, rows=parse_linkedin(LINKEDIN_SAMPLE).rows, source="linkedin")
    priya = Contact.objects.for_owner(alice).get(first_name="Priya")
    marcus = Contact.objects.for_owner(alice).get(first_name="Marcus")
    services.contact_update(owner=alice, contact=marcus, data={"title": "My own words"})
    newer = LINKEDIN_SAMPLE.replace(b"Senior Product Designer", b"Design Director").replace(
        b"Head of Analytics", b"VP Analytics"
    )
    report = import_apply(owner=alice, rows=parse_linkedin(newer).rows, source="linkedin")
    assert (report.new, report.updated, report.unchanged) == (0, 1, 28)
    priya.refresh_from_db()
    marcus.refresh_from_db()
    assert priya.title == "Design Director"
    assert marcus.title == "My own words"
    assert priya.events.filter(kind=ContactEvent.Kind.UPDATED).get().summary == (
        "Updated from LinkedIn import: title"
    )
    marcus_outcome = next(o for o in report.outcomes if o.who == "Marcus O'Neill")
    assert marcus_outcome.detail == "kept your own title"


def test_an_import_fills_in_what_was_empty_and_never_blanks_a_field(alice: User) -> None:
    contact = ContactFactory(
        owner=alice, first_name="Ana", last_name="Silva", email="ana@example.org", phone="123"
    )
    rows = [row(email="ANA@example.org", first_name="Ana", last_name="Silva", title="CTO")]
    report = import_apply(owner=alice, rows=rows, source="csv")
    contact.refresh_from_db()
    assert (contact.title, contact.phone, contact.email) == ("CTO", "123", "ana@example.org")
    assert report.outcomes[0].detail == "title"


def test_a_profile_url_is_matched_first(alice: User) -> None:
    contact = ContactFactory(
        owner=alice,
        first_name="Priya",
        linkedin_url="https://linkedin.com/in/priya-raman/",
        linkedin_key=profile_url_key("https://linkedin.com/in/priya-raman/"),
        email="priya@old.example",
    )
    rows = [
        row(
            first_name="Priya",
            last_name="Raman",
            linkedin_url="https://www.linkedin.com/in/Priya-Raman",
            email="priya@new.example",
        )
    ]
    report = import_apply(owner=alice, rows=rows, source="linkedin")
    assert report.updated == 1
    contact.refresh_from_db()
    assert contact.email == "priya@new.example"
    assert Contact.objects.for_owner(alice).count() == 1


def test_then_an_email_in_any_case(alice: User) -> None:
    contact = ContactFactory(owner=alice, first_name="Ben", email="ben@example.com")
    rows = [row(first_name="Benjamin", email="BEN@Example.com", title="Planner")]
    assert import_apply(owner=alice, rows=rows, source="csv").updated == 1
    contact.refresh_from_db()
    assert (contact.first_name, contact.title) == ("Benjamin", "Planner")


def test_then_a_name_and_company_however_the_company_is_written(alice: User) -> None:
    acme = CompanyFactory(owner=alice, name="ACME, Inc.")
    contact = ContactFactory(owner=alice, first_name="Ines", last_name="Duarte", company=acme)
    rows = [row(first_name="ines", last_name="DUARTE", company="Acme", title="Analyst II")]
    report = import_apply(owner=alice, rows=rows, source="linkedin")
    assert report.updated == 1
    contact.refresh_from_db()
    assert contact.title == "Analyst II"
    assert contact.company == acme


def test_a_name_and_company_do_not_match_when_the_profile_urls_differ(alice: User) -> None:
    ContactFactory(
        owner=alice,
        first_name="Sam",
        last_name="Smith",
        company=CompanyFactory(owner=alice, name="Acme"),
        linkedin_url="https://www.linkedin.com/in/sam-one",
        linkedin_key="linkedin.com/in/sam-one",
    )
    rows = [
        row(
            first_name="Sam",
            last_name="Smith",
            company="Acme",
            linkedin_url="https://www.linkedin.com/in/sam-two",
        )
    ]
    assert import_apply(owner=alice, rows=rows, source="linkedin").new == 1
    assert Contact.objects.for_owner(alice).count() == 2


def test_a_new_company_matches_an_existing_one_written_differently(alice: User) -> None:
    acme = CompanyFactory(owner=alice, name="ACME, Inc.")
    rows = [
        row(first_name="Zoë", last_name="Ng", company="Acme"),
        row(3, first_name="Bo", company="acme ltd"),
    ]
    import_apply(owner=alice, rows=rows, source="linkedin")
    assert Company.objects.for_owner(alice).count() == 1
    assert set(Contact.objects.for_owner(alice).values_list("company", flat=True)) == {acme.pk}


def test_someone_elses_contacts_and_companies_are_never_matched(alice: User, bob: User) -> None:
    CompanyFactory(owner=bob, name="Acme")
    ContactFactory(owner=bob, first_name="Ben", email="ben@example.com")
    import_apply(
        owner=alice,
        rows=[row(first_name="Ben", email="ben@example.com", company="Acme")],
        source="csv",
    )
    assert counts(alice) == (1, 1, 1)
    assert Contact.objects.for_owner(bob).get().title == "Analyst"


def test_the_same_person_twice_in_a_file_is_imported_once(alice: User) -> None:
    rows = [
        row(2, first_name="Ana", email="ana@example.org"),
        row(3, first_name="Ana", last_name="Silva", email="Ana@Example.org"),
    ]
    report = import_apply(owner=alice, rows=rows, source="csv")
    assert (report.new, report.skipped, report.duplicates) == (1, 1, 1)
    assert report.outcomes[1].detail == "the same person as row 2"


def ranks(owner: User) -> dict[str, Any]:
    people = Contact.objects.for_owner(owner).values_list(
        "pk", "priority_score", "priority_reasons"
    )
    employers = Company.objects.for_owner(owner).values_list("pk", "rank_score", "rank_reasons")
    return {"people": sorted(people), "employers": sorted(employers)}


def test_an_import_leaves_every_rank_as_a_full_refresh_would(alice: User) -> None:
    profile = alice.profile
    profile.schools = ["Imperial College London"]
    profile.past_employers = ["Monzo", "Ocado Technology (internship)"]
    profile.target_roles = ["product designer", "data engineer"]
    profile.save()
    shopify = CompanyFactory(owner=alice, name="Shopify", keenness=3, hiring_signal=2)
    CompanyFactory(owner=alice, name="Unused Ltd", keenness=1)
    ContactFactory(owner=alice, company=shopify, common_ground="Imperial College London 2015")
    initech = CompanyFactory(owner=alice, name="Initech", keenness=2)  # not in the file
    ContactFactory(owner=alice, company=initech)
    ContactFactory(
        owner=alice, first_name="Marcus", last_name="O'Neill", company=initech, title="Clerk",
        common_ground="We both studied at Imperial College London",
        linkedin_url="https://www.linkedin.com/in/marcusoneill",
        linkedin_key=profile_url_key("https://www.linkedin.com/in/marcusoneill"),
    )  # fmt: skip
    ranks_refresh(owner=alice)  # the ranks as they stand before the import
    report = import_apply(owner=alice, rows=parse_linkedin(LINKEDIN_SAMPLE).rows, source="linkedin")
    assert (report.new, report.updated) == (28, 1)  # Marcus moves to Ocado, as a new title
    after_import = ranks(alice)
    ranks_refresh(owner=alice)
    assert ranks(alice) == after_import
    assert any(score > 0 for _, score, _ in after_import["people"])


def test_a_failure_part_way_leaves_nothing_behind(
    alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(imports, "_events_add", fail)  # the last step, after the inserts
    with pytest.raises(RuntimeError):
        import_apply(owner=alice, rows=parse_linkedin(LINKEDIN_SAMPLE).rows, source="linkedin")
    assert counts(alice) == (0, 0, 0)


def test_a_value_too_long_for_the_database_is_refused_before_anything_is_written(
    alice: User,
) -> None:
    rows = [row(2, first_name="Ana"), row(3, first_name="x" * 151)]
    with pytest.raises(RapportError, match="Row 3: first name is longer than 150"):
        import_apply(owner=alice, rows=rows, source="csv")
    assert counts(alice) == (0, 0, 0)


def test_an_unknown_source_is_refused(alice: User) -> None:
    with pytest.raises(RapportError, match="not an import source"):
        import_apply(owner=alice, rows=[row(first_name="Ana")], source="fax")
    assert counts(alice) == (0, 0, 0)


@given(st.from_regex(r"https://www\.linkedin\.com/[A-Za-z0-9/_.%?#@:;\- ]{0,30}", fullmatch=True))
def test_the_quick_profile_key_agrees_with_the_general_one(url: str) -> None:
    assert imports.url_key(url) == profile_url_key(url)
