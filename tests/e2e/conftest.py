"""A real Rapport served by `rapport demo` and a real headless Chromium to drive it.

One server and one browser serve the whole session; every test gets fresh browser
contexts (so fresh cookies) and signs in with its own one-time link.

Missing pieces (no Chromium, a server that will not start) skip these tests locally but
fail them when RAPPORT_REQUIRE_REAL=1, as CI sets it.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn

import pytest

from rapport.cli import DEMO_FOLDER

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Error, Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = REPO_ROOT / "test-artifacts" / "screenshots"

START_TIMEOUT_S = 60
STOP_TIMEOUT_S = 10
LINK_TIMEOUT_S = 60
PAGE_TIMEOUT_MS = 10_000
LINK_LINE = re.compile(r"^\s*(https?://\S+/login/link/[^/\s]+/)\s*$")


def require_or_skip(reason: str) -> NoReturn:
    """Skip for a missing real component, but fail when CI demands it (RAPPORT_REQUIRE_REAL=1)."""
    if os.environ.get("RAPPORT_REQUIRE_REAL") == "1":
        pytest.fail(f"{reason}\n(RAPPORT_REQUIRE_REAL=1: CI must run this for real)", pytrace=False)
    pytest.skip(reason)


def _child_env(**rapport_env: str) -> dict[str, str]:
    """This process's environment without any RAPPORT_* setting, plus the ones given."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("RAPPORT_")}
    env.update(rapport_env, PYTHONUNBUFFERED="1")
    return env


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _OutputPump:
    """Reads a child's output on a thread, so its pipe never fills and we can wait for lines."""

    def __init__(self, stream: Any) -> None:
        self.lines: list[str] = []
        self.closed = False
        self._changed = threading.Condition()
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream: Any) -> None:
        for line in stream:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()
        with self._changed:
            self.closed = True
            self._changed.notify_all()

    def wait_for(self, pattern: re.Pattern[str], timeout_s: float) -> re.Match[str] | None:
        deadline = time.monotonic() + timeout_s
        seen = 0
        with self._changed:
            while True:
                for line in self.lines[seen:]:
                    if match := pattern.match(line):
                        return match
                seen = len(self.lines)
                remaining = deadline - time.monotonic()
                if self.closed or remaining <= 0:
                    return None
                self._changed.wait(remaining)

    def text(self) -> str:
        with self._changed:
            return "\n".join(self.lines) or "(no output)"


def _wait_healthy(base_url: str, process: subprocess.Popen[str], timeout_s: float) -> str | None:
    """None once /health/ answers 200, else why not."""
    deadline = time.monotonic() + timeout_s
    problem = "no answer"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return f"the server exited with status {process.returncode}"
        try:
            with urllib.request.urlopen(f"{base_url}/health/", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return None
                problem = f"/health/ answered {response.status}"
        except urllib.error.HTTPError as exc:
            problem = f"/health/ answered {exc.code}"
        except OSError as exc:
            problem = f"/health/ unreachable: {exc}"
        time.sleep(0.2)
    return f"/health/ not ready after {timeout_s} s ({problem})"


def _stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_TIMEOUT_S)


class AppServer(NamedTuple):
    base_url: str  # no trailing slash: "http://127.0.0.1:8765"
    link: str  # the one-time sign-in link the server printed (good for a single use)
    data_dir: Path | None = None
    clock_file: Path | None = None  # RAPPORT_TEST_CLOCK: write seconds here to move "now"

    def advance_clock(self, days: float) -> None:
        """Move the server's "now" this many days ahead of the real time."""
        assert self.clock_file is not None, "this server was started without a test clock"
        self.clock_file.write_text(str(days * 86400), encoding="utf-8")


@pytest.fixture(scope="session")
def rapport_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh RAPPORT_DATA_DIR; `rapport demo` keeps its database in DEMO_FOLDER inside it."""
    return tmp_path_factory.mktemp("rapport-data")


@pytest.fixture(scope="session")
def app_server(rapport_data_dir: Path) -> Iterator[AppServer]:
    """`rapport demo` on a free loopback port, stopped when the session ends."""
    yield from _serve(["demo"], rapport_data_dir)


@pytest.fixture(scope="module")
def fresh_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """`rapport serve` for a brand-new user with an empty database: a first run. Its clock
    can be moved forward (`advance_clock`)."""
    data_dir = tmp_path_factory.mktemp("rapport-fresh")
    yield from _serve(["serve"], data_dir, clock_file=data_dir / "test-clock")


def _serve(
    arguments: list[str], data_dir: Path, *, clock_file: Path | None = None
) -> Iterator[AppServer]:
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "rapport", *arguments, "--port", str(port)]
    try:
        process = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=_child_env(
                RAPPORT_DATA_DIR=str(data_dir),
                **({"RAPPORT_TEST_CLOCK": str(clock_file)} if clock_file else {}),
            ),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
    except OSError as exc:
        require_or_skip(f"Could not run {' '.join(command)}: {exc}")
    output = _OutputPump(process.stdout)
    try:
        found = output.wait_for(LINK_LINE, START_TIMEOUT_S)
        if found is None:
            problem = f"no sign-in link printed within {START_TIMEOUT_S} s"
        else:
            problem = _wait_healthy(base_url, process, START_TIMEOUT_S)
        if found is None or problem:
            _stop(process)
            require_or_skip(
                f"Rapport did not start ({problem}).\n"
                f"Command: {' '.join(command)}\n--- its output ---\n{output.text()}"
            )
        yield AppServer(
            base_url=base_url, link=found.group(1), data_dir=data_dir, clock_file=clock_file
        )
    finally:
        _stop(process)


class LinkIssuer:
    """Prints fresh one-time links with `rapport login-link`, one call per link.

    Each call also starts the next link's command, so the ~1.5 s it takes to load Django
    and check migrations overlaps the test that is running instead of adding to it.
    """

    def __init__(self, base_url: str, data_dir: Path) -> None:
        self._command = [sys.executable, "-m", "rapport", "login-link", "--base-url", base_url]
        self._env = _child_env(RAPPORT_DATA_DIR=str(data_dir), RAPPORT_MODE="local")
        self._next: subprocess.Popen[str] | None = self._start()

    def _start(self) -> subprocess.Popen[str]:
        return subprocess.Popen(
            self._command,
            cwd=REPO_ROOT,
            env=self._env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def __call__(self) -> str:
        process, self._next = self._next or self._start(), None
        try:
            stdout, stderr = process.communicate(timeout=LINK_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            stdout, stderr = process.communicate()
        lines = [line.strip() for line in stdout.splitlines() if line.strip()]
        if process.returncode != 0 or not lines or not LINK_LINE.match(lines[-1]):
            pytest.fail(
                f"`{' '.join(self._command)}` gave no link (exit {process.returncode}).\n"
                f"--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}"
            )
        self._next = self._start()
        return lines[-1]

    def close(self) -> None:
        if self._next is not None:
            try:
                self._next.communicate(timeout=LINK_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self._next.kill()
                self._next.communicate()
            self._next = None


@pytest.fixture(scope="session")
def issue_link(app_server: AppServer, rapport_data_dir: Path) -> Iterator[Callable[[], str]]:
    """A function returning a fresh one-time sign-in link for the demo's local user."""
    issuer = LinkIssuer(app_server.base_url, rapport_data_dir / DEMO_FOLDER)
    yield issuer
    issuer.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless; never a downloaded one."""
    if not CHROMIUM.exists():
        require_or_skip(f"No Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        require_or_skip(f"The playwright package is missing: {exc}")
    with sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
        except PlaywrightError as exc:
            require_or_skip(f"Chromium at {CHROMIUM} would not start: {exc}")
        yield launched
        launched.close()


@pytest.fixture
def new_context(browser: Browser) -> Iterator[Callable[..., BrowserContext]]:
    """Makes browser contexts (fresh cookies each); all are closed after the test."""
    made: list[BrowserContext] = []

    def make(**options: Any) -> BrowserContext:
        context = browser.new_context(**options)
        context.set_default_timeout(PAGE_TIMEOUT_MS)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


@pytest.fixture
def sign_in(
    new_context: Callable[..., BrowserContext], issue_link: Callable[[], str], app_server: AppServer
) -> Callable[..., Page]:
    """Returns a function giving a page signed in through a fresh one-time link.

    Keyword arguments go to `browser.new_context` (viewport, java_script_enabled, ...).
    """

    def signed_in(**options: Any) -> Page:
        page = new_context(**options).new_page()
        response = page.goto(issue_link())
        assert response is not None
        assert response.ok, f"signing in answered {response.status}"
        assert page.url == f"{app_server.base_url}/", f"signing in landed on {page.url}"
        return page

    return signed_in


@pytest.fixture
def signed_in_page(sign_in: Callable[..., Page]) -> Page:
    """A desktop-sized page already signed in and showing Today."""
    return sign_in(viewport={"width": 1280, "height": 800})


@pytest.fixture
def console_problems() -> Callable[[Page], list[str]]:
    """Returns a function that starts recording a page's console errors and uncaught errors."""

    def watch(page: Page) -> list[str]:
        problems: list[str] = []

        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error" and "favicon" not in (
                message.text + message.location["url"]
            ):
                problems.append(f"console error: {message.text} ({message.location['url']})")

        def on_page_error(error: Error) -> None:
            problems.append(f"uncaught error: {error}")

        page.on("console", on_console)
        page.on("pageerror", on_page_error)
        return problems

    return watch
