from __future__ import annotations

from pathlib import Path

import pytest

from rapport.lib.dates import is_time_zone, system_time_zone


def test_known_zone_names_are_recognised() -> None:
    assert is_time_zone("America/Chicago")
    assert not is_time_zone("Mars/Olympus_Mons")


def test_tz_variable_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    assert system_time_zone() == "Asia/Tokyo"


def test_the_localtime_link_names_the_zone(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("TZ", raising=False)
    zoneinfo = tmp_path / "zoneinfo" / "Europe"
    zoneinfo.mkdir(parents=True)
    (zoneinfo / "Lisbon").write_bytes(b"TZif")
    link = tmp_path / "localtime"
    link.symlink_to(zoneinfo / "Lisbon")
    assert system_time_zone(link) == "Europe/Lisbon"


def test_an_unknown_setup_falls_back_to_utc(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TZ", "Nowhere/Special")
    assert system_time_zone(tmp_path / "missing") == "UTC"
