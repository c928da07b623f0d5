"""Walk every URL the app has, so a new page is covered without anyone remembering to.

- An anonymous visitor is sent to log in on every URL not listed as public, except
  under the API (/api/), which must never redirect: it answers 401 in its JSON error shape.
- Every URL that takes an object id answers 404 to a user who does not own the object,
  and 200 to the owner (so the test cannot pass by 404-ing everyone).
A new URL kwarg must be taught to OBJECT_MAKERS below, or this test fails and says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from rapport.accounts.models import User
from rapport.accounts.services import api_token_create
from rapport.contacts.import_pending import pending_save
from rapport.meetings.models import PlanQuestion, Rehearsal, Takeaway
from rapport.outreach.models import MessageTemplate
from tests.factories import CompanyFactory, ContactFactory, MeetingFactory, MessageFactory

pytestmark = pytest.mark.django_db

PUBLIC_URL_NAMES = {
    "accounts:login",
    "accounts:link_login",
    "accounts:signup",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "web:health",
    "api:openapi-json",  # the API's description: no data in it, and tools fetch it first
    "api:api-root",  # ninja's own root, a JSON 404 for everyone, kept so it can find its prefix
    "meetings:calendar_feed",  # calendar apps send no cookies: the secret in the URL is the key
}
API_NAMESPACE = "api:"


def _pending_import(owner: User) -> str:
    card = b"BEGIN:VCARD\nFN:Ana Silva\nEND:VCARD\n"
    return pending_save(owner=owner, kind="vcard", filename="walk.vcf", data=card).id


def _plan_question(owner: User) -> PlanQuestion:
    meeting = MeetingFactory(owner=owner)
    return PlanQuestion.objects.create(owner=owner, meeting=meeting, text="How did you start?")


# kwarg name -> makes an object owned by `owner` and returns the value for the URL
OBJECT_MAKERS: dict[str, Callable[[User], Any]] = {
    "contact_id": lambda owner: ContactFactory(owner=owner).pk,
    "company_id": lambda owner: CompanyFactory(owner=owner).pk,
    "message_id": lambda owner: MessageFactory(owner=owner).pk,
    "meeting_id": lambda owner: MeetingFactory(owner=owner).pk,
    "question_id": lambda owner: _plan_question(owner).pk,
    "rehearsal_id": lambda owner: (
        Rehearsal.objects.create(owner=owner, meeting=MeetingFactory(owner=owner)).pk
    ),
    "token_id": lambda owner: api_token_create(owner=owner, name="walk")[0].pk,
    "pending_id": _pending_import,
    "takeaway_id": lambda owner: (
        Takeaway.objects.create(
            owner=owner, meeting=MeetingFactory(owner=owner), kind="advice", text="Walk"
        ).pk
    ),
    "template_id": lambda owner: (
        MessageTemplate.objects.create(
            owner=owner, name="Walk", kind="request", body="Hello {first_name}"
        ).pk
    ),
}

# URL kwargs that are not object ids: a sample value for the anonymous walk
SAMPLE_VALUES = {"token": "sample-token", "uidb64": "MQ", "token_reset": "x-y"}


@dataclass(frozen=True)
class Route:
    name: str
    kwargs: tuple[str, ...]


def _walk(patterns: list[Any], namespace: str = "") -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield Route(f"{namespace}{entry.name}", tuple(entry.pattern.converters))


ROUTES = sorted(set(_walk(get_resolver().url_patterns)), key=lambda r: r.name)
PRIVATE_ROUTES = [r for r in ROUTES if r.name not in PUBLIC_URL_NAMES]
PAGE_ROUTES = [r for r in PRIVATE_ROUTES if not r.name.startswith(API_NAMESPACE)]
API_ROUTES = [r for r in PRIVATE_ROUTES if r.name.startswith(API_NAMESPACE)]
PUBLIC_API_ROUTES = [
    r for r in ROUTES if r.name.startswith(API_NAMESPACE) and r.name in PUBLIC_URL_NAMES
]
OBJECT_ROUTES = [r for r in PRIVATE_ROUTES if r.kwargs]


def _url(route: Route, owner: User | None = None) -> str:
    kwargs = {}
    for name in route.kwargs:
        if name in OBJECT_MAKERS and owner is not None:
            kwargs[name] = OBJECT_MAKERS[name](owner)
        elif name in OBJECT_MAKERS:
            kwargs[name] = 1
        else:
            kwargs[name] = SAMPLE_VALUES.get(name, "x")
    return reverse(route.name, kwargs=kwargs)


def test_the_walk_finds_the_pages() -> None:
    names = {route.name for route in ROUTES}
    assert {"web:today", "contacts:contact_detail", "accounts:settings", "api:review"} <= names
    assert {"api:contacts", "api:contact", "api:companies", "api:company"} <= names
    assert {"contacts:export_contacts_csv", "contacts:export_contacts_vcf"} <= names


@pytest.mark.parametrize("route", PAGE_ROUTES, ids=lambda r: r.name)
def test_an_anonymous_visitor_is_sent_to_log_in(route: Route, client: Client) -> None:
    url = _url(route)
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 302, f"{route.name} answered {response.status_code}"
        assert response["Location"].startswith(reverse("accounts:login")), route.name


@pytest.mark.parametrize("route", API_ROUTES, ids=lambda r: r.name)
def test_an_anonymous_api_call_is_refused_with_401_and_never_redirected(
    route: Route, client: Client
) -> None:
    url = _url(route)
    statuses = set()
    for method in (client.get, client.post):
        response = method(url, content_type="application/json")
        statuses.add(response.status_code)
        # 405 for a method the route lacks; anything else must be "who are you?"
        assert response.status_code in (401, 405), f"{route.name} answered {response.status_code}"
        assert response["Content-Type"].startswith("application/json"), route.name
        assert set(response.json()["error"]) == {"code", "message", "fields"}, route.name
    assert 401 in statuses, f"{route.name} never asked for credentials"


@pytest.mark.parametrize("route", PUBLIC_API_ROUTES, ids=lambda r: r.name)
def test_the_public_api_urls_answer_json_without_a_redirect(route: Route, client: Client) -> None:
    response = client.get(_url(route))
    assert response.status_code in (200, 404), f"{route.name} answered {response.status_code}"
    assert response["Content-Type"].startswith("application/json"), route.name


@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=lambda r: r.name)
def test_someone_elses_object_is_not_found(
    route: Route, alice: User, alice_client: Client, bob_client: Client
) -> None:
    unknown = [name for name in route.kwargs if name not in OBJECT_MAKERS]
    assert not unknown, f"teach OBJECT_MAKERS how to make {unknown} for {route.name}"
    url = _url(route, owner=alice)
    if alice_client.get(url).status_code == 405:
        # An action (POST only; its page is elsewhere): someone else's object is not found.
        response = bob_client.post(url, {})
        assert response.status_code == 404, f"{route.name} {response.status_code} for another user"
        return
    assert alice_client.get(url).status_code == 200, f"{route.name} fails for its owner"
    assert bob_client.get(url).status_code == 404, f"{route.name} leaks to another user"
    for method in (bob_client.post, bob_client.patch, bob_client.delete):
        # an empty JSON body is valid for an API PATCH, so only ownership can refuse it
        response = method(url, {}, content_type="application/json")
        assert response.status_code in (404, 405), f"{route.name} {response.status_code}"
    assert alice_client.get(url).status_code == 200, f"{route.name}: another user changed it"


@pytest.mark.parametrize("route", [r for r in PRIVATE_ROUTES if not r.kwargs], ids=lambda r: r.name)
def test_list_pages_never_show_someone_elses_rows(
    route: Route, alice: User, bob_client: Client
) -> None:
    secret = ContactFactory(owner=alice, first_name="Zebedee", last_name="Quartermaine")
    MessageFactory(owner=alice, contact=secret, subject="Quartermaine secret")
    MeetingFactory(owner=alice, contact=secret)
    response = bob_client.get(_url(route))
    assert b"Quartermaine" not in _body(response), route.name


def _body(response: Any) -> bytes:
    """The whole body, also of a streamed download (which has no `content`)."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return bytes(response.content)
