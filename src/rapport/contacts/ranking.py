"""Keeps the stored ranks of companies and contacts in step with the playbook's scores.

A company's rank depends only on the company and the people at it, and a person's on
themselves and their employer's rank. So after an edit it is enough to recompute the
companies it touched and the people at them; `ranks_refresh` does that when given ids,
and everything the owner has when not.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple, cast

from django.db import connection, models, transaction
from django.db.models import Q

from rapport.accounts.models import Profile, User
from rapport.contacts.models import Company, Contact
from rapport.lib.names import company_key
from rapport.playbook.priority import (
    EmployerFacts,
    PersonFacts,
    Ranked,
    employer_rank,
    matches,
    person_rank,
)

_PAREN_RE = re.compile(r"\([^)]*\)")
LONGEST_IN_LIST = 500
_REFERRAL = Contact.Source.REFERRAL.value  # a plain str compares several times faster
# What the ranking reads; a change to any of these can move a rank.
RANKED_CONTACT_FIELDS = (
    "company_id", "title", "common_ground", "research_path", "source", "referred_by_id",
)  # fmt: skip
RANKED_COMPANY_FIELDS = ("name", "keenness", "hiring_signal")


@dataclass(frozen=True)
class Seeker:
    """What the ranking needs to know about the seeker, from their profile."""

    schools: tuple[str, ...] = ()
    employers: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    employer_keys: frozenset[str] = frozenset()  # company_key of each past employer


def _seeker(owner: User) -> Seeker:
    profile = Profile.objects.filter(user=owner).first()
    if profile is None:
        return Seeker()
    employers = tuple(profile.past_employers)
    # "Greenleaf Co-op (summer job)" is the company Greenleaf Co-op.
    keys = frozenset(company_key(_PAREN_RE.sub(" ", name)) for name in employers) - {""}
    return Seeker(tuple(profile.schools), employers, tuple(profile.target_roles), keys)


class _Employer(NamedTuple):
    pk: int
    name: str
    name_key: str
    keenness: int
    hiring_signal: int
    score: float
    reasons: list[str]


class _Person(NamedTuple):
    pk: int
    company_id: int | None
    title: str
    common_ground: str
    research_path: str
    source: str
    referred_by_id: int | None
    score: float
    reasons: list[str]

    @property
    def referred(self) -> bool:
        return self.referred_by_id is not None or self.source == _REFERRAL


_EMPLOYER_COLUMNS = (*_Employer._fields[:-2], "rank_score", "rank_reasons")
_PERSON_COLUMNS = (*_Person._fields[:-2], "priority_score", "priority_reasons")


@transaction.atomic
def ranks_refresh(
    *,
    owner: User,
    company_ids: Collection[int] | None = None,
    contact_ids: Collection[int] = (),
) -> None:
    """Recompute ranks: all of the owner's, or only those the given companies and contacts
    can move (those companies, the contacts' employers, and everyone at them)."""
    employers, people = _ranked_rows(owner, company_ids, contact_ids)
    _refresh(_seeker(owner), employers, people, incoming=[])


class Incoming(NamedTuple):
    """Someone about to be added (an import's new row): what their rank depends on."""

    company_id: int | None
    title: str
    source: str


@transaction.atomic
def ranks_with_incoming(
    *,
    owner: User,
    company_ids: Collection[int],
    contact_ids: Collection[int],
    incoming: list[Incoming],
) -> list[Ranked]:
    """Refresh the ranks `ranks_refresh` would for these companies and contacts, as if the incoming
    people were already there, and return the incoming people's ranks, in order, so that
    they are written with them: after an import of 30,000 people that saves reading them
    back and updating every one of them (bench/import_bench.py)."""
    employers, people = _ranked_rows(owner, company_ids, contact_ids)
    # Negative primary keys never clash with stored ones and mark who is not saved yet.
    newcomers = [
        _Person(-number, p.company_id, p.title, "", "", p.source, None, math.nan, [])
        for number, p in enumerate(incoming, start=1)
    ]
    ranks = _refresh(_seeker(owner), employers, people, incoming=newcomers)
    return [ranks[person.pk] for person in newcomers]


def _ranked_rows(
    owner: User, company_ids: Collection[int] | None, contact_ids: Collection[int]
) -> tuple[list[_Employer], list[_Person]]:
    companies = Company.objects.for_owner(owner).values_list(*_EMPLOYER_COLUMNS)
    contacts = Contact.objects.for_owner(owner).values_list(*_PERSON_COLUMNS)
    if company_ids is None and not contact_ids:
        return [_Employer(*r) for r in companies], [_Person(*r) for r in contacts]
    touched = set(company_ids or ()) | _employers_of(owner, contact_ids)
    if len(touched) + len(contact_ids) > LONGEST_IN_LIST:
        # After a large import: reading all the owner's rows and choosing here is quicker
        # than having the database match them against thousands of ids.
        chosen = set(contact_ids)
        employers = [e for e in map(_Employer._make, companies) if e.pk in touched]
        people = [
            p for p in map(_Person._make, contacts) if p.company_id in touched or p.pk in chosen
        ]
        return employers, people
    companies = companies.filter(pk__in=touched)
    contacts = contacts.filter(Q(company_id__in=touched) | Q(pk__in=contact_ids))
    return [_Employer(*r) for r in companies], [_Person(*r) for r in contacts]


def _employers_of(owner: User, contact_ids: Collection[int]) -> set[int]:
    if not contact_ids:
        return set()
    rows = Contact.objects.for_owner(owner).filter(pk__in=contact_ids, company__isnull=False)
    return set(rows.values_list("company_id", flat=True))


def _refresh(
    seeker: Seeker, employers: list[_Employer], stored: list[_Person], incoming: list[_Person]
) -> dict[int, Ranked]:
    """Rank everyone given, save the stored rows whose rank changed, and return the people's
    ranks by primary key.

    A person's rank depends on a handful of facts (their employer, what they share with
    the seeker, an introduction, whether their title is a target role), and thousands of
    people share the same few combinations: each combination is ranked once."""
    people = [*stored, *incoming]
    by_id = {employer.pk: employer for employer in employers}
    grounds = _grounds(people, seeker, by_id)
    tallies: dict[int, _Tally] = defaultdict(_Tally)
    for person, ground in zip(people, grounds, strict=True):
        if person.company_id in by_id:
            tallies[person.company_id].count(person, ground)
    employer_ranks = {e.pk: _rank_employer(e, seeker, tallies.get(e.pk)) for e in employers}
    _save(Company, "rank_score", "rank_reasons", _changed(employers, employer_ranks))
    roles: dict[str, str] = {}  # title -> the target role it matches, or ""
    ranked: dict[tuple[Any, ...], Ranked] = {}
    person_ranks = {}
    for person, ground in zip(people, grounds, strict=True):
        role = roles.get(person.title)
        if role is None:
            role = roles[person.title] = next(iter(matches(person.title, seeker.roles)), "")
        facts = (person.company_id, ground, person.referred, role)
        rank = ranked.get(facts)
        if rank is None:
            employer = by_id.get(person.company_id or 0)
            rank = ranked[facts] = _rank_person(employer, employer_ranks, *facts[1:])
        person_ranks[person.pk] = rank
    _save(Contact, "priority_score", "priority_reasons", _changed(stored, person_ranks))
    return person_ranks


Ground = tuple[tuple[str, ...], tuple[str, ...]]  # shared schools, shared employers


def _grounds(people: list[_Person], seeker: Seeker, by_id: dict[int, _Employer]) -> list[Ground]:
    """Each person's common ground, worked out once per distinct employer and notes."""
    known: dict[tuple[int | None, str, str], Ground] = {}
    grounds = []
    for person in people:
        key = (person.company_id, person.common_ground, person.research_path)
        ground = known.get(key)
        if ground is None:
            employer = by_id.get(person.company_id or 0)
            ground = known[key] = _person_ground(person, seeker, employer)
        grounds.append(ground)
    return grounds


class _Tally:
    """What an employer's rank counts about the people there."""

    __slots__ = ("alumni", "contacts", "former_colleagues", "referrals")

    def __init__(self) -> None:
        self.alumni = self.former_colleagues = self.referrals = self.contacts = 0

    def count(self, person: _Person, ground: Ground) -> None:
        self.alumni += bool(ground[0])
        self.former_colleagues += bool(ground[1])
        self.referrals += person.referred
        self.contacts += 1


def _rank_employer(employer: _Employer, seeker: Seeker, tally: _Tally | None) -> Ranked:
    tally = tally or _Tally()
    return employer_rank(
        EmployerFacts(
            keenness=employer.keenness,
            hiring_signal=employer.hiring_signal,
            alumni=tally.alumni,
            former_colleagues=tally.former_colleagues,
            referrals=tally.referrals,
            contacts=tally.contacts,
            past_employer=employer.name_key in seeker.employer_keys,
        )
    )


def _rank_person(
    employer: _Employer | None,
    employer_ranks: dict[int, Ranked],
    ground: Ground,
    referred: bool,
    role: str,
) -> Ranked:
    shared_schools, shared_employers = ground
    return person_rank(
        PersonFacts(
            shared_schools=shared_schools,
            shared_employers=shared_employers,
            referred=referred,
            title_matches_target=role,
            employer_score=employer_ranks[employer.pk].score if employer else 0.0,
            employer_name=employer.name if employer else "",
            employer_keenness=employer.keenness if employer else 0,
        )
    )


def _person_ground(person: _Person, seeker: Seeker, employer: _Employer | None) -> Ground:
    """The seeker's schools and past employers this person shares: named in the notes on
    them or, for an employer, the one they work at now."""
    text = f"{person.common_ground} {person.research_path}"
    employers = matches(text, seeker.employers)
    if employer is not None and not employers and employer.name_key in seeker.employer_keys:
        employers = (employer.name,)
    return matches(text, seeker.schools), employers


def _changed(
    rows: Iterable[_Employer | _Person], ranks: dict[int, Ranked]
) -> list[tuple[float, list[str], int]]:
    """(score, reasons, pk) for the rows whose stored rank is not the new one."""
    changed = []
    for row in rows:
        ranked = ranks[row.pk]
        if row.score != ranked.score or row.reasons != list(ranked.reasons):
            changed.append((ranked.score, list(ranked.reasons), row.pk))
    return changed


def _save(
    model: type[models.Model],
    score_field: str,
    reasons_field: str,
    rows: list[tuple[float, list[str], int]],
) -> None:
    """One prepared UPDATE run for every changed row: after an import or a profile change
    that can be all 30,000 contacts, which Django's bulk_update takes seconds to build."""
    if not rows:
        return
    quote = connection.ops.quote_name
    reasons = cast("models.JSONField[Any]", model._meta.get_field(reasons_field))
    sql = (
        f"UPDATE {quote(model._meta.db_table)} "  # noqa: S608 (names from the model, not input)
        f"SET {quote(score_field)} = %s, {quote(reasons_field)} = %s WHERE id = %s"
    )
    prepared: dict[tuple[str, ...], Any] = {}  # most rows share a handful of reason lists
    params = []
    for score, why, pk in rows:
        if (key := tuple(why)) not in prepared:
            prepared[key] = reasons.get_db_prep_save(why, connection)
        params.append((score, prepared[key], pk))
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
