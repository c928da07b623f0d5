"""Pausing Python's cycle collector around bulk work.

An import of 30,000 rows makes a few hundred thousand small objects that live until it
ends and hold no reference cycles. The collector still walks all of them again and again
as they accumulate: a third of the import's time (bench/import_bench.py). Pausing it for
the few seconds the work takes costs nothing but the collection it would have done.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with the cycle collector off, restoring it after. The collector is
    process-wide, so pauses from several threads nest: it comes back when the last ends."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
