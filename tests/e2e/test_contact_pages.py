"""The contact, company and pipeline pages in a real browser, on the demo data.

Run with `pytest tests/e2e -m e2e`. Screenshots land in test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import SCREENSHOT_DIR, AppServer

pytestmark = pytest.mark.e2e

DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 800}}
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
}
MIN_SCREENSHOT_BYTES = 5_000
PERSON = "Aiko Tanaka"  # a demo contact at the Researched stage
NEW_TITLE = "Senior Energy Storage Analyst"


def _open_contact(page: Page, app_server: AppServer, name: str) -> str:
    """Opens the contact from the list; returns their id."""
    page.goto(f"{app_server.base_url}/contacts/")
    page.locator("#results td.name > a", has_text=name).click()
    expect(page.locator("h1")).to_contain_text(name)
    found = re.search(r"/contacts/(\d+)/$", page.url)
    assert found, page.url
    return found.group(1)


@pytest.mark.parametrize(("size", "options"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_the_contact_pages_are_screenshotted_and_fit_the_screen(
    sign_in: Callable[..., Page],
    app_server: AppServer,
    console_problems: Callable[[Page], list[str]],
    size: str,
    options: dict[str, Any],
) -> None:
    page = sign_in(**options)
    problems = console_problems(page)
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    contact_id = _open_contact(page, app_server, "Jonah Whitfield")
    pages = {
        "contact": (f"/contacts/{contact_id}/", "Jonah Whitfield"),
        "companies": ("/companies/", "Companies"),
        "company": ("/companies/?q=Corvane", "Companies"),
        "pipeline": ("/pipeline/", "Pipeline"),
        "today": ("/", "Today"),
        "messages": ("/messages/", "Messages"),
    }
    for name, (path, heading) in pages.items():
        page.goto(f"{app_server.base_url}{path}")
        if name == "company":
            page.locator("td.name > a", has_text="Corvane Energy").click()
            heading = "Corvane Energy"
        expect(page.locator("h1")).to_contain_text(heading)
        if name == "messages":  # a draft opens in the composer
            page.locator("td a").first.click()
            page.wait_for_load_state()
        shot = SCREENSHOT_DIR / f"{name}-{size}.png"
        page.screenshot(path=shot, full_page=True)

        assert shot.stat().st_size > MIN_SCREENSHOT_BYTES, f"{shot} looks blank"
        widths = page.evaluate(
            "({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
        )
        assert widths["inner"] == options["viewport"]["width"], f"{name}: zoomed out {widths}"
        assert widths["scroll"] <= widths["inner"] + 1, f"{name} scrolls sideways: {widths}"
    assert problems == []


def test_a_title_edited_in_place_and_a_stage_moved_on_the_board_stick(
    signed_in_page: Page,
    app_server: AppServer,
    console_problems: Callable[[Page], list[str]],
) -> None:
    page = signed_in_page
    problems = console_problems(page)
    contact_id = _open_contact(page, app_server, PERSON)
    page.evaluate("window.stillHere = true")
    details = page.locator("#section-details")

    details.get_by_role("link", name="Edit details").click()
    details.locator("input[name=title]").fill(NEW_TITLE)
    details.get_by_role("button", name="Save details").click()

    expect(details.locator("form")).to_have_count(0)
    expect(details).to_contain_text(NEW_TITLE)
    expect(page.locator("#contact-head .lead")).to_contain_text(NEW_TITLE)
    assert page.evaluate("window.stillHere") is True, "the edit reloaded the page"

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Pipeline").click()
    expect(page.locator("h1")).to_have_text("Pipeline")
    card = page.locator(f"#card-{contact_id}")
    expect(page.locator("#column-researched")).to_contain_text(PERSON)
    page.evaluate("window.stillHere = true")

    card.locator("select[name=stage]").select_option("scheduled")
    card.get_by_role("button", name=f"Move {PERSON}").click()

    moved = page.locator(f"#column-scheduled #card-{contact_id}")
    expect(moved).to_be_visible()
    expect(moved).to_contain_text(NEW_TITLE)
    expect(moved).to_have_class(re.compile(r"\bjust-moved\b"))
    expect(page.locator(f"#column-researched #card-{contact_id}")).to_have_count(0)
    assert page.evaluate("window.stillHere") is True, "moving the card reloaded the page"

    page.reload()
    expect(page.locator(f"#column-scheduled #card-{contact_id}")).to_be_visible()
    page.goto(f"{app_server.base_url}/contacts/{contact_id}/")
    expect(page.locator("#timeline")).to_contain_text("Researched → Scheduled")
    assert problems == []


def test_without_javascript_a_card_still_moves_and_a_section_still_saves(
    sign_in: Callable[..., Page], app_server: AppServer
) -> None:
    page = sign_in(java_script_enabled=False, **DESKTOP)
    contact_id = _open_contact(page, app_server, "Grace Holloway")

    page.locator("#section-notes").get_by_role("link", name="Edit notes and tags").click()
    page.locator("#section-notes textarea[name=notes]").fill("Met at the careers fair.")
    page.locator("#section-notes input[name=tags]").fill("careers fair")
    page.get_by_role("button", name="Save notes and tags").click()
    expect(page.locator("#section-notes")).to_contain_text("Met at the careers fair.")
    expect(page.locator("#section-notes .tag")).to_have_text(["careers fair"])

    page.goto(f"{app_server.base_url}/pipeline/")
    card = page.locator(f"#card-{contact_id}")
    card.locator("select[name=stage]").select_option("requested")
    card.get_by_role("button", name="Move Grace Holloway").click()
    expect(page).to_have_url(re.compile(rf"/pipeline/\?moved={contact_id}#card-{contact_id}$"))
    expect(page.locator(f"#column-requested #card-{contact_id}")).to_be_visible()
