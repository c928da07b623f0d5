"""A new user's first steps in a real browser: import LinkedIn connections, see them ranked,
say which employer they are keenest on, edit someone, and move them along the pipeline.

Runs against `rapport serve` with an empty database (not the demo), as a first run would.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import SCREENSHOT_DIR, AppServer

pytestmark = pytest.mark.e2e

# LinkedIn's export format exactly (a copy of ../shared/data/linkedin_connections_sample.csv)
SAMPLE = (
    Path(__file__).resolve().parents[1] / "contacts" / "samples" / "linkedin_connections_sample.csv"
)
KEEN_COMPANY = "Shopify"
PERSON = "Zoë Ng"  # the one person at Shopify in the sample
NEW_TITLE = "Lead UX Researcher"


@pytest.fixture
def fresh_page(new_context: Callable[..., BrowserContext], fresh_server: AppServer) -> Page:
    page = new_context(viewport={"width": 1280, "height": 800}).new_page()
    response = page.goto(fresh_server.link)
    assert response is not None
    assert response.ok, f"signing in answered {response.status}"
    return page


def _rows(page: Page) -> list[str]:
    return page.locator("#results td.name > a").all_inner_texts()


def test_import_rank_edit_and_move_a_contact(
    fresh_page: Page,
    fresh_server: AppServer,
    console_problems: Callable[[Page], list[str]],
) -> None:
    page = fresh_page
    base = fresh_server.base_url
    problems = console_problems(page)

    # Import: choose the file, check the preview, confirm.
    page.goto(f"{base}/contacts/import/")
    page.get_by_label("LinkedIn").check()
    page.locator("input[type=file]").set_input_files(SAMPLE)
    page.get_by_role("button", name="Preview the import").click()
    expect(page.locator("h1")).to_have_text("Check the import")
    expect(page.locator(".import-count-new dd")).to_have_text("29")
    expect(page.locator(".import-count-skipped dd")).to_have_text("1")
    expect(page.locator("main")).to_contain_text("an exact duplicate of row 33")
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOT_DIR / "import-preview.png", full_page=True)
    page.get_by_role("button", name="Import now").click()
    expect(page.locator("ul.flash")).to_contain_text("Imported 29 contacts, skipped 1 duplicate.")
    assert len(_rows(page)) >= 20

    # Rank: say how keen you are on one employer; it and its person go to the top.
    page.goto(f"{base}/companies/")
    page.locator("td.name > a", has_text=KEEN_COMPANY).click()
    about = page.locator("#about")
    about.get_by_role("link", name=re.compile(r"^Edit")).click()
    about.locator("select[name=keenness]").select_option("3")
    about.get_by_role("button", name="Save").click()
    expect(page.locator("#company-head .lead")).to_contain_text("keen 3/3")
    page.goto(f"{base}/companies/")
    first_company = page.locator("tbody tr").first
    expect(first_company).to_contain_text(KEEN_COMPANY)
    expect(first_company.locator(".why")).to_contain_text("keen 3/3")
    page.goto(f"{base}/contacts/")
    assert _rows(page)[0] == PERSON, "the person at the keenest employer comes first"

    # Edit: a new title, in place.
    page.locator("#results td.name > a", has_text=PERSON).click()
    expect(page.locator("h1")).to_contain_text(PERSON)
    contact_id = re.search(r"/contacts/(\d+)/$", page.url)
    assert contact_id, page.url
    details = page.locator("#section-details")
    details.get_by_role("link", name="Edit details").click()
    details.locator("input[name=title]").fill(NEW_TITLE)
    details.get_by_role("button", name="Save details").click()
    expect(page.locator("#contact-head .lead")).to_contain_text(NEW_TITLE)

    # Stage: move them on from the pipeline board.
    page.goto(f"{base}/pipeline/")
    card = page.locator(f"#card-{contact_id.group(1)}")
    card.locator("select[name=stage]").select_option("researched")
    card.get_by_role("button", name=f"Move {PERSON}").click()
    expect(page.locator(f"#column-researched #card-{contact_id.group(1)}")).to_be_visible()

    # All of it stuck, and the timeline tells the story.
    page.goto(f"{base}/contacts/{contact_id.group(1)}/")
    expect(page.locator("h1 .stage")).to_have_text("Researched")
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Imported from LinkedIn")
    expect(timeline).to_contain_text("→ Researched")
    assert problems == []
