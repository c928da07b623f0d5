"""The worker loop and `rapport worker`: each message sent once, whatever runs or crashes.

The multi-process tests run real `rapport` children against a database they share with
the test: a SQLite file in a temporary folder, or the PostgreSQL test database when the
suite runs there (see `child_database` in conftest.py), so they run on both.
"""

from __future__ import annotations

import logging
import os
import re
import signal
import threading
import urllib.request
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from click.testing import CliRunner
from django.db import connection
from django.utils import timezone

from rapport import cli
from rapport.accounts.models import User
from rapport.outreach.delivery import DUE_BATCH, STUCK_AFTER, message_is_stuck
from rapport.outreach.models import Message
from rapport.worker import DEFAULT_POLL_SECONDS, run_worker, worker_pass
from tests.factories import ContactFactory, MessageFactory
from tests.outreach.conftest import ChildDatabase, SmtpServer, free_port, wait_until

SENT_LINE = re.compile(r"Message \d+ sent\.")


def scheduled(owner: User, minutes_ago: int = 1) -> Message:
    return MessageFactory(
        owner=owner,
        contact=ContactFactory(owner=owner, email="marta@example.org"),
        subject="Twenty minutes?",
        status=Message.Status.SCHEDULED,
        send_at=timezone.now() - timedelta(minutes=minutes_ago),
    )


class MessageTable:
    """Renames the message table away and back: a database briefly unusable, for real."""

    def __init__(self) -> None:
        self.name = Message._meta.db_table
        self.is_away = False

    def take_away(self) -> None:
        self._rename(self.name, f"{self.name}_away")
        self.is_away = True

    def put_back(self) -> None:
        if self.is_away:
            self._rename(f"{self.name}_away", self.name)
            self.is_away = False

    def _rename(self, old: str, new: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {old} RENAME TO {new}")


@pytest.fixture
def message_table() -> Iterator[MessageTable]:
    table = MessageTable()
    yield table
    table.put_back()  # in case the test failed before it did


class LogWatcher(logging.Handler):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
        self.seen = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if self.text in record.getMessage():
            self.seen.set()


@pytest.fixture
def database_error_log() -> Iterator[LogWatcher]:
    watcher = LogWatcher("database error")
    logger = logging.getLogger("rapport.worker")
    logger.addHandler(watcher)
    yield watcher
    logger.removeHandler(watcher)


# --- several workers, and a worker killed mid-send ------------------------------------------


@pytest.mark.smtp
def test_two_workers_at_once_send_every_message_exactly_once(
    child_database: ChildDatabase, smtp_server: SmtpServer
) -> None:
    ids = child_database.seed_due_messages(30)
    smtp_server.wait_for_company(2)

    workers = [child_database.start("worker", "--once") for _ in range(2)]

    assert [worker.finish() for worker in workers] == [0, 0], [w.stderr() for w in workers]
    stored = child_database.messages()
    assert {message.status for message in stored.values()} == {Message.Status.SENT}
    received = Counter(smtp_server.message_ids())
    assert received == Counter(stored[pk].message_id for pk in ids)  # each one, once
    assert smtp_server.most_in_flight >= 2, "the two workers never sent at the same time"
    sent_by = [len(SENT_LINE.findall(worker.stderr())) for worker in workers]
    assert sum(sent_by) == 30, [worker.stderr() for worker in workers]
    assert min(sent_by) > 0


@pytest.mark.smtp
def test_a_worker_killed_mid_send_leaves_the_message_for_the_seeker_to_check(
    child_database: ChildDatabase, smtp_server: SmtpServer
) -> None:
    first, second = child_database.seed_due_messages(2)
    smtp_server.hold()
    worker = child_database.start("worker", "--once")
    assert smtp_server.data_started.wait(60), worker.stderr()

    os.kill(worker.process.pid, signal.SIGKILL)
    worker.finish()
    smtp_server.release()

    stored = child_database.messages()
    assert stored[first].status == Message.Status.SENDING
    assert stored[second].status == Message.Status.SCHEDULED
    since = stored[first].sending_since
    assert since is not None
    left = Message(status=Message.Status.SENDING, sending_since=since)
    assert not message_is_stuck(left, since + STUCK_AFTER - timedelta(seconds=1))
    assert message_is_stuck(left, since + STUCK_AFTER + timedelta(seconds=1))

    again = child_database.start("worker", "--once")
    assert again.finish() == 0, again.stderr()

    after = child_database.messages()
    assert after[first].status == Message.Status.SENDING
    assert after[second].status == Message.Status.SENT
    received = Counter(smtp_server.message_ids())
    assert received == {after[first].message_id: 1, after[second].message_id: 1}


@pytest.mark.smtp
def test_sigterm_stops_the_worker_cleanly(child_database: ChildDatabase) -> None:
    child_database.seed_due_messages(1)
    worker = child_database.start("worker", "--poll", "0.2")
    assert worker.wait_for_line("Worker started"), worker.stderr()

    worker.process.send_signal(signal.SIGTERM)

    assert worker.finish(timeout_s=15) == 0, worker.stderr()
    assert worker.wait_for_line("Worker stopped", timeout_s=1)


# --- the worker inside `rapport serve` ------------------------------------------------------


@pytest.mark.smtp
def test_serve_in_local_mode_sends_due_messages_from_a_thread(
    child_database: ChildDatabase, smtp_server: SmtpServer
) -> None:
    (pk,) = child_database.seed_due_messages(1)
    server = child_database.start("serve", "--port", str(free_port()))

    assert wait_until(lambda: len(smtp_server.received) == 1), server.stderr()
    assert wait_until(lambda: child_database.messages()[pk].status == "sent", 60)
    server.process.send_signal(signal.SIGINT)
    assert server.finish(timeout_s=30) == 0, server.stderr()
    assert "from a background thread" in server.stderr()


@pytest.mark.smtp
def test_serve_in_server_mode_leaves_sending_to_worker_processes(
    child_database: ChildDatabase, smtp_server: SmtpServer
) -> None:
    (pk,) = child_database.seed_due_messages(1)
    port = free_port()
    server = child_database.start(
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        RAPPORT_MODE="server",
        RAPPORT_SECRET_KEY="w" * 60,
        RAPPORT_ALLOWED_HOSTS="127.0.0.1",
        RAPPORT_SECURE_SSL_REDIRECT="no",
    )

    def healthy() -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=2) as answer:
                return bool(answer.status == 200)
        except OSError:
            return server.process.poll() is not None

    assert wait_until(healthy, 60)
    assert server.process.poll() is None, server.stderr()
    # Local mode logs this before it starts listening, so by now it would be there.
    assert "from a background thread" not in server.stderr()
    assert child_database.messages()[pk].status == Message.Status.SCHEDULED
    assert smtp_server.received == []


# --- the loop, in this process --------------------------------------------------------------


@pytest.mark.smtp
@pytest.mark.django_db(transaction=True)
def test_the_loop_survives_a_database_error_and_sends_on_the_next_pass(
    alice: User,
    smtp_server: SmtpServer,
    message_table: MessageTable,
    database_error_log: LogWatcher,
) -> None:
    message = scheduled(alice)
    message_table.take_away()
    stop = threading.Event()
    loop = threading.Thread(target=run_worker, kwargs={"stop": stop, "poll_seconds": 0.5})
    loop.start()
    try:
        assert database_error_log.seen.wait(30)
        assert loop.is_alive()
        message_table.put_back()
        assert wait_until(lambda: len(smtp_server.received) == 1)
        assert wait_until(lambda: Message.objects.get(pk=message.pk).status == "sent")
    finally:
        stop.set()
        loop.join(30)
    assert not loop.is_alive()
    assert len(smtp_server.received) == 1


@pytest.mark.django_db(transaction=True)
def test_a_pass_sends_everything_due_even_beyond_one_batch(
    alice: User, mailoutbox: list[Any]
) -> None:
    for minutes in range(DUE_BATCH + 3):
        scheduled(alice, minutes_ago=minutes + 1)

    assert worker_pass() is True

    assert len(mailoutbox) == DUE_BATCH + 3
    assert set(Message.objects.values_list("status", flat=True)) == {Message.Status.SENT}


@pytest.mark.smtp
@pytest.mark.django_db(transaction=True)
def test_rapport_worker_once_delivers_and_exits_0(alice: User, smtp_server: SmtpServer) -> None:
    message = scheduled(alice)

    result = CliRunner().invoke(cli.main, ["worker", "--once"])

    assert result.exit_code == 0, result.output
    assert Message.objects.get(pk=message.pk).status == Message.Status.SENT
    assert len(smtp_server.received) == 1


@pytest.mark.smtp
@pytest.mark.django_db(transaction=True)
def test_rapport_worker_once_exits_1_when_the_database_fails(
    alice: User, smtp_server: SmtpServer, message_table: MessageTable
) -> None:
    scheduled(alice)
    message_table.take_away()

    result = CliRunner().invoke(cli.main, ["worker", "--once"])

    assert result.exit_code == 1
    assert "did not finish" in result.output
    assert smtp_server.received == []


def test_the_commands_default_poll_is_the_loops() -> None:
    assert cli.DEFAULT_POLL_SECONDS == DEFAULT_POLL_SECONDS
