"""Run every benchmark and write bench/results.md (`make bench`)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import coach
import contacts_bench
import import_bench
import schedule_bench
import today_bench
from common import RESULTS, Row, machine

HEADER = (
    "| measure | value | baseline (same run) | ratio | target | met |\n|---|---|---|---|---|---|"
)


def table(rows: list[Row]) -> str:
    lines = [HEADER]
    lines += [
        f"| {r.name} | {r.value} | {r.baseline} | {r.ratio} | {r.target} | {r.met} |" for r in rows
    ]
    return "\n".join(lines)


def main() -> int:
    sections = {
        "Coach": coach.main(),
        "Import": import_bench.import_rows(),
        "Contacts": contacts_bench.contact_list_rows(),
        "Today": today_bench.today_rows(),
        "Scheduling": schedule_bench.schedule_rows(),
    }
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    report = [
        "# Benchmark results",
        "",
        f"Measured {stamp} on {machine()}.",
        "Each figure sits beside a baseline measured in the same run, on the same machine.",
        "Regenerate with `make bench`.",
    ]
    for title, rows in sections.items():
        report += ["", f"## {title}", "", table(rows)]
    text = "\n".join(report) + "\n"
    RESULTS.write_text(text, encoding="utf-8")
    print(text)
    missed = [r for rows in sections.values() for r in rows if r.met == "NO"]
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
