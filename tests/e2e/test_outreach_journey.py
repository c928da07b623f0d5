"""Writing a request in a real browser: start from a template, watch the coach flag a job
ask, fix it, log the request as sent, then move the app's clock on and find the follow-up
on Today.

Runs against `rapport serve` with an empty database and a test clock (RAPPORT_TEST_CLOCK).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import SCREENSHOT_DIR, AppServer

pytestmark = pytest.mark.e2e

JOB_ASK = " Are you hiring at the moment? I would love a referral."
CLEAN_REQUEST = (
    "Hi Marta,\n\nI'm a final-year geography student at Leeds, and I saw your talk on "
    "battery storage for Lumen Grid. I'd love to hear how you moved from research into "
    "your role as Head of Research.\n\nWould you have 20 minutes for a call in the coming "
    "weeks, whenever suits you? Thank you for considering it.\n\nAna"
)
# Two calendar weeks hold at least 7 business days in any country, holidays and all.
DAYS_LATER = 15


@pytest.fixture
def page(new_context: Callable[..., BrowserContext], fresh_server: AppServer) -> Page:
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    response = page.goto(fresh_server.link)
    assert response is not None
    assert response.ok, f"signing in answered {response.status}"
    return page


def _add_contact(page: Page, base: str) -> str:
    page.goto(f"{base}/contacts/new/")
    form = page.locator("main form")
    form.locator("input[name=first_name]").fill("Marta")
    form.locator("input[name=last_name]").fill("Silva")
    form.locator("input[name=title]").fill("Head of Research")
    form.locator("input[name=company]").fill("Lumen Grid")
    form.locator("input[name=email]").fill("marta@example.org")
    form.get_by_role("button", name="Add contact").click()
    expect(page.locator("h1")).to_contain_text("Marta Silva")
    found = re.search(r"/contacts/(\d+)/$", page.url)
    assert found, page.url
    return found.group(1)


def test_a_request_from_a_template_is_coached_logged_and_followed_up(
    page: Page, fresh_server: AppServer, console_problems: Callable[[Page], list[str]]
) -> None:
    base = fresh_server.base_url
    problems = console_problems(page)
    _add_contact(page, base)

    # Start a request from a built-in template.
    page.locator("#messages").get_by_role("button", name="Write").click()
    expect(page.locator("h1")).to_have_text("Write to Marta Silva")
    page.get_by_label(re.compile("Short request")).check()
    page.get_by_role("button", name="Start writing").click()
    expect(page.locator("h1")).to_have_text("Request to Marta Silva")
    body = page.locator("#compose-body")
    expect(body).to_contain_text("Hi Marta,")
    expect(body).to_contain_text("Lumen Grid")
    expect(body).to_contain_text("[what you have in common]")  # visibly unfilled

    # The coach flags a job ask as it is typed...
    body.press("End")
    body.press_sequentially(JOB_ASK, delay=5)
    job_ask = page.locator('#coach-results li.finding[data-rule="request.no-job-ask"]')
    expect(job_ask).to_have_count(1)
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOT_DIR / "composer-job-ask.png", full_page=True)

    # ...and clears it once the text is fixed; the draft saves itself meanwhile.
    body.fill(CLEAN_REQUEST)
    body.press("End")
    body.press_sequentially(" ", delay=5)
    expect(job_ask).to_have_count(0)
    expect(page.locator("#coach-results mark.sev-error")).to_have_count(0)
    expect(page.locator("#save-status")).to_contain_text("Draft saved")
    page.reload()
    expect(page.locator("#compose-body")).to_have_value(re.compile("battery storage"))

    # Sent from the seeker's own mail app, then logged here.
    page.get_by_role("button", name="Mark as sent").click()
    expect(page.locator(".lead .status")).to_have_text("Sent")
    expect(page.locator("ul.flash")).to_contain_text("Marked as sent to Marta Silva")

    # Nothing to follow up yet...
    page.goto(f"{base}/")
    expect(page.locator(".todo")).not_to_contain_text("Follow up with Marta Silva")

    # ...two weeks later, the follow-up is due.
    fresh_server.advance_clock(days=DAYS_LATER)
    page.goto(f"{base}/")
    follow_up = page.locator(".action-follow_up", has_text="Follow up with Marta Silva")
    expect(follow_up).to_be_visible()
    expect(follow_up).to_contain_text("No reply")
    page.screenshot(path=SCREENSHOT_DIR / "today-follow-up.png", full_page=True)

    # One click starts the follow-up, already answering the request.
    follow_up.get_by_role("button", name="Write the follow-up").click()
    expect(page.locator("h1")).to_have_text("Follow-up to Marta Silva")
    expect(page.locator(".lead")).to_contain_text("following up your request")
    assert problems == []
