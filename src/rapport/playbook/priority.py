"""Who to talk to first (PLAYBOOK.md section 2): employers, then people, with reasons.

Pure functions on plain values. Weights live in data/priority.toml, each with a reason.
The values are named tuples: an import ranks tens of thousands of people at once, and a
tuple is several times quicker to make than a frozen dataclass.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection
from typing import NamedTuple

from rapport.playbook.loader import data_file

_WORD_RE = re.compile(r"[^\W_]+")
_PAREN_RE = re.compile(r"\([^)]*\)")


@functools.cache
def weights() -> dict[str, float]:
    return {name: float(value) for name, value in data_file("priority")["weights"].items()}


class EmployerFacts(NamedTuple):
    keenness: int  # 0-3, how much the seeker wants to work there
    hiring_signal: int  # 0-3
    alumni: int = 0  # contacts there who went to one of the seeker's schools
    former_colleagues: int = 0  # contacts there from one of the seeker's past employers
    referrals: int = 0  # contacts there someone introduced the seeker to
    contacts: int = 0  # all the seeker's contacts there
    past_employer: bool = False  # the seeker worked there once


class Ranked(NamedTuple):
    score: float
    reasons: tuple[str, ...]


def employer_rank(facts: EmployerFacts) -> Ranked:
    """Keenness counts most, then a way in (alumni, colleagues, referrals), then hiring."""
    w = weights()
    way_in = min(
        w["way_in_cap"],
        facts.alumni * w["alumnus"]
        + facts.former_colleagues * w["former_colleague"]
        + facts.referrals * w["referral"]
        + min(facts.contacts, w["contacts_counted"]) * w["contact"]
        + facts.past_employer * w["past_employer"],
    )
    score = facts.keenness * w["keenness"] + way_in + facts.hiring_signal * w["hiring"]
    reasons = [f"keen {facts.keenness}/3"] if facts.keenness else []
    if facts.past_employer:
        reasons.append("you worked here")
    reasons += _counted(facts.alumni, "alumnus", "alumni")
    reasons += _counted(facts.former_colleagues, "former colleague", "former colleagues")
    reasons += _counted(facts.referrals, "referral", "referrals")
    if facts.hiring_signal:
        reasons.append(f"hiring {facts.hiring_signal}/3")
    if not (facts.alumni or facts.former_colleagues or facts.referrals) and facts.contacts:
        reasons += _counted(facts.contacts, "contact", "contacts")
    return Ranked(round(score, 2), tuple(reasons))


class PersonFacts(NamedTuple):
    shared_schools: tuple[str, ...] = ()
    shared_employers: tuple[str, ...] = ()
    referred: bool = False
    title_matches_target: str = ""  # the target role their title matches, if any
    employer_score: float = 0.0
    employer_name: str = ""
    employer_keenness: int = 0  # 0-3


def person_rank(facts: PersonFacts) -> Ranked:
    """Common ground and a warm introduction first, then the role, then the employer."""
    w = weights()
    score = facts.employer_score * w["employer_share"]
    reasons = []
    if facts.referred:
        score += w["person_referral"]
        reasons.append("introduced to you")
    for school in facts.shared_schools[:1]:
        score += w["shared_school"]
        reasons.append(f"also studied at {school}")
    for employer in facts.shared_employers[:1]:
        score += w["shared_employer"]
        reasons.append(f"also worked at {employer}")
    if facts.title_matches_target:
        score += w["target_role"]
        reasons.append(f"works as {facts.title_matches_target}")
    if facts.employer_keenness and facts.employer_name:
        reasons.append(f"at {facts.employer_name} (keen {facts.employer_keenness}/3)")
    return Ranked(round(score, 2), tuple(reasons))


def matches(text: str, candidates: Collection[str]) -> tuple[str, ...]:
    """The candidates (schools, employers, roles) whose distinctive words all appear in the
    text: "University of Leeds" is found in "studied at Leeds"."""
    if not candidates or not text:
        return ()
    words = set(_WORD_RE.findall(text.casefold()))
    found = []
    for candidate in candidates:
        wanted = _distinctive(candidate)
        if wanted and wanted <= words:
            found.append(_PAREN_RE.sub("", candidate).strip())
    return tuple(found)


@functools.lru_cache(maxsize=4096)  # the same few schools and roles, for every contact
def _distinctive(name: str) -> frozenset[str]:
    """A name's words less the generic ones and any note in brackets."""
    words = set(_WORD_RE.findall(_PAREN_RE.sub(" ", name).casefold()))
    generic = _generic_words()
    return frozenset(words - generic) or frozenset(words)


@functools.cache
def _generic_words() -> frozenset[str]:
    return frozenset(data_file("priority")["matching"]["generic_words"])


def _counted(n: int, one: str, many: str) -> list[str]:
    return [f"{n} {one if n == 1 else many}"] if n else []
