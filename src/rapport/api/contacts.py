"""/api/v1/contacts and /api/v1/companies: list, get, create, update and delete.

Every operation works on the caller's own rows only: someone else's id is a 404 that does
not say whether the row exists, and lists start from `for_owner`. Writes go through the
contacts services, so the API and the pages keep the same rules (edits by hand are
remembered, company names are matched however they are written, the timeline is kept).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Status

from rapport.accounts.models import User
from rapport.api.contact_schemas import (
    CompanyFilters,
    CompanyIn,
    CompanyOut,
    CompanyPage,
    CompanyPatch,
    ContactFilters,
    ContactIn,
    ContactOut,
    ContactPage,
    ContactPatch,
    PageParams,
)
from rapport.api.schemas import ErrorOut
from rapport.contacts import selectors, services
from rapport.contacts.models import Company, Contact
from rapport.contacts.ranking import ranks_refresh
from rapport.core.errors import RapportError
from rapport.core.models import get_owned_or_404

router = Router()

READ_ERRORS: dict[int, type[ErrorOut]] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
# 403: a browser session without its CSRF token; 409: a company name you already have.
WRITE_ERRORS: dict[int, type[ErrorOut]] = {**READ_ERRORS, 403: ErrorOut, 409: ErrorOut}
CONTACTS = ["contacts"]
COMPANIES = ["companies"]


def _owner(request: HttpRequest) -> User:
    """The user the API's auth let in (a token's owner or the signed-in session's user)."""
    user = getattr(request, "auth", None)
    assert isinstance(user, User), "every operation here requires auth"
    return user


def _page(rows: QuerySet[Any], page: PageParams) -> dict[str, Any]:
    end = page.offset + page.limit
    return {
        "items": list(rows[page.offset : end]),
        "count": rows.count(),
        "limit": page.limit,
        "offset": page.offset,
    }


# --- contacts -----------------------------------------------------------------------------


@router.get(
    "/contacts",
    response={200: ContactPage, **READ_ERRORS},
    url_name="contacts",
    summary="List your contacts, filtered and paginated",
    tags=CONTACTS,
)
def list_contacts(
    request: HttpRequest, filters: Query[ContactFilters], page: Query[PageParams]
) -> dict[str, Any]:
    contacts = selectors.contact_list(
        owner=_owner(request),
        query=filters.q,
        stage=filters.stage or "",
        tag=filters.tag,
        company_id=filters.company_id,
        source=filters.source or "",
        sort=filters.sort,
    )
    return _page(contacts.select_related("referred_by").prefetch_related("tags"), page)


@router.get(
    "/contacts/{int:contact_id}",
    response={200: ContactOut, **READ_ERRORS},
    url_name="contact",
    summary="One contact",
    tags=CONTACTS,
)
def get_contact(request: HttpRequest, contact_id: int) -> Contact:
    return get_owned_or_404(Contact, _owner(request), pk=contact_id)


@router.post(
    "/contacts",
    response={201: ContactOut, **WRITE_ERRORS},
    url_name="contacts",
    summary="Add a contact",
    tags=CONTACTS,
)
def create_contact(request: HttpRequest, payload: ContactIn) -> Status[Contact]:
    owner = _owner(request)
    data = payload.model_dump()
    tags = data.pop("tags")
    # One transaction: if any step fails, no company, contact or tag is left behind.
    with transaction.atomic():
        company = _company_named(owner, data.pop("company_id"), data.pop("company_name"))
        referrer_id = data.pop("referred_by_id")
        referrer = None if referrer_id is None else _own_contact(owner, referrer_id)
        contact = services.contact_create(
            owner=owner, company=company, referred_by=referrer, **data
        )
        if tags:
            services.contact_set_tags(owner=owner, contact=contact, names=tags)
        ranks_refresh(owner=owner, company_ids=[], contact_ids=[contact.pk])
    contact.refresh_from_db(fields=["priority_score", "priority_reasons"])
    return Status(201, contact)


@router.patch(
    "/contacts/{int:contact_id}",
    response={200: ContactOut, **WRITE_ERRORS},
    url_name="contact",
    summary="Change some of a contact's fields",
    tags=CONTACTS,
)
def update_contact(request: HttpRequest, contact_id: int, payload: ContactPatch) -> Contact:
    owner = _owner(request)
    contact = get_owned_or_404(Contact, owner, pk=contact_id)
    data = payload.model_dump(exclude_unset=True)  # only what was sent
    tags = data.pop("tags", None)
    company_name = _company_name_sent(owner, data)
    referrer: Contact | object | None = ...
    if "referred_by_id" in data:
        referrer_id = data.pop("referred_by_id")
        referrer = None if referrer_id is None else _own_contact(owner, referrer_id)
    with _referrer_errors_named_as_sent():
        return services.contact_edit(
            owner=owner,
            contact=contact,
            data=data,
            company_name=company_name,
            tag_names=tags,
            referred_by=referrer,
        )


@router.delete(
    "/contacts/{int:contact_id}",
    response={204: None, **WRITE_ERRORS},
    url_name="contact",
    summary="Delete a contact and their timeline",
    tags=CONTACTS,
)
def delete_contact(request: HttpRequest, contact_id: int) -> Status[None]:
    owner = _owner(request)
    services.contact_delete(owner=owner, contact=get_owned_or_404(Contact, owner, pk=contact_id))
    return Status(204, None)


def _company_named(owner: User, company_id: int | None, company_name: str | None) -> Company | None:
    """The company a new contact's body names: by name (matched or made) or by id (one of
    the owner's); None when it names none."""
    if company_name is not None:
        return services.company_for_name(owner=owner, name=company_name)
    return None if company_id is None else _own_company(owner, company_id)


def _company_name_sent(owner: User, data: dict[str, Any]) -> str | None:
    """Take company_id / company_name out of a PATCH body as the name `contact_edit` wants:
    None leaves the company as it is, "" takes it away. An id becomes its company's name,
    which names that same company again (names are unique per owner, however written)."""
    if "company_id" in data:
        company_id = data.pop("company_id")
        return "" if company_id is None else _own_company(owner, company_id).name
    if "company_name" in data:
        return data.pop("company_name") or ""
    return None


def _own_contact(owner: User, contact_id: int) -> Contact:
    contact = Contact.objects.for_owner(owner).filter(pk=contact_id).first()
    if contact is None:
        raise RapportError(
            "The contact named as the referrer is not in your account.",
            fields={"referred_by_id": "no contact with this id in your account"},
        )
    return contact


@contextmanager
def _referrer_errors_named_as_sent() -> Iterator[None]:
    """The services call the field `referred_by`; the API's body calls it `referred_by_id`."""
    try:
        yield
    except RapportError as exc:
        if "referred_by" in exc.fields:
            exc.fields["referred_by_id"] = exc.fields.pop("referred_by")
        raise


def _own_company(owner: User, company_id: int) -> Company:
    company = Company.objects.for_owner(owner).filter(pk=company_id).first()
    if company is None:
        raise RapportError(
            "That company is not in your account.",
            fields={"company_id": "no company with this id in your account"},
        )
    return company


# --- companies ----------------------------------------------------------------------------


@router.get(
    "/companies",
    response={200: CompanyPage, **READ_ERRORS},
    url_name="companies",
    summary="List your companies, highest ranked first",
    tags=COMPANIES,
)
def list_companies(
    request: HttpRequest, filters: Query[CompanyFilters], page: Query[PageParams]
) -> dict[str, Any]:
    return _page(selectors.company_list(owner=_owner(request), query=filters.q), page)


@router.get(
    "/companies/{int:company_id}",
    response={200: CompanyOut, **READ_ERRORS},
    url_name="company",
    summary="One company",
    tags=COMPANIES,
)
def get_company(request: HttpRequest, company_id: int) -> Company:
    return get_owned_or_404(Company, _owner(request), pk=company_id)


@router.post(
    "/companies",
    response={201: CompanyOut, **WRITE_ERRORS},
    url_name="companies",
    summary="Add a company",
    tags=COMPANIES,
)
def create_company(request: HttpRequest, payload: CompanyIn) -> Status[Company]:
    return Status(201, services.company_create(owner=_owner(request), **payload.model_dump()))


@router.patch(
    "/companies/{int:company_id}",
    response={200: CompanyOut, **WRITE_ERRORS},
    url_name="company",
    summary="Change some of a company's fields",
    tags=COMPANIES,
)
def update_company(request: HttpRequest, company_id: int, payload: CompanyPatch) -> Company:
    owner = _owner(request)
    company = get_owned_or_404(Company, owner, pk=company_id)
    data = payload.model_dump(exclude_unset=True)
    return services.company_update(owner=owner, company=company, data=data)


@router.delete(
    "/companies/{int:company_id}",
    response={204: None, **WRITE_ERRORS},
    url_name="company",
    summary="Delete a company; its contacts stay, without a company",
    tags=COMPANIES,
)
def delete_company(request: HttpRequest, company_id: int) -> Status[None]:
    owner = _owner(request)
    services.company_delete(owner=owner, company=get_owned_or_404(Company, owner, pk=company_id))
    return Status(204, None)
