from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.lib import names
from rapport.lib.names import company_key, person_key, profile_url_key


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


def _words_the_long_way(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text).casefold()
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return [word for word in re.split(r"[\W_]+", folded) if word]


@given(st.text(max_size=40) | st.text(st.characters(max_codepoint=127), max_size=40))
def test_the_ascii_shortcut_finds_the_same_words_as_the_general_way(text: str) -> None:
    assert names._words(text) == _words_the_long_way(text)


def test_people_match_regardless_of_case_accents_and_where_the_name_is_split() -> None:
    assert person_key("Ana María", "López") == person_key("ana", "maria lopez")
    assert person_key("José", "Muñoz-García") == "jose munoz garcia"


def test_a_persons_last_word_is_never_taken_for_a_legal_form() -> None:
    assert person_key("Ana", "Co") == "ana co"
    assert person_key("Ana", "Co") != person_key("Ana", "")
