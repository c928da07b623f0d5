from __future__ import annotations

import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_the_suite_runs_on_the_database_it_was_asked_for() -> None:
    """So that `make test`'s PostgreSQL run cannot silently fall back to SQLite."""
    wanted = os.environ.get("RAPPORT_DATABASE_URL", "")
    expected = "postgresql" if wanted.startswith(("postgres", "pgsql")) else "sqlite"
    assert connection.vendor == expected


@pytest.mark.django_db
def test_the_database_runs_with_its_safety_settings() -> None:
    if connection.vendor == "sqlite":
        assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys")
            assert cursor.fetchone()[0] == 1
    else:
        assert connection.pg_version >= 130000  # type: ignore[attr-defined]
        assert connection.settings_dict["CONN_MAX_AGE"] == 60
