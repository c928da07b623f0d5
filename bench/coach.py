"""Coach benchmarks: in-process review latency, `rapport check --jsonl` throughput, and
the review API under 20 concurrent clients, each beside a baseline measured in this run."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import Row, median, ms, percentile, request_texts, words_of

from rapport.playbook.request import review_request

TARGET_WORDS = 150
IN_PROCESS_RUNS = 3000
BATCH_TEXTS = 10_000


def a_150_word_request() -> str:
    return min(request_texts(2000, seed=7), key=lambda text: abs(words_of(text) - TARGET_WORDS))


def in_process() -> list[Row]:
    text = a_150_word_request()
    review_request(text)  # load the lexicons once, as a running app has
    samples = []
    for _ in range(IN_PROCESS_RUNS):
        start = time.perf_counter()
        review_request(text)
        samples.append(time.perf_counter() - start)
    # Baseline: one regex pass over the same text, the least any text check can cost.
    word_re = re.compile(r"\w+")
    floor = []
    for _ in range(IN_PROCESS_RUNS):
        start = time.perf_counter()
        word_re.findall(text)
        floor.append(time.perf_counter() - start)
    p99 = percentile(samples, 99)
    return [
        Row(
            f"review of a {words_of(text)}-word request, p50",
            ms(median(samples)),
            ms(median(floor)) + " (one regex word scan)",
            f"{median(samples) / median(floor):.0f}x",
            "",
            "",
        ),
        Row(
            f"review of a {words_of(text)}-word request, p99",
            ms(p99),
            ms(percentile(floor, 99)),
            f"{p99 / percentile(floor, 99):.0f}x",
            "<= 2 ms",
            "yes" if p99 <= 0.002 else "NO",
        ),
    ]


def _timed_run(command: list[str], stdin: str) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, input=stdin, capture_output=True, text=True, check=False)
    if result.returncode not in (0, 1):
        raise RuntimeError(f"{command} failed: {result.stderr[-500:]}")
    return time.perf_counter() - start


def batch() -> list[Row]:
    texts = request_texts(BATCH_TEXTS, seed=3)
    feed = "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(texts))
    one = json.dumps({"id": 0, "text": texts[0]}) + "\n"
    check = [sys.executable, "-m", "rapport", "check", "--kind", "request", "--jsonl", "-"]
    startup = min(_timed_run(check, one) for _ in range(3))
    total = _timed_run(check, feed)
    rate = BATCH_TEXTS / max(1e-9, total - startup)
    reader = [sys.executable, "-c", "import json,sys\nfor l in sys.stdin: json.loads(l)"]
    floor_startup = min(_timed_run(reader, one) for _ in range(3))
    floor_total = _timed_run(reader, feed)
    floor_rate = BATCH_TEXTS / max(1e-9, floor_total - floor_startup)
    return [
        Row(
            "`rapport check --jsonl`, 10,000 requests, after start-up",
            f"{rate:,.0f} texts/s",
            f"{floor_rate:,.0f} lines/s (python reading the same JSON lines)",
            f"{rate / floor_rate:.3f}",
            ">= 2,000 texts/s",
            "yes" if rate >= 2000 else "NO",
        ),
        Row(
            "`rapport check` start-up",
            f"{startup * 1000:.0f} ms",
            f"{floor_startup * 1000:.0f} ms (bare python)",
            f"{startup / floor_startup:.1f}x",
            "",
            "",
        ),
    ]


def main() -> list[Row]:
    rows = in_process() + batch()
    try:
        from api_load import api_rows
    except ImportError:
        return rows
    with tempfile.TemporaryDirectory() as folder:
        rows += api_rows(Path(folder))
    return rows


if __name__ == "__main__":
    for row in main():
        print(row)
