"""`rapport check`: the coach on the command line, for people and for scripts."""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
from collections.abc import Iterable, Iterator
from typing import IO, Any

import click

from rapport.playbook.coach import CHANNELS, KINDS, review
from rapport.playbook.findings import SEVERITY_ORDER, Review, Severity
from rapport.playbook.rules import RuleId, rule

EXIT_OK, EXIT_ERRORS, EXIT_BAD_INPUT = 0, 1, 2
SEVERITY_STYLE = {
    Severity.ERROR: "bold white on red",
    Severity.WARNING: "black on yellow",
    Severity.TIP: "underline cyan",
}
MAX_TEXT_CHARS = 100_000  # a request is a few hundred; this only stops accidents
PARALLEL_MIN_TEXTS = 1_000  # below this, starting worker processes costs more than it saves
PARALLEL_CHUNK = 250  # texts handed to a worker at a time


class BadInput(click.ClickException):
    exit_code = EXIT_BAD_INPUT


@click.command()
@click.option("--kind", type=click.Choice(KINDS), required=True, help="What the text is.")
@click.option(
    "--channel",
    type=click.Choice(CHANNELS),
    default="email",
    show_default=True,
    help="How a request will be sent (sets limits such as LinkedIn's 300 characters).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Readable text with highlights, or one JSON object.",
)
@click.option(
    "--jsonl",
    is_flag=True,
    help='Batch mode: read JSON Lines ({"id", "text", "channel"?}), write one result a line.',
)
@click.option(
    "--workers",
    type=click.IntRange(0, 64),
    default=0,
    show_default=True,
    help="Processes for a large --jsonl batch (0: one per CPU).",
)
@click.argument("source", type=click.File("r", encoding="utf-8"), default="-")
def check(
    kind: str, channel: str, output_format: str, jsonl: bool, workers: int, source: IO[str]
) -> None:
    """Review a text against the playbook and say what to change.

    Reads FILE, or standard input when FILE is - or missing. Exits 0 when nothing is an
    error, 1 when something is, 2 when the input cannot be read.
    """
    try:
        raw = source.read()
    except UnicodeDecodeError as exc:
        raise BadInput(f"{source.name}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    if jsonl:
        sys.exit(_check_batch(kind, raw, source.name, workers))
    if len(raw) > MAX_TEXT_CHARS:
        raise BadInput(f"{source.name}: {len(raw)} characters is more than {MAX_TEXT_CHARS}")
    result = review(kind, raw, channel=channel)
    if output_format == "json":
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False))
    else:
        _print_readable(raw, result)
    sys.exit(EXIT_ERRORS if result.has_errors else EXIT_OK)


def _check_batch(kind: str, raw: str, name: str, workers: int) -> int:
    items = [(kind, *item) for item in _parse_lines(raw.splitlines(), name)]
    any_error = False
    out = sys.stdout
    for line, has_errors in _rows(items, workers):
        any_error = any_error or has_errors
        out.write(line)
    out.flush()
    return EXIT_ERRORS if any_error else EXIT_OK


def _rows(items: list[tuple[str, Any, str, str]], workers: int) -> Iterator[tuple[str, bool]]:
    """Results in input order; big batches are shared across processes."""
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(items) < PARALLEL_MIN_TEXTS:
        yield from map(_review_line, items)
        return
    # Compile the lexicons once here, so forked workers inherit them instead of each
    # compiling its own.
    _review_line(items[0])
    with multiprocessing.get_context().Pool(workers) as pool:
        yield from pool.imap(_review_line, items, chunksize=PARALLEL_CHUNK)


def _review_line(item: tuple[str, Any, str, str]) -> tuple[str, bool]:
    kind, item_id, text, channel = item
    result = review(kind, text, channel=channel)
    return json.dumps(_batch_row(item_id, result), ensure_ascii=False) + "\n", result.has_errors


def _parse_lines(lines: Iterable[str], name: str) -> Iterable[tuple[Any, str, str]]:
    """Every line checked before any output, so bad input produces nothing half-done."""
    parsed = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BadInput(f"{name}, line {number}: not valid JSON ({exc.msg})") from exc
        if not isinstance(item, dict):
            raise BadInput(f"{name}, line {number}: expected an object with id and text")
        text = item.get("text")
        if not isinstance(text, str):
            raise BadInput(f"{name}, line {number}: 'text' must be a string")
        channel = item.get("channel") or "email"
        if channel not in CHANNELS:
            raise BadInput(
                f"{name}, line {number}: channel {channel!r} is not one of {', '.join(CHANNELS)}"
            )
        parsed.append((item.get("id", number), text, channel))
    return parsed


def _batch_row(item_id: Any, result: Review) -> dict[str, Any]:
    row = {
        "id": item_id,
        "score": result.score,
        "findings": [f.as_dict() for f in result.findings],
        "stats": result.stats.as_dict(),
    }
    if result.notices:
        row["notices"] = list(result.notices)
    return row


def _print_readable(raw: str, result: Review) -> None:
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False)
    marked = Text(raw.rstrip("\n"))
    for item in sorted(result.findings, key=lambda f: SEVERITY_ORDER[f.severity], reverse=True):
        if item.end > item.start and (item.end - item.start) < len(raw) * 0.9:
            marked.stylize(SEVERITY_STYLE[item.severity], item.start, item.end)
    console.print(marked)
    console.print()
    for notice in result.notices:
        console.print(f"[bold]Note:[/bold] {notice}")
    for severity in (Severity.ERROR, Severity.WARNING, Severity.TIP):
        group = [f for f in result.findings if f.severity is severity]
        if not group:
            continue
        console.print(f"[bold]{severity.value.upper()}S[/bold]", style=SEVERITY_STYLE[severity])
        for item in group:
            meta = rule(RuleId(item.rule))
            console.print(f"  [bold]{meta.title}[/bold] ({item.rule})")
            console.print(f"    {item.message}", soft_wrap=True)
            if item.suggestion and len(item.suggestion) < 300:
                console.print(f"    [italic]Try:[/italic] {item.suggestion}", soft_wrap=True)
            console.print(f"    [dim]Why: {meta.why}[/dim]", soft_wrap=True)
    stats = result.stats
    console.print(
        f"\n[bold]{result.score}/100 · {result.verdict}[/bold]  "
        f"({stats.words} words, {stats.chars} characters, grade {stats.reading_grade})"
    )
