"""/api/v1/contacts: list, get, create, update and delete, for a token or a browser session."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rapport.accounts.models import User
from rapport.accounts.services import api_token_create
from rapport.contacts.models import Company, Contact, ContactEvent, Tag
from rapport.playbook.stages import Stage
from tests.factories import CompanyFactory, ContactFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/contacts"
OUTPUT_FIELDS = {
    "id", "first_name", "last_name", "email", "phone", "linkedin_url", "company", "title",
    "location", "time_zone", "country", "connected_on", "source", "referred_by", "stage",
    "research_role",
    "research_tenure", "research_path", "research_achievements", "research_writing",
    "common_ground", "notes", "tags", "priority_score", "priority_reasons", "created_at",
    "updated_at",
}  # fmt: skip


def _url(contact_id: int) -> str:
    return f"{LIST_URL}/{contact_id}"


def _bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def token(alice: User) -> dict[str, str]:
    return _bearer(api_token_create(owner=alice, name="tests")[1])


@pytest.fixture
def api(token: dict[str, str]) -> Any:
    """Calls as alice with her token: api("get", url) or api("post", url, body)."""
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
    assert body["error"]["message"]
    return dict(body["error"])


def _signed_in_browser(user: User) -> tuple[Client, dict[str, str]]:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get(reverse("web:coach"))  # any page with a form sets the CSRF cookie
    return client, {"X-CSRFToken": client.cookies["csrftoken"].value}


# --- create, read, update, delete ------------------------------------------------------------


def test_the_contact_urls_are_where_the_docs_say() -> None:
    assert reverse("api:contacts") == LIST_URL
    assert reverse("api:contact", kwargs={"contact_id": 7}) == _url(7)


def test_a_token_can_create_read_update_and_delete_a_contact(api: Any, alice: User) -> None:
    created = api("post", LIST_URL, {"first_name": "Ruth", "last_name": "Okafor"})
    assert created.status_code == 201
    body = created.json()
    assert set(body) == OUTPUT_FIELDS
    assert body["stage"] == "identified"
    assert body["source"] == "manual"
    assert body["company"] is None

    fetched = api("get", _url(body["id"]))
    assert fetched.status_code == 200
    assert fetched.json() == body

    changed = api("patch", _url(body["id"]), {"title": "Grid engineer", "stage": "researched"})
    assert changed.status_code == 200
    assert changed.json()["title"] == "Grid engineer"
    assert changed.json()["stage"] == "researched"

    assert api("delete", _url(body["id"])).status_code == 204
    assert not Contact.objects.for_owner(alice).exists()
    _error(api("get", _url(body["id"])), 404, "not_found")


def test_every_field_can_be_written_and_is_read_back(api: Any) -> None:
    sent = {
        "first_name": "Amara",
        "last_name": "Nwosu",
        "email": "amara@example.org",
        "phone": "+44 20 7946 0000",
        "linkedin_url": "https://www.linkedin.com/in/amara-nwosu",
        "company_name": "Corvane Energy",
        "title": "Head of Storage",
        "location": "Leeds",
        "time_zone": "Europe/London",
        "country": "gb",
        "connected_on": "2024-02-29",
        "source": "referral",
        "stage": "requested",
        "research_role": "Runs the battery team",
        "research_tenure": "3 years",
        "research_path": "Physics PhD, then two start-ups",
        "research_achievements": "Shipped the grid pilot",
        "research_writing": "Blog on storage",
        "common_ground": "Both studied at Leeds",
        "notes": "Met at the energy fair",
        "tags": ["energy", "alumni"],
    }
    body = api("post", LIST_URL, sent).json()
    expected = {k: v for k, v in sent.items() if k not in {"company_name", "tags", "country"}}
    assert {k: body[k] for k in expected} == expected
    assert body["country"] == "GB"
    assert body["company"]["name"] == "Corvane Energy"
    assert body["tags"] == ["alumni", "energy"]


def test_a_signed_in_session_with_its_csrf_token_can_write(alice: User) -> None:
    client, csrf = _signed_in_browser(alice)
    created = client.post(
        LIST_URL, {"first_name": "Ruth"}, content_type="application/json", headers=csrf
    )
    assert created.status_code == 201
    url = _url(created.json()["id"])
    assert client.get(url).status_code == 200
    patched = client.patch(url, {"notes": "Kind"}, content_type="application/json", headers=csrf)
    assert patched.json()["notes"] == "Kind"
    assert client.delete(url, headers=csrf).status_code == 204


@pytest.mark.parametrize("method", ["post", "patch", "delete"])
def test_a_session_write_without_the_csrf_token_is_refused(alice: User, method: str) -> None:
    contact = ContactFactory(owner=alice, first_name="Ruth")
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    url = LIST_URL if method == "post" else _url(contact.pk)
    response = getattr(client, method)(
        url, {"first_name": "Changed"}, content_type="application/json"
    )
    assert "CSRF" in _error(response, 403, "forbidden")["message"]
    assert list(Contact.objects.for_owner(alice).values_list("first_name", flat=True)) == ["Ruth"]


def test_a_session_reads_without_a_csrf_token(alice: User, alice_client: Client) -> None:
    ContactFactory(owner=alice)
    assert alice_client.get(LIST_URL).json()["count"] == 1


def test_no_credentials_get_401_in_the_error_shape() -> None:
    _error(Client().get(LIST_URL), 401, "unauthenticated")
    _error(Client().post(LIST_URL, {}, content_type="application/json"), 401, "unauthenticated")


# --- companies and tags on a contact ----------------------------------------------------------


def test_a_company_named_however_written_is_matched_not_duplicated(api: Any, alice: User) -> None:
    acme = CompanyFactory(owner=alice, name="Acme")
    body = api("post", LIST_URL, {"first_name": "Ruth", "company_name": "ACME, Inc."}).json()
    assert body["company"] == {"id": acme.pk, "name": "Acme"}
    assert Company.objects.for_owner(alice).count() == 1


def test_a_new_company_name_makes_the_company(api: Any, alice: User) -> None:
    body = api("post", LIST_URL, {"first_name": "Ruth", "company_name": "Halden Rail"}).json()
    assert Company.objects.for_owner(alice).get().name == "Halden Rail"
    assert body["company"]["name"] == "Halden Rail"


def test_a_contact_can_name_one_of_your_companies_by_id(api: Any, alice: User) -> None:
    acme = CompanyFactory(owner=alice, name="Acme")
    body = api("post", LIST_URL, {"first_name": "Ruth", "company_id": acme.pk}).json()
    assert body["company"] == {"id": acme.pk, "name": "Acme"}


def test_someone_elses_company_id_is_refused_naming_the_field(
    api: Any, alice: User, bob: User
) -> None:
    bobs = CompanyFactory(owner=bob)
    response = api("post", LIST_URL, {"first_name": "Ruth", "company_id": bobs.pk})
    assert set(_error(response, 422, "invalid")["fields"]) == {"company_id"}
    assert not Contact.objects.exists()


def test_a_patch_to_someone_elses_company_is_refused(api: Any, alice: User, bob: User) -> None:
    contact = ContactFactory(owner=alice)
    original = contact.company_id
    response = api("patch", _url(contact.pk), {"company_id": CompanyFactory(owner=bob).pk})
    assert set(_error(response, 422, "invalid")["fields"]) == {"company_id"}
    contact.refresh_from_db()
    assert contact.company_id == original


def test_a_contact_can_be_introduced_by_another_and_says_so(api: Any, alice: User) -> None:
    marta = ContactFactory(owner=alice, first_name="Marta", last_name="Silva")
    body = api("post", LIST_URL, {"first_name": "Ruth", "referred_by_id": marta.pk}).json()
    assert body["referred_by"] == {"id": marta.pk, "name": "Marta Silva"}
    assert "introduced to you" in body["priority_reasons"]
    assert api("get", _url(body["id"])).json()["referred_by"]["id"] == marta.pk
    cleared = api("patch", _url(body["id"]), {"referred_by_id": None}).json()
    assert cleared["referred_by"] is None
    assert "introduced to you" not in cleared["priority_reasons"]


def test_someone_elses_contact_cannot_be_the_referrer(api: Any, alice: User, bob: User) -> None:
    bobs = ContactFactory(owner=bob)
    response = api("post", LIST_URL, {"first_name": "Ruth", "referred_by_id": bobs.pk})
    assert set(_error(response, 422, "invalid")["fields"]) == {"referred_by_id"}
    mine = ContactFactory(owner=alice)
    response = api("patch", _url(mine.pk), {"referred_by_id": bobs.pk})
    assert set(_error(response, 422, "invalid")["fields"]) == {"referred_by_id"}
    mine.refresh_from_db()
    assert mine.referred_by is None
    assert Contact.objects.for_owner(alice).count() == 1


def test_an_introduction_loop_is_refused_naming_the_field(api: Any, alice: User) -> None:
    first = ContactFactory(owner=alice)
    second = ContactFactory(owner=alice, referred_by=first)
    third = ContactFactory(owner=alice, referred_by=second)
    response = api("patch", _url(first.pk), {"referred_by_id": third.pk})
    assert set(_error(response, 422, "invalid")["fields"]) == {"referred_by_id"}
    response = api("patch", _url(first.pk), {"referred_by_id": first.pk})
    assert set(_error(response, 422, "invalid")["fields"]) == {"referred_by_id"}
    first.refresh_from_db()
    assert first.referred_by is None


def test_company_id_and_company_name_together_are_refused(api: Any, alice: User) -> None:
    acme = CompanyFactory(owner=alice)
    body = {"first_name": "Ruth", "company_id": acme.pk, "company_name": "Other"}
    assert set(_error(api("post", LIST_URL, body), 422, "invalid")["fields"]) == {"company_name"}


def test_a_patch_with_a_null_company_id_takes_the_company_away(api: Any, alice: User) -> None:
    contact = ContactFactory(owner=alice)
    body = api("patch", _url(contact.pk), {"company_id": None}).json()
    assert body["company"] is None
    contact.refresh_from_db()
    assert contact.company is None
    assert "company" in contact.edited_fields


def test_a_patch_sets_exactly_the_tags_sent(api: Any, alice: User) -> None:
    contact = ContactFactory(owner=alice)
    api("patch", _url(contact.pk), {"tags": ["energy", "alumni"]})
    body = api("patch", _url(contact.pk), {"tags": ["Alumni", "keen"]}).json()
    assert body["tags"] == ["alumni", "keen"]  # the existing tag keeps its spelling
    assert set(Tag.objects.for_owner(alice).values_list("name", flat=True)) == {
        "energy",
        "alumni",
        "keen",
    }
    assert contact.events.filter(kind=ContactEvent.Kind.TAGGED).count() == 2
    contact.refresh_from_db()
    assert "tags" in contact.edited_fields


def test_a_patch_without_tags_leaves_them_alone(api: Any, alice: User) -> None:
    contact = ContactFactory(owner=alice)
    contact.tags.add(Tag.objects.create(owner=alice, name="energy"))
    assert api("patch", _url(contact.pk), {"title": "CTO"}).json()["tags"] == ["energy"]


def test_a_patch_can_move_a_contact_to_a_company_by_name(api: Any, alice: User) -> None:
    contact = ContactFactory(owner=alice)
    acme = CompanyFactory(owner=alice, name="Acme")
    body = api("patch", _url(contact.pk), {"company_name": "acme ltd"}).json()
    assert body["company"] == {"id": acme.pk, "name": "Acme"}
    assert api("patch", _url(contact.pk), {"company_name": ""}).json()["company"] is None


def test_a_contact_added_at_a_keen_company_is_ranked_at_once(api: Any, alice: User) -> None:
    keen = CompanyFactory(owner=alice, name="Corvane", keenness=3)
    body = api("post", LIST_URL, {"first_name": "Ruth", "company_id": keen.pk}).json()
    assert body["priority_score"] > 0
    assert Contact.objects.get(pk=body["id"]).priority_score == body["priority_score"]


def test_moving_a_contact_to_a_keen_company_ranks_them_again(api: Any, alice: User) -> None:
    contact = ContactFactory(owner=alice, company=CompanyFactory(owner=alice, keenness=0))
    before = api("get", _url(contact.pk)).json()["priority_score"]
    keen = CompanyFactory(owner=alice, name="Corvane", keenness=3)
    after = api("patch", _url(contact.pk), {"company_id": keen.pk}).json()["priority_score"]
    assert after > before


def test_a_blank_tag_is_refused_naming_its_place(api: Any) -> None:
    response = api("post", LIST_URL, {"first_name": "Ruth", "tags": ["fine", "   "]})
    assert set(_error(response, 422, "invalid")["fields"]) == {"tags.1"}
    assert not Contact.objects.exists()


def test_a_refused_contact_leaves_no_company_made_for_it(api: Any, alice: User) -> None:
    body = {"first_name": "Ruth", "company_name": "Newco", "email": "not an address"}
    assert set(_error(api("post", LIST_URL, body), 422, "invalid")["fields"]) == {"email"}
    assert not Company.objects.for_owner(alice).exists()


# --- updates ----------------------------------------------------------------------------------


def test_a_patch_changes_only_what_it_sends_and_remembers_it_as_by_hand(
    api: Any, alice: User
) -> None:
    contact = ContactFactory(owner=alice, title="Analyst", notes="Keep me")
    api("patch", _url(contact.pk), {"title": "Lead Analyst"})
    contact.refresh_from_db()
    assert (contact.title, contact.notes) == ("Lead Analyst", "Keep me")
    assert contact.edited_fields == ["title"]


def test_a_stage_change_goes_on_the_timeline(api: Any, alice: User) -> None:
    contact = ContactFactory(owner=alice)
    api("patch", _url(contact.pk), {"stage": Stage.SCHEDULED.value})
    event = contact.events.get(kind=ContactEvent.Kind.STAGE)
    assert event.summary == "Identified → Scheduled"


def test_an_empty_patch_changes_nothing(api: Any, alice: User) -> None:
    contact = ContactFactory(owner=alice)
    assert api("patch", _url(contact.pk), {}).status_code == 200
    assert not contact.events.exists()


# --- validation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"first_name": "Ruth", "stagee": "met"}, "stagee"),
        ({"first_name": "Ruth", "stage": "hired"}, "stage"),
        ({"first_name": "Ruth", "source": "fax"}, "source"),
        ({"first_name": "Ruth", "time_zone": "Mars/Olympus"}, "time_zone"),
        ({"first_name": "Ruth", "connected_on": "29/02/2024"}, "connected_on"),
        ({"first_name": "Ruth", "email": "not an address"}, "email"),
        ({"first_name": "Ruth", "linkedin_url": "linkedin ruth"}, "linkedin_url"),
        ({"first_name": "Ruth", "country": "XX"}, "country"),
        ({"first_name": "R" * 151}, "first_name"),
        ({"first_name": "Ruth", "tags": "energy"}, "tags"),
        ({"first_name": "Ruth", "company_id": "acme"}, "company_id"),
        ({"email": "nameless@example.org"}, "last_name"),
    ],
)
def test_a_bad_field_is_refused_with_422_naming_it(
    api: Any, body: dict[str, Any], field: str
) -> None:
    error = _error(api("post", LIST_URL, body), 422, "invalid")
    assert set(error["fields"]) == {field}
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"first_name": None}, "first_name"),
        ({"stage": "hired"}, "stage"),
        ({"keenness": 3}, "keenness"),  # a company field, not a contact's
        ({"priority_score": 99}, "priority_score"),  # computed, never written
    ],
)
def test_a_bad_patch_is_refused_naming_the_field_and_changes_nothing(
    api: Any, alice: User, body: dict[str, Any], field: str
) -> None:
    contact = ContactFactory(owner=alice, first_name="Ruth")
    error = _error(api("patch", _url(contact.pk), body), 422, "invalid")
    assert set(error["fields"]) == {field}
    contact.refresh_from_db()
    assert (contact.first_name, contact.stage) == ("Ruth", "identified")


def test_a_body_that_is_not_json_gets_400(token: dict[str, str]) -> None:
    response = Client().post(LIST_URL, "{oops", content_type="application/json", headers=token)
    _error(response, 400, "bad_request")


# --- someone else's contacts ------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_someone_elses_contact_is_not_found(api: Any, bob: User, method: str) -> None:
    bobs = ContactFactory(owner=bob, first_name="Bobby")
    body = {"first_name": "Stolen"} if method == "patch" else None
    _error(api(method, _url(bobs.pk), body), 404, "not_found")
    bobs.refresh_from_db()
    assert bobs.first_name == "Bobby"


def test_the_list_never_includes_someone_elses_contacts(api: Any, alice: User, bob: User) -> None:
    mine = ContactFactory(owner=alice)
    ContactFactory(owner=bob, first_name="Zebedee")
    body = api("get", f"{LIST_URL}?q=Zebedee").json()
    assert body["count"] == 0
    assert [c["id"] for c in api("get", LIST_URL).json()["items"]] == [mine.pk]


def test_filtering_by_someone_elses_company_finds_nothing(api: Any, bob: User) -> None:
    bobs = ContactFactory(owner=bob)
    assert api("get", f"{LIST_URL}?company_id={bobs.company_id}").json()["count"] == 0


# --- filters, sorting, pagination -----------------------------------------------------------


@pytest.fixture
def network(alice: User) -> dict[str, Contact]:
    acme = CompanyFactory(owner=alice, name="Acme")
    ruth = ContactFactory(owner=alice, first_name="Ruth", last_name="Adeyemi", company=acme)
    tom = ContactFactory(
        owner=alice, first_name="Tom", last_name="Brand", stage="met", source="linkedin"
    )
    zoe = ContactFactory(owner=alice, first_name="Zoë", last_name="Clark", notes="storage nerd")
    zoe.tags.add(Tag.objects.create(owner=alice, name="Energy"))
    return {"ruth": ruth, "tom": tom, "zoe": zoe}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("stage=met", {"tom"}),
        ("source=linkedin", {"tom"}),
        ("tag=energy", {"zoe"}),
        ("q=storage", {"zoe"}),
        ("q=acme", {"ruth"}),
        ("q=energy", {"zoe"}),
        ("", {"ruth", "tom", "zoe"}),
        ("stage=&source=&company_id=&tag=&q=", {"ruth", "tom", "zoe"}),
    ],
)
def test_the_list_filters(
    api: Any, network: dict[str, Contact], query: str, expected: set[str]
) -> None:
    body = api("get", f"{LIST_URL}?{query}").json()
    ids = {contact["id"] for contact in body["items"]}
    assert ids == {network[name].pk for name in expected}
    assert body["count"] == len(expected)


def test_the_list_filters_by_company_id(api: Any, network: dict[str, Contact]) -> None:
    company_id = network["ruth"].company_id
    items = api("get", f"{LIST_URL}?company_id={company_id}").json()["items"]
    assert [c["id"] for c in items] == [network["ruth"].pk]


def test_the_list_sorts_by_name(api: Any, network: dict[str, Contact]) -> None:
    items = api("get", f"{LIST_URL}?sort=name").json()["items"]
    assert [c["last_name"] for c in items] == ["Adeyemi", "Brand", "Clark"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("stage=hired", "stage"),
        ("sort=age", "sort"),
        ("source=fax", "source"),
        ("limit=201", "limit"),
        ("limit=0", "limit"),
        ("offset=-1", "offset"),
        ("company_id=acme", "company_id"),
    ],
)
def test_a_bad_filter_is_refused_naming_it(api: Any, query: str, field: str) -> None:
    error = _error(api("get", f"{LIST_URL}?{query}"), 422, "invalid")
    assert set(error["fields"]) == {field}


def test_the_list_pages_with_limit_and_offset(api: Any, alice: User) -> None:
    for n in range(7):
        ContactFactory(owner=alice, last_name=f"Person{n}")
    first = api("get", f"{LIST_URL}?sort=name&limit=3").json()
    last = api("get", f"{LIST_URL}?sort=name&limit=3&offset=6").json()
    assert (first["count"], first["limit"], first["offset"]) == (7, 3, 0)
    assert [c["last_name"] for c in first["items"]] == ["Person0", "Person1", "Person2"]
    assert [c["last_name"] for c in last["items"]] == ["Person6"]
    assert api("get", f"{LIST_URL}?offset=50").json()["items"] == []


def test_a_page_holds_50_unless_asked_and_at_most_200(api: Any, alice: User) -> None:
    ContactFactory.create_batch(201, owner=alice, company=None)
    assert len(api("get", LIST_URL).json()["items"]) == 50
    assert len(api("get", f"{LIST_URL}?limit=200").json()["items"]) == 200


def _queries(api: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert api("get", url).status_code == 200
    return len(queries)


def test_a_page_of_100_takes_no_more_queries_than_a_page_of_10(api: Any, alice: User) -> None:
    tags = [Tag.objects.create(owner=alice, name=name) for name in ("energy", "alumni")]
    referrer = ContactFactory(owner=alice)
    for contact in ContactFactory.create_batch(100, owner=alice, referred_by=referrer):
        contact.tags.add(*tags)
    api("get", LIST_URL)  # the token's first use writes last_used_at; later ones only read
    small = _queries(api, f"{LIST_URL}?limit=10")
    large = _queries(api, f"{LIST_URL}?limit=100")
    assert small == large
    items = api("get", f"{LIST_URL}?limit=100").json()["items"]
    introduced = [item for item in items if item["id"] != referrer.pk]
    assert len(introduced) >= 99
    assert all(item["company"] and len(item["tags"]) == 2 for item in introduced)
    assert all(item["referred_by"]["id"] == referrer.pk for item in introduced)


# --- the description ------------------------------------------------------------------------


def test_the_openapi_schema_describes_the_contact_endpoints() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    listing = schema["paths"][LIST_URL]
    one = schema["paths"]["/api/v1/contacts/{contact_id}"]
    assert set(listing) == {"get", "post"}
    assert set(one) == {"get", "patch", "delete"}
    assert {"200", "401", "422"} <= set(listing["get"]["responses"])
    assert {"201", "401", "403", "422"} <= set(listing["post"]["responses"])
    assert {"200", "401", "403", "404", "422"} <= set(one["patch"]["responses"])
    assert "204" in one["delete"]["responses"]
    params = {p["name"] for p in listing["get"]["parameters"]}
    assert params == {"q", "stage", "tag", "company_id", "source", "sort", "limit", "offset"}
    components = schema["components"]["schemas"]
    assert set(components["ContactOut"]["properties"]) == OUTPUT_FIELDS
    assert set(components["ContactPage"]["required"]) == {"items", "count", "limit", "offset"}
    assert components["Stage"]["enum"] == [stage.value for stage in Stage]
    assert components["ContactIn"]["additionalProperties"] is False
    patch = components["ContactPatch"]
    assert "required" not in patch
    assert all("default" not in prop for prop in patch["properties"].values())
