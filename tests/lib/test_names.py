from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.lib.names import company_key, profile_url_key


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ACME, Inc.", "acme"),
        ("Acme Ltd", "Acme"),
        ("Société Générale", "societe generale"),
        ("Boston  Dynamics", "boston dynamics"),
        ("H&M", "h m"),
    ],
)
def test_company_names_match_regardless_of_case_punctuation_and_legal_form(a: str, b: str) -> None:
    assert company_key(a) == company_key(b)


def test_different_companies_stay_different() -> None:
    assert company_key("Acme Labs") != company_key("Acme")
    assert company_key("Co") == "co"  # a name that is only a suffix keeps it


@pytest.mark.parametrize(
    "url",
    [
        "https://www.linkedin.com/in/priya-raman/",
        "http://linkedin.com/in/Priya-Raman",
        "linkedin.com/in/priya-raman",
    ],
)
def test_profile_urls_match_however_they_are_written(url: str) -> None:
    assert profile_url_key(url) == "linkedin.com/in/priya-raman"


@given(st.text(max_size=60))
def test_keys_never_fail_and_are_idempotent(name: str) -> None:
    assert company_key(company_key(name)) == company_key(name)
    profile_url_key(name)
