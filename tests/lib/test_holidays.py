from __future__ import annotations

from datetime import date

import pytest

from rapport.lib.holidays import holidays_between, public_holidays


def test_christmas_and_the_observed_boxing_day_are_holidays_in_great_britain() -> None:
    dates = public_holidays("GB", 2026)
    assert date(2026, 12, 25) in dates
    assert date(2026, 12, 28) in dates  # Boxing Day falls on a Saturday, so Monday is off
    assert date(2026, 12, 24) not in dates


def test_independence_day_is_observed_on_the_friday_when_it_falls_on_a_saturday() -> None:
    dates = public_holidays("US", 2026)
    assert {date(2026, 7, 3), date(2026, 7, 4)} <= dates
    assert date(2026, 7, 6) not in dates


@pytest.mark.parametrize(
    ("country", "holiday"),
    [
        ("DE", date(2026, 10, 3)),
        ("JP", date(2026, 11, 3)),
        ("IN", date(2026, 1, 26)),
        ("AU", date(2026, 1, 26)),
    ],
)
def test_each_country_has_its_own_national_days(country: str, holiday: date) -> None:
    assert holiday in public_holidays(country, 2026)
    assert holiday not in public_holidays("GB", 2026)


@pytest.mark.parametrize("spelling", ["gb", "Gb", " GB "])
def test_the_country_code_is_read_in_any_case(spelling: str) -> None:
    assert public_holidays(spelling, 2026) == public_holidays("GB", 2026)


@pytest.mark.parametrize("country", ["", "   ", "XX", "Q", "Narnia"])
def test_an_unknown_or_empty_country_has_no_holidays(country: str) -> None:
    assert public_holidays(country, 2026) == frozenset()


def test_the_result_is_an_immutable_set() -> None:
    assert isinstance(public_holidays("US", 2026), frozenset)


def test_a_repeated_question_is_answered_from_the_cache() -> None:
    public_holidays("DE", 2031)
    hits_before = public_holidays.cache_info().hits
    public_holidays("DE", 2031)
    assert public_holidays.cache_info().hits == hits_before + 1


def test_a_range_across_new_year_covers_both_years() -> None:
    assert holidays_between("GB", date(2026, 12, 20), date(2027, 1, 5)) == {
        date(2026, 12, 25),
        date(2026, 12, 26),
        date(2026, 12, 28),
        date(2027, 1, 1),
    }


def test_the_range_includes_both_ends() -> None:
    christmas = date(2026, 12, 25)
    assert holidays_between("GB", christmas, christmas) == {christmas}


def test_a_backwards_range_is_empty() -> None:
    assert holidays_between("GB", date(2027, 1, 5), date(2026, 12, 20)) == frozenset()


def test_an_unknown_country_has_no_holidays_in_any_range() -> None:
    assert holidays_between("XX", date(2026, 1, 1), date(2027, 12, 31)) == frozenset()
