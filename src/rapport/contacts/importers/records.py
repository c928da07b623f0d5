"""What every importer produces: one clean record per person, and the problems it met."""

from __future__ import annotations

import functools
import re
import unicodedata
import urllib.parse
from dataclasses import dataclass, field
from datetime import date

from django_countries import countries

from rapport.core.errors import RapportError
from rapport.lib.dates import is_time_zone

# The longest value each column of Contact (and Company.name) holds; a test keeps these in
# step with the models.
FIELD_MAX_CHARS = {
    "first_name": 150,
    "last_name": 150,
    "email": 254,
    "phone": 50,
    "linkedin_url": 400,
    "company": 200,
    "title": 200,
    "location": 200,
    "time_zone": 64,
}
TEXT_FIELDS = ("first_name", "last_name", "phone", "company", "title", "location")
# Every field a record has, in the order forms and reports list them.
ROW_FIELDS = (
    "first_name", "last_name", "email", "phone", "linkedin_url", "company", "title",
    "location", "country", "time_zone", "connected_on",
)  # fmt: skip

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}  # fmt: skip
# Names people write that are not the ISO ones.
COUNTRY_ALIASES = {"UK": "GB", "ENGLAND": "GB", "SCOTLAND": "GB", "WALES": "GB", "USA": "US"}
_DAY_MONTH_YEAR_RE = re.compile(r"(\d{1,2})[ -]([A-Za-z]{3,9})\.?[ -](\d{4})")
_ISO_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
# Deliberately loose: one @, something on each side, a dot in the domain, no spaces.
_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


class BadFileError(RapportError):
    """The file as a whole cannot be imported; nothing from it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="bad_file", fields={"file": message})


@dataclass(frozen=True, slots=True)
class ContactRow:
    """One person as an importer read them. `row` is where they were in the file (the
    spreadsheet row, or the card's number in a vCard file); it is not part of equality,
    so two identical lines compare equal."""

    row: int = field(compare=False)
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    linkedin_url: str = ""
    company: str = ""
    title: str = ""
    location: str = ""
    country: str = ""  # an ISO 3166 code, as Contact.country stores it
    time_zone: str = ""
    connected_on: date | None = None

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @property
    def label(self) -> str:
        """Who this is, for a report line."""
        return self.name or self.email or self.linkedin_url or "(no name)"


@dataclass(frozen=True, slots=True)
class Problem:
    row: int
    field: str  # a ROW_FIELDS name, or "" when it is about the whole row
    reason: str
    skipped: bool = False  # the whole row was left out, not just this field


@dataclass(frozen=True)
class Parsed:
    rows: list[ContactRow]
    problems: list[Problem]
    unit: str = "row"  # what `row` counts: "row" in a CSV file, "card" in a vCard file

    @property
    def dropped(self) -> int:
        """Rows of the file left out entirely."""
        return len({p.row for p in self.problems if p.skipped})


def clean_text(value: str) -> str:
    """Spaces collapsed, control characters (which no name or title has) dropped."""
    if not value:
        return value
    if not value.isprintable():
        value = "".join(ch for ch in value if unicodedata.category(ch) != "Cc" or ch.isspace())
    return " ".join(value.split())


def split_full_name(name: str) -> tuple[str, str]:
    """ "Ana María López" -> ("Ana María", "López"); one word is a first name."""
    first, _, last = clean_text(name).rpartition(" ")
    return (first, last) if first else (last, "")


class RowBuilder:
    """Cleans one row's raw values, noting a problem for each value it has to leave out."""

    def __init__(self, number: int, problems: list[Problem]) -> None:
        self.number = number
        self.problems = problems

    def build(self, raw: dict[str, str]) -> ContactRow | None:
        values: dict[str, object] = {}
        for name in TEXT_FIELDS:
            values[name] = self._text(name, raw.get(name, ""))
        values["email"] = self._email(raw.get("email", ""))
        values["linkedin_url"] = self._linkedin_url(raw.get("linkedin_url", ""))
        values["country"] = self._country(raw.get("country", ""))
        values["time_zone"] = self._time_zone(raw.get("time_zone", ""))
        values["connected_on"] = self._date(raw.get("connected_on", ""))
        row = ContactRow(self.number, **values)  # type: ignore[arg-type]
        if not (row.name or row.email or row.linkedin_url):
            self.skip("it has no name, email or profile URL")
            return None
        return row

    def problem(self, field_name: str, reason: str) -> None:
        self.problems.append(Problem(self.number, field_name, reason))

    def skip(self, reason: str) -> None:
        self.problems.append(Problem(self.number, "", reason, skipped=True))

    def _text(self, name: str, value: str) -> str:
        value = clean_text(value)
        if not value:
            return value
        limit = FIELD_MAX_CHARS[name]
        if len(value) > limit:
            self.problem(name, f"longer than {limit} characters, so cut short")
            value = value[:limit].rstrip()
        return value

    def _email(self, value: str) -> str:
        value = clean_text(value).removeprefix("mailto:")
        if not value:
            return ""
        if not _EMAIL_RE.fullmatch(value) or len(value) > FIELD_MAX_CHARS["email"]:
            self.problem("email", f"“{_short(value)}” is not an email address; left out")
            return ""
        return value

    def _linkedin_url(self, value: str) -> str:
        value = clean_text(value)
        if not value:
            return ""
        url = linkedin_profile_url(value)
        if not url or len(url) > FIELD_MAX_CHARS["linkedin_url"]:
            self.problem(
                "linkedin_url", f"“{_short(value)}” is not a LinkedIn profile address; left out"
            )
            return ""
        return url

    def _country(self, value: str) -> str:
        value = clean_text(value)
        if not value:
            return ""
        code = country_code(value)
        if not code:
            self.problem("country", f"“{_short(value)}” is not a country Rapport knows; left out")
        return code

    def _time_zone(self, value: str) -> str:
        value = clean_text(value)
        if not value or is_time_zone(value):
            return value
        self.problem(
            "time_zone",
            f"“{_short(value)}” is not a time-zone name like Europe/Paris; left out",
        )
        return ""

    def _date(self, value: str) -> date | None:
        value = clean_text(value)
        if not value:
            return None
        parsed = parse_date(value)
        if parsed is None:
            self.problem(
                "connected_on",
                f"“{_short(value)}” is not a date like 14 Nov 2026; imported without it",
            )
        return parsed


@functools.lru_cache(maxsize=8192)  # an export has a few thousand distinct days at most
def parse_date(text: str) -> date | None:
    """LinkedIn's "14 Nov 2026" (month names in English, whatever the computer's language),
    or an ISO date."""
    if found := _DAY_MONTH_YEAR_RE.fullmatch(text):
        day, month_name, year = found.groups()
        month = MONTHS.get(month_name.lower())
        return _date_or_none(int(year), month, int(day)) if month else None
    if found := _ISO_DATE_RE.fullmatch(text):
        year, month, day = (int(part) for part in found.groups())
        return _date_or_none(year, month, day)
    return None


def _date_or_none(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:  # 31 Feb
        return None


def linkedin_profile_url(text: str) -> str:
    """The address with a scheme, if it points at linkedin.com; else ""."""
    if text.startswith("https://www.linkedin.com/") and " " not in text:
        return text  # the form LinkedIn's own export uses, on every row: no need to parse
    url = text if "://" in text else f"https://{text}"
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return ""
    host = (parts.hostname or "").lower()
    linkedin = host == "linkedin.com" or host.endswith(".linkedin.com")
    if parts.scheme not in ("http", "https") or not linkedin or " " in url:
        return ""
    return url


@functools.lru_cache(maxsize=512)
def country_code(text: str) -> str:
    """ "Japan", "japan", "JP" or "JPN" -> "JP"; "" when it is none of them."""
    text = COUNTRY_ALIASES.get(text.upper(), text)
    if len(text) <= 3 and (code := countries.alpha2(text)):
        return code
    return countries.by_name(text, insensitive=True) or ""


def _short(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"
