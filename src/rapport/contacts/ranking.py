"""Keeps the stored ranks of companies and contacts in step with the playbook's scores."""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction

from rapport.accounts.models import Profile, User
from rapport.contacts.models import Company, Contact
from rapport.playbook.priority import (
    EmployerFacts,
    PersonFacts,
    employer_rank,
    matches,
    person_rank,
)

BATCH_SIZE = 1000


@transaction.atomic
def ranks_refresh(*, owner: User) -> None:
    """Recompute every company's and contact's rank for this owner (after an import, a
    profile change or an edit that touches the inputs)."""
    profile = Profile.objects.filter(user=owner).first()
    schools = tuple(profile.schools) if profile else ()
    employers = tuple(profile.past_employers) if profile else ()
    roles = tuple(profile.target_roles) if profile else ()
    contacts = list(
        Contact.objects.for_owner(owner).only(
            "pk", "company_id", "title", "common_ground", "research_path", "source",
            "referred_by_id", "priority_score", "priority_reasons",
        )
    )  # fmt: skip
    facts = {c.pk: _person_ground(c, schools, employers) for c in contacts}
    by_company: dict[int, list[Contact]] = defaultdict(list)
    for contact in contacts:
        if contact.company_id:
            by_company[contact.company_id].append(contact)
    companies = list(Company.objects.for_owner(owner))
    for company in companies:
        people = by_company.get(company.pk, [])
        ranked = employer_rank(
            EmployerFacts(
                keenness=company.keenness,
                hiring_signal=company.hiring_signal,
                alumni=sum(bool(facts[p.pk][0]) for p in people),
                former_colleagues=sum(bool(facts[p.pk][1]) for p in people),
                referrals=sum(p.referred_by_id is not None for p in people),
                contacts=len(people),
            )
        )
        company.rank_score, company.rank_reasons = ranked.score, list(ranked.reasons)
    Company.objects.bulk_update(companies, ["rank_score", "rank_reasons"], batch_size=BATCH_SIZE)
    company_scores = {c.pk: c.rank_score for c in companies}
    for contact in contacts:
        shared_schools, shared_employers = facts[contact.pk]
        ranked = person_rank(
            PersonFacts(
                shared_schools=shared_schools,
                shared_employers=shared_employers,
                referred=contact.referred_by_id is not None or contact.source == "referral",
                title_matches_target=next(iter(matches(contact.title, roles)), ""),
                employer_score=company_scores.get(contact.company_id or 0, 0.0),
            )
        )
        contact.priority_score, contact.priority_reasons = ranked.score, list(ranked.reasons)
    Contact.objects.bulk_update(
        contacts, ["priority_score", "priority_reasons"], batch_size=BATCH_SIZE
    )


def _person_ground(
    contact: Contact, schools: tuple[str, ...], employers: tuple[str, ...]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Schools and past employers of the seeker's that the contact's notes mention."""
    text = " ".join((contact.common_ground, contact.research_path))
    return matches(text, schools), matches(text, employers)
