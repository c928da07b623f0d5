from __future__ import annotations

from pathlib import Path

import pytest

from rapport.lib.env import (
    EnvError,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
    env_url,
    parse_email_url,
)


@pytest.mark.parametrize(
    ("raw", "expected"), [("yes", True), ("ON", True), ("0", False), ("no", False)]
)
def test_env_bool_reads_the_usual_words(raw: str, expected: bool) -> None:
    assert env_bool({"RAPPORT_X": raw}, "RAPPORT_X", default=not expected) is expected


def test_env_bool_uses_the_default_when_unset_or_blank() -> None:
    assert env_bool({}, "RAPPORT_X", default=True) is True
    assert env_bool({"RAPPORT_X": "  "}, "RAPPORT_X", default=False) is False


def test_env_bool_rejects_a_typo_and_names_the_variable() -> None:
    with pytest.raises(EnvError, match=r"^RAPPORT_DEBUG: 'yse' is not a yes/no value"):
        env_bool({"RAPPORT_DEBUG": "yse"}, "RAPPORT_DEBUG", default=False)


def test_env_int_checks_number_and_range() -> None:
    assert env_int({"N": "12"}, "N", default=1, minimum=1, maximum=20) == 12
    with pytest.raises(EnvError, match="not a whole number"):
        env_int({"N": "12min"}, "N", default=1)
    with pytest.raises(EnvError, match=r"outside 1\.\.20"):
        env_int({"N": "21"}, "N", default=1, minimum=1, maximum=20)


def test_env_choice_is_case_insensitive_and_strict() -> None:
    assert (
        env_choice({"M": "Server"}, "M", choices=("local", "server"), default="local") == "server"
    )
    with pytest.raises(EnvError, match="'cloud' is not one of local, server"):
        env_choice({"M": "cloud"}, "M", choices=("local", "server"), default="local")


def test_env_list_splits_on_commas_and_drops_blanks() -> None:
    assert env_list({"H": " a.example, ,b.example "}, "H") == ["a.example", "b.example"]
    assert env_list({}, "H", ("x",)) == ["x"]


def test_a_file_variant_wins_for_secrets(tmp_path: Path) -> None:
    secret = tmp_path / "key"
    secret.write_text("from-file\n", encoding="utf-8")
    env = {"RAPPORT_SECRET_KEY": "inline", "RAPPORT_SECRET_KEY_FILE": str(secret)}
    assert env_str(env, "RAPPORT_SECRET_KEY") == "from-file"


def test_an_unreadable_secret_file_names_the_file_variable(tmp_path: Path) -> None:
    env = {"RAPPORT_SECRET_KEY_FILE": str(tmp_path / "missing")}
    with pytest.raises(EnvError, match=r"^RAPPORT_SECRET_KEY_FILE: cannot read"):
        env_str(env, "RAPPORT_SECRET_KEY")


def test_env_url_checks_the_scheme() -> None:
    env = {"RAPPORT_DATABASE_URL": "mysql://db/x"}
    with pytest.raises(EnvError, match="unsupported scheme 'mysql'"):
        env_url(env, "RAPPORT_DATABASE_URL", schemes=("sqlite", "postgres"))


def test_an_smtp_url_with_starttls_and_credentials_is_parsed() -> None:
    config = parse_email_url("E", "smtp://me%40x.org:p%2Fss@mail.example.org:587?starttls=yes")
    assert config.backend.endswith("smtp.EmailBackend")
    assert (config.host, config.port, config.username, config.password) == (
        "mail.example.org",
        587,
        "me@x.org",
        "p/ss",
    )
    assert config.use_tls
    assert not config.use_ssl


def test_smtps_defaults_to_port_465_with_implicit_tls() -> None:
    config = parse_email_url("E", "smtps://mail.example.org")
    assert (config.port, config.use_ssl, config.use_tls) == (465, True, False)


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("smtp://", "needs a host"),
        ("smtp://h?starttls=maybe", "starttls"),
        ("smtp://h:99999", "port"),
        ("file:", "needs a folder"),
        ("pigeon://loft", "unsupported scheme"),
        ("smtps://h?starttls=yes", "already encrypts"),
    ],
)
def test_bad_email_urls_say_what_is_wrong(url: str, problem: str) -> None:
    with pytest.raises(EnvError, match=problem) as caught:
        parse_email_url("RAPPORT_EMAIL_URL", url)
    assert caught.value.name == "RAPPORT_EMAIL_URL"


def test_console_and_file_backends() -> None:
    assert parse_email_url("E", "console:").backend.endswith("console.EmailBackend")
    assert parse_email_url("E", "file:///var/mail/out").file_path == "/var/mail/out"


def test_a_blank_string_means_the_default() -> None:
    assert env_str({"RAPPORT_FROM_EMAIL": "  "}, "RAPPORT_FROM_EMAIL", "x@y") == "x@y"
