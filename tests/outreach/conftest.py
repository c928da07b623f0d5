"""A real SMTP server on loopback, and the real `rapport` command run as a child process.

`smtp_server` is an aiosmtpd server in a thread. It keeps every email it receives, can
refuse a recipient, hold an email mid-DATA (to kill a worker while it sends), and hold the
first email until a second one is in flight (to prove two workers sent at the same time).

`child_database` is a database that both the test and `rapport` child processes use: a
SQLite file in a temporary data folder, or, when the suite runs on PostgreSQL, the test
database itself (the test is then transactional, so the children see what it wrote and
the tables are emptied afterwards). Children seed and read it through CHILD_COMMANDS, so
the test never needs an ORM connection to a SQLite file it did not open.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.db import connection

from tests.conftest import require_or_skip

REPO = Path(__file__).resolve().parents[2]
HOLD_LIMIT_S = 30  # a held email is let go after this, so a broken test cannot hang
COMPANY_LIMIT_S = 15  # how long the first email waits for a second one to arrive
CHILD_TIMEOUT_S = 120


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes
    message: EmailMessage


class SmtpServer:
    """The aiosmtpd handler, plus what a test needs to steer and inspect it."""

    def __init__(self) -> None:
        self.port = 0
        self.received: list[Received] = []
        self.refused: dict[str, str] = {}
        self.data_started = threading.Event()
        self._release = threading.Event()
        self._release.set()
        self._company = 0
        self._in_flight = 0
        self.most_in_flight = 0

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}?timeout=10"

    def refuse(self, address: str, reply: str) -> None:
        self.refused[address.lower()] = reply

    def hold(self) -> None:
        """Keep the next emails in DATA (unanswered) until `release`."""
        self._release.clear()

    def release(self) -> None:
        self._release.set()

    def wait_for_company(self, count: int) -> None:
        """The first email is not answered until `count` are in DATA at once."""
        self._company = count

    def message_ids(self) -> list[str]:
        return [str(item.message["Message-ID"]) for item in self.received]

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook names)
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address.lower() in self.refused:
            return self.refused[address.lower()]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self._record(envelope)
        self._in_flight += 1
        try:
            await self._wait_for_company()
            await asyncio.to_thread(self._release.wait, HOLD_LIMIT_S)
        finally:
            self._in_flight -= 1
        return "250 OK"

    def _record(self, envelope: Any) -> None:
        raw = bytes(envelope.content)
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), raw, parsed))
        self.data_started.set()

    async def _wait_for_company(self) -> None:
        deadline = time.monotonic() + COMPANY_LIMIT_S
        while self._in_flight < self._company and time.monotonic() < deadline:
            await asyncio.sleep(0.005)
        self.most_in_flight = max(self.most_in_flight, self._in_flight)
        self._company = 0  # only the first email waits


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[SmtpServer]:
    """A real SMTP server on loopback; Django's email settings point at it."""
    server = SmtpServer()
    server.port = free_port()
    controller = Controller(server, hostname="127.0.0.1", port=server.port)
    try:
        controller.start()
    except Exception as exc:
        require_or_skip(f"aiosmtpd could not start an SMTP server on 127.0.0.1: {exc}")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10
    try:
        yield server
    finally:
        server.release()
        controller.stop()


def wait_until(condition: Callable[[], bool], timeout_s: float = 30) -> bool:
    """Poll `condition` briefly until it holds; False if it never did within the time."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


# --- the real command in a child process ----------------------------------------------------


class Child:
    """A running `rapport` process whose standard error is read as it comes."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line.rstrip("\n"))

    def wait_for_line(self, text: str, timeout_s: float = 30) -> bool:
        def seen() -> bool:
            return any(text in line for line in self.lines)

        wait_until(lambda: seen() or self.process.poll() is not None, timeout_s)
        if not seen() and self.process.poll() is not None:
            self._reader.join(5)  # it exited: read what it wrote last
        return seen()

    def finish(self, timeout_s: float = CHILD_TIMEOUT_S) -> int:
        returncode = self.process.wait(timeout_s)
        self._reader.join(5)
        return returncode

    def stderr(self) -> str:
        return "\n".join(self.lines) or "(nothing on stderr)"


@dataclass(frozen=True)
class StoredMessage:
    id: int
    status: str
    message_id: str
    sending_since: datetime | None
    send_error: str


@dataclass
class ChildDatabase:
    env: dict[str, str]
    children: list[Child] = field(default_factory=list)

    def start(self, *args: str, **env: str) -> Child:
        process = subprocess.Popen(
            [sys.executable, "-m", "rapport", *args],
            cwd=REPO,
            env={**self.env, **env},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        child = Child(process)
        self.children.append(child)
        return child

    def seed_due_messages(self, count: int) -> list[int]:
        """`count` scheduled emails, a minute apart and all due, oldest first."""
        return [int(pk) for pk in self._call("seed", str(count))]

    def messages(self) -> dict[int, StoredMessage]:
        rows = self._call("messages")
        return {
            row["id"]: StoredMessage(
                id=row["id"],
                status=row["status"],
                message_id=row["message_id"] or "",
                sending_since=(
                    datetime.fromisoformat(row["sending_since"]) if row["sending_since"] else None
                ),
                send_error=row["send_error"],
            )
            for row in rows
        }

    def _call(self, command: str, *args: str) -> Any:
        script = (
            "import json, sys\n"
            "from rapport.cli import setup_django\n"
            "setup_django()\n"
            "from tests.outreach.conftest import CHILD_COMMANDS\n"
            "print(json.dumps(CHILD_COMMANDS[sys.argv[1]](*sys.argv[2:])))\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", script, command, *args],
            cwd=REPO,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=CHILD_TIMEOUT_S,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout.splitlines()[-1])


def _child_env(**rapport_env: str) -> dict[str, str]:
    """This process's environment without its RAPPORT_* settings, plus the ones given."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("RAPPORT_")}
    return {**env, "PYTHONUNBUFFERED": "1", "RAPPORT_LOG_LEVEL": "info", **rapport_env}


def _database_url(settings_dict: dict[str, Any]) -> str:
    user = urllib.parse.quote(settings_dict["USER"] or "", safe="")
    password = urllib.parse.quote(settings_dict["PASSWORD"] or "", safe="")
    credentials = f"{user}:{password}@" if password else f"{user}@"
    host, port, name = settings_dict["HOST"], settings_dict["PORT"], settings_dict["NAME"]
    return f"postgres://{credentials}{host}:{port}/{name}"


@pytest.fixture
def child_database(
    transactional_db: None, tmp_path: Path, smtp_server: SmtpServer
) -> Iterator[ChildDatabase]:
    # Transactional even on SQLite, where the children use a file of their own: requesting
    # it only on PostgreSQL (getfixturevalue) leaves the test outside the test database.
    env = _child_env(RAPPORT_DATA_DIR=str(tmp_path), RAPPORT_EMAIL_URL=smtp_server.url)
    if connection.vendor == "postgresql":
        assert connection.settings_dict["NAME"].startswith("test_")
        env["RAPPORT_DATABASE_URL"] = _database_url(connection.settings_dict)
    database = ChildDatabase(env=env)
    yield database
    for child in database.children:
        if child.process.poll() is None:
            child.process.kill()
            child.finish()


# --- what the children run (Django is set up by then) ---------------------------------------


def _seed(count: str) -> list[int]:
    from django.core.management import call_command
    from django.utils import timezone

    from rapport.outreach.models import Message
    from tests.factories import ContactFactory, MessageFactory, UserFactory

    call_command("migrate", verbosity=0)
    owner = UserFactory(username=f"seeker-{uuid.uuid4().hex[:8]}")
    now = timezone.now()
    total = int(count)
    return [
        MessageFactory(
            owner=owner,
            contact=ContactFactory(owner=owner, email=f"person{index}@example.org"),
            subject=f"A question about your work ({index})",
            status=Message.Status.SCHEDULED,
            send_at=now - timedelta(minutes=total - index),
        ).pk
        for index in range(total)
    ]


def _messages() -> list[dict[str, Any]]:
    from rapport.outreach.models import Message

    rows = Message.objects.order_by("pk").values(
        "id", "status", "message_id", "sending_since", "send_error"
    )
    return [
        {**row, "sending_since": row["sending_since"] and row["sending_since"].isoformat()}
        for row in rows
    ]


CHILD_COMMANDS: dict[str, Callable[..., Any]] = {"seed": _seed, "messages": _messages}


# --- a contact to write to, and two drafts to write them -------------------------------------

CLEAN_REQUEST = (
    "Hi Marta,\n\nI'm a final-year geography student at Leeds, and I saw your talk on battery "
    "storage for Lumen Grid. I'd love to hear how you moved into your role as Head of "
    "Research.\n\nWould you have 20 minutes for a call in the coming weeks, whenever suits "
    "you? Thank you for considering it.\n\nAna"
)
JOB_ASK_REQUEST = CLEAN_REQUEST.replace("Thank you", "Are you hiring at the moment? Thank you")


@pytest.fixture
def marta(alice: Any) -> Any:
    """Someone alice has researched and may write to, with an email address."""
    from rapport.playbook.stages import Stage
    from tests.factories import ContactFactory

    return ContactFactory(
        owner=alice, first_name="Marta", last_name="Silva", title="Head of Research",
        company__name="Lumen Grid", email="marta@example.org", stage=Stage.RESEARCHED,
        common_ground="We both studied geography at Leeds.",
    )  # fmt: skip
