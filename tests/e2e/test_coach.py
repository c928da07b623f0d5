"""The Coach page in a real browser: advice follows the typing, and it fits a phone.

Run with `pytest tests/e2e -m e2e`. Screenshots land in test-artifacts/screenshots/.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import SCREENSHOT_DIR, AppServer

pytestmark = pytest.mark.e2e

GREETING = (
    "Hi Ruth,\n\nI'm a final-year economics student at Leeds and I loved your talk on "
    "grid storage. "
)
JOB_ASK = "Are you hiring?"
CLOSING = (
    " Would you have 15-20 minutes in the next few weeks to tell me how you moved into "
    "energy analytics? I'm happy to fit around your schedule.\n\nThank you,\nMaya"
)
DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 900}}
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
}
MIN_SCREENSHOT_BYTES = 5_000


def _job_ask(page: Page) -> Any:
    return page.locator('#coach-results [data-rule="request.no-job-ask"]')


def _open_coach(page: Page, app_server: AppServer) -> None:
    page.goto(f"{app_server.base_url}/coach/")
    expect(page.locator("h1")).to_have_text("Coach")


def test_a_job_ask_is_flagged_as_you_type_and_cleared_when_you_delete_it(
    signed_in_page: Page,
    app_server: AppServer,
    console_problems: Callable[[Page], list[str]],
) -> None:
    page = signed_in_page
    problems = console_problems(page)
    _open_coach(page, app_server)
    page.evaluate("window.coachMarker = 'same page'")
    text = page.locator("#coach-text")

    text.fill(GREETING)
    text.press_sequentially(JOB_ASK, delay=15)
    text.press("End")
    page.keyboard.insert_text(CLOSING)

    expect(_job_ask(page)).to_have_count(1)
    expect(page.locator("#coach-results mark.sev-error")).to_have_text(JOB_ASK)
    expect(page.locator("#coach-results .verdict")).to_have_text("Fix 1 thing first")
    expect(page.locator("#coach-status")).to_contain_text("Fix 1 thing first")

    _job_ask(page).locator("summary").click()
    expect(_job_ask(page).locator("details p")).to_be_visible()

    # Delete the sentence: select it in the textarea and press Backspace, as a person would.
    start = len(GREETING) - 1  # the space before the question
    page.evaluate(
        "([start, end]) => document.querySelector('#coach-text').setSelectionRange(start, end)",
        [start, start + 1 + len(JOB_ASK)],
    )
    text.press("Backspace")

    expect(text).to_have_value(GREETING[:-1] + CLOSING)
    expect(_job_ask(page)).to_have_count(0)
    expect(page.locator("#coach-results mark.sev-error")).to_have_count(0)
    assert page.evaluate("window.coachMarker") == "same page", "the page reloaded instead"
    assert problems == []


def test_changing_the_channel_to_linkedin_shows_the_character_counter(
    signed_in_page: Page, app_server: AppServer
) -> None:
    page = signed_in_page
    _open_coach(page, app_server)
    page.locator("#coach-text").fill(GREETING + CLOSING)
    expect(page.locator("#coach-results .score-card")).to_be_visible()
    expect(page.locator("#coach-results .char-count")).to_have_count(0)

    page.locator("#coach-channel").select_option("linkedin")

    expect(page.locator("#coach-results .char-count")).to_contain_text(
        f"{len(GREETING + CLOSING)} of 300 characters"
    )


def test_the_coach_works_without_javascript(
    sign_in: Callable[..., Page], app_server: AppServer
) -> None:
    page = sign_in(java_script_enabled=False, **DESKTOP)
    _open_coach(page, app_server)
    page.locator("#coach-text").fill(GREETING + JOB_ASK + CLOSING)
    page.get_by_role("button", name="Review").click()

    expect(page).to_have_url(f"{app_server.base_url}/coach/")
    expect(_job_ask(page)).to_have_count(1)
    expect(page.locator("#coach-text")).to_have_value(GREETING + JOB_ASK + CLOSING)


@pytest.mark.parametrize(("size", "options"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_the_coach_with_findings_is_screenshotted_and_fits_the_screen(
    sign_in: Callable[..., Page], app_server: AppServer, size: str, options: dict[str, Any]
) -> None:
    page = sign_in(**options)
    _open_coach(page, app_server)
    page.locator("#coach-text").fill("Dear [Name],\n\n" + GREETING + JOB_ASK + CLOSING)
    expect(_job_ask(page)).to_have_count(1)
    page.locator('#coach-results [data-rule="request.unfilled-placeholder"] summary').click()

    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOT_DIR / f"coach-{size}.png"
    page.screenshot(path=shot, full_page=True)

    assert shot.stat().st_size > MIN_SCREENSHOT_BYTES, f"{shot} looks blank"
    widths = page.evaluate(
        "({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert widths["inner"] == options["viewport"]["width"], f"zoomed out {widths}"
    assert widths["scroll"] <= widths["inner"] + 1, f"the Coach scrolls sideways: {widths}"
