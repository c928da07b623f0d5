"""The `rapport` command. `serve` is the default, so `rapport` alone starts the app."""

from __future__ import annotations

import ipaddress
import os
import sys
import threading
import webbrowser
from pathlib import Path
from typing import Any

import click

import rapport
from rapport.check_command import check
from rapport.import_command import import_contacts

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_THREADS = 8
DEFAULT_POLL_SECONDS = 30.0  # rapport.worker's, repeated: that module needs Django loaded
DEMO_FOLDER = "demo"


class DefaultGroup(click.Group):
    """A group that runs `serve` when no sub-command is named (`rapport --port 9000`)."""

    default_command = "serve"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        group_options = {name for param in self.params for name in param.opts}
        group_options.update(ctx.help_option_names)
        if not args or (args[0] not in self.commands and args[0] not in group_options):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)


def setup_django(**env: str) -> None:
    """Load settings once; a bad RAPPORT_* value ends the command with its explanation."""
    import django
    from django.apps import apps

    from rapport.lib.env import EnvError

    if apps.ready:  # already set up, as under the test runner
        return
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapport.settings")
    try:
        django.setup()
    except EnvError as exc:
        raise click.ClickException(f"Configuration problem in {exc.name}: {exc.problem}") from exc


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(rapport.__version__, "--version", prog_name="rapport")
def main() -> None:
    """Rapport helps you run informational interviews well.

    Run `rapport` to start the app on this computer and open the printed link.
    """


@main.command()
@click.option("--host", default=DEFAULT_HOST, show_default=True, help="Address to listen on.")
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=click.IntRange(1, 65535))
@click.option("--open", "open_browser", is_flag=True, help="Open the sign-in link in a browser.")
@click.option("--threads", default=DEFAULT_THREADS, show_default=True, type=click.IntRange(1, 64))
def serve(host: str, port: int, open_browser: bool, threads: int) -> None:
    """Start Rapport's web app (the default command)."""
    setup_django()
    _serve(host=host, port=port, open_browser=open_browser, threads=threads)


@main.command()
@click.option("--host", default=DEFAULT_HOST, show_default=True, help="Address to listen on.")
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=click.IntRange(1, 65535))
@click.option("--open", "open_browser", is_flag=True, help="Open the sign-in link in a browser.")
@click.option("--reset", is_flag=True, help="Throw away the demo data and seed it afresh.")
@click.option("--no-serve", is_flag=True, help="Seed the demo data, print where, and stop.")
def demo(host: str, port: int, open_browser: bool, reset: bool, no_serve: bool) -> None:
    """Start Rapport with realistic demo data, kept apart from your own."""
    demo_dir = _setup_demo_django(reset=reset)
    _migrate(verbosity=0)
    from rapport.demo import demo_seed

    seeded = demo_seed()
    where = f"Demo data in {demo_dir}"
    click.echo(
        f"{where} ({'seeded just now' if seeded else 'kept from last time; --reset to renew'})."
    )
    if no_serve:
        return
    _serve(host=host, port=port, open_browser=open_browser, threads=DEFAULT_THREADS)


def _setup_demo_django(*, reset: bool = False) -> Path:
    """The demo lives in its own SQLite file, whatever database the user configured."""
    from rapport.lib.datadir import data_dir

    demo_dir = data_dir(os.environ) / DEMO_FOLDER
    if reset:
        for name in ("rapport.sqlite3", "rapport.sqlite3-wal", "rapport.sqlite3-shm"):
            (demo_dir / name).unlink(missing_ok=True)
    # Its emails go to the demo's outbox folder, never to a mail server the user configured.
    setup_django(
        RAPPORT_DATA_DIR=str(demo_dir),
        RAPPORT_MODE="local",
        RAPPORT_DATABASE_URL="",
        RAPPORT_EMAIL_URL="",
        RAPPORT_EMAIL_URL_FILE="",
    )
    return demo_dir


@main.command()
@click.option("--verbosity", default=1, type=click.IntRange(0, 3), show_default=True)
def migrate(verbosity: int) -> None:
    """Create or upgrade the database tables."""
    setup_django()
    _migrate(verbosity=verbosity)


@main.command()
@click.option("--email", prompt=True, help="The address the user signs in with.")
@click.option("--name", "display_name", default="", help="How Rapport addresses them.")
@click.option(
    "--password",
    envvar="RAPPORT_NEW_USER_PASSWORD",
    help="Their password; asked for when not given (or set RAPPORT_NEW_USER_PASSWORD).",
)
@click.option("--superuser", is_flag=True, help="Give them every permission.")
def createuser(email: str, display_name: str, password: str | None, superuser: bool) -> None:
    """Create a user who signs in with an email and password (server mode)."""
    setup_django()
    from rapport.accounts import services
    from rapport.core.errors import RapportError

    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = services.user_create(email=email, password=password, display_name=display_name)
    except RapportError as exc:
        raise click.ClickException(exc.message) from exc
    if superuser:
        services.user_make_superuser(user=user)
    click.echo(f"Created {user.email}.")


@main.command("login-link")
@click.option("--email", default="", help="Whose link (server mode); local mode needs none.")
@click.option("--base-url", default="", help="The address Rapport is reached at.")
@click.option("--demo", "for_demo", is_flag=True, help="A link for the demo (`rapport demo`).")
def login_link(email: str, base_url: str, for_demo: bool) -> None:
    """Print a fresh one-time sign-in link."""
    if for_demo:
        _setup_demo_django()
    else:
        setup_django()
    from django.conf import settings

    from rapport.accounts.models import User

    if settings.LOCAL_MODE:
        _migrate(verbosity=0)
        from rapport.accounts.services import local_user_ensure

        user = local_user_ensure()
    else:
        found = User.objects.filter(email__iexact=email.strip()).first() if email else None
        if found is None:
            raise click.ClickException("Name an existing user with --email.")
        user = found
    base = base_url or settings.BASE_URL or f"http://{DEFAULT_HOST}:{DEFAULT_PORT}"
    click.echo(_issue_link(user, base))


@main.command()
def version() -> None:
    """Show the versions and where the data lives."""
    setup_django()
    import django
    from django.conf import settings
    from django.db import connection

    click.echo(f"rapport {rapport.__version__}")
    click.echo(f"django {django.get_version()}, python {sys.version.split()[0]}")
    click.echo(f"mode: {settings.MODE}")
    click.echo(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    click.echo(f"data directory: {settings.DATA_DIR}")


@main.command()
@click.option(
    "--poll",
    "poll_seconds",
    default=DEFAULT_POLL_SECONDS,
    show_default=True,
    type=click.FloatRange(min=0.1),
    metavar="SECONDS",
    help="How long to wait between passes.",
)
@click.option("--once", is_flag=True, help="Make one pass, then exit (for cron).")
def worker(poll_seconds: float, once: bool) -> None:
    """Send scheduled emails when they are due, until stopped (Ctrl+C or SIGTERM).

    Any number of workers can run at once: each message is sent by one of them, once.
    `rapport serve` runs one itself in local mode.
    """
    setup_django()
    from rapport.worker import run_worker, stop_on_signals, worker_pass

    stop = threading.Event()
    with stop_on_signals(stop):
        if not once:
            run_worker(stop=stop, poll_seconds=poll_seconds)
        elif not worker_pass(stop=stop):
            raise click.ClickException("The pass did not finish; the log above says why.")


main.add_command(check)
main.add_command(import_contacts)


def _migrate(*, verbosity: int) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


def _issue_link(user: Any, base_url: str) -> str:
    from django.urls import reverse

    from rapport.accounts.services import login_token_issue

    issued = login_token_issue(user=user)
    path = reverse("accounts:link_login", kwargs={"token": issued.token})
    return base_url.rstrip("/") + path


def _check_host(host: str, *, local_mode: bool) -> None:
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if local_mode and not loopback:
        raise click.ClickException(
            f"Local mode has no passwords, so it only listens on this computer, not {host}. "
            "Set RAPPORT_MODE=server to serve others."
        )


def _serve(*, host: str, port: int, open_browser: bool, threads: int) -> None:
    from django.conf import settings

    _check_host(host, local_mode=settings.LOCAL_MODE)
    base_url = f"http://{host if ':' not in host else f'[{host}]'}:{port}"
    if settings.LOCAL_MODE:
        _migrate(verbosity=0)
        from rapport.accounts.services import local_user_ensure

        link = _issue_link(local_user_ensure(), base_url)
        click.echo(f"Rapport is running at {base_url}/")
        click.echo(f"Sign in (the link works once, for {settings.LOGIN_LINK_MINUTES} minutes):")
        click.echo(f"  {link}")
        if settings.EMAIL_FILE_PATH:
            click.echo(f"Emails are saved in {settings.EMAIL_FILE_PATH}, one .eml file each.")
        click.echo("Press Ctrl+C to stop.", err=True)
        if open_browser:
            webbrowser.open(link)
    else:
        _refuse_pending_migrations()
        click.echo(f"Rapport (server mode) is running at {base_url}/")
    sys.stdout.flush()
    if settings.LOCAL_MODE:
        from rapport.worker import worker_thread

        with worker_thread():
            _run_wsgi(host=host, port=port, threads=threads)
    else:  # a server runs `rapport worker` processes of its own
        _run_wsgi(host=host, port=port, threads=threads)


def _refuse_pending_migrations() -> None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise click.ClickException("The database needs upgrading first: run `rapport migrate`.")


def _run_wsgi(*, host: str, port: int, threads: int) -> None:
    from waitress import serve as waitress_serve

    from rapport.wsgi import application

    try:
        waitress_serve(application, host=host, port=port, threads=threads, ident="rapport")
    except OSError as exc:
        raise click.ClickException(
            f"Cannot listen on {host}:{port} ({exc.strerror}). Is Rapport already running? "
            "Try --port with another number."
        ) from exc
