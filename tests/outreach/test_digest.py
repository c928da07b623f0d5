"""The daily digest of Today's actions, through a real SMTP server on loopback: at the
seeker's hour in their zone, once a day however many workers try, and only when
something is due."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import DatabaseError, connection

from rapport.accounts.models import Profile, User
from rapport.outreach.models import Message
from rapport.playbook.stages import Stage
from rapport.reminders import digest, selectors
from tests.factories import ContactFactory, MessageFactory
from tests.outreach.conftest import SmtpServer

# 07:00 in London on a Wednesday; New York is at 02:00.
NOW = datetime(2026, 11, 18, 7, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fresh_lists() -> None:
    selectors.forget_remembered()


def wants_digest(user: User, *, hour: int = 7, zone: str = "Europe/London") -> None:
    Profile.objects.filter(user=user).update(digest_enabled=True, digest_hour=hour, time_zone=zone)


def with_follow_up_due(user: User, name: str = "Marta") -> None:
    person = ContactFactory(owner=user, first_name=name, last_name="Silva", stage=Stage.REQUESTED)
    MessageFactory(
        owner=user, contact=person, kind=Message.Kind.REQUEST, status=Message.Status.SENT,
        sent_at=NOW - timedelta(days=14),
    )  # fmt: skip


def run_job(now: datetime = NOW) -> None:
    digest.send_due_digests(lambda: now, threading.Event())


@pytest.mark.django_db
def test_the_digest_lists_whats_due_in_text_and_html(alice: User, smtp_server: SmtpServer) -> None:
    wants_digest(alice)
    with_follow_up_due(alice)
    run_job()
    assert len(smtp_server.received) == 1
    sent = smtp_server.received[0].message
    assert sent["To"] == "alice@example.org"
    # The follow-up, and a second person to try at the same employer.
    assert sent["Subject"] == "Rapport: 2 things to do today"
    text = sent.get_body(preferencelist=("plain",)).get_content()
    html = sent.get_body(preferencelist=("html",)).get_content()
    for body in (text, html):
        assert "Follow up with Marta Silva" in body
        assert "Try someone else at" in body
        assert "/settings/" in body  # how to turn it off


@pytest.mark.django_db
def test_no_digest_before_the_chosen_hour_in_the_seekers_own_zone(
    alice: User, bob: User, smtp_server: SmtpServer
) -> None:
    wants_digest(alice, hour=8)  # 07:00 in London: not yet
    wants_digest(bob, hour=7, zone="America/New_York")  # 02:00 there
    with_follow_up_due(alice)
    with_follow_up_due(bob)
    run_job()
    assert smtp_server.received == []
    run_job(NOW + timedelta(hours=1))
    assert [r.message["To"] for r in smtp_server.received] == ["alice@example.org"]


@pytest.mark.django_db
def test_once_a_day_and_again_the_next_day(alice: User, smtp_server: SmtpServer) -> None:
    wants_digest(alice)
    with_follow_up_due(alice)
    run_job()
    run_job(NOW + timedelta(hours=3))
    assert len(smtp_server.received) == 1
    run_job(NOW + timedelta(days=1))
    assert len(smtp_server.received) == 2


@pytest.mark.django_db
def test_nothing_due_means_no_email(alice: User, smtp_server: SmtpServer) -> None:
    wants_digest(alice)
    run_job()
    assert smtp_server.received == []


@pytest.mark.django_db
def test_a_refused_digest_is_tried_again_on_the_next_pass(
    alice: User, smtp_server: SmtpServer
) -> None:
    wants_digest(alice)
    with_follow_up_due(alice)
    smtp_server.refuse("alice@example.org", "451 Try again later")
    run_job()
    assert smtp_server.received == []
    assert Profile.objects.get(user=alice).last_digest_on is None
    smtp_server.refused.clear()
    run_job()
    assert len(smtp_server.received) == 1


@pytest.mark.django_db(transaction=True)
def test_several_workers_at_once_send_each_digest_once(smtp_server: SmtpServer) -> None:
    from tests.factories import UserFactory

    users = [UserFactory() for _ in range(6)]
    for user in users:
        wants_digest(user)
        with_follow_up_due(user)
    start = threading.Barrier(4, timeout=30)

    def worker() -> None:
        # As the worker loop does: a pass that meets a locked database is run again.
        try:
            start.wait()
            for _ in range(10):
                try:
                    run_job()
                except DatabaseError:
                    continue
                return
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    recipients = sorted(r.message["To"] for r in smtp_server.received)
    assert recipients == sorted(user.email for user in users)


@pytest.mark.django_db
def test_a_failure_after_the_claim_hands_the_day_back(
    alice: User, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    wants_digest(alice)
    with_follow_up_due(alice)

    def broken(*args: object) -> None:
        raise RuntimeError("a template went missing")

    monkeypatch.setattr(digest, "digest_email", broken)
    with pytest.raises(RuntimeError):
        run_job()
    assert Profile.objects.get(user=alice).last_digest_on is None
    monkeypatch.undo()
    run_job()
    assert len(smtp_server.received) == 1
