"""A token made on the Settings page works against the real API, until it is revoked."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import AppServer

pytestmark = pytest.mark.e2e

REVIEW = {"kind": "request", "text": "Hi Ruth, are you hiring?", "channel": "email"}


def test_a_token_from_settings_reviews_over_the_api_until_revoked(
    signed_in_page: Page, app_server: AppServer
) -> None:
    page = signed_in_page
    page.goto(f"{app_server.base_url}/settings/")
    section = page.locator("#api-tokens")
    section.get_by_label("Token name").fill("e2e robot")
    section.get_by_role("button", name="Create token").click()

    expect(section.locator(".new-token")).to_contain_text("Token “e2e robot” created.")
    expect(section.get_by_role("button", name="Copy")).to_be_visible()
    raw = section.locator("#new-token-value").input_value()
    assert raw.startswith("rpt_")

    api = page.context.request  # shares the browser's cookies; the token must be enough
    url = f"{app_server.base_url}/api/v1/review"
    headers = {"Authorization": f"Bearer {raw}"}
    answer = api.post(url, data=REVIEW, headers=headers)
    assert answer.status == 200, answer.text()
    assert "request.no-job-ask" in {finding["rule"] for finding in answer.json()["findings"]}

    page.goto(f"{app_server.base_url}/settings/")
    expect(section.locator("#new-token-value")).to_have_count(0)
    section.get_by_role("button", name="Revoke e2e robot").click()
    expect(page.locator("ul.flash")).to_contain_text("Token “e2e robot” revoked.")

    refused = api.post(url, data=REVIEW, headers=headers)
    assert refused.status == 401
    assert refused.json()["error"]["code"] == "unauthenticated"
