"""The Today list for a busy seeker: 5,000 contacts and 20,000 messages (plus their meetings),
server time of the Today page and of the list alone, beside /health/ measured the same way
in the same process; and the number of queries, which must not grow with the history.

A child process gets a fresh SQLite database in a temporary folder, fills it for one user
with bulk inserts, then times requests through Django's test Client (the whole middleware
stack, no network).
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from common import Row, median, ms, percentile, run_child

CONTACTS = 5_000
MESSAGES = 20_000
COMPANIES = 600
REQUESTS = 60
WARM_UP = 5
TARGET_P_S = 0.050
# Where a busy search stands: most people written to, some met, some gone quiet.
STAGES = ["identified"] * 6 + ["researched"] * 4 + ["requested"] * 9 + ["scheduled"] * 2
STAGES += ["met"] * 2 + ["thanked"] * 2 + ["keeping_in_touch"] * 3 + ["declined", "no_reply"]
MET = {"met", "thanked", "keeping_in_touch"}


def _seed() -> tuple[Any, int, int]:
    from django.utils import timezone

    from rapport.accounts.models import Profile, User
    from rapport.contacts.models import Company, Contact
    from rapport.lib.names import company_key
    from rapport.meetings.models import Meeting
    from rapport.outreach.models import Message

    rng = random.Random(5)
    now = timezone.now()
    user = User.objects.create_user(username="bench", email="bench@example.org")
    Profile.objects.update_or_create(
        user=user, defaults={"time_zone": "Europe/London", "country": "GB"}
    )
    companies = Company.objects.bulk_create(
        Company(owner=user, name=f"Company {i}", name_key=company_key(f"Company {i}"))
        for i in range(COMPANIES)
    )
    contacts = Contact.objects.bulk_create(
        Contact(
            owner=user,
            first_name=f"Person{i}",
            last_name="Bench",
            company=rng.choice(companies),
            stage=rng.choice(STAGES),
            country=rng.choice(["GB", "US", "DE", ""]),
            time_zone=rng.choice(["Europe/London", "America/New_York", "Europe/Berlin", ""]),
        )
        for i in range(CONTACTS)
    )
    messages: list[Message] = []
    meetings: list[Meeting] = []
    written = [c for c in contacts if c.stage not in ("identified", "researched")]
    for contact in written:
        sent = now - timedelta(days=rng.randint(1, 200), hours=rng.randint(0, 23))
        replied = contact.stage not in ("requested", "no_reply") or rng.random() < 0.2
        messages.append(
            _sent(user, contact, "request", sent, sent + timedelta(days=2) if replied else None)
        )
        if not replied and rng.random() < 0.5:
            messages.append(_sent(user, contact, "follow_up", sent + timedelta(days=11), None))
        if contact.stage in MET or contact.stage == "scheduled":
            start = sent + timedelta(days=rng.randint(5, 20))
            meetings.append(
                Meeting(
                    owner=user,
                    contact=contact,
                    start=start,
                    duration_min=30,
                    status="done" if contact.stage in MET else "confirmed",
                )
            )
    # The rest of the 20,000: thank-yous, updates and drafts over the contacts who met.
    met = [c for c in written if c.stage in MET] or written
    while len(messages) < MESSAGES:
        contact = rng.choice(met)
        kind = rng.choice(["thanks", "update", "update", "scheduling"])
        sent = now - timedelta(days=rng.randint(1, 300))
        messages.append(_sent(user, contact, kind, sent, None))
    Message.objects.bulk_create(messages, batch_size=2000)
    Meeting.objects.bulk_create(meetings, batch_size=2000)
    return user, len(messages), len(meetings)


def _sent(user: Any, contact: Any, kind: str, at: Any, replied: Any) -> Any:
    from rapport.outreach.models import Message

    return Message(
        owner=user, contact=contact, kind=kind, channel="email", subject="Hello", body="Hello",
        status="sent", sent_at=at, reply_received_at=replied,
    )  # fmt: skip


def _time(call: Any) -> list[float]:
    for _ in range(WARM_UP):
        call()
    samples = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return samples


def child() -> None:
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "rapport.settings"
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from rapport.reminders.selectors import forget_remembered, today_actions

    call_command("migrate", verbosity=0)
    user, messages, meetings = _seed()
    client = Client()
    client.force_login(user)

    def page() -> None:
        assert client.get("/").status_code == 200

    def selector() -> None:
        today_actions(owner=user, now=timezone.now(), per_group=10)

    def cold_page() -> None:
        forget_remembered()  # as after any change to the history
        page()

    results: dict[str, Any] = {"messages": messages, "meetings": meetings}
    results["health"] = _time(lambda: client.get("/health/"))
    results["page"] = _time(page)
    results["selector"] = _time(selector)
    results["cold"] = _time(cold_page)
    with CaptureQueriesContext(connection) as queries:
        page()
    results["page_queries"] = len(queries)
    actions = today_actions(owner=user, now=timezone.now())
    results["actions"] = [len(actions.overdue), len(actions.due_today), len(actions.soon)]
    print(json.dumps(results))


def _measure() -> dict[str, Any]:
    return run_child(Path(__file__).resolve(), "Today")


def today_rows() -> list[Row]:
    result = _measure()
    health = result["health"]
    overdue, due_today, soon = result["actions"]
    rows = []
    for name, samples, what, target in (
        ("the Today page", result["page"], f"{result['page_queries']} queries", True),
        ("the Today list alone, as the page shows it", result["selector"], "", False),
        (
            "the Today page right after a change (the list worked out afresh)",
            result["cold"],
            "",
            False,
        ),
    ):
        p99 = percentile(samples, 99)
        rows.append(
            Row(
                f"{name}, {CONTACTS:,} contacts, {result['messages']:,} messages, "
                f"{result['meetings']:,} meetings: p50 {ms(median(samples))}"
                + (f", {what}" if what else ""),
                f"p99 {ms(p99)}",
                f"{ms(percentile(health, 99))} (/health/, p99)",
                f"{p99 / percentile(health, 99):.1f}x",
                f"p99 <= {TARGET_P_S * 1000:.0f} ms" if target else "",
                ("yes" if p99 <= TARGET_P_S else "NO") if target else "",
            )
        )
    rows.append(
        Row(
            f"actions shown: {overdue:,} overdue, {due_today:,} today, {soon:,} this week",
            "",
            "",
            "",
            "",
            "",
        )
    )
    return rows


if __name__ == "__main__":
    if sys.argv[1:] == ["--child"]:
        child()
    else:
        for row in today_rows():
            print(row)
