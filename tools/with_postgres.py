"""Run a command against a throwaway PostgreSQL cluster, then remove the cluster.

    python tools/with_postgres.py -- pytest -m "not e2e"

initdb/pg_ctl make a cluster in a temporary folder (as the `postgres` user when run as
root, since PostgreSQL refuses to run as root), listening on a free loopback port with
durability switched off for speed. The command gets RAPPORT_DATABASE_URL pointing at it.

Without PostgreSQL installed this prints a warning and exits 0, unless
RAPPORT_REQUIRE_REAL=1 (as in CI), where a missing server is a failure.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

SUPERUSER = "rapport"


def find_pg_bin() -> Path | None:
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    return candidates[0].parent if candidates else None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def as_pg_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@contextlib.contextmanager
def cluster(pg_bin: Path) -> Iterator[str]:
    root = Path(tempfile.mkdtemp(prefix="rapport-pg-"))
    data, log = root / "data", root / "server.log"
    if os.geteuid() == 0:
        shutil.chown(root, user="postgres", group="postgres")
    port = free_port()
    options = (
        f"-p {port} -c listen_addresses=127.0.0.1 -k {root} "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    try:
        subprocess.run(
            as_pg_user(
                [
                    str(pg_bin / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    SUPERUSER,
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--no-locale",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        subprocess.run(
            as_pg_user(
                [
                    str(pg_bin / "pg_ctl"),
                    "-D",
                    str(data),
                    "-l",
                    str(log),
                    "-o",
                    options,
                    "-w",
                    "-t",
                    "60",
                    "start",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        print(f"with_postgres: PostgreSQL cluster on 127.0.0.1:{port}", file=sys.stderr)
        yield f"postgres://{SUPERUSER}@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            as_pg_user([str(pg_bin / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        shutil.rmtree(root, ignore_errors=True)


def main(argv: list[str]) -> int:
    if "--" not in argv:
        print("usage: with_postgres.py -- COMMAND [ARGS...]", file=sys.stderr)
        return 2
    command = argv[argv.index("--") + 1 :]
    pg_bin = find_pg_bin()
    if pg_bin is None:
        message = "PostgreSQL (initdb, pg_ctl) is not installed"
        if os.environ.get("RAPPORT_REQUIRE_REAL") == "1":
            print(f"with_postgres: FAIL: {message}; CI needs it.", file=sys.stderr)
            return 1
        print(f"with_postgres: WARNING: {message}; the PostgreSQL run is skipped.", file=sys.stderr)
        return 0
    with cluster(pg_bin) as url:
        env = {**os.environ, "RAPPORT_DATABASE_URL": url}
        return subprocess.run(command, env=env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
