"""The bulk writing helpers: executemany inserts, INSERT ... SELECT, and the index rebuild
around a large insert on SQLite."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone

from rapport.accounts.models import User
from rapport.contacts.models import Contact, ContactEvent
from rapport.core import bulk
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db(transaction=True)


def contact_indexes() -> dict[str, Any]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Contact._meta.db_table)
    return {name: c["columns"] for name, c in constraints.items() if c["index"]}


def add_contacts(owner: User, count: int) -> None:
    rows = [(f"Person {n}", "Example") for n in range(count)]
    now = timezone.now()
    constants = {"owner_id": owner.pk, "created_at": now, "updated_at": now}
    bulk.bulk_insert(Contact, ("first_name", "last_name"), rows, constants=constants)


def test_a_large_insert_on_sqlite_runs_without_indexes_and_ends_with_all_of_them(
    alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "REBUILD_MIN_ROWS", 10)
    before = contact_indexes()
    assert len(before) >= 5
    with transaction.atomic(), bulk.indexes_rebuilt_after(Contact, adding=20):
        during = contact_indexes()
        add_contacts(alice, 20)
    assert contact_indexes() == before
    assert Contact.objects.for_owner(alice).count() == 20
    if connection.vendor == "sqlite":
        assert during == {}
    else:  # PostgreSQL keeps its indexes: dropping them would lock out every other user
        assert during == before


def test_a_failure_during_the_insert_rolls_the_indexes_back_too(
    alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "REBUILD_MIN_ROWS", 10)
    before = contact_indexes()

    def import_that_fails() -> None:
        with transaction.atomic(), bulk.indexes_rebuilt_after(Contact, adding=20):
            add_contacts(alice, 20)
            raise RuntimeError("the disk is full")

    with pytest.raises(RuntimeError):
        import_that_fails()
    assert contact_indexes() == before
    assert Contact.objects.for_owner(alice).count() == 0


def test_indexes_stay_when_the_table_already_holds_more_rows_than_are_added(
    alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "REBUILD_MIN_ROWS", 10)
    add_contacts(alice, 30)
    before = contact_indexes()
    with transaction.atomic(), bulk.indexes_rebuilt_after(Contact, adding=20):
        assert contact_indexes() == before


def test_small_inserts_keep_their_indexes(alice: User) -> None:
    before = contact_indexes()
    with transaction.atomic(), bulk.indexes_rebuilt_after(Contact, adding=100):
        assert contact_indexes() == before


def test_the_rebuild_refuses_to_run_outside_a_transaction_on_sqlite(
    alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "REBUILD_MIN_ROWS", 10)
    rebuild = bulk.indexes_rebuilt_after(Contact, adding=20)
    if connection.vendor == "sqlite":
        with pytest.raises(RuntimeError, match="inside a transaction"), rebuild:
            pass
    else:  # nothing to rebuild, so nothing to refuse
        with rebuild:
            assert contact_indexes()


def test_insert_select_adds_one_row_per_selected_row_with_the_constants(
    alice: User, bob: User
) -> None:
    mine = ContactFactory.create_batch(3, owner=alice)
    ContactFactory(owner=bob)
    chosen = Contact.objects.for_owner(alice).values("pk")
    now = timezone.now()
    with transaction.atomic():
        bulk.insert_select(
            ContactEvent,
            "contact_id",
            chosen,
            constants={
                "owner_id": alice.pk,
                "kind": "note",
                "summary": "Met at a fair",
                "at": now,
                "created_at": now,
                "updated_at": now,
            },
        )
    events = ContactEvent.objects.for_owner(alice)
    assert sorted(events.values_list("contact_id", flat=True)) == sorted(c.pk for c in mine)
    assert set(events.values_list("kind", "summary")) == {("note", "Met at a fair")}
    assert not ContactEvent.objects.for_owner(bob).exists()
