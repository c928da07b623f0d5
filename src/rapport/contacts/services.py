"""Writes for companies, contacts, tags and the contact timeline."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from rapport.accounts.models import User
from rapport.contacts.models import STAGE_CHOICES, Company, Contact, ContactEvent, Tag
from rapport.contacts.ranking import RANKED_COMPANY_FIELDS, RANKED_CONTACT_FIELDS, ranks_refresh
from rapport.core.errors import RapportError
from rapport.core.models import ensure_owned_by
from rapport.lib.names import company_key, person_key, profile_url_key
from rapport.playbook.stages import Stage

# What a seeker may change on a contact, by hand or through the API.
CONTACT_FIELDS = (
    "first_name", "last_name", "email", "phone", "linkedin_url", "title", "location",
    "time_zone", "country", "connected_on", "source", "stage", "research_role",
    "research_tenure", "research_path", "research_achievements", "research_writing",
    "common_ground", "notes",
)  # fmt: skip
COMPANY_FIELDS = ("name", "domain", "notes", "keenness", "hiring_signal")


def _validated(obj: Company | Contact) -> None:
    try:
        obj.full_clean(exclude=["owner", "tags"], validate_unique=False)
    except ValidationError as exc:
        raise RapportError(
            "Some fields need fixing.",
            fields={field: " ".join(msgs) for field, msgs in exc.message_dict.items()},
        ) from exc


# --- companies -----------------------------------------------------------------------------


@transaction.atomic
def company_create(*, owner: User, name: str, **fields: Any) -> Company:
    name = " ".join(name.split())
    if not company_key(name):
        raise RapportError("A company needs a name.", fields={"name": "required"})
    if Company.objects.for_owner(owner).filter(name_key=company_key(name)).exists():
        raise RapportError(
            f"You already have {name}.", code="duplicate", fields={"name": "already exists"}
        )
    company = Company(owner=owner, name=name, name_key=company_key(name), **fields)
    _validated(company)
    company.save()
    ranks_refresh(owner=owner, company_ids=[company.pk])
    company.refresh_from_db(fields=["rank_score", "rank_reasons"])
    return company


def company_for_name(*, owner: User, name: str) -> Company | None:
    """The owner's company with this name, however it is cased or punctuated; made if new."""
    name = " ".join(name.split())
    key = company_key(name)
    if not key:
        return None
    company, _ = Company.objects.get_or_create(owner=owner, name_key=key, defaults={"name": name})
    return company


@transaction.atomic
def company_update(*, owner: User, company: Company, data: dict[str, Any]) -> Company:
    """Change fields; a change to what the ranking reads re-ranks the company and its people."""
    ensure_owned_by(owner, company)
    before = {field: getattr(company, field) for field in RANKED_COMPANY_FIELDS}
    for field, value in data.items():
        if field not in COMPANY_FIELDS:
            raise RapportError(f"{field} cannot be changed.", fields={field: "not editable"})
        setattr(company, field, value)
    if "name" in data:
        company.name = " ".join(str(company.name).split())
        company.name_key = company_key(company.name)
        clash = Company.objects.for_owner(owner).filter(name_key=company.name_key)
        if clash.exclude(pk=company.pk).exists():
            raise RapportError(
                f"You already have {company.name}.",
                code="duplicate",
                fields={"name": "already exists"},
            )
    _validated(company)
    company.save()
    if any(getattr(company, field) != old for field, old in before.items()):
        ranks_refresh(owner=owner, company_ids=[company.pk])
        company.refresh_from_db(fields=["rank_score", "rank_reasons"])
    return company


@transaction.atomic
def company_delete(*, owner: User, company: Company) -> None:
    """Delete the company; its contacts stay, without a company, and are ranked again."""
    ensure_owned_by(owner, company)
    people = list(company.contacts.values_list("pk", flat=True))
    company.delete()
    if people:
        ranks_refresh(owner=owner, company_ids=[], contact_ids=people)


# --- contacts ------------------------------------------------------------------------------


@transaction.atomic
def contact_create(
    *,
    owner: User,
    company: Company | None = None,
    referred_by: Contact | None = None,
    event: str = ContactEvent.Kind.CREATED,
    **fields: Any,
) -> Contact:
    """A contact; a company or referrer must belong to the same owner."""
    ensure_owned_by(owner, company)
    _check_referrer(owner, None, referred_by)
    contact = Contact(owner=owner, company=company, referred_by=referred_by, **fields)
    contact.linkedin_key = profile_url_key(contact.linkedin_url)
    _validated(contact)
    contact.save()
    how = "Imported" if event == ContactEvent.Kind.IMPORTED else "Added"
    contact_event_add(owner=owner, contact=contact, kind=event, summary=f"{how} {contact}")
    return contact


@transaction.atomic
def contact_update(
    *,
    owner: User,
    contact: Contact,
    data: dict[str, Any],
    by_hand: bool = True,
    company: Company | object | None = ...,
    referred_by: Contact | object | None = ...,
) -> Contact:
    """Change fields; changes made by hand are remembered so an import never undoes them.
    `...` leaves the company or the referrer as they are."""
    ensure_owned_by(owner, contact)
    changed = []
    old_stage = contact.stage
    for field, value in data.items():
        if field not in CONTACT_FIELDS:
            raise RapportError(f"{field} cannot be changed.", fields={field: "not editable"})
        if getattr(contact, field) != value:
            setattr(contact, field, value)
            changed.append(field)
    if company is not ...:
        ensure_owned_by(owner, company)  # type: ignore[arg-type]
        if contact.company != company:
            contact.company = company  # type: ignore[assignment]
            changed.append("company")
    if referred_by is not ...:
        _check_referrer(owner, contact, referred_by)  # type: ignore[arg-type]
        if contact.referred_by != referred_by:
            contact.referred_by = referred_by  # type: ignore[assignment]
            changed.append("referred_by")
    if not changed:
        return contact
    contact.linkedin_key = profile_url_key(contact.linkedin_url)
    if by_hand:
        contact.edited_fields = sorted(set(contact.edited_fields) | set(changed))
    _validated(contact)
    contact.save()
    if contact.stage != old_stage:
        _stage_event(owner, contact, old_stage)
    other = [f for f in changed if f != "stage"]
    if other:
        contact_event_add(
            owner=owner,
            contact=contact,
            kind=ContactEvent.Kind.UPDATED,
            summary=f"Edited {', '.join(f.replace('_', ' ') for f in other)}",
        )
    return contact


@transaction.atomic
def contact_set_stage(*, owner: User, contact: Contact, stage: str) -> Contact:
    if stage not in dict(STAGE_CHOICES):
        raise RapportError(f"{stage!r} is not a stage.", fields={"stage": "unknown"})
    return contact_update(owner=owner, contact=contact, data={"stage": stage})


@transaction.atomic
def contact_add(
    *,
    owner: User,
    data: dict[str, Any],
    company_name: str = "",
    tag_names: Iterable[str] = (),
    referred_by_name: str = "",
) -> Contact:
    """A contact added by hand on the pages: the company by name (matched or made), who
    introduced them by name, ranked at once."""
    referred_by = contact_for_name(owner=owner, name=referred_by_name)
    company = company_for_name(owner=owner, name=company_name)
    contact = contact_create(owner=owner, company=company, referred_by=referred_by, **data)
    if tag_names:
        contact_set_tags(owner=owner, contact=contact, names=tag_names)
    ranks_refresh(
        owner=owner, company_ids=[company.pk] if company else [], contact_ids=[contact.pk]
    )
    contact.refresh_from_db(fields=["priority_score", "priority_reasons"])
    return contact


@transaction.atomic
def contact_edit(
    *,
    owner: User,
    contact: Contact,
    data: dict[str, Any],
    company_name: str | None = None,
    tag_names: Iterable[str] | None = None,
    referred_by: Contact | object | None = ...,
    referred_by_name: str | None = None,
) -> Contact:
    """An edit by hand from the pages or the API: fields, the employer by name (made if
    new), the tags, who introduced them (a contact, or by name); re-ranks whatever the
    change can move. None (or `...`) leaves company, tags or referrer as they are."""
    ensure_owned_by(owner, contact)
    before = _ranked_values(contact)
    old_company_id = contact.company_id
    company: Company | object | None = ...
    if company_name is not None:
        company = company_for_name(owner=owner, name=company_name)
    if referred_by_name is not None and referred_by_name != referrer_label(contact):
        referred_by = contact_for_name(owner=owner, name=referred_by_name, besides=contact)
    contact = contact_update(
        owner=owner, contact=contact, data=data, company=company, referred_by=referred_by
    )
    if tag_names is not None:
        contact_set_tags(owner=owner, contact=contact, names=tag_names)
    if _ranked_values(contact) != before:
        touched = {pk for pk in (old_company_id, contact.company_id) if pk is not None}
        ranks_refresh(owner=owner, company_ids=touched, contact_ids=[contact.pk])
        contact.refresh_from_db(fields=["priority_score", "priority_reasons"])
    return contact


def _ranked_values(contact: Contact) -> tuple[Any, ...]:
    return tuple(getattr(contact, field) for field in RANKED_CONTACT_FIELDS)


def referrer_label(contact: Contact) -> str:
    """Who introduced the contact, as `contact_for_name` reads it back: "Marta Silva (Acme)"."""
    referrer = contact.referred_by
    if referrer is None:
        return ""
    company = referrer.company
    return f"{referrer.full_name} ({company.name})" if company else referrer.full_name


REFERRAL_CHAIN_LIMIT = 100  # introductions followed back at most this far looking for a loop


def contact_for_name(*, owner: User, name: str, besides: Contact | None = None) -> Contact | None:
    """The owner's contact a seeker means by a name such as "Marta Silva" (any case or
    accents) or, when several share it, "Marta Silva (Acme)". None for an empty name."""
    name = " ".join(name.split())
    if not name:
        return None
    wanted, _, company = name.rpartition(" (") if name.endswith(")") else (name, "", "")
    wanted = wanted or name
    key = person_key(wanted, "")
    # Matched here, not in SQL, so "Zoe" finds "Zoë": a scan of names, for one edit.
    people = Contact.objects.for_owner(owner).values_list("pk", "first_name", "last_name")
    if besides is not None:
        people = people.exclude(pk=besides.pk)
    ids = [pk for pk, first, last in people.iterator() if person_key(first, last) == key]
    found = list(Contact.objects.for_owner(owner).filter(pk__in=ids).select_related("company"))
    if company:
        found = [c for c in found if c.company and c.company.name_key == company_key(company[:-1])]
    if len(found) == 1:
        return found[0]
    if not found:
        raise RapportError(
            f"None of your contacts is called “{name}”. Add them first, then say they "
            "introduced this person.",
            fields={"referred_by": "no contact with this name"},
        )
    at = ", ".join(sorted({f"“{wanted} ({c.company.name})”" for c in found if c.company}))
    raise RapportError(
        f"{len(found)} of your contacts are called “{wanted}”: "
        + (
            f"write which one, as {at}."
            if at
            else "give theirs a company first, so that they can be told apart."
        ),
        fields={"referred_by": "more than one contact with this name"},
    )


def _check_referrer(owner: User, contact: Contact | None, referrer: Contact | None) -> None:
    """A referrer is one of the owner's contacts, not the contact, and not someone the
    contact introduced (directly or down a chain): introductions form a tree."""
    if referrer is None:
        return
    ensure_owned_by(owner, referrer)
    if contact is None or contact.pk is None:
        return
    step: Contact | None = referrer
    for _ in range(REFERRAL_CHAIN_LIMIT):
        if step is None:
            return
        if step.pk == contact.pk:
            why = (
                "by themselves"
                if referrer.pk == contact.pk
                else f"by {referrer}: {referrer} came to you through {contact}"
            )
            raise RapportError(
                f"{contact} cannot have been introduced {why}.",
                fields={"referred_by": "an introduction loop"},
            )
        step = step.referred_by


@transaction.atomic
def contact_set_tags(*, owner: User, contact: Contact, names: Iterable[str]) -> Contact:
    """Make the contact's tags exactly these (matched without regard to case)."""
    ensure_owned_by(owner, contact)
    wanted = {}
    for name in names:
        tag = tag_for_name(owner=owner, name=name)
        wanted[tag.pk] = tag
    current = {tag.pk: tag for tag in contact.tags.all()}
    added = [tag for pk, tag in wanted.items() if pk not in current]
    removed = [tag for pk, tag in current.items() if pk not in wanted]
    if not (added or removed):
        return contact
    contact.tags.add(*added)
    contact.tags.remove(*removed)
    if "tags" not in contact.edited_fields:
        contact.edited_fields = sorted({*contact.edited_fields, "tags"})
        Contact.objects.filter(pk=contact.pk).update(edited_fields=contact.edited_fields)
    contact_event_add(
        owner=owner,
        contact=contact,
        kind=ContactEvent.Kind.TAGGED,
        summary=_tag_summary(added, removed),
    )
    return contact


def _tag_summary(added: list[Tag], removed: list[Tag]) -> str:
    parts = []
    if added:
        parts.append("Tagged " + ", ".join(tag.name for tag in added))
    if removed:
        parts.append("untagged " + ", ".join(tag.name for tag in removed))
    summary = "; ".join(parts)
    return summary[:1].upper() + summary[1:]


@transaction.atomic
def contact_delete(*, owner: User, contact: Contact) -> None:
    ensure_owned_by(owner, contact)
    company_id = contact.company_id
    contact.delete()
    if company_id is not None:
        ranks_refresh(owner=owner, company_ids=[company_id])


def _stage_event(owner: User, contact: Contact, old_stage: str) -> None:
    labels = dict(STAGE_CHOICES)
    contact_event_add(
        owner=owner,
        contact=contact,
        kind=ContactEvent.Kind.STAGE,
        summary=f"{labels[old_stage]} → {labels[contact.stage]}",
    )


def contact_event_add(
    *, owner: User, contact: Contact, kind: str, summary: str, at: datetime | None = None
) -> ContactEvent:
    """Add to the contact's timeline and mark them as recently active."""
    at = at or timezone.now()
    event = ContactEvent.objects.create(
        owner=owner, contact=contact, kind=kind, summary=summary[:300], at=at
    )
    if contact.last_activity_at is None or at > contact.last_activity_at:
        Contact.objects.filter(pk=contact.pk).update(last_activity_at=at)
        contact.last_activity_at = at
    return event


# --- tags and bulk actions -------------------------------------------------------------


def tag_for_name(*, owner: User, name: str) -> Tag:
    name = " ".join(name.split())[:50]
    if not name:
        raise RapportError("A tag needs a name.", fields={"tag": "required"})
    existing = Tag.objects.for_owner(owner).filter(name__iexact=name).first()
    return existing or Tag.objects.create(owner=owner, name=name)


def _owned_contacts(owner: User, contact_ids: Iterable[int]) -> list[Contact]:
    ids = {int(i) for i in contact_ids}
    contacts = list(Contact.objects.for_owner(owner).filter(pk__in=ids))
    if len(contacts) != len(ids):
        raise RapportError("Some of those contacts were not found.", code="not_found")
    return contacts


@transaction.atomic
def contacts_tag(*, owner: User, contact_ids: Iterable[int], tag_name: str) -> int:
    tag = tag_for_name(owner=owner, name=tag_name)
    contacts = _owned_contacts(owner, contact_ids)
    for contact in contacts:
        contact.tags.add(tag)
        contact_event_add(
            owner=owner, contact=contact, kind=ContactEvent.Kind.TAGGED, summary=f"Tagged {tag}"
        )
    return len(contacts)


@transaction.atomic
def contacts_untag(*, owner: User, contact_ids: Iterable[int], tag_name: str) -> int:
    tag = Tag.objects.for_owner(owner).filter(name__iexact=tag_name.strip()).first()
    contacts = _owned_contacts(owner, contact_ids)
    if tag is not None:
        for contact in contacts:
            contact.tags.remove(tag)
    return len(contacts)


@transaction.atomic
def contacts_set_stage(*, owner: User, contact_ids: Iterable[int], stage: str) -> int:
    contacts = _owned_contacts(owner, contact_ids)
    for contact in contacts:
        contact_set_stage(owner=owner, contact=contact, stage=stage)
    return len(contacts)


@transaction.atomic
def contacts_archive(*, owner: User, contact_ids: Iterable[int]) -> int:
    return contacts_set_stage(owner=owner, contact_ids=contact_ids, stage=Stage.ARCHIVED.value)


@transaction.atomic
def contacts_delete(*, owner: User, contact_ids: Iterable[int]) -> int:
    contacts = _owned_contacts(owner, contact_ids)
    Contact.objects.for_owner(owner).filter(pk__in=[c.pk for c in contacts]).delete()
    companies = {c.company_id for c in contacts if c.company_id is not None}
    if companies:
        ranks_refresh(owner=owner, company_ids=companies)
    return len(contacts)
