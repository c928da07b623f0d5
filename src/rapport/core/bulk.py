"""Many-row INSERT and UPDATE with one `executemany` per statement shape.

Why not `bulk_create`/`bulk_update`: for an import of 30,000 contacts they spend seconds
preparing every field of every object (bulk_create, 27 rows per statement on SQLite) or
building a CASE expression per row (bulk_update), where the database itself needs a
fraction of a second. Here a column's value is prepared once when it is the same for every
row, and only the columns that vary are prepared per row. Columns are read from the model,
so a field added later gets its default without anyone changing this.

Like bulk_create, this skips `save()` and signals; callers run inside a transaction.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import islice
from typing import Any

from django.db import connections, models, router

BATCH_ROWS = 2000  # rows handed to the driver at a time: bounds memory, not statements
Prepare = Callable[[Any], Any]


def bulk_insert(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    constants: Mapping[str, Any] | None = None,
) -> None:
    """INSERT one row per item of `rows`, which hold the values of `columns` (attribute
    names such as "company_id") in that order. Every other column gets the value in
    `constants`, else its field's default."""
    connection = connections[router.db_for_write(model)]
    constants = constants or {}
    varying = [_field(model, name) for name in columns]
    fixed = [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key and field.attname not in columns
    ]
    fixed_values = tuple(
        field.get_db_prep_save(constants.get(field.attname, field.get_default()), connection)
        for field in fixed
    )
    quote = connection.ops.quote_name
    names = ", ".join(quote(field.column) for field in [*varying, *fixed])
    marks = ", ".join(["%s"] * (len(varying) + len(fixed)))
    table = quote(model._meta.db_table)
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 (names from the model)
    prepares = [_preparer(field, connection) for field in varying]
    with connection.cursor() as cursor:
        for batch in batched(rows, BATCH_ROWS):
            cursor.executemany(sql, _rows_prepared(batch, prepares, fixed_values))


def bulk_update(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[tuple[Any, Sequence[Any]]],
) -> None:
    """UPDATE the same `columns` of many rows, given as (primary key, values)."""
    connection = connections[router.db_for_write(model)]
    fields = [_field(model, name) for name in columns]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    pk = model._meta.pk
    assert pk is not None
    table, key = quote(model._meta.db_table), quote(pk.column)
    sql = f"UPDATE {table} SET {assignments} WHERE {key} = %s"  # noqa: S608 (names from the model)
    prepares = [_preparer(field, connection) for field in fields]
    with connection.cursor() as cursor:
        for batch in batched(rows, BATCH_ROWS):
            cursor.executemany(sql, [(*_prepared(values, prepares), key) for key, values in batch])


def insert_select(
    model: type[models.Model],
    column: str,
    source: models.QuerySet[Any, Any],
    *,
    constants: Mapping[str, Any] | None = None,
) -> None:
    """INSERT one row per row of `source`, a `.values()` query of one column, with `column`
    set to its value: the rows never travel through Python. Every other column gets the
    value in `constants`, else its field's default."""
    connection = connections[router.db_for_write(model)]
    constants = constants or {}
    fixed = [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key and field.attname != column
    ]
    fixed_values = [
        field.get_db_prep_save(constants.get(field.attname, field.get_default()), connection)
        for field in fixed
    ]
    quote = connection.ops.quote_name
    names = ", ".join(quote(f.column) for f in [_field(model, column), *fixed])
    marks = ", ".join(["%s"] * len(fixed))
    select, params = source.query.sql_with_params()
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({names}) "  # noqa: S608 (names from the model)
        f"SELECT chosen.*, {marks} FROM ({select}) AS chosen"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*fixed_values, *params])


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field), f"{name} is not a column"
    return field


def batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Lists of `size` items (the last may be shorter); itertools.batched is Python 3.12+."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _prepared(values: Sequence[Any], prepares: list[Prepare | None]) -> list[Any]:
    out = list(values)
    for index, prepare in enumerate(prepares):
        if prepare is not None and out[index] is not None:
            out[index] = prepare(out[index])
    return out


def _rows_prepared(
    batch: list[Sequence[Any]], prepares: list[Prepare | None], tail: tuple[Any, ...]
) -> list[tuple[Any, ...]]:
    """The batch's rows as the driver takes them, with `tail` (the fixed values) after
    each. Only the columns that need preparing are touched: most values are plain text."""
    active = [(index, prepare) for index, prepare in enumerate(prepares) if prepare is not None]
    if not active:
        return [(*values, *tail) for values in batch]
    rows = []
    for values in batch:
        out = list(values)
        for index, prepare in active:
            if (value := out[index]) is not None:
                out[index] = prepare(value)
        out.extend(tail)
        rows.append(tuple(out))
    return rows


# Fields whose values the drivers take as they are.
_AS_IS = frozenset(
    [
        models.CharField,
        models.TextField,
        models.EmailField,
        models.URLField,
        models.SlugField,
        models.IntegerField,
        models.SmallIntegerField,
        models.PositiveSmallIntegerField,
        models.PositiveIntegerField,
        models.BigIntegerField,
        models.FloatField,
    ]
)


def _preparer(field: Any, connection: Any) -> Prepare | None:
    """None where the driver takes the value as it is (text, an integer key): the common
    case, kept cheap."""
    if type(field) in _AS_IS:
        return None
    if isinstance(field, models.ForeignKey) and isinstance(
        field.target_field, models.AutoField | models.BigAutoField | models.IntegerField
    ):
        return None
    if type(field) is models.DateField:
        return connection.ops.adapt_datefield_value
    if isinstance(field, models.JSONField):
        return _json_preparer(field, connection)
    return functools.partial(field.get_db_prep_save, connection=connection)


def _json_preparer(field: models.JSONField[Any], connection: Any) -> Prepare:
    """JSON lists of strings (reasons, tags) repeat across rows: encode each one once."""
    encoded: dict[tuple[Any, ...], Any] = {}

    def prepare(value: Any) -> Any:
        if type(value) not in (list, tuple):
            return field.get_db_prep_save(value, connection)
        key = tuple(value)
        found = encoded.get(key)
        if found is None:
            if not all(type(v) is str for v in key):  # only plain strings are remembered
                return field.get_db_prep_save(value, connection)
            found = encoded[key] = field.get_db_prep_save(list(value), connection)
        return found

    return prepare


# SQLite builds an index from sorted rows about three times faster than it updates one row
# by row (30,000 contacts: 0.34 s to build the contact indexes, about 1 s to maintain them).
REBUILD_MIN_ROWS = 5000


@contextmanager
def indexes_rebuilt_after(model: type[models.Model], *, adding: int) -> Iterator[None]:
    """Around a large insert on SQLite: drop the table's indexes and build them again after,
    when the rows being added are at least as many as the table holds. Runs inside the
    caller's transaction, so a failure rolls the indexes back with everything else.
    PostgreSQL is left alone: its DDL would lock the table for every other user."""
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "sqlite" or adding < REBUILD_MIN_ROWS:
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("indexes_rebuilt_after must run inside a transaction")
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        (stored,) = cursor.fetchone()
        if adding < stored:
            yield
            return
        # Automatic indexes (primary key, UNIQUE) have no SQL and stay.
        cursor.execute(
            "SELECT name, sql FROM sqlite_master "
            "WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
            [table],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        for _, sql in indexes:
            cursor.execute(sql)
