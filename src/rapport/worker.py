"""The background loop: the work that must happen without anyone opening a page.

`rapport worker` runs it in the foreground (any number of them, on SQLite or PostgreSQL);
in local mode `rapport serve` runs it in a thread beside the web app. Every pass runs each
of `worker_jobs()` once. A job that fails, say because the database is briefly away, is
logged and tried again on the next pass: the loop itself keeps going.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from types import FrameType

from django.db import DatabaseError, close_old_connections, connections

from rapport.core import clock
from rapport.outreach.delivery import DUE_BATCH, message_deliver, messages_due
from rapport.outreach.models import Message

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]
# A job gets the clock and the stop signal, so a long job can end early when asked to.
Job = Callable[[Clock, threading.Event], None]

# A scheduled email goes out within half a minute of its time: sooner buys nothing a
# reader would notice, and an idle pass is one indexed query.
DEFAULT_POLL_SECONDS = 30.0
# When the web app stops, how long its worker thread may take to finish an email it is
# in the middle of sending (beyond this it is left "sending" for the seeker to check).
THREAD_STOP_SECONDS = 15.0


def worker_jobs() -> list[Job]:
    """What each pass runs, in this order."""
    from rapport.reminders.digest import send_due_digests

    return [deliver_due_messages, send_due_digests]


def deliver_due_messages(now: Clock, stop: threading.Event) -> None:
    """Send every scheduled message whose time has come, a batch at a time."""
    while not stop.is_set():
        due = messages_due(now=now(), limit=DUE_BATCH)
        statuses = [
            message_deliver(message_id=message_id, now=now())
            for message_id in due
            if not stop.is_set()
        ]
        # A message still "scheduled" was not due after all (the clock moved): stop here
        # rather than fetch it again and again.
        if len(due) < DUE_BATCH or Message.Status.SCHEDULED in statuses:
            return


def worker_pass(*, now: Clock = clock.now, stop: threading.Event | None = None) -> bool:
    """Run every job once. False when one failed (it is logged; the others still ran)."""
    stop = stop if stop is not None else threading.Event()
    close_old_connections()
    try:
        results = [_run_job(job, now, stop) for job in worker_jobs()]
    finally:
        close_old_connections()
    return all(results)


def _run_job(job: Job, now: Clock, stop: threading.Event) -> bool:
    try:
        job(now, stop)
    except DatabaseError:
        logger.warning("%s: database error; trying again next pass.", _name(job), exc_info=True)
        return False
    except Exception:
        logger.exception("%s failed; trying again next pass.", _name(job))
        return False
    return True


def _name(job: Job) -> str:
    return str(getattr(job, "__name__", job))


def run_worker(
    *,
    stop: threading.Event,
    poll_seconds: float = DEFAULT_POLL_SECONDS,
    now: Clock = clock.now,
) -> None:
    """Run passes until `stop` is set, waiting `poll_seconds` between them."""
    logger.info("Worker started: a pass every %s s.", poll_seconds)
    try:
        while not stop.is_set():
            worker_pass(now=now, stop=stop)
            stop.wait(poll_seconds)
    finally:
        connections.close_all()  # this thread's connections; a finished thread leaks none
        logger.info("Worker stopped.")


@contextmanager
def worker_thread(*, poll_seconds: float = DEFAULT_POLL_SECONDS) -> Iterator[threading.Thread]:
    """The loop in a daemon thread for as long as the block runs (`rapport serve`, locally)."""
    stop = threading.Event()
    thread = threading.Thread(
        target=run_worker,
        kwargs={"stop": stop, "poll_seconds": poll_seconds},
        name="rapport-worker",
        daemon=True,
    )
    logger.info("Sending scheduled emails from a background thread.")
    thread.start()
    try:
        yield thread
    finally:
        stop.set()
        thread.join(THREAD_STOP_SECONDS)


@contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGINT and SIGTERM set `stop` (an email being sent is finished first), then the
    handlers that were there before come back."""

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signals = (signal.SIGINT, signal.SIGTERM)
    previous = {signum: signal.signal(signum, request_stop) for signum in signals}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
