"""Importing contacts: a preview of what an import would change, then the change, in one
transaction. Who each row is, and what it changes, is worked out by `import_plan`; this
module writes it: companies, contacts (ranked before they are written), timelines.

Everything is written in bulk, so there is no query per row; bench/import_bench.py times
30,000 rows against a bare csv + executemany floor.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any, NamedTuple

from django.db import transaction
from django.utils import timezone

from rapport.accounts.models import User
from rapport.contacts import ranking
from rapport.contacts.import_plan import (
    IMPORTED_FIELDS,
    Action,
    ImportPlan,
    ImportReport,
    RowKeys,
    plan_import,
    url_key,
)
from rapport.contacts.importers import ContactRow, Parsed, Problem
from rapport.contacts.models import Company, Contact, ContactEvent
from rapport.core.bulk import bulk_insert, bulk_update, indexes_rebuilt_after, insert_select
from rapport.core.errors import RapportError
from rapport.lib.memory import collector_paused
from rapport.playbook.priority import Ranked

SOURCE_LABELS = {
    Contact.Source.LINKEDIN: "LinkedIn",
    Contact.Source.VCARD: "vCard",
    Contact.Source.CSV: "CSV",
}
Progress = Callable[[str, int, int], None]  # (what is being done, done so far, total)


@collector_paused()
def import_preview(*, owner: User, rows: list[ContactRow]) -> ImportReport:
    """What `import_apply` would do with these rows now. Writes nothing."""
    return plan_import(owner, rows).report


@collector_paused()
@transaction.atomic
def import_apply(
    *, owner: User, rows: list[ContactRow], source: str, progress: Progress | None = None
) -> ImportReport:
    """Create and update the owner's contacts from the rows, all or nothing."""
    label = SOURCE_LABELS.get(source)  # type: ignore[call-overload]
    if label is None:
        raise RapportError(f"{source!r} is not an import source.", fields={"source": "unknown"})
    plan = plan_import(owner, rows)
    if not plan.report.changes_anything:
        return plan.report
    step = progress or _no_progress
    now = timezone.now()
    company_ids = _companies_ensure(owner, plan, now)
    step("Updating contacts", 0, 4)
    _contacts_update(plan, company_ids, now)
    step("Ranking", 1, 4)
    creates = _creates_ranked(owner, plan, company_ids, source)
    step("Adding contacts", 2, 4)
    with indexes_rebuilt_after(Contact, adding=len(creates)):
        _contacts_insert(owner, creates, source, now)
    _events_add(owner, plan, label, now)
    step("Done", 4, 4)
    return plan.report


def import_problems(report: ImportReport, parsed: Parsed) -> list[Problem]:
    """Every problem to show the seeker, in file order: the parser's, and the rows this
    import skips as duplicates."""
    problems = [
        replace(p, reason=f"skipped: {p.reason}") if p.skipped else p for p in parsed.problems
    ]
    problems += [
        Problem(o.row, "", f"skipped: {o.detail}", skipped=True)
        for o in report.outcomes
        if o.action is Action.SKIPPED
    ]
    return sorted(problems, key=lambda problem: problem.row)


def import_sentence(report: ImportReport, parsed: Parsed) -> str:
    """ "Imported 287 contacts, updated 12, skipped 1 duplicate." """
    parts = [f"Imported {report.new:,} contact{_s(report.new)}"]
    if report.updated:
        parts.append(f"updated {report.updated:,}")
    if report.unchanged:
        parts.append(f"{report.unchanged:,} already up to date")
    duplicates = report.duplicates
    others = report.skipped - duplicates + parsed.dropped
    skipped = []
    if duplicates:
        skipped.append(f"{duplicates:,} duplicate{_s(duplicates)}")
    if others:
        skipped.append(f"{others:,} {parsed.unit}{_s(others)} with problems")
    if skipped:
        parts.append("skipped " + " and ".join(skipped))
    return ", ".join(parts) + "."


def _s(count: int) -> str:
    return "" if count == 1 else "s"


def _no_progress(what: str, done: int, total: int) -> None:
    """The default: nobody is watching."""


# --- writing -------------------------------------------------------------------------------

CREATE_COLUMNS = (
    "company_id", "linkedin_key", "priority_score", "priority_reasons", *IMPORTED_FIELDS,
)  # fmt: skip


def _companies_ensure(owner: User, plan: ImportPlan, now: datetime) -> dict[str, int]:
    """The company id for each company key the import needs, making the missing ones."""
    names: dict[str, str] = {}  # key -> the first spelling seen
    wanted = [row.company for row, _ in plan.creates]
    wanted += [changes["company"] for _, changes in plan.updates if "company" in changes]
    for name in wanted:
        key = plan.company_key(name)
        if key:
            names.setdefault(key, name)
    owned = Company.objects.for_owner(owner)
    ids = {key: pk for pk, key in plan.known_companies.items()}
    missing = [(name, key) for key, name in names.items() if key not in ids]
    if missing:
        constants = {"owner_id": owner.pk, "created_at": now, "updated_at": now}
        bulk_insert(Company, ("name", "name_key"), missing, constants=constants)
        ids.update(owned.filter(created_at=now).values_list("name_key", "pk"))
    return ids


class _Create(NamedTuple):
    row: ContactRow
    keys: RowKeys
    company_id: int | None
    rank: Ranked


def _creates_ranked(
    owner: User, plan: ImportPlan, company_ids: dict[str, int], source: str
) -> list[_Create]:
    """The new contacts with their ranks, worked out before they are written; the ranks of
    the companies they join, and of the people already there, are refreshed on the way."""
    companies = [company_ids.get(keys.name[1]) for _, keys in plan.creates]
    touched = {pk for pk in companies if pk is not None}
    for contact, changes in plan.updates:
        if "company" in changes:  # they leave one employer and join another
            touched.add(company_ids[plan.company_key(changes["company"])])
            if contact.company_id is not None:
                touched.add(contact.company_id)
    incoming = [
        ranking.Incoming(company_id, row.title, source)
        for (row, _), company_id in zip(plan.creates, companies, strict=True)
    ]
    # The updated contacts count too: a new title can move someone who stayed put.
    ranks = ranking.ranks_with_incoming(
        owner=owner,
        company_ids=touched,
        contact_ids=[contact.pk for contact, _ in plan.updates],
        incoming=incoming,
    )
    creates = [
        _Create(row, keys, company_id, rank)
        for (row, keys), company_id, rank in zip(plan.creates, companies, ranks, strict=True)
    ]
    return sorted(creates, key=_index_order)


def _index_order(create: _Create) -> float:
    """Most contact indexes go from columns every new row shares (owner, stage, source) to
    the priority: rows inserted in that order are added at a few places in them, not
    scattered through them, when an import is too small for the indexes to be rebuilt."""
    return -create.rank.score


def _contacts_insert(owner: User, creates: list[_Create], source: str, now: datetime) -> None:
    values = (
        (
            create.company_id,
            create.keys.url,
            create.rank.score,
            create.rank.reasons,
            *(getattr(create.row, name) for name in IMPORTED_FIELDS),
        )
        for create in creates
    )
    constants = {
        "owner_id": owner.pk,
        "source": source,
        "created_at": now,
        "updated_at": now,
        "last_activity_at": now,
    }
    bulk_insert(Contact, CREATE_COLUMNS, values, constants=constants)


def _contacts_update(plan: ImportPlan, company_ids: dict[str, int], now: datetime) -> None:
    """One UPDATE statement per set of changed columns, run for every contact it fits."""
    by_columns: dict[tuple[str, ...], list[tuple[int, list[Any]]]] = {}
    for contact, changes in plan.updates:
        values = dict(changes)
        if "company" in values:
            values["company_id"] = company_ids[plan.company_key(values.pop("company"))]
        if "linkedin_url" in values:
            values["linkedin_key"] = url_key(values["linkedin_url"])
        values.update(updated_at=now, last_activity_at=now)
        columns = tuple(sorted(values))
        by_columns.setdefault(columns, []).append((contact.pk, [values[c] for c in columns]))
    for columns, rows in by_columns.items():
        bulk_update(Contact, columns, rows)


def _events_add(owner: User, plan: ImportPlan, label: str, now: datetime) -> None:
    """The IMPORTED or UPDATED entry on each contact's timeline. The new contacts' entries
    are made by one INSERT ... SELECT in the database rather than row by row."""
    constants = {"owner_id": owner.pk, "at": now, "created_at": now, "updated_at": now}
    if plan.creates:
        new_ids = Contact.objects.for_owner(owner).filter(created_at=now).values("pk")
        insert_select(
            ContactEvent,
            "contact_id",
            new_ids,
            constants={
                **constants,
                "kind": ContactEvent.Kind.IMPORTED.value,
                "summary": f"Imported from {label}",
            },
        )
    events: list[tuple[int, str, str]] = []
    for contact, changes in plan.updates:
        what = ", ".join(name.replace("_", " ") for name in changes)
        summary = f"Updated from {label} import: {what}"[:300]
        events.append((contact.pk, ContactEvent.Kind.UPDATED.value, summary))
    bulk_insert(ContactEvent, ("contact_id", "kind", "summary"), events, constants=constants)
