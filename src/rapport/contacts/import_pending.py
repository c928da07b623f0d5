"""An uploaded file waiting between the import preview and its confirmation.

It is kept in the data folder, under `imports/`, as two files named by the owner's id and
a random id: the bytes as uploaded and a small JSON note (kind, file name, mapping). The
page only ever sends the random id; the path is built here from it and from the signed-in
user, so one person cannot reach another's upload, and nothing from the client becomes a
path. Uploads are deleted once imported or cancelled, and expire after an hour.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from django.conf import settings

from rapport.accounts.models import User
from rapport.core.errors import RapportError

FOLDER = "imports"
EXPIRES_AFTER_S = 60 * 60  # long enough to look the preview over, short enough to forget
_ID_RE = re.compile(r"[A-Za-z0-9_-]{32}")


@dataclass(frozen=True)
class PendingImport:
    id: str
    owner_id: int
    kind: str
    filename: str
    created_at: float  # seconds since the epoch
    mapping: dict[str, str] = field(default_factory=dict)
    mapping_confirmed: bool = False


def pending_save(*, owner: User, kind: str, filename: str, data: bytes) -> PendingImport:
    folder = _folder()
    _expire(folder)
    pending = PendingImport(
        id=secrets.token_urlsafe(24),
        owner_id=owner.pk,
        kind=kind,
        filename=Path(filename).name[:200],
        created_at=time.time(),
    )
    _write_private(_path(folder, owner.pk, pending.id, ".upload"), data)
    _write_note(folder, pending)
    return pending


def pending_get(*, owner: User, pending_id: str) -> PendingImport:
    """The owner's pending import; RapportError "not_found" for anyone else's, an unknown
    or malformed id, or one that has expired."""
    if not _ID_RE.fullmatch(pending_id):
        raise _not_found()
    try:
        note = json.loads(_path(_folder(), owner.pk, pending_id, ".json").read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise _not_found() from exc
    pending = PendingImport(**note)
    if pending.owner_id != owner.pk or time.time() - pending.created_at > EXPIRES_AFTER_S:
        raise _not_found()
    return pending


def pending_data(pending: PendingImport) -> bytes:
    try:
        return _path(_folder(), pending.owner_id, pending.id, ".upload").read_bytes()
    except OSError as exc:
        raise _not_found() from exc


def pending_set_mapping(pending: PendingImport, mapping: dict[str, str]) -> PendingImport:
    updated = replace(pending, mapping=dict(mapping), mapping_confirmed=True)
    _write_note(_folder(), updated)
    return updated


def pending_delete(pending: PendingImport) -> None:
    for suffix in (".upload", ".json"):
        _path(_folder(), pending.owner_id, pending.id, suffix).unlink(missing_ok=True)


def _folder() -> Path:
    folder = Path(settings.DATA_DIR) / FOLDER
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _path(folder: Path, owner_id: int, pending_id: str, suffix: str) -> Path:
    return folder / f"{int(owner_id)}-{pending_id}{suffix}"


def _write_note(folder: Path, pending: PendingImport) -> None:
    note = json.dumps(asdict(pending)).encode("utf-8")
    _write_private(_path(folder, pending.owner_id, pending.id, ".json"), note)


def _write_private(path: Path, data: bytes) -> None:
    """Readable by this user only: an address book is private."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)


def _expire(folder: Path) -> None:
    cutoff = time.time() - EXPIRES_AFTER_S
    for path in folder.iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
        except OSError:  # another request removed it first
            continue


def _not_found() -> RapportError:
    return RapportError(
        "That import was not found: it may have expired or been finished already. "
        "Upload the file again.",
        code="not_found",
    )
