from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from rapport.accounts.models import LoginToken, User
from rapport.cli import main

REPO = Path(__file__).resolve().parents[2]


def run_rapport(*args: str, data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """The real command in a fresh process, as a user would run it."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("RAPPORT_")}
    return subprocess.run(
        [sys.executable, "-m", "rapport", *args],
        env={**clean, "RAPPORT_DATA_DIR": str(data_dir), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_help_lists_the_commands() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("serve", "demo", "createuser", "migrate", "version", "login-link"):
        assert command in result.output


def test_serve_is_the_default_command() -> None:
    result = CliRunner().invoke(main, ["--host", "192.0.2.1"])
    assert result.exit_code == 1
    assert "only listens on this computer" in result.output


def test_local_mode_refuses_to_listen_beyond_this_computer() -> None:
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 1
    assert "only listens on this computer" in result.output


@pytest.mark.django_db
def test_createuser_makes_a_password_user() -> None:
    result = CliRunner().invoke(
        main,
        ["createuser", "--email", "aisha@uni.example", "--name", "Aisha"],
        input="plum-orchard-33\nplum-orchard-33\n",
    )
    assert result.exit_code == 0, result.output
    user = User.objects.get(email="aisha@uni.example")
    assert user.check_password("plum-orchard-33")
    assert user.profile.display_name == "Aisha"


@pytest.mark.django_db
def test_createuser_explains_a_refused_password() -> None:
    result = CliRunner().invoke(
        main, ["createuser", "--email", "a@b.example", "--password", "password"]
    )
    assert result.exit_code == 1
    assert "too common" in result.output
    assert not User.objects.filter(email="a@b.example").exists()


@pytest.mark.django_db
def test_login_link_prints_a_working_link() -> None:
    result = CliRunner().invoke(main, ["login-link", "--base-url", "http://127.0.0.1:8123"])
    assert result.exit_code == 0, result.output
    link = result.output.strip().splitlines()[-1]
    assert link.startswith("http://127.0.0.1:8123/login/link/")
    assert LoginToken.objects.count() == 1


def test_version_reports_the_database_and_data_folder(tmp_path: Path) -> None:
    result = run_rapport("version", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "database: sqlite" in result.stdout
    assert str(tmp_path) in result.stdout


def test_a_bad_setting_stops_with_its_name_and_no_traceback(tmp_path: Path) -> None:
    result = run_rapport("version", data_dir=tmp_path, RAPPORT_DEBUG="yse")
    assert result.returncode == 1
    assert "RAPPORT_DEBUG" in result.stderr
    assert "Traceback" not in result.stderr


def test_migrate_makes_a_wal_sqlite_database_in_the_data_folder(tmp_path: Path) -> None:
    result = run_rapport("migrate", "--verbosity", "0", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    database = tmp_path / "rapport.sqlite3"
    with sqlite3.connect(database) as connection:
        mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert mode == "wal"
    assert "contacts_contact" in tables
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_python_dash_m_works_too(tmp_path: Path) -> None:
    result = run_rapport("--version", data_dir=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("rapport, version")


def test_the_demo_command_seeds_its_own_folder_once(tmp_path: Path) -> None:
    first = run_rapport("demo", "--no-serve", data_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "seeded just now" in first.stdout
    assert (tmp_path / "demo" / "rapport.sqlite3").exists()
    assert not (tmp_path / "rapport.sqlite3").exists(), "demo must not touch the user's data"
    second = run_rapport("demo", "--no-serve", data_dir=tmp_path)
    assert "kept from last time" in second.stdout
    renewed = run_rapport("demo", "--no-serve", "--reset", data_dir=tmp_path)
    assert "seeded just now" in renewed.stdout
