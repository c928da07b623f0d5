"""The cycle collector is paused for bulk work and always comes back."""

from __future__ import annotations

import gc
import threading

import pytest

from rapport.lib.memory import collector_paused


def test_the_collector_is_off_inside_and_back_on_after() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_nested_pauses_turn_it_back_on_only_at_the_end() -> None:
    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_it_comes_back_after_an_error() -> None:
    def failing() -> None:
        with collector_paused():
            raise ValueError("bad row")

    with pytest.raises(ValueError, match="bad row"):
        failing()
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_pauses_from_two_threads_overlap_safely() -> None:
    both_inside = threading.Barrier(2, timeout=5)
    first_left = threading.Event()
    seen: dict[str, bool] = {}

    def first() -> None:
        with collector_paused():
            both_inside.wait()
        seen["after the first left"] = gc.isenabled()
        first_left.set()

    def second() -> None:
        with collector_paused():
            both_inside.wait()
            first_left.wait(5)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert seen == {"after the first left": False}  # the second was still at work
    assert gc.isenabled()
