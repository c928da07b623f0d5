"""Shared helpers for the benchmarks: the machine, percentiles, fixed data, the report."""

from __future__ import annotations

import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
RESULTS = BENCH_DIR / "results.md"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {sys.version.split()[0]}"
    )


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1))))
    return ordered[rank]


@dataclass(frozen=True)
class Row:
    name: str
    value: str
    baseline: str
    ratio: str
    target: str
    met: str


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.3f} ms"


def median(samples: list[float]) -> float:
    return statistics.median(samples) if samples else float("nan")


OPENINGS = ["Hi {name},", "Dear {name},", "Hello {name},", "Hey {name},"]
INTROS = [
    "I'm a final-year {field} student at {school}",
    "My name is {me} and I work in {field} at a small agency",
    "I'm a teacher moving into {field}",
    "I recently graduated from {school} with a degree in {field}",
]
HOOKS = [
    "and I enjoyed your talk on {topic} at {event}.",
    "and {friend} suggested I get in touch about your work on {topic}.",
    "and I noticed you moved from {field} into {topic} a few years ago.",
    "and we both studied at {school}, so I was glad to find your profile.",
]
ASKS = [
    "Would you have 20 minutes for a call in the next few weeks, whenever suits you?",
    "Could I buy you a coffee near your office, or take 15 minutes on the phone?",
    "Are you hiring at the moment? I have attached my CV for your consideration.",
    "I will call your office tomorrow at 9am, please make sure you are available!!",
]
MIDDLES = [
    "I'm trying to understand how people grow into senior roles in {topic}, what the work "
    "is really like day to day, and which skills matter most in the first two years.",
    "I have been reading about {topic} for a while and would value your honest view of "
    "where the field is heading and how someone with my background could contribute.",
    "Before I commit to a master's degree I want to hear from people who do the work, so "
    "that I understand the trade-offs between large firms and smaller specialist teams.",
]
CLOSES = ["Thank you for considering it.", "Many thanks,", "Best,", "Cheers,"]
WORDS = {
    "name": ["Priya", "Marcus", "Ruth", "Olu", "Sofia", "Kenji", "Ana", "Tom"],
    "me": ["Maya", "Daniel", "Aisha", "Sam"],
    "field": ["economics", "design", "nursing", "chemistry", "history", "law"],
    "school": ["Leeds", "McGill", "Purdue", "Edinburgh", "Monash"],
    "topic": ["sustainability consulting", "product design", "clinical research", "energy data"],
    "event": ["UX Camp", "PyCon", "the ESG Forum", "a careers fair"],
    "friend": ["Sarah Kim", "Dr Patel", "my tutor", "a mutual friend"],
}


def request_texts(count: int, seed: int = 1) -> list[str]:
    """Fixed, varied requests of about 60-160 words (same seed, same texts)."""
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        fill = {key: rng.choice(values) for key, values in WORDS.items()}
        parts = [
            rng.choice(OPENINGS),
            "",
            f"{rng.choice(INTROS)} {rng.choice(HOOKS)}",
            *(rng.choice(MIDDLES) for _ in range(rng.randint(0, 3))),
            rng.choice(ASKS),
            "",
            rng.choice(CLOSES),
            fill["me"],
        ]
        texts.append("\n".join(parts).format(**fill))
    return texts


def words_of(text: str) -> int:
    return len(text.split())


def run_child(script: Path, what: str) -> dict[str, Any]:
    """Run `script --child` with a fresh RAPPORT_DATA_DIR (a new SQLite database) and return
    the JSON its last line of output holds."""
    with tempfile.TemporaryDirectory() as folder:
        env = {k: v for k, v in os.environ.items() if not k.startswith("RAPPORT_")}
        env.update(
            RAPPORT_DATA_DIR=folder, RAPPORT_LOG_LEVEL="warning", RAPPORT_ALLOWED_HOSTS="testserver"
        )
        done = subprocess.run(
            [sys.executable, str(script), "--child"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        raise RuntimeError(f"the {what} benchmark failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result
