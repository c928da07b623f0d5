"""Where a local Rapport keeps its database, secret key and outbox."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

import platformdirs

APP_NAME = "rapport"
SECRET_KEY_FILE = "secret_key"  # noqa: S105 (a file name, not a secret)


def data_dir(env: Mapping[str, str]) -> Path:
    """RAPPORT_DATA_DIR when set, else the platform's per-user data folder."""
    configured = env.get("RAPPORT_DATA_DIR", "").strip()
    if configured:
        return Path(configured).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def local_secret_key(folder: Path) -> str:
    """A per-installation key, made once and kept private to the user.

    Local mode needs no configuration, yet sessions and login links must survive a
    restart, so the key is generated on first use and stored beside the database.
    """
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / SECRET_KEY_FILE
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    key = secrets.token_urlsafe(50)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key
