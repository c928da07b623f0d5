"""Contact pages with 30,000 contacts: server time of the list, a search, a filtered and
sorted page, the pipeline and the companies, beside /health/ (one `SELECT 1`) measured the
same way in the same process.

A child process gets a fresh SQLite database in a temporary folder, fills it for one user
with bulk inserts (30,000 contacts across 2,000 companies, some tagged, all ranked), then
times requests through Django's test Client (the whole middleware stack, no network).
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

from common import Row, median, ms, percentile, run_child

CONTACTS = 30_000
COMPANIES = 2_000
REQUESTS = 50
WARM_UP = 5
TARGET_LIST_P95_S = 0.050
TARGET_PAGE_P95_S = 0.100  # JOURNEYS.md: every page under 100 ms server time

FIRST = ["Ruth", "Jonah", "Aiko", "Samuel", "Priya", "Marta", "Luis", "Chloe", "Kwame", "Ines"]
FIRST += ["Tomasz", "Hannah", "Olu", "Sofia", "Kenji", "Ana", "Tom", "Grace", "Ben", "Fatima"]
FIRST += ["Daniel", "Maya", "Aisha", "Sam", "Leila", "Mateo", "Yuki", "Omar", "Nia", "Pavel"]
# Surnames from syllables: about 3,000 of them, so a surname matches a handful of people.
STARTS = ["Ad", "Bel", "Car", "Dun", "El", "Fer", "Gor", "Hal", "Ish", "Jen", "Kow", "Lind"]
STARTS += ["Mar", "Nak", "Os", "Pet", "Quin", "Ros", "Sten", "Tan", "Ul", "Var", "Wes", "Yam"]
MIDDLES = ["a", "e", "i", "o", "u", "an", "er", "ol", "ur", "ing"]
ENDS = ["by", "ton", "son", "ez", "ski", "ova", "ani", "berg", "well", "moto", "ford", "ley"]
TITLES = ["Data Analyst", "ESG Consultant", "Product Manager", "Sustainability Manager"]
TITLES += ["Software Engineer", "Head of Partnerships", "Teacher", "Energy Data Analyst"]
WORDS = ["Energy", "Analytics", "Health", "Design", "Transit", "Foods", "Labs", "Power"]
STAGES = ["identified"] * 14 + ["researched", "requested", "scheduled", "met", "thanked"]
STAGES += ["keeping_in_touch", "declined", "no_reply", "archived"]
TAGS = ["target", "alumni", "follow up", "conference", "warm"]
SURNAME = "Halurford"  # one surname of the ~3,000: about ten people
PAGES = {
    "contact list, first page (by priority)": "/contacts/",
    f"contact search, a surname ({SURNAME})": f"/contacts/?q={SURNAME}",
    "contact search, a broad word (energy: 1 contact in 8)": "/contacts/?q=energy",
    "contacts filtered by stage, tag and source, by name, page 2": (
        "/contacts/?stage=identified&tag=target&source=linkedin&sort=name&page=2"
    ),
    "contacts by last activity, page 20": "/contacts/?sort=activity&page=20",
    "pipeline board (best 30 per stage, 15 per ended stage)": "/pipeline/",
    "companies, first page (by rank)": "/companies/",
}
LIST_PAGES = set(list(PAGES)[:5])


# --- the child: a fresh database, filled and timed ------------------------------------------


def _seed() -> Any:
    from django.utils import timezone

    from rapport.accounts.models import Profile, User
    from rapport.contacts.models import Company, Contact, Tag
    from rapport.contacts.ranking import ranks_refresh
    from rapport.lib.names import company_key

    rng = random.Random(42)
    user = User.objects.create_user(username="bench", email="bench@example.org")
    Profile.objects.update_or_create(
        user=user,
        defaults={
            "schools": ["University of Leeds"],
            "past_employers": ["Company 7 Energy"],
            "target_roles": ["ESG Consultant", "Energy Data Analyst"],
        },
    )
    companies = Company.objects.bulk_create(
        Company(
            owner=user,
            name=(name := f"Company {i} {rng.choice(WORDS)}"),
            name_key=company_key(name),
            keenness=rng.choice([0, 0, 0, 1, 1, 2, 3]),
            hiring_signal=rng.randint(0, 3),
        )
        for i in range(COMPANIES)
    )
    now = timezone.now()
    contacts = Contact.objects.bulk_create(
        (_contact(rng, user, i, companies, now) for i in range(CONTACTS)), batch_size=2000
    )
    tags = Tag.objects.bulk_create(Tag(owner=user, name=name) for name in TAGS)
    Contact.tags.through.objects.bulk_create(
        (Contact.tags.through(contact_id=c.pk, tag_id=rng.choice(tags).pk) for c in contacts[::4]),
        batch_size=2000,
    )
    start = time.perf_counter()
    ranks_refresh(owner=user)
    return user, time.perf_counter() - start


def _contact(rng: random.Random, user: Any, i: int, companies: list[Any], now: Any) -> Any:
    from datetime import timedelta

    from rapport.contacts.models import Contact

    return Contact(
        owner=user,
        first_name=rng.choice(FIRST),
        last_name=rng.choice(STARTS) + rng.choice(MIDDLES) + rng.choice(ENDS),
        title=rng.choice(TITLES),
        company=rng.choice(companies) if i % 10 else None,
        stage=rng.choice(STAGES),
        source=rng.choice(["linkedin"] * 8 + ["vcard", "manual"]),
        notes="Met at the Leeds careers fair." if i % 25 == 0 else "",
        common_ground="Also at Leeds." if i % 40 == 0 else "",
        last_activity_at=now - timedelta(minutes=rng.randint(0, 500_000)) if i % 5 else None,
    )


def _time(client: Any, path: str) -> tuple[list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARM_UP):
        assert client.get(path).status_code == 200, path
    samples = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        response = client.get(path)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, path
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return samples, len(queries)


def child() -> None:
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "rapport.settings"
    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    user, rank_s = _seed()
    seed_s = time.perf_counter() - start
    client = Client()
    client.force_login(user)
    results: dict[str, Any] = {"seed_s": seed_s, "rank_s": rank_s, "pages": {}}
    results["health"] = _time(client, "/health/")[0]
    for name, path in PAGES.items():
        samples, queries = _time(client, path)
        results["pages"][name] = {"samples": samples, "queries": queries}
    print(json.dumps(results))


# --- the parent: runs the child, turns its numbers into rows --------------------------------


def _measure() -> dict[str, Any]:
    return run_child(Path(__file__).resolve(), "contacts")


def contact_list_rows() -> list[Row]:
    result = _measure()
    health = result["health"]
    base = f"{ms(percentile(health, 95))} (/health/, p95)"
    rows = []
    for name, page in result["pages"].items():
        p50, p95 = median(page["samples"]), percentile(page["samples"], 95)
        target = TARGET_LIST_P95_S if name in LIST_PAGES else TARGET_PAGE_P95_S
        rows.append(
            Row(
                f"{name}: p50 {ms(p50)}, {page['queries']} queries",
                f"p95 {ms(p95)}",
                base,
                f"{p95 / percentile(health, 95):.1f}x",
                f"p95 <= {target * 1000:.0f} ms",
                "yes" if p95 <= target else "NO",
            )
        )
    rows.append(
        Row(
            f"rank {CONTACTS:,} contacts and {COMPANIES:,} companies (ranks_refresh)",
            f"{result['rank_s']:.2f} s",
            f"{result['seed_s']:.2f} s (bulk inserts and ranking)",
            "",
            "",
            "",
        )
    )
    return rows


def main() -> list[Row]:
    return contact_list_rows()


if __name__ == "__main__":
    if sys.argv[1:] == ["--child"]:
        child()
    else:
        for row in main():
            print(row)
