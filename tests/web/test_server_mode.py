"""Server mode's settings, checked in a fresh process as a deployment would load them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SERVER_ENV = {
    "RAPPORT_MODE": "server",
    "RAPPORT_SECRET_KEY": "k" * 20 + "9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1",
    "RAPPORT_ALLOWED_HOSTS": "careers.uni.example",
}


def _manage(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("RAPPORT_")}
    return subprocess.run(
        [sys.executable, "-m", "django", *args],
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "rapport.settings",
            "RAPPORT_DATA_DIR": str(tmp_path),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_server_mode_passes_djangos_deployment_checks(tmp_path: Path) -> None:
    result = _manage(["check", "--deploy", "--fail-level", "WARNING"], tmp_path, **SERVER_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_server_mode_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = {**SERVER_ENV, "RAPPORT_SECRET_KEY": ""}
    result = _manage(["check"], tmp_path, **env)
    assert result.returncode != 0
    assert "RAPPORT_SECRET_KEY" in result.stderr


def test_server_mode_refuses_to_start_without_allowed_hosts(tmp_path: Path) -> None:
    env = {**SERVER_ENV, "RAPPORT_ALLOWED_HOSTS": ""}
    result = _manage(["check"], tmp_path, **env)
    assert result.returncode != 0
    assert "RAPPORT_ALLOWED_HOSTS" in result.stderr


def test_local_mode_keeps_a_private_secret_key_across_starts(tmp_path: Path) -> None:
    script = "from django.conf import settings; print(settings.SECRET_KEY)"
    runs = [
        subprocess.run(
            [sys.executable, "-c", f"import django; django.setup(); {script}"],
            env={
                **{k: v for k, v in os.environ.items() if not k.startswith("RAPPORT_")},
                "DJANGO_SETTINGS_MODULE": "rapport.settings",
                "RAPPORT_DATA_DIR": str(tmp_path),
            },
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout.strip()
        for _ in range(2)
    ]
    assert runs[0] == runs[1]
    assert len(runs[0]) >= 50
