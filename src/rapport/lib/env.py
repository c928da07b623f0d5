"""Strict readers for RAPPORT_* environment variables.

A wrong value stops start-up with a message that names the variable, instead of
being read as a default and surprising the user later. Every reader takes the
environment as an argument so that tests and the CLI never touch the process
environment behind each other's back.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})


class EnvError(ValueError):
    """A RAPPORT_* variable holds a value Rapport cannot use."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"{name}: {problem}")
        self.name = name
        self.problem = problem


def env_str(env: Mapping[str, str], name: str, default: str = "") -> str:
    """Read a string; `NAME_FILE` (a path) wins over `NAME`, for secrets."""
    file_name = f"{name}_FILE"
    if env.get(file_name):
        path = Path(env[file_name])
        try:
            return path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise EnvError(file_name, f"cannot read {path}: {exc.strerror}") from exc
    return env.get(name, "").strip() or default


def env_bool(env: Mapping[str, str], name: str, *, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in TRUE_WORDS:
        return True
    if raw in FALSE_WORDS:
        return False
    allowed = ", ".join(sorted(TRUE_WORDS | FALSE_WORDS))
    raise EnvError(name, f"{raw!r} is not a yes/no value (use one of {allowed})")


def env_int(
    env: Mapping[str, str], name: str, *, default: int, minimum: int = 0, maximum: int = 2**31
) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise EnvError(name, f"{raw!r} is not a whole number") from exc
    if not minimum <= value <= maximum:
        raise EnvError(name, f"{value} is outside {minimum}..{maximum}")
    return value


def env_choice(env: Mapping[str, str], name: str, *, choices: tuple[str, ...], default: str) -> str:
    raw = env.get(name, "").strip().lower() or default
    if raw not in choices:
        raise EnvError(name, f"{raw!r} is not one of {', '.join(choices)}")
    return raw


def env_list(env: Mapping[str, str], name: str, default: tuple[str, ...] = ()) -> list[str]:
    """A comma-separated list; blanks between commas are dropped."""
    raw = env.get(name)
    if raw is None or not raw.strip():
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_url(
    env: Mapping[str, str], name: str, *, schemes: tuple[str, ...], default: str = ""
) -> str:
    """A URL whose scheme must be one of `schemes` (`NAME_FILE` is honoured)."""
    raw = env_str(env, name, default)
    if not raw:
        return ""
    scheme = urllib.parse.urlsplit(raw).scheme
    if scheme not in schemes:
        raise EnvError(name, f"unsupported scheme {scheme!r}; use one of {', '.join(schemes)}")
    return raw


@dataclass(frozen=True)
class EmailConfig:
    """What Django's email settings need, parsed from one RAPPORT_EMAIL_URL."""

    backend: str
    host: str = ""
    port: int = 0
    username: str = ""
    password: str = ""
    use_tls: bool = False
    use_ssl: bool = False
    timeout_s: int = 10
    file_path: str = ""


EMAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "memory": "django.core.mail.backends.locmem.EmailBackend",
}


def parse_email_url(name: str, url: str) -> EmailConfig:
    """`smtp://user:pass@host:587?starttls=yes`, `smtps://…:465`, `console:`,
    `file:///path/to/dir` or `memory:`."""
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme
    if scheme not in EMAIL_BACKENDS:
        raise EnvError(
            name, f"unsupported scheme {scheme!r}; use one of {', '.join(EMAIL_BACKENDS)}"
        )
    backend = EMAIL_BACKENDS[scheme]
    if scheme == "file":
        if not parts.path:
            raise EnvError(name, "file: needs a folder, as in file:///var/lib/rapport/outbox")
        return EmailConfig(backend=backend, file_path=urllib.parse.unquote(parts.path))
    if scheme not in ("smtp", "smtps"):
        return EmailConfig(backend=backend)
    if not parts.hostname:
        raise EnvError(name, "an SMTP URL needs a host, as in smtp://mail.example.org:587")
    query = dict(urllib.parse.parse_qsl(parts.query))
    try:
        starttls = env_bool(query, "starttls", default=False)
        timeout_s = env_int(query, "timeout", default=10, minimum=1, maximum=300)
        port = parts.port or (465 if scheme == "smtps" else 25)
    except EnvError as exc:
        raise EnvError(name, f"?{exc.name}= {exc.problem}") from exc
    except ValueError as exc:
        raise EnvError(name, "the port is not a number between 1 and 65535") from exc
    if starttls and scheme == "smtps":
        raise EnvError(name, "smtps already encrypts; drop ?starttls or use smtp:// with it")
    return EmailConfig(
        backend=backend,
        host=parts.hostname,
        port=port,
        username=urllib.parse.unquote(parts.username or ""),
        password=urllib.parse.unquote(parts.password or ""),
        use_tls=starttls,
        use_ssl=scheme == "smtps",
        timeout_s=timeout_s,
    )
