"""The review API under 20 concurrent clients on loopback, beside a trivial endpoint.

A real WSGI server (gunicorn as the deployment docs run it: `--preload`, one sync worker
per core, so a CPU-bound review never waits on another thread for Python's lock) serves a
fresh local database. Two measurements, both with 20 clients:
- closed loop: each client sends its next request as soon as the last one returns, which
  finds the server's ceiling; latency there is mostly queueing (clients / throughput);
- open loop: each client sends one review every 200 ms (a person typing, with the Coach
  page's debounce), starting at a random moment within the first interval as real
  people do; this is the load the target is about.
The trivial endpoint is /health/ (one `SELECT 1`), measured the same way.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from common import Row, ms, percentile, request_texts

CLIENTS = 20
CLOSED_SECONDS = 8
OPEN_SECONDS = 8
OPEN_INTERVAL_S = 0.2
TARGET_P99_S = 0.030
VENV_BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(folder: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("RAPPORT_")}
    return {**clean, "RAPPORT_DATA_DIR": str(folder), "RAPPORT_LOG_LEVEL": "warning"}


def _token(folder: Path) -> str:
    env = _env(folder)
    subprocess.run(
        [sys.executable, "-m", "rapport", "migrate", "--verbosity", "0"], env=env, check=True
    )
    script = (
        "import django; django.setup()\n"
        "from rapport.accounts.services import local_user_ensure, api_token_create\n"
        "print(api_token_create(owner=local_user_ensure(), name='bench')[1])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        env={**env, "DJANGO_SETTINGS_MODULE": "rapport.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip().splitlines()[-1]


def _serve(folder: Path, port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "rapport.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],
        env=_env(folder),
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/health/")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("gunicorn did not start")


class Client(threading.Thread):
    def __init__(
        self,
        port: int,
        request: tuple[str, str, bytes, dict[str, str]],
        seconds: float,
        interval: float | None,
        phase: float = 0.0,
    ) -> None:
        super().__init__(daemon=True)
        self.port, self.request, self.seconds, self.interval = port, request, seconds, interval
        self.phase = phase  # people do not all press a key at the same instant
        self.latencies: list[float] = []
        self.errors = 0

    def run(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        method, path, body, headers = self.request
        end = time.perf_counter() + self.seconds
        next_at = time.perf_counter() + self.phase
        while time.perf_counter() < end:
            if self.interval is not None:
                time.sleep(max(0.0, next_at - time.perf_counter()))
                next_at += self.interval
            start = time.perf_counter()
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            self.latencies.append(time.perf_counter() - start)
            self.errors += response.status != 200


def _load(
    port: int,
    request: tuple[str, str, bytes, dict[str, str]],
    seconds: float,
    interval: float | None,
) -> tuple[list[float], float, int]:
    rng = random.Random(CLIENTS)
    clients = [
        Client(port, request, seconds, interval, rng.uniform(0, interval or 0))
        for _ in range(CLIENTS)
    ]
    started = time.perf_counter()
    for client in clients:
        client.start()
    for client in clients:
        client.join()
    elapsed = time.perf_counter() - started
    latencies = [x for c in clients for x in c.latencies]
    return latencies, len(latencies) / elapsed, sum(c.errors for c in clients)


def api_rows(folder: Path) -> list[Row]:
    token = _token(folder)
    port = _free_port()
    server = _serve(folder, port)
    try:
        text = min(request_texts(2000, seed=7), key=lambda t: abs(len(t.split()) - 150))
        review = (
            "POST",
            "/api/v1/review",
            json.dumps({"kind": "request", "text": text}).encode(),
            {"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        health = ("GET", "/health/", b"", {})
        _load(port, review, 1, None)  # warm both workers
        api_closed, api_rate, api_errors = _load(port, review, CLOSED_SECONDS, None)
        top_closed, top_rate, _ = _load(port, health, CLOSED_SECONDS, None)
        api_open, _, open_errors = _load(port, review, OPEN_SECONDS, OPEN_INTERVAL_S)
        top_open, _, _ = _load(port, health, OPEN_SECONDS, OPEN_INTERVAL_S)
    finally:
        server.terminate()
        server.wait(timeout=30)
    open_rate = CLIENTS / OPEN_INTERVAL_S
    p99 = percentile(api_open, 99)
    return [
        Row(
            f"review API, {CLIENTS} clients x 1 review per {OPEN_INTERVAL_S * 1000:.0f} ms "
            f"({open_rate:.0f}/s), p50",
            ms(percentile(api_open, 50)),
            ms(percentile(top_open, 50)) + " (/health/)",
            f"{percentile(api_open, 50) / percentile(top_open, 50):.1f}x",
            "",
            "",
        ),
        Row(
            f"review API, same load, p99 ({open_errors} errors)",
            ms(p99),
            ms(percentile(top_open, 99)) + " (/health/)",
            f"{p99 / percentile(top_open, 99):.1f}x",
            "<= 30 ms",
            "yes" if p99 <= TARGET_P99_S and not open_errors else "NO",
        ),
        Row(
            f"review API, {CLIENTS} clients flat out: throughput ({api_errors} errors)",
            f"{api_rate:,.0f} req/s",
            f"{top_rate:,.0f} req/s (/health/)",
            f"{api_rate / top_rate:.2f}",
            "",
            "",
        ),
        Row(
            f"review API, {CLIENTS} clients flat out: p50 / p99",
            f"{ms(percentile(api_closed, 50))} / {ms(percentile(api_closed, 99))}",
            f"{ms(percentile(top_closed, 50))} / {ms(percentile(top_closed, 99))}",
            "",
            "",
            "",
        ),
    ]
