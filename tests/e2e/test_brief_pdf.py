"""The printable brief in a real browser: a 30-minute meeting with a full plan prints on
one page, on A4 and on Letter, and the page says who the meeting is with.

Runs against `rapport demo`, whose past meetings last 30 minutes and have a starter
plan; the test fills the plan further from the question bank through the plan page.
"""

from __future__ import annotations

import re
import zlib

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import SCREENSHOT_DIR, AppServer

pytestmark = pytest.mark.e2e

FULL_PLAN = 30  # the most a plan holds (plans.MAX_QUESTIONS): 9 fit, 21 spares
MEETING_LINK = re.compile(r"^/meetings/(\d+)/$")
PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def _thirty_minute_meeting(page: Page, base: str) -> str:
    """The plan URL of a demo meeting that lasts 30 minutes, in person if there is one."""
    page.goto(f"{base}/meetings/")
    hrefs = page.locator("main a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    found = []
    for href in dict.fromkeys(h for h in hrefs if h and MEETING_LINK.match(h)):
        page.goto(f"{base}{href}plan/")
        lead = page.locator("p.lead").inner_text()
        if lead.startswith("A 30-minute"):
            found.append((" café " not in f" {lead} ", f"{base}{href}plan/"))
    assert found, "the demo has no 30-minute meeting"
    return sorted(found)[0][1]


def _fill_plan(page: Page, plan_url: str) -> None:
    page.goto(plan_url)
    questions = page.locator(".plan-question")
    while questions.count() < FULL_PLAN:
        before = questions.count()
        page.locator("#bank .bank-item button").first.click()
        expect(questions).to_have_count(before + 1)


def _pdf_pages(pdf: bytes) -> int:
    return len(PAGE_OBJECT.findall(pdf))


def _pdf_title(pdf: bytes) -> str:
    """The document title Chromium copies from <title>, plain or UTF-16 hex."""
    literal = re.search(rb"/Title\s*\(((?:\\.|[^\\)])*)\)", pdf)
    if literal:
        return literal.group(1).decode("latin-1")
    hexed = re.search(rb"/Title\s*<([0-9A-Fa-f\s]+)>", pdf)
    assert hexed, "the PDF has no title"
    raw = bytes.fromhex(hexed.group(1).decode().replace(" ", ""))
    return raw.decode("utf-16") if raw.startswith(b"\xfe\xff") else raw.decode("latin-1")


def _pdf_streams(pdf: bytes) -> list[bytes]:
    streams = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            streams.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return streams


def _pdf_text(pdf: bytes) -> str:
    """The drawn text, well enough to find a name: Chromium draws glyph ids (<0027...> Tj)
    and maps them back to Unicode in each font's ToUnicode CMap. The fonts of one family
    share glyph ids, so one merged map reads them all."""
    streams = _pdf_streams(pdf)
    glyphs: dict[int, str] = {}
    for stream in streams:
        for glyph, char in re.findall(rb"<([0-9A-F]{4})>\s*<([0-9A-F]{4})>\s*$", stream, re.M):
            glyphs[int(glyph, 16)] = chr(int(char, 16))
        for low, high, first in re.findall(
            rb"<([0-9A-F]{4})> <([0-9A-F]{4})> <([0-9A-F]{4})>", stream
        ):
            for offset in range(int(high, 16) - int(low, 16) + 1):
                glyphs[int(low, 16) + offset] = chr(int(first, 16) + offset)
    drawn = []
    for stream in streams:
        for hexed in re.findall(rb"<([0-9A-F]+)>\s*Tj", stream):
            codes = [int(hexed[i : i + 4], 16) for i in range(0, len(hexed), 4)]
            drawn.append("".join(glyphs.get(code, "?") for code in codes))
    return "".join(drawn)


def test_the_brief_prints_on_one_page_and_names_the_contact(
    signed_in_page: Page, app_server: AppServer
) -> None:
    page = signed_in_page
    base = app_server.base_url
    plan_url = _thirty_minute_meeting(page, base)
    _fill_plan(page, plan_url)

    page.goto(plan_url.removesuffix("plan/") + "brief/")
    name = page.locator("article.brief h1").inner_text()
    assert name.strip()
    expect(page.locator(".brief-questions li")).to_have_count(FULL_PLAN)
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOT_DIR / "brief.png", full_page=True)
    page.emulate_media(media="print")
    page.screenshot(path=SCREENSHOT_DIR / "brief-print.png", full_page=True)

    for paper in ("A4", "Letter"):
        pdf = page.pdf(format=paper, print_background=False)
        assert pdf.startswith(b"%PDF")
        assert _pdf_pages(pdf) == 1, f"the brief takes {_pdf_pages(pdf)} {paper} pages"
        assert name in _pdf_title(pdf)
        assert name.replace(" ", "") in _pdf_text(pdf).replace(" ", "")
