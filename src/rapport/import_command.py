"""`rapport import`: contacts from LinkedIn, a vCard file or any CSV, after a preview."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from rapport.accounts.models import User
    from rapport.contacts.importers import Parsed
    from rapport.contacts.imports import ImportReport, Progress

EXIT_BAD_INPUT = 2
# The same as rapport.contacts.importers.KINDS (a test checks), spelled out here so that
# `rapport --help` does not load the parsers.
KINDS = ("linkedin", "vcard", "csv")


class BadInput(click.ClickException):
    exit_code = EXIT_BAD_INPUT


@click.command("import")
@click.argument("kind", type=click.Choice(KINDS), metavar="KIND")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what would change, and change nothing.")
@click.option(
    "--user",
    "login",
    default="",
    metavar="EMAIL",
    help="Whose contacts these are (server mode). Local mode uses the local user.",
)
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="FIELD=COLUMN",
    help="For csv: the column that fills a field, e.g. --map email=E-mail (repeatable); "
    "the other fields are matched by their column headings.",
)
@click.option("--yes", "-y", is_flag=True, help="Import without asking, even in a terminal.")
def import_contacts(
    kind: str, file: Path, dry_run: bool, login: str, maps: tuple[str, ...], yes: bool
) -> None:
    """Import contacts from FILE, showing first what will change.

    KIND is linkedin (Connections.csv from LinkedIn's "Get a copy of your data"), vcard (a
    .vcf file from a phone or mail app) or csv (any other CSV). Re-importing updates the
    contacts you have without duplicating them, and never overwrites what you edited.

    In a terminal it asks before writing; otherwise it goes ahead unless --dry-run. Exits
    0 on success and 2 when the file cannot be imported, in which case nothing is written.
    """
    from rapport.cli import setup_django

    setup_django()
    from rapport.contacts.importers import BadFileError

    owner = _owner(login)
    try:
        with _progress() as step:
            step(f"Reading {file.name}", 0, 0)
            parsed = _parse(kind, file, maps)
        _run(owner, kind, file, parsed, dry_run=dry_run, ask=_interactive() and not yes)
    except BadFileError as exc:
        raise BadInput(f"{file.name}: {exc.message}") from exc


def _interactive() -> bool:
    """Whether a person is at the keyboard to answer a question."""
    return sys.stdin.isatty()


def _owner(login: str) -> User:
    from django.conf import settings
    from django.core.management import call_command
    from django.db.models import Q

    from rapport.accounts.models import User

    if settings.LOCAL_MODE:
        call_command("migrate", interactive=False, verbosity=0)
        if not login:
            from rapport.accounts.services import local_user_ensure

            return local_user_ensure()
    if not login:
        raise BadInput("Name whose contacts these are with --user EMAIL.")
    found = User.objects.filter(Q(email__iexact=login) | Q(username=login)).first()
    if found is None:
        raise BadInput(f"There is no user {login}.")
    return found


def _parse(kind: str, file: Path, maps: tuple[str, ...]) -> Parsed:
    from rapport.contacts.importers import CSV, csv_columns, parse, read_limited

    if maps and kind != CSV:
        raise BadInput("--map is for csv files; LinkedIn and vCard files need no mapping.")
    with file.open("rb") as handle:
        data = read_limited(handle)
    mapping = None
    if kind == CSV:
        mapping = _mapping(csv_columns(data), maps)
        click.echo("Columns: " + _describe_mapping(mapping))
    return parse(kind, data, mapping)


def _mapping(columns: list[str], maps: tuple[str, ...]) -> dict[str, str]:
    from rapport.contacts.importers import MAPPABLE_FIELDS, guess_mapping

    mapping = guess_mapping(columns)
    for item in maps:
        field, sep, column = item.partition("=")
        field = field.strip()
        if not sep or field not in MAPPABLE_FIELDS:
            raise BadInput(
                f"--map {item}: write FIELD=COLUMN, where FIELD is one of "
                f"{', '.join(MAPPABLE_FIELDS)}."
            )
        if column.strip():
            mapping[field] = column.strip()
        else:
            mapping.pop(field, None)
    return mapping


def _describe_mapping(mapping: dict[str, str]) -> str:
    from rapport.contacts.importers import FIELD_LABELS

    if not mapping:
        return "none of the headings is one Rapport knows; use --map FIELD=COLUMN."
    return ", ".join(f"{FIELD_LABELS[field]} ← “{column}”" for field, column in mapping.items())


def _run(owner: User, kind: str, file: Path, parsed: Parsed, *, dry_run: bool, ask: bool) -> None:
    from rapport.contacts.imports import import_apply, import_preview, import_sentence

    if dry_run or ask:
        report = import_preview(owner=owner, rows=parsed.rows)
        _print_report(file, parsed, report)
        if dry_run:
            click.echo("Dry run: nothing was written.")
            return
        if not report.changes_anything:
            click.echo("Nothing to import: everyone in the file is already up to date.")
            return
        click.confirm(
            f"Import {report.new:,} new contacts and update {report.updated:,}?", abort=True
        )
    with _progress() as step:
        # Each kind of file has the Contact.Source of the same name.
        report = import_apply(owner=owner, rows=parsed.rows, source=kind, progress=step)
    if not ask:  # the report was not shown before: show what was done
        _print_report(file, parsed, report)
    click.echo(import_sentence(report, parsed))


def _print_report(file: Path, parsed: Parsed, report: ImportReport) -> None:
    from rapport.contacts.imports import Action, import_problems

    unit = parsed.unit
    total = len(report.outcomes) + parsed.dropped
    click.echo(f"{file.name}: {total:,} {unit}s read.")
    counts = {
        "New": report.new,
        "Updated": report.updated,
        "Unchanged": report.unchanged,
        "Skipped": report.skipped + parsed.dropped,
    }
    for label, count in counts.items():
        click.echo(f"  {label + ':':<11}{count:>8,}")
    updates = [o for o in report.outcomes if o.action is Action.UPDATED]
    if updates:
        click.echo("Updates:")
        for outcome in updates:
            click.echo(f"  {unit.title()} {outcome.row}, {outcome.who}: {outcome.detail}")
    problems = import_problems(report, parsed)
    if problems:
        click.echo("Problems:")
        for problem in problems:
            field = f"{problem.field.replace('_', ' ')}: " if problem.field else ""
            click.echo(f"  {unit.title()} {problem.row}: {field}{problem.reason}")


@contextmanager
def _progress() -> Iterator[Progress]:
    """A progress bar on standard error while work runs, when a person is watching."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    columns: list[Any] = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn()]
    columns.append(TimeElapsedColumn())
    with Progress(
        *columns, console=console, transient=True, disable=not console.is_terminal
    ) as bar:
        task = bar.add_task("", total=None)

        def step(what: str, done: int, total: int) -> None:
            bar.update(task, description=what, completed=done, total=total or None)

        yield step
