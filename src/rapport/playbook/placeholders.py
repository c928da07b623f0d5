"""Template blanks left in a message: ____, [Name], {company}, <your school>, XX."""

from __future__ import annotations

import re

# Structural shapes, not vocabulary, so they live here rather than in the lexicon.
PLACEHOLDER_RE = re.compile(
    r"_{3,}"
    r"|\[[^\[\]\n]{0,40}[A-Za-z][^\[\]\n]{0,40}\](?!\()"
    r"|\{\{?\s*[^{}\n]{1,40}?\s*\}?\}"
    r"|<(?!/?(?:b|i|u|p|br|em|strong|div|span|a|ul|ol|li|hr)\b)"
    r"[^<>\n@/:]{1,40}[A-Za-z ][^<>\n@/:]{0,40}>"
    r"|(?<![\w.])(?-i:XX+|TBD|TBC|TODO|FIXME|INSERT)(?![\w])"
    r"|\((?:insert|your|company|recipient|their|contact|add|enter|name of)\b[^()\n]{0,40}\)"
    r"|%[A-Za-z_]{2,30}%",
    re.IGNORECASE,
)
NOT_PLACEHOLDERS = frozenset({"[sic]", "[...]", "[x]", "[ ]"})


def placeholder_spans(text: str) -> list[tuple[int, int]]:
    return [
        (m.start(), m.end())
        for m in PLACEHOLDER_RE.finditer(text)
        if m.group().lower() not in NOT_PLACEHOLDERS
    ]
