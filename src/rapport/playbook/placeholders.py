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
    r"|(?<![\w./])(?-i:XX+|TBD|TBC|TODO|FIXME|INSERT)(?![\w/])"
    r"|(?-i:\b(?:FIRST_?NAME|LAST_?NAME|SURNAME|FULL_?NAME|COMPANY_?NAME|YOUR_?NAME"
    r"|JOB_?TITLE|SCHOOL_?NAME)\b)"
    r"|\((?:insert|your|company|recipient|their|contact|add|enter|name of)\b[^()\n]{0,40}\)"
    r"|%[A-Za-z_]{2,30}%",
    re.IGNORECASE,
)
NOT_PLACEHOLDERS = frozenset({"[sic]", "[...]", "[x]", "[ ]"})
PRONOUNS_RE = re.compile(r"\[(?:she|he|they|ze|xe|any)/\w+(?:/\w+)?\]", re.IGNORECASE)


def placeholder_spans(text: str) -> list[tuple[int, int]]:
    return [
        (m.start(), m.end())
        for m in PLACEHOLDER_RE.finditer(text)
        if m.group().lower() not in NOT_PLACEHOLDERS and not PRONOUNS_RE.fullmatch(m.group())
    ]
