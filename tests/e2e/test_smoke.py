"""Smoke tests in a real browser against a real server with the demo data.

Run them with `pytest tests/e2e -m e2e`. Screenshots land in test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, Response, expect

from rapport.demo import PEOPLE
from tests.e2e.conftest import SCREENSHOT_DIR, AppServer

pytestmark = pytest.mark.e2e

# The header's navigation, in order: label -> path.
NAVIGATION = {
    "Today": "/",
    "Contacts": "/contacts/",
    "Pipeline": "/pipeline/",
    "Companies": "/companies/",
    "Messages": "/messages/",
    "Meetings": "/meetings/",
    "Coach": "/coach/",
    "Insights": "/insights/",
    "Settings": "/settings/",
}
DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 800}}
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
}
SEARCH = "Corvane"  # a demo company: Corvane Energy
MIN_SCREENSHOT_BYTES = 5_000


def _demo_names_matching(word: str) -> set[str]:
    """Whom the demo's contact search should find for one word (names, titles, companies)."""
    word = word.casefold()
    return {
        f"{person.first} {person.last}"
        for person in PEOPLE
        if any(
            word in text.casefold()
            for text in (person.first, person.last, person.title, person.company)
        )
    }


def _main_nav(page: Page) -> Any:
    return page.get_by_role("navigation", name="Main")


def _result_rows(page: Page) -> Any:
    return page.locator("#results table tbody tr")


def test_an_anonymous_visitor_to_contacts_is_sent_to_the_login_page(
    new_context: Callable[..., BrowserContext], app_server: AppServer
) -> None:
    page = new_context().new_page()
    page.goto(f"{app_server.base_url}/contacts/")

    expect(page).to_have_url(f"{app_server.base_url}/login/?next=/contacts/")
    expect(page.locator("h1")).to_have_text("Sign in")
    expect(_main_nav(page)).to_have_count(0)


def test_the_printed_link_signs_in_once_and_lands_on_today(
    new_context: Callable[..., BrowserContext], app_server: AppServer
) -> None:
    page = new_context().new_page()
    page.goto(app_server.link)

    expect(page).to_have_url(f"{app_server.base_url}/")
    expect(page.locator("h1")).to_have_text("Today")
    expect(_main_nav(page)).to_be_visible()

    again = new_context().new_page()
    response = again.goto(app_server.link)

    assert response is not None
    assert response.status == 400
    expect(again.locator("h1")).to_contain_text("no longer works")
    expect(_main_nav(again)).to_have_count(0)
    again.goto(f"{app_server.base_url}/contacts/")
    expect(again).to_have_url(f"{app_server.base_url}/login/?next=/contacts/")


def test_a_signed_in_user_can_open_every_top_level_page_from_the_navigation(
    signed_in_page: Page,
    app_server: AppServer,
    console_problems: Callable[[Page], list[str]],
) -> None:
    page = signed_in_page
    problems = console_problems(page)
    nav = _main_nav(page)
    expect(nav.get_by_role("link")).to_have_text(list(NAVIGATION))

    for label, path in NAVIGATION.items():
        link = nav.get_by_role("link", name=label, exact=True)
        with page.expect_response(lambda r: r.request.is_navigation_request()) as answered:
            link.click()
        response: Response = answered.value
        page.wait_for_load_state("load")

        assert response.status == 200, f"{label} answered {response.status}"
        expect(page).to_have_url(f"{app_server.base_url}{path}")
        expect(page.locator("h1")).to_have_text(label)
        expect(link).to_have_attribute("aria-current", "page")
        expect(page.get_by_text("Something went wrong")).to_have_count(0)

    assert problems == []


def test_editing_the_profile_saves_it_and_it_is_still_there_after_a_reload(
    signed_in_page: Page, app_server: AppServer
) -> None:
    page = signed_in_page
    _main_nav(page).get_by_role("link", name="Settings", exact=True).click()
    form = page.locator("form#profile-form")
    fields = {
        "display_name": form.locator("[name=display_name]"),
        "time_zone": form.locator("select[name=time_zone]"),
        "country": form.locator("select[name=country]"),
        "schools": form.locator("textarea[name=schools]"),
    }

    fields["display_name"].fill("Sam Smoke-Test")
    fields["time_zone"].select_option("America/Chicago")
    fields["country"].select_option("CA")
    fields["schools"].fill("University of Toronto\nMcGill University")
    form.get_by_role("button", name="Save profile").click()

    expect(page).to_have_url(f"{app_server.base_url}/settings/")
    expect(page.locator("ul.flash")).to_contain_text("Profile saved.")

    page.reload()

    expect(page.locator("ul.flash")).to_have_count(0)
    expect(fields["display_name"]).to_have_value("Sam Smoke-Test")
    expect(fields["time_zone"]).to_have_value("America/Chicago")
    expect(fields["country"]).to_have_value("CA")
    expect(fields["schools"]).to_have_value("University of Toronto\nMcGill University")
    expect(page.locator(".site-header .who")).to_have_text("Sam Smoke-Test")


@pytest.mark.parametrize(("size", "options"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_today_and_contacts_are_screenshotted_and_fit_the_screen(
    sign_in: Callable[..., Page], app_server: AppServer, size: str, options: dict[str, Any]
) -> None:
    page = sign_in(**options)
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)

    for name, path, heading in (("today", "/", "Today"), ("contacts", "/contacts/", "Contacts")):
        page.goto(f"{app_server.base_url}{path}")
        expect(page.locator("h1")).to_have_text(heading)
        shot = SCREENSHOT_DIR / f"{name}-{size}.png"
        page.screenshot(path=shot, full_page=True)

        assert shot.is_file()
        assert shot.stat().st_size > MIN_SCREENSHOT_BYTES, f"{shot} looks blank"
        widths = page.evaluate(
            "({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
        )
        assert widths["inner"] == options["viewport"]["width"], f"{name}: zoomed out {widths}"
        assert widths["scroll"] <= widths["inner"] + 1, f"{name} scrolls sideways: {widths}"


def test_the_contacts_search_works_without_javascript(
    sign_in: Callable[..., Page], app_server: AppServer
) -> None:
    expected = _demo_names_matching(SEARCH)
    assert expected, "the demo data should have someone to find"
    page = sign_in(java_script_enabled=False, **DESKTOP)
    page.goto(f"{app_server.base_url}/contacts/")
    rows = _result_rows(page)
    assert rows.count() > len(expected)

    page.locator("#q").fill(SEARCH)
    page.get_by_role("button", name="Filter").click()

    expect(page).to_have_url(re.compile(rf"/contacts/\?q={SEARCH}&stage=(&|$)"))
    expect(page.locator("#q")).to_have_value(SEARCH)
    expect(rows).to_have_count(len(expected))
    assert set(rows.locator("td.name > a").all_inner_texts()) == expected
    for company in rows.locator("td.company").all_inner_texts():
        assert SEARCH in company


def test_typing_in_the_contacts_search_updates_the_results_in_place(
    signed_in_page: Page,
    app_server: AppServer,
    console_problems: Callable[[Page], list[str]],
) -> None:
    expected = _demo_names_matching(SEARCH)
    page = signed_in_page
    problems = console_problems(page)
    page.goto(f"{app_server.base_url}/contacts/")
    rows = _result_rows(page)
    assert rows.count() > len(expected)
    page.evaluate("window.smokeMarker = 'same page'")

    with page.expect_response(
        lambda r: f"q={SEARCH}" in r.url and r.request.headers.get("hx-request") == "true"
    ) as answered:
        page.locator("#q").press_sequentially(SEARCH, delay=20)

    assert answered.value.status == 200
    expect(rows).to_have_count(len(expected))
    assert set(rows.locator("td.name > a").all_inner_texts()) == expected
    assert page.evaluate("window.smokeMarker") == "same page", "the page reloaded instead"
    expect(page).to_have_url(re.compile(rf"/contacts/\?q={SEARCH}&stage=(&|$)"))
    assert problems == []
