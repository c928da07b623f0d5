"""The import pages: upload, preview, confirm; CSRF, ownership, bad and oversized files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from rapport.accounts.models import User
from rapport.contacts import import_pending, import_views
from rapport.contacts.import_pending import pending_save
from rapport.contacts.models import Contact

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "samples"
LINKEDIN_SAMPLE = (SAMPLES / "linkedin_connections_sample.csv").read_bytes()
IMPORT_URL = reverse("contacts:import")


@pytest.fixture(autouse=True)
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


def pending_files(data_dir: Path) -> list[Path]:
    folder = data_dir / import_pending.FOLDER
    return sorted(folder.iterdir()) if folder.exists() else []


def upload(client: Client, data: bytes, kind: str = "linkedin", **extra: str) -> Any:
    file = SimpleUploadedFile("Connections.csv", data, content_type="text/csv")
    return client.post(IMPORT_URL, {**extra, "kind": kind, "file": file})


def preview_url(response: Any) -> str:
    assert response.status_code == 302, response.content[:500]
    return str(response["Location"])


def test_the_import_page_offers_the_three_kinds_of_file(alice_client: Client) -> None:
    response = alice_client.get(IMPORT_URL)
    assert response.status_code == 200
    for label in ("LinkedIn connections (CSV)", "vCard (.vcf)", "Other CSV"):
        assert label in response.content.decode()
    assert "Get a copy of your data" in response.content.decode()


def test_the_contact_list_links_to_the_import_page(alice_client: Client) -> None:
    response = alice_client.get(reverse("contacts:contact_list"))
    assert f'href="{IMPORT_URL}"' in response.content.decode()


def test_upload_preview_confirm_imports_the_linkedin_sample(
    alice: User, alice_client: Client, data_dir: Path
) -> None:
    url = preview_url(upload(alice_client, LINKEDIN_SAMPLE))
    page = alice_client.get(url).content.decode()
    assert "Check the import" in page
    assert "<dt>New</dt><dd>29</dd>" in page
    assert "<dt>Skipped</dt><dd>1</dd>" in page
    assert "an exact duplicate of row 33" in page
    assert Contact.objects.for_owner(alice).count() == 0, "the preview must write nothing"

    response = alice_client.post(url, {"action": "confirm"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("contacts:contact_list")
    assert "Imported 29 contacts, skipped 1 duplicate." in response.content.decode()
    assert Contact.objects.for_owner(alice).count() == 29
    assert pending_files(data_dir) == []


def test_a_reimport_preview_shows_everyone_as_unchanged(alice_client: Client) -> None:
    alice_client.post(preview_url(upload(alice_client, LINKEDIN_SAMPLE)), {"action": "confirm"})
    page = alice_client.get(preview_url(upload(alice_client, LINKEDIN_SAMPLE))).content.decode()
    assert "<dt>Unchanged</dt><dd>29</dd>" in page
    assert "already in your contacts and up to date" in page


def test_a_bad_file_is_explained_on_the_form_and_nothing_is_kept(
    alice: User, alice_client: Client, data_dir: Path
) -> None:
    response = upload(alice_client, b"Name,Email\nAna,ana@example.org\n")
    assert response.status_code == 200
    assert "This is not LinkedIn&#x27;s Connections.csv" in response.content.decode()
    assert pending_files(data_dir) == []
    assert Contact.objects.for_owner(alice).count() == 0


def test_an_oversized_upload_is_refused_without_reading_it_all(
    alice_client: Client, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(import_views, "MAX_FILE_BYTES", 1000)
    monkeypatch.setattr(import_views, "FORM_OVERHEAD_BYTES", 0)
    response = upload(alice_client, LINKEDIN_SAMPLE)
    assert response.status_code == 200
    assert "larger than" in response.content.decode()
    assert pending_files(data_dir) == []


def test_the_upload_needs_a_csrf_token(alice: User, data_dir: Path) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert upload(client, LINKEDIN_SAMPLE).status_code == 403
    assert pending_files(data_dir) == []
    client.get(IMPORT_URL)  # sets the CSRF cookie, as the browser would have it
    token = client.cookies["csrftoken"].value
    assert upload(client, LINKEDIN_SAMPLE, csrfmiddlewaretoken=token).status_code == 302


def test_the_confirmation_needs_a_csrf_token(alice: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    pending = pending_save(owner=alice, kind="linkedin", filename="c.csv", data=LINKEDIN_SAMPLE)
    url = reverse("contacts:import_preview", kwargs={"pending_id": pending.id})
    assert client.post(url, {"action": "confirm"}).status_code == 403
    assert Contact.objects.for_owner(alice).count() == 0


def test_someone_elses_pending_import_is_not_found(alice: User, bob_client: Client) -> None:
    pending = pending_save(owner=alice, kind="linkedin", filename="c.csv", data=LINKEDIN_SAMPLE)
    url = reverse("contacts:import_preview", kwargs={"pending_id": pending.id})
    assert bob_client.get(url).status_code == 404
    assert bob_client.post(url, {"action": "confirm"}).status_code == 404
    assert Contact.objects.count() == 0


@pytest.mark.parametrize("pending_id", ["x", "..", "..%2F..%2Fsecret_key", "a" * 32])
def test_a_made_up_import_id_is_not_found(alice_client: Client, pending_id: str) -> None:
    assert alice_client.get(f"{IMPORT_URL}{pending_id}/").status_code == 404


def test_an_expired_import_is_not_found(
    alice: User, alice_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    pending = pending_save(owner=alice, kind="linkedin", filename="c.csv", data=LINKEDIN_SAMPLE)
    monkeypatch.setattr(import_pending, "EXPIRES_AFTER_S", -1)
    url = reverse("contacts:import_preview", kwargs={"pending_id": pending.id})
    assert alice_client.get(url).status_code == 404


def test_cancel_forgets_the_upload(alice_client: Client, data_dir: Path) -> None:
    url = preview_url(upload(alice_client, LINKEDIN_SAMPLE))
    response = alice_client.post(url, {"action": "cancel"}, follow=True)
    assert "Import cancelled" in response.content.decode()
    assert pending_files(data_dir) == []
    assert alice_client.get(url).status_code == 404


def test_another_csv_goes_through_a_mapping_step_prefilled_by_the_guess(
    alice: User, alice_client: Client
) -> None:
    data = b"Name,E-mail,Organisation,Job Title\nAna Silva,ana@example.org,Acme,CTO\n"
    url = preview_url(upload(alice_client, data, kind="csv"))
    page = alice_client.get(url).content.decode()
    assert "Which column is which?" in page
    assert '<option value="E-mail" selected>' in page
    assert '<option value="Organisation" selected>' in page

    mapping = {"action": "map", "name": "Name", "email": "E-mail", "company": "Organisation"}
    assert alice_client.post(url, mapping)["Location"] == url
    page = alice_client.get(url).content.decode()
    assert "<dt>New</dt><dd>1</dd>" in page
    alice_client.post(url, {"action": "confirm"})
    ana = Contact.objects.for_owner(alice).get()
    assert (ana.first_name, ana.last_name, ana.title) == ("Ana", "Silva", "")
    assert ana.source == Contact.Source.CSV


def test_a_mapping_without_a_name_or_email_column_is_sent_back(alice_client: Client) -> None:
    data = b"Name,E-mail\nAna Silva,ana@example.org\n"
    url = preview_url(upload(alice_client, data, kind="csv"))
    response = alice_client.post(url, {"action": "map", "title": "Name"})
    assert response.status_code == 200
    assert "name or email" in response.content.decode()
