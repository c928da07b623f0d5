"""Whatever goes wrong under /api/, the answer is the one JSON error shape."""

from __future__ import annotations

import json

import pytest
from django.http import Http404
from django.test import RequestFactory

from rapport.api.api import api
from rapport.core.errors import RapportError
from rapport.web.errors import not_found, server_error


def _error(response: object) -> dict[str, object]:
    body = json.loads(response.content)  # type: ignore[attr-defined]
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    return dict(body["error"])


@pytest.mark.parametrize(
    ("code", "status"), [("invalid", 422), ("not_found", 404), ("duplicate", 409)]
)
def test_a_rapport_error_keeps_its_code_message_and_fields(code: str, status: int) -> None:
    request = RequestFactory().post("/api/v1/review")
    problem = RapportError("That will not do.", code=code, fields={"name": "taken"})
    response = api.on_exception(request, problem)
    assert response.status_code == status
    assert _error(response) == {
        "code": code,
        "message": "That will not do.",
        "fields": {"name": "taken"},
    }


def test_a_404_inside_an_endpoint_is_json() -> None:
    response = api.on_exception(RequestFactory().get("/api/v1/x"), Http404("gone"))
    assert response.status_code == 404
    assert _error(response)["code"] == "not_found"


def test_a_server_error_under_the_api_is_json_and_elsewhere_a_page() -> None:
    under_api = server_error(RequestFactory().post("/api/v1/review"))
    assert under_api.status_code == 500
    assert under_api["Content-Type"] == "application/json"
    assert _error(under_api)["code"] == "server_error"
    page = server_error(RequestFactory().get("/contacts/"))
    assert page.status_code == 500
    assert page.content.startswith(b"<!doctype html>")


@pytest.mark.django_db
def test_a_page_404_is_still_a_page() -> None:
    response = not_found(RequestFactory().get("/nowhere/"))
    assert response.status_code == 404
    assert b"<html" in response.content
