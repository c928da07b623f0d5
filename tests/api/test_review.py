"""POST /api/v1/review: the coach over JSON, for a token or a signed-in browser."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from rapport.accounts.models import User
from rapport.accounts.services import api_token_create, api_token_revoke
from rapport.core.limits import REVIEW_MAX_TEXT_CHARS
from rapport.playbook.coach import KINDS, review

pytestmark = pytest.mark.django_db

URL = "/api/v1/review"
JOB_ASK = "Hi Ruth, I'm a final-year student at Leeds. Are you hiring?"


def _post(client: Client, body: Any, **headers: str) -> Any:
    return client.post(URL, body, content_type="application/json", headers=headers)


def _bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def alice_token(alice: User) -> str:
    return api_token_create(owner=alice, name="tests")[1]


def _assert_error_shape(body: dict[str, Any], code: str) -> dict[str, Any]:
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return dict(body["error"])


def test_the_review_url_is_where_the_docs_say() -> None:
    assert reverse("api:review") == URL


def test_a_bearer_token_gets_the_same_review_as_the_engine(alice_token: str) -> None:
    response = _post(Client(), {"kind": "request", "text": JOB_ASK}, **_bearer(alice_token))
    assert response.status_code == 200
    assert response.json() == review("request", JOB_ASK, channel="email").as_dict()


def test_the_response_has_the_declared_shape(alice_token: str) -> None:
    body = _post(Client(), {"kind": "request", "text": JOB_ASK}, **_bearer(alice_token)).json()
    assert set(body) == {"kind", "score", "verdict", "findings", "stats", "notices"}
    assert 0 <= body["score"] <= 100
    assert body["findings"], "a job ask should be found"
    for finding in body["findings"]:
        assert {"rule", "severity", "message", "start", "end"} <= set(finding)
        assert set(finding) <= {"rule", "severity", "message", "start", "end", "suggestion"}
        assert finding["severity"] in {"error", "warning", "tip"}
        assert 0 <= finding["start"] <= finding["end"] <= len(JOB_ASK)
    assert "request.no-job-ask" in {finding["rule"] for finding in body["findings"]}
    assert {"words", "chars", "sentences", "reading_grade", "you_i_ratio"} <= set(body["stats"])


def test_a_signed_in_browser_session_with_its_csrf_token_works(alice: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    client.get(reverse("web:coach"))  # sets the CSRF cookie, as any page does
    csrf = client.cookies["csrftoken"].value
    response = _post(
        client, {"kind": "question", "text": "What surprised you?"}, **{"X-CSRFToken": csrf}
    )
    assert response.status_code == 200
    assert response.json()["kind"] == "question"


def test_a_session_without_the_csrf_token_is_refused(alice: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = _post(client, {"kind": "request", "text": JOB_ASK})
    assert response.status_code == 403
    assert "CSRF" in _assert_error_shape(response.json(), "forbidden")["message"]


def test_no_credentials_get_401_in_the_error_shape_not_a_login_redirect() -> None:
    response = _post(Client(enforce_csrf_checks=True), {"kind": "request", "text": JOB_ASK})
    assert response.status_code == 401
    assert "Bearer" in _assert_error_shape(response.json(), "unauthenticated")["message"]


@pytest.mark.parametrize(
    "authorization",
    ["Bearer rpt_not-a-real-token", "Bearer ", "Basic YWxpY2U6cGFzcw==", "rpt_no-scheme"],
)
def test_a_bad_authorization_header_gets_401(alice_token: str, authorization: str) -> None:
    response = _post(Client(), {"kind": "request", "text": JOB_ASK}, Authorization=authorization)
    assert response.status_code == 401
    _assert_error_shape(response.json(), "unauthenticated")


def test_a_bad_token_gets_401_even_beside_a_signed_in_session(alice: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = _post(client, {"kind": "request", "text": JOB_ASK}, **_bearer("rpt_wrong"))
    assert response.status_code == 401
    _assert_error_shape(response.json(), "unauthenticated")


def test_a_revoked_token_gets_401(alice: User) -> None:
    token, raw = api_token_create(owner=alice, name="old")
    api_token_revoke(owner=alice, token_id=token.pk)
    response = _post(Client(), {"kind": "request", "text": JOB_ASK}, **_bearer(raw))
    assert response.status_code == 401


def test_a_bearer_token_needs_no_csrf_token(alice_token: str) -> None:
    client = Client(enforce_csrf_checks=True)
    response = _post(client, {"kind": "thanks", "text": "Thank you!"}, **_bearer(alice_token))
    assert response.status_code == 200


def test_an_unknown_kind_is_refused_naming_the_field(alice_token: str) -> None:
    response = _post(Client(), {"kind": "cover-letter", "text": "Hi"}, **_bearer(alice_token))
    assert response.status_code == 422
    error = _assert_error_shape(response.json(), "invalid")
    assert set(error["fields"]) == {"kind"}
    for kind in KINDS:
        assert kind in error["fields"]["kind"]


def test_an_unknown_channel_is_refused_naming_the_field(alice_token: str) -> None:
    body = {"kind": "request", "text": "Hi", "channel": "carrier-pigeon"}
    response = _post(Client(), body, **_bearer(alice_token))
    assert response.status_code == 422
    assert set(_assert_error_shape(response.json(), "invalid")["fields"]) == {"channel"}


def test_missing_fields_are_each_named(alice_token: str) -> None:
    response = _post(Client(), {}, **_bearer(alice_token))
    assert response.status_code == 422
    assert set(_assert_error_shape(response.json(), "invalid")["fields"]) == {"kind", "text"}


def test_text_over_the_limit_is_refused(alice_token: str) -> None:
    body = {"kind": "request", "text": "a" * (REVIEW_MAX_TEXT_CHARS + 1)}
    response = _post(Client(), body, **_bearer(alice_token))
    assert response.status_code == 422
    assert set(_assert_error_shape(response.json(), "invalid")["fields"]) == {"text"}


def test_text_at_the_limit_is_reviewed(alice_token: str) -> None:
    body = {"kind": "request", "text": "word " * (REVIEW_MAX_TEXT_CHARS // 5)}
    assert _post(Client(), body, **_bearer(alice_token)).status_code == 200


def test_a_body_that_is_not_json_gets_400_in_the_error_shape(alice_token: str) -> None:
    response = _post(Client(), "{not json", **_bearer(alice_token))
    assert response.status_code == 400
    _assert_error_shape(response.json(), "bad_request")


def test_the_channel_is_optional_and_linkedin_applies_its_limit(alice_token: str) -> None:
    long_note = "I loved your talk on grid storage and would value your advice. " * 6
    by_email = _post(Client(), {"kind": "request", "text": long_note}, **_bearer(alice_token))
    as_note = _post(
        Client(),
        {"kind": "request", "text": long_note, "channel": "linkedin"},
        **_bearer(alice_token),
    )
    rules = {finding["rule"] for finding in as_note.json()["findings"]}
    assert "request.channel-limit" in rules
    assert "request.channel-limit" not in {f["rule"] for f in by_email.json()["findings"]}


def test_a_wrong_method_gets_405_in_the_error_shape(alice_token: str) -> None:
    response = Client().get(URL, headers=_bearer(alice_token))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    _assert_error_shape(response.json(), "method_not_allowed")


def test_an_unknown_api_url_gets_404_in_the_error_shape(alice_token: str) -> None:
    response = Client().get("/api/v1/nothing-here/", headers=_bearer(alice_token))
    assert response.status_code == 404
    _assert_error_shape(response.json(), "not_found")


def test_the_openapi_schema_describes_the_review_endpoint() -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["version"] == "1"
    operation = schema["paths"][URL]["post"]
    assert {"200", "401", "422"} <= set(operation["responses"])
    components = schema["components"]["schemas"]
    assert components["ReviewIn"]["properties"]["kind"]["enum"] == list(KINDS)
    assert components["ReviewIn"]["properties"]["text"]["maxLength"] == REVIEW_MAX_TEXT_CHARS
    assert set(components["FindingOut"]["required"]) == {
        "rule",
        "severity",
        "message",
        "start",
        "end",
    }
    assert components["Severity"]["enum"] == ["error", "warning", "tip"]
    assert set(components["ErrorOut"]["properties"]) == {"error"}
    schemes = schema["components"]["securitySchemes"]
    assert schemes["BearerToken"] == {"type": "http", "scheme": "bearer"}
