"""Benchmarks: none yet. Later issues add theirs here and write bench/results.md."""

from __future__ import annotations

import sys


def main() -> int:
    print("No benchmarks yet: the coach, import and web benchmarks arrive with their issues.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
