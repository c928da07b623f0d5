"""Writes for companies and contacts."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from rapport.accounts.models import User
from rapport.contacts.models import Company, Contact
from rapport.core.errors import RapportError
from rapport.core.models import ensure_owned_by


def _validated(obj: Company | Contact) -> None:
    try:
        obj.full_clean(exclude=["owner"])
    except ValidationError as exc:
        raise RapportError(
            "Some fields need fixing.",
            fields={field: " ".join(msgs) for field, msgs in exc.message_dict.items()},
        ) from exc


@transaction.atomic
def company_create(*, owner: User, name: str, **fields: Any) -> Company:
    company = Company(owner=owner, name=name.strip(), **fields)
    _validated(company)
    company.save()
    return company


@transaction.atomic
def contact_create(
    *,
    owner: User,
    company: Company | None = None,
    referred_by: Contact | None = None,
    **fields: Any,
) -> Contact:
    """A contact; a company or referrer must belong to the same owner."""
    ensure_owned_by(owner, company, referred_by)
    contact = Contact(owner=owner, company=company, referred_by=referred_by, **fields)
    _validated(contact)
    contact.save()
    return contact
