"""/api/v1/companies: list, get, create, update and delete, for a token or a browser session."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rapport.accounts.models import User
from rapport.accounts.services import api_token_create
from rapport.contacts.models import Company, Contact
from tests.factories import CompanyFactory, ContactFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/companies"
OUTPUT_FIELDS = {
    "id", "name", "domain", "notes", "keenness", "hiring_signal", "rank_score",
    "rank_reasons", "contact_count", "created_at", "updated_at",
}  # fmt: skip


def _url(company_id: int) -> str:
    return f"{LIST_URL}/{company_id}"


@pytest.fixture
def api(alice: User) -> Any:
    """Calls as alice with a token: api("get", url) or api("post", url, body)."""
    token = {"Authorization": f"Bearer {api_token_create(owner=alice, name='tests')[1]}"}
    client = Client(enforce_csrf_checks=True)

    def call(method: str, url: str, body: Any = None) -> Any:
        send = getattr(client, method)
        if body is None:
            return send(url, headers=token)
        return send(url, body, content_type="application/json", headers=token)

    return call


def _error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == code
    return dict(body["error"])


def test_the_company_urls_are_where_the_docs_say() -> None:
    assert reverse("api:companies") == LIST_URL
    assert reverse("api:company", kwargs={"company_id": 3}) == _url(3)


def test_a_token_can_create_read_update_and_delete_a_company(api: Any, alice: User) -> None:
    created = api("post", LIST_URL, {"name": "Corvane Energy", "keenness": 3})
    assert created.status_code == 201
    body = created.json()
    assert set(body) == OUTPUT_FIELDS
    assert (body["name"], body["keenness"], body["hiring_signal"]) == ("Corvane Energy", 3, 0)
    assert body["contact_count"] == 0

    assert api("get", _url(body["id"])).json() == body

    changed = api("patch", _url(body["id"]), {"hiring_signal": 2, "domain": "corvane.example"})
    assert changed.status_code == 200
    assert (changed.json()["hiring_signal"], changed.json()["keenness"]) == (2, 3)
    assert changed.json()["domain"] == "corvane.example"

    assert api("delete", _url(body["id"])).status_code == 204
    assert not Company.objects.for_owner(alice).exists()


def test_a_signed_in_session_with_its_csrf_token_can_write(alice: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    client.get(reverse("web:coach"))  # sets the CSRF cookie
    csrf = {"X-CSRFToken": client.cookies["csrftoken"].value}
    created = client.post(LIST_URL, {"name": "Acme"}, content_type="application/json", headers=csrf)
    assert created.status_code == 201
    url = _url(created.json()["id"])
    patched = client.patch(url, {"keenness": 1}, content_type="application/json", headers=csrf)
    assert patched.json()["keenness"] == 1
    assert client.delete(url, headers=csrf).status_code == 204


@pytest.mark.parametrize("method", ["post", "patch", "delete"])
def test_a_session_write_without_the_csrf_token_is_refused(alice: User, method: str) -> None:
    company = CompanyFactory(owner=alice, name="Acme", keenness=2)
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    url = LIST_URL if method == "post" else _url(company.pk)
    response = getattr(client, method)(url, {"name": "Other"}, content_type="application/json")
    _error(response, 403, "forbidden")
    assert list(Company.objects.for_owner(alice).values_list("name", flat=True)) == ["Acme"]


def test_a_name_you_already_have_is_a_409_naming_the_field(api: Any, alice: User) -> None:
    CompanyFactory(owner=alice, name="Acme")
    error = _error(api("post", LIST_URL, {"name": "ACME Ltd."}), 409, "duplicate")
    assert set(error["fields"]) == {"name"}


def test_renaming_onto_another_of_your_companies_is_a_409(api: Any, alice: User) -> None:
    CompanyFactory(owner=alice, name="Acme")
    other = CompanyFactory(owner=alice, name="Halden")
    _error(api("patch", _url(other.pk), {"name": "acme"}), 409, "duplicate")
    other.refresh_from_db()
    assert other.name == "Halden"


def test_two_people_can_each_have_an_acme(api: Any, bob: User) -> None:
    CompanyFactory(owner=bob, name="Acme")
    assert api("post", LIST_URL, {"name": "Acme"}).status_code == 201


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Acme", "keenness": 4}, "keenness"),
        ({"name": "Acme", "keenness": -1}, "keenness"),
        ({"name": "Acme", "hiring_signal": 7}, "hiring_signal"),
        ({"name": "Acme", "hiring_signal": "lots"}, "hiring_signal"),
        ({"name": ""}, "name"),
        ({"name": "A" * 201}, "name"),
        ({}, "name"),
        ({"name": "Acme", "rank_score": 9}, "rank_score"),
        ({"name": "Acme", "website": "acme.example"}, "website"),
    ],
)
def test_a_bad_field_is_refused_with_422_naming_it(
    api: Any, body: dict[str, Any], field: str
) -> None:
    error = _error(api("post", LIST_URL, body), 422, "invalid")
    assert set(error["fields"]) == {field}
    assert not Company.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [({"keenness": 9}, "keenness"), ({"name": None}, "name"), ({"owner": 2}, "owner")],
)
def test_a_bad_patch_is_refused_and_changes_nothing(
    api: Any, alice: User, body: dict[str, Any], field: str
) -> None:
    company = CompanyFactory(owner=alice, name="Acme", keenness=2)
    assert set(_error(api("patch", _url(company.pk), body), 422, "invalid")["fields"]) == {field}
    company.refresh_from_db()
    assert (company.name, company.keenness, company.owner) == ("Acme", 2, alice)


def test_deleting_a_company_keeps_its_contacts(api: Any, alice: User) -> None:
    contact = ContactFactory(owner=alice)
    api("delete", _url(contact.company_id))
    contact.refresh_from_db()
    assert contact.company is None


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_someone_elses_company_is_not_found(api: Any, bob: User, method: str) -> None:
    bobs = CompanyFactory(owner=bob, name="Bobco")
    body = {"name": "Mine now"} if method == "patch" else None
    _error(api(method, _url(bobs.pk), body), 404, "not_found")
    assert Company.objects.get(pk=bobs.pk).name == "Bobco"


def test_the_list_never_includes_someone_elses_companies(api: Any, alice: User, bob: User) -> None:
    mine = CompanyFactory(owner=alice)
    CompanyFactory(owner=bob, name="Bobco")
    body = api("get", LIST_URL).json()
    assert [c["id"] for c in body["items"]] == [mine.pk]
    assert api("get", f"{LIST_URL}?q=bobco").json()["count"] == 0


def test_the_list_is_ranked_and_counts_contacts(api: Any, alice: User) -> None:
    low = CompanyFactory(owner=alice, name="Low", rank_score=1.0)
    high = CompanyFactory(owner=alice, name="High", rank_score=5.0)
    ContactFactory.create_batch(2, owner=alice, company=high)
    items = api("get", LIST_URL).json()["items"]
    assert [(c["id"], c["contact_count"]) for c in items] == [(high.pk, 2), (low.pk, 0)]
    assert api("get", _url(high.pk)).json()["contact_count"] == 2


def test_the_list_searches_names_and_domains(api: Any, alice: User) -> None:
    acme = CompanyFactory(owner=alice, name="Acme Robotics", domain="acme.example")
    halden = CompanyFactory(owner=alice, name="Halden", domain="halden-rail.example")
    assert [c["id"] for c in api("get", f"{LIST_URL}?q=robot").json()["items"]] == [acme.pk]
    assert [c["id"] for c in api("get", f"{LIST_URL}?q=rail").json()["items"]] == [halden.pk]


def test_the_list_pages_with_limit_and_offset(api: Any, alice: User) -> None:
    for n in range(5):
        CompanyFactory(owner=alice, name=f"Company {n}", rank_score=float(n))
    page = api("get", f"{LIST_URL}?limit=2&offset=1").json()
    assert (page["count"], page["limit"], page["offset"]) == (5, 2, 1)
    assert [c["name"] for c in page["items"]] == ["Company 3", "Company 2"]
    _error(api("get", f"{LIST_URL}?limit=500"), 422, "invalid")


def _queries(api: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert api("get", url).status_code == 200
    return len(queries)


def test_a_page_of_100_takes_no_more_queries_than_a_page_of_10(api: Any, alice: User) -> None:
    for company in CompanyFactory.create_batch(100, owner=alice):
        ContactFactory(owner=alice, company=company)
    api("get", LIST_URL)  # the token's first use writes last_used_at; later ones only read
    assert _queries(api, f"{LIST_URL}?limit=10") == _queries(api, f"{LIST_URL}?limit=100")


def test_a_company_made_through_the_api_is_the_one_a_contact_then_names(
    api: Any, alice: User
) -> None:
    company = api("post", LIST_URL, {"name": "Corvane Energy"}).json()
    contact = api(
        "post", "/api/v1/contacts", {"first_name": "Ruth", "company_name": "corvane energy"}
    ).json()
    assert contact["company"]["id"] == company["id"]
    assert Contact.objects.get(pk=contact["id"]).company_id == company["id"]


def test_the_openapi_schema_describes_the_company_endpoints() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert set(schema["paths"][LIST_URL]) == {"get", "post"}
    one = schema["paths"]["/api/v1/companies/{company_id}"]
    assert set(one) == {"get", "patch", "delete"}
    assert "409" in schema["paths"][LIST_URL]["post"]["responses"]
    components = schema["components"]["schemas"]
    assert set(components["CompanyOut"]["properties"]) == OUTPUT_FIELDS
    keenness = components["CompanyIn"]["properties"]["keenness"]
    assert (keenness["minimum"], keenness["maximum"]) == (0, 3)
    assert components["CompanyIn"]["required"] == ["name"]
    assert "required" not in components["CompanyPatch"]
