"""What goes in and out of /api/v1/contacts and /api/v1/companies.

Input schemas refuse fields they do not know (422, naming the field), so a typo such as
`stagee` is reported instead of silently ignored. A PATCH schema has the same fields as
its POST schema, but only the fields a request sends are changed.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import ConfigDict, StringConstraints, ValidationInfo, field_validator

from rapport.contacts.models import Company, Contact
from rapport.contacts.selectors import CONTACT_SORTS
from rapport.lib.dates import is_time_zone
from rapport.playbook.stages import Stage

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200  # one page stays a few hundred kilobytes and a few milliseconds

TagName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]


def _sent_fields_only(schema: dict[str, Any]) -> None:
    """A PATCH body has no required fields and no defaults: what is left out stays as is."""
    schema.pop("required", None)
    for prop in schema.get("properties", {}).values():
        prop.pop("default", None)


# --- pages and filters ------------------------------------------------------------------


class PageParams(Schema):
    limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Rows per page.")
    offset: int = Field(0, ge=0, description="Rows to skip before the page starts.")


class ContactFilters(Schema):
    q: str = Field("", description="Words to find in names, company, title, notes and tags.")
    stage: Stage | None = None
    tag: str = Field("", description="Only contacts with this tag (any case).")
    company_id: int | None = None
    source: Contact.Source | None = None
    sort: str = Field(
        "priority",
        description="`priority` (highest first), `name` or `activity` (latest first).",
        json_schema_extra={"enum": list(CONTACT_SORTS)},
    )

    @field_validator("stage", "company_id", "source", mode="before")
    @classmethod
    def _empty_is_any(cls, value: object) -> object:
        # A form's "any" option sends `stage=`: no filter, not an error.
        return None if value == "" else value

    @field_validator("sort")
    @classmethod
    def _known_sort(cls, value: str) -> str:
        if value not in CONTACT_SORTS:
            raise ValueError(f"use one of {', '.join(CONTACT_SORTS)}")
        return value


class CompanyFilters(Schema):
    q: str = Field("", description="Words to find in the name or the domain.")


# --- companies ----------------------------------------------------------------------------


class CompanyRef(Schema):
    id: int
    name: str


class CompanyOut(Schema):
    id: int
    name: str
    domain: str
    notes: str
    keenness: int = Field(description="How keen you are to work there, 0-3.")
    hiring_signal: int = Field(description="How clearly they are hiring, 0-3.")
    rank_score: float = Field(description="Where the company ranks among yours; higher first.")
    rank_reasons: list[str] = Field(description='Why, in words: "2 alumni", "keen 3/3".')
    contact_count: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_contact_count(obj: Company) -> int:
        counted = getattr(obj, "contact_count", None)  # annotated by the list selector
        return obj.contacts.count() if counted is None else int(counted)


class CompanyPage(Schema):
    items: list[CompanyOut]
    count: int = Field(description="How many companies match, over all pages.")
    limit: int
    offset: int


class CompanyIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    domain: str = Field("", max_length=253)
    notes: str = Field("", description="What it does, its standing, what sets it apart.")
    keenness: int = Field(0, ge=0, le=3, description="How keen you are to work there, 0-3.")
    hiring_signal: int = Field(0, ge=0, le=3, description="How clearly they are hiring, 0-3.")


class CompanyPatch(CompanyIn):
    model_config = ConfigDict(extra="forbid", json_schema_extra=_sent_fields_only)

    name: str = Field("", min_length=1, max_length=200)


# --- contacts -----------------------------------------------------------------------------


class ContactRef(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(obj: Contact) -> str:
        return obj.full_name


class ContactOut(Schema):
    id: int
    first_name: str
    last_name: str
    email: str
    phone: str
    linkedin_url: str
    company: CompanyRef | None
    title: str
    location: str
    time_zone: str
    country: str = Field(description="ISO 3166 code such as `GB`, or empty.")
    connected_on: date | None
    source: Contact.Source
    referred_by: ContactRef | None = Field(description="The contact who introduced them.")
    stage: Stage
    research_role: str
    research_tenure: str
    research_path: str
    research_achievements: str
    research_writing: str
    common_ground: str
    notes: str
    tags: list[str]
    priority_score: float = Field(description="Who to talk to first; higher first.")
    priority_reasons: list[str]
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_country(obj: Contact) -> str:
        return str(obj.country.code or "")

    @staticmethod
    def resolve_tags(obj: Contact) -> list[str]:
        # .all() so a prefetch is used; sorted here, as the prefetch has no order.
        return sorted((tag.name for tag in obj.tags.all()), key=str.casefold)


class ContactPage(Schema):
    items: list[ContactOut]
    count: int = Field(description="How many contacts match, over all pages.")
    limit: int
    offset: int


class ContactFields(Schema):
    """Every field a contact can be written with; POST and PATCH share them."""

    model_config = ConfigDict(extra="forbid")

    first_name: str = Field("", max_length=150)
    last_name: str = Field("", max_length=150)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=50)
    linkedin_url: str = Field("", max_length=400)
    company_id: int | None = Field(None, description="One of your companies, or null for none.")
    company_name: str | None = Field(
        None,
        max_length=200,
        description="A company by name: yours if you have it (any case), else made new.",
    )
    title: str = Field("", max_length=200)
    location: str = Field("", max_length=200)
    time_zone: str = Field("", max_length=64, description="An IANA name, e.g. Europe/London.")
    country: str = Field("", max_length=2, description="ISO 3166 code, e.g. GB.")
    connected_on: date | None = None
    source: Contact.Source = Contact.Source.MANUAL
    referred_by_id: int | None = Field(
        None, description="One of your contacts who introduced them, or null for nobody."
    )
    stage: Stage = Stage.IDENTIFIED
    research_role: str = ""
    research_tenure: str = Field("", max_length=200)
    research_path: str = ""
    research_achievements: str = ""
    research_writing: str = ""
    common_ground: str = ""
    notes: str = ""
    tags: list[TagName] = Field(
        default_factory=list, description="Tag names; on PATCH, the new full set."
    )

    @field_validator("time_zone")
    @classmethod
    def _known_time_zone(cls, value: str) -> str:
        if value and not is_time_zone(value):
            raise ValueError("use an IANA time-zone name such as Europe/London")
        return value

    @field_validator("country")
    @classmethod
    def _country_code(cls, value: str) -> str:
        return value.upper()

    @field_validator("company_name")
    @classmethod
    def _one_way_to_name_the_company(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and info.data.get("company_id") is not None:
            raise ValueError("send company_id or company_name, not both")
        return value


class ContactIn(ContactFields):
    # validate_default: the check below must run when neither name is sent at all.
    last_name: str = Field("", max_length=150, validate_default=True)

    @field_validator("last_name")
    @classmethod
    def _someone_to_talk_to(cls, value: str, info: ValidationInfo) -> str:
        first_name = info.data.get("first_name")
        if first_name is None:  # sent, but refused on its own; that error says enough
            return value
        if not (value.strip() or first_name.strip()):
            raise ValueError("a contact needs a first or last name")
        return value


class ContactPatch(ContactFields):
    model_config = ConfigDict(extra="forbid", json_schema_extra=_sent_fields_only)
