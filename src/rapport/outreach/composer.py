"""Starting a message: the templates (built in, and the seeker's own) and their placeholders,
filled from the contact, their company, the research notes and the seeker's profile.

A placeholder Rapport cannot fill is left in the text as a visible note in brackets, such as
"[what you have in common]": the coach flags it (`request.unfilled-placeholder`) until the
seeker writes something real there.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from zoneinfo import ZoneInfo

from rapport.accounts.models import User
from rapport.contacts.models import Contact
from rapport.lib.dates import zone_or_utc
from rapport.meetings.invites import offered_times
from rapport.meetings.live import advice_texts
from rapport.meetings.models import Meeting
from rapport.outreach.models import Message, MessageTemplate

ANY_CHANNEL = "any"
PLACEHOLDER_RE = re.compile(r"\{([a-z_]+)\}")
# How an unfilled placeholder reads in the text: what the seeker should write there.
UNFILLED = {
    "first_name": "their first name",
    "full_name": "their name",
    "company": "their company",
    "title": "their role",
    "common_ground": "what you have in common",
    "specific": "something specific they did or wrote",
    "referrer": "who introduced you",
    "my_name": "your name",
    "my_first_name": "your first name",
    "my_intro": "one sentence on who you are and where you are now",
    "my_interest": "the field you are exploring",
    "my_signature": "your name",
    "request_date": "the date of your first note",
    "request_subject": "the subject of your first note",
    "meeting_day": "when you met",
    "advice": "one thing they said that helped",
    "slots": "two or three times that suit you",
}
# A sentence that starts with one of these reads on after "I noticed that ...".
LOWER_FIRST_WORDS = frozenset(
    {"we", "both", "our", "you", "your", "the", "a", "an", "i", "i'm", "my", "they", "their"}
)


@dataclass(frozen=True)
class Template:
    id: str  # "builtin:<id>" or "own:<pk>"
    kind: str
    channel: str  # a Message.Channel value, or ANY_CHANNEL
    name: str
    subject: str
    body: str

    @property
    def builtin(self) -> bool:
        return self.id.startswith("builtin:")

    def suits(self, channel: str) -> bool:
        return self.channel in (channel, ANY_CHANNEL, "")


@functools.cache
def builtin_templates() -> tuple[Template, ...]:
    source = resources.files("rapport.outreach").joinpath("data/templates.toml")
    data = tomllib.loads(source.read_text(encoding="utf-8"))
    return tuple(
        Template(
            id=f"builtin:{entry['id']}",
            kind=entry["kind"],
            channel=entry["channel"],
            name=entry["name"],
            subject=entry["subject"].strip(),
            body=entry["body"].strip(),
        )
        for entry in data["template"]
    )


def own_template(template: MessageTemplate) -> Template:
    return Template(
        id=f"own:{template.pk}",
        kind=template.kind,
        channel=template.channel or ANY_CHANNEL,
        name=template.name,
        subject=template.subject,
        body=template.body,
    )


def templates_for(kind: str, channel: str, own: Iterable[MessageTemplate] = ()) -> list[Template]:
    """The templates for this kind of message on this channel: the seeker's own first."""
    mine = [own_template(t) for t in own if t.kind == kind]
    found = [*mine, *(t for t in builtin_templates() if t.kind == kind)]
    return [t for t in found if t.suits(channel)]


def template_find(template_id: str, own: Iterable[MessageTemplate] = ()) -> Template | None:
    for template in [*(own_template(t) for t in own), *builtin_templates()]:
        if template.id == template_id:
            return template
    return None


def fill(text: str, values: Mapping[str, str]) -> str:
    """The text with each {placeholder} replaced; an empty one becomes a [note]."""

    def replaced(match: re.Match[str]) -> str:
        name = match.group(1)
        value = values.get(name, "").strip()
        if value:
            return value
        return f"[{UNFILLED.get(name, name.replace('_', ' '))}]"

    return PLACEHOLDER_RE.sub(replaced, text)


@dataclass(frozen=True)
class Context:
    """Everything a template may draw on."""

    contact: Contact
    author: User
    request: Message | None = None  # the request a follow-up or scheduling reply is about
    meeting: Meeting | None = None  # the meeting a thank-you or update is about
    now: datetime | None = None


def placeholder_values(context: Context) -> dict[str, str]:
    contact, profile = context.contact, getattr(context.author, "profile", None)
    my_name = (profile.display_name if profile else "") or context.author.display_name
    company = contact.company.name if contact.company else ""
    referrer = contact.referred_by.full_name if contact.referred_by else ""
    values = {
        "first_name": contact.first_name or contact.last_name,
        "full_name": " ".join(p for p in (contact.first_name, contact.last_name) if p),
        "company": company,
        "title": contact.title,
        "common_ground": _clause(contact.common_ground),
        "specific": _clause(_first_sentence(contact.research_achievements))
        or _clause(_first_sentence(contact.research_writing)),
        "referrer": referrer,
        "my_name": my_name,
        "my_first_name": my_name.split(" ")[0] if my_name else "",
        "my_intro": _sentence(profile.intro if profile else ""),
        "my_interest": _interest(profile),
        "my_signature": (profile.signature if profile else "") or my_name,
    }
    zone = zone_or_utc(profile.time_zone if profile else "UTC")
    if context.request is not None and context.request.sent_at:
        values["request_date"] = f"{context.request.sent_at.astimezone(zone):%a %-d %b}"
        values["request_subject"] = context.request.subject
    if context.meeting is not None:
        values["meeting_day"] = _meeting_day(context.meeting, context.now, zone)
        values["slots"] = "\n".join(f"- {line}" for line in offered_times(context.meeting))
        values["advice"] = _advice(context.meeting)
    return values


def _advice(meeting: Meeting) -> str:
    """What "Your advice about {advice}" quotes: the first advice noted in the meeting,
    and a second one in brackets; with none noted, the first line of the notes."""
    clauses = advice_clauses(meeting)
    if not clauses:
        return _clause(_first_line(meeting.notes))
    if len(clauses) == 1:
        return clauses[0]
    return f"{clauses[0]} (and about {clauses[1]})"


def advice_clauses(meeting: Meeting) -> list[str]:
    """Each piece of advice as it reads after "your advice about": "Learn SQL first."
    becomes "learning SQL first"."""
    return [_advice_clause(text) for text in advice_texts(meeting)]


def _advice_clause(text: str) -> str:
    text = _clause(text)
    first, _, rest = text.partition(" ")
    if first.lower() == "to" and rest:  # "to learn SQL": the verb comes next
        first, _, rest = rest.partition(" ")
    verb = first.lower()
    if verb not in ADVICE_VERBS or first.isupper():
        return text
    return f"{_gerund(verb)} {rest}".rstrip()


# Advice is usually noted as an instruction; these are the verbs it tends to start with.
ADVICE_VERBS = frozenset(
    {
        "apply", "ask", "attend", "build", "consider", "contact", "do", "find", "focus",
        "follow", "get", "go", "join", "keep", "learn", "look", "make", "meet", "move",
        "network", "practise", "practice", "read", "reach", "sign", "speak", "start", "stop",
        "study", "take", "talk", "think", "try", "use", "volunteer", "write",
    }
)  # fmt: skip
DOUBLED_LAST_LETTER = frozenset({"get", "stop", "set", "put", "run", "plan"})


def _gerund(verb: str) -> str:
    if verb in DOUBLED_LAST_LETTER:
        return f"{verb}{verb[-1]}ing"
    if verb.endswith("e") and not verb.endswith("ee"):
        return f"{verb[:-1]}ing"
    return f"{verb}ing"


def _interest(profile: object) -> str:
    industries = list(getattr(profile, "target_industries", None) or [])
    roles = list(getattr(profile, "target_roles", None) or [])
    if industries:
        return str(industries[0]).strip()
    if roles:
        role = str(roles[0]).strip()
        article = "an" if role[:1].lower() in "aeiou" else "a"
        return f"the work of {article} {role}"
    return ""


def _meeting_day(meeting: Meeting, now: datetime | None, zone: ZoneInfo) -> str:
    if meeting.start is None:
        return ""
    day = meeting.start.astimezone(zone).date()
    if now is not None:
        today = now.astimezone(zone).date()
        if day == today:
            return "today"
        if (today - day).days == 1:
            return "yesterday"
    return f"on {day:%A}"


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    found = re.match(r"(.+?[.!?])(\s|$)", text)
    return found.group(1) if found else text


def _first_line(text: str) -> str:
    for line in text.splitlines():
        line = line.strip(" -*•\t")
        if line:
            return line
    return ""


def _clause(text: str) -> str:
    """A note made to read on inside a sentence: no closing full stop, and a first word
    such as "We" in lower case (a name such as "Leeds" keeps its capital)."""
    text = " ".join(text.split()).rstrip(".")
    first, _, rest = text.partition(" ")
    if first.lower() in LOWER_FIRST_WORDS and first != "I":
        return f"{first.lower()} {rest}".rstrip()
    return text


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    if text and text[-1] not in ".!?":
        text += "."
    return text
