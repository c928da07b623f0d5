"""Realistic demo data: one seeker's search, part-way through, across every stage.

Everyone here is fictional. Dates are relative to now, so the demo always looks current.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from rapport import demo_meetings
from rapport.accounts.models import User
from rapport.accounts.services import local_user_ensure, profile_update
from rapport.contacts.models import Company, Contact
from rapport.contacts.ranking import ranks_refresh
from rapport.contacts.services import company_create, contact_create
from rapport.meetings.models import Meeting
from rapport.meetings.services import meeting_create
from rapport.outreach.models import Message
from rapport.outreach.services import message_draft_create, message_log_sent
from rapport.playbook.stages import Stage

PROFILE = {
    "display_name": "Maya Okafor",
    "time_zone": "Europe/London",
    "country": "GB",
    "schools": ["University of Leeds", "Hollins Park Sixth Form"],
    "past_employers": ["Greenleaf Co-op (summer internship)", "Leeds Students' Union"],
    "target_roles": ["Sustainability analyst", "ESG consultant", "Energy data analyst"],
    "target_industries": ["Renewable energy", "Sustainability consulting"],
    "intro": "I'm a final-year Environmental Science student at the University of Leeds, "
    "exploring careers in sustainability analysis.",
    "signature": "Maya Okafor\nBSc Environmental Science, University of Leeds",
    "situation": demo_meetings.SITUATION,
}

# name, domain, keenness, hiring signal, notes
COMPANIES = [
    ("Corvane Energy", "corvane.example", 3, 2, "Offshore wind developer; three North Sea sites."),
    ("Hallam Advisory", "hallam.example", 3, 3, "ESG consultancy for mid-size manufacturers."),
    ("Tidewater Analytics", "tidewater.example", 2, 1, "Grid-demand forecasting software."),
    ("Brightline Health", "brightline.example", 1, 0, "Hospital energy-efficiency retrofits."),
    ("Kestrel Design Studio", "kestrel.example", 1, 1, ""),
    ("Lumen Grid", "lumengrid.example", 2, 2, "Community battery storage; B Corp."),
    ("Orchard Labs", "orchardlabs.example", 2, 0, "Carbon accounting platform for retailers."),
    ("Meridian Transit", "meridian.example", 1, 1, "Regional electric bus operator."),
    ("Fernhill Foods", "fernhill.example", 0, 1, "Food manufacturer with a net-zero pledge."),
    ("Sable Bay Power", "sablebay.example", 2, 1, ""),
]


@dataclass(frozen=True)
class DemoPerson:
    first: str
    last: str
    company: str
    title: str
    stage: Stage
    source: str = Contact.Source.LINKEDIN
    location: str = "Leeds, UK"
    time_zone: str = "Europe/London"
    common_ground: str = ""
    research_path: str = ""
    research_role: str = ""
    days_ago: int = 0  # when the request went out, for people past "researched"


PEOPLE = [
    DemoPerson(
        "Ruth",
        "Adeyemi",
        "Hallam Advisory",
        "Senior ESG Consultant",
        Stage.IDENTIFIED,
        source=Contact.Source.REFERRAL,
        location="Sheffield, UK",
    ),
    DemoPerson("Tomasz", "Wiśniewski", "Tidewater Analytics", "Data Scientist", Stage.IDENTIFIED),
    DemoPerson(
        "Priya",
        "Raman",
        "Orchard Labs",
        "Product Manager, Carbon",
        Stage.IDENTIFIED,
        location="London, UK",
    ),
    DemoPerson("Elena", "Marsh", "Fernhill Foods", "Head of Sustainability", Stage.IDENTIFIED),
    DemoPerson(
        "Jonah",
        "Whitfield",
        "Corvane Energy",
        "Environmental Analyst",
        Stage.RESEARCHED,
        common_ground="Also studied Environmental Science at Leeds (2019).",
        research_role="Runs the bird-strike monitoring data for two wind sites.",
    ),
    DemoPerson(
        "Aiko",
        "Tanaka",
        "Lumen Grid",
        "Energy Storage Analyst",
        Stage.RESEARCHED,
        location="Manchester, UK",
        research_role="Models battery dispatch.",
    ),
    DemoPerson("Grace", "Holloway", "Sable Bay Power", "Graduate Engineer", Stage.RESEARCHED),
    DemoPerson(
        "Samuel",
        "Osei",
        "Corvane Energy",
        "Grid Connections Manager",
        Stage.REQUESTED,
        days_ago=2,
        common_ground="Leeds alumnus.",
    ),
    DemoPerson(
        "Hannah",
        "Byrne",
        "Tidewater Analytics",
        "Forecasting Lead",
        Stage.REQUESTED,
        location="Dublin, Ireland",
        time_zone="Europe/Dublin",
        days_ago=6,
    ),
    DemoPerson(
        "Marta", "Kowalczyk", "Orchard Labs", "Carbon Accountant", Stage.REQUESTED, days_ago=12
    ),
    DemoPerson(
        "Luis",
        "Ferreira",
        "Meridian Transit",
        "Fleet Electrification Lead",
        Stage.SCHEDULED,
        days_ago=9,
    ),
    DemoPerson(
        "Chloe",
        "Nakamura-Reid",
        "Hallam Advisory",
        "ESG Analyst",
        Stage.SCHEDULED,
        days_ago=8,
        common_ground="Interned at Greenleaf Co-op too.",
    ),
    DemoPerson(
        "Daniel",
        "Achterberg",
        "Lumen Grid",
        "Head of Partnerships",
        Stage.MET,
        location="Amsterdam, Netherlands",
        time_zone="Europe/Amsterdam",
        days_ago=20,
    ),
    DemoPerson(
        "Imogen", "Clarke", "Brightline Health", "Energy Manager", Stage.THANKED, days_ago=25
    ),
    DemoPerson(
        "Kwame",
        "Mensah",
        "Corvane Energy",
        "Sustainability Manager",
        Stage.KEEPING_IN_TOUCH,
        days_ago=70,
        common_ground="Both volunteered with Leeds Beach Clean.",
    ),
    DemoPerson(
        "Olivia", "Grant", "Kestrel Design Studio", "Service Designer", Stage.DECLINED, days_ago=30
    ),
    DemoPerson(
        "Ben", "Harcourt", "Sable Bay Power", "Commercial Analyst", Stage.NO_REPLY, days_ago=28
    ),
    DemoPerson(
        "Fatima",
        "Zahra",
        "Fernhill Foods",
        "Supply Chain Analyst",
        Stage.ARCHIVED,
        source=Contact.Source.VCARD,
    ),
]

REQUEST_BODY = (
    "Hi {first},\n\nI'm a final-year Environmental Science student at Leeds and I've been "
    "reading about {company}'s work. I'd love to hear how you came to your role as {title} "
    "and what you wish you had known starting out. Could you spare 20 minutes for a call in "
    "the next few weeks, whenever suits you? Thank you for considering it.\n\nMaya"
)
THANKS_BODY = (
    "Hi {first},\n\nThank you for your time yesterday. Your advice to learn SQL alongside "
    "GIS was exactly what I needed; I've signed up for an evening course. I'll let you know "
    "how it goes.\n\nBest wishes,\nMaya"
)


@transaction.atomic
def demo_seed(*, now: datetime | None = None) -> bool:
    """Seed the local user's demo search once; returns False when it was there already."""
    user = local_user_ensure()
    if Contact.objects.for_owner(user).exists():
        return False
    now = now or timezone.now()
    profile_update(user=user, data=PROFILE)
    companies = {
        name: company_create(
            owner=user, name=name, domain=domain, keenness=keen, hiring_signal=hiring, notes=notes
        )
        for name, domain, keen, hiring, notes in COMPANIES
    }
    contacts = [_seed_person(user, companies, person, now) for person in PEOPLE]
    referrer = next(c for c in contacts if c.stage == Stage.MET)
    Contact.objects.filter(pk=contacts[0].pk).update(referred_by=referrer)
    ranks_refresh(owner=user)
    return True


def _seed_person(
    user: User, companies: dict[str, Company], person: DemoPerson, now: datetime
) -> Contact:
    company = companies[person.company]
    contact = contact_create(
        owner=user,
        company=company,
        first_name=person.first,
        last_name=person.last,
        title=person.title,
        location=person.location,
        time_zone=person.time_zone,
        source=person.source,
        stage=person.stage.value,
        common_ground=person.common_ground,
        research_role=person.research_role,
        email=f"{person.first.lower()}.{person.last.lower()}@{company.domain}"
        if person.stage != Stage.IDENTIFIED
        else "",
        connected_on=(now - timedelta(days=400 + 17 * len(person.last))).date(),
    )
    if person.stage == Stage.RESEARCHED:
        _draft_request(user, contact)
    if person.days_ago:
        _seed_history(user, contact, person, now)
    return contact


def _draft_request(user: User, contact: Contact) -> None:
    message_draft_create(
        owner=user,
        contact=contact,
        kind=Message.Kind.REQUEST,
        channel=Message.Channel.LINKEDIN,
        body=_fill(REQUEST_BODY, contact),
    )


def _seed_history(user: User, contact: Contact, person: DemoPerson, now: datetime) -> None:
    sent_at = now - timedelta(days=person.days_ago, hours=3)
    replied = person.stage not in (Stage.REQUESTED, Stage.NO_REPLY)
    request = message_log_sent(
        owner=user,
        contact=contact,
        kind=Message.Kind.REQUEST,
        channel=Message.Channel.EMAIL,
        subject="Leeds student hoping to learn from your path",
        body=_fill(REQUEST_BODY, contact),
        sent_at=sent_at,
        reply_received_at=sent_at + timedelta(days=2) if replied else None,
    )
    if person.stage == Stage.NO_REPLY:
        message_log_sent(
            owner=user,
            contact=contact,
            kind=Message.Kind.FOLLOW_UP,
            channel=Message.Channel.EMAIL,
            subject=f"Re: {request.subject}",
            in_reply_to=request,
            body="Hi Ben, I know this is a busy time of year, so no worries if now isn't "
            "right. If a short call ever suits you, I'd be glad of it. Maya",
            sent_at=sent_at + timedelta(days=10),
        )
    if person.stage in (Stage.SCHEDULED, Stage.MET, Stage.THANKED, Stage.KEEPING_IN_TOUCH):
        _seed_meeting(user, contact, person, now)


def _seed_meeting(user: User, contact: Contact, person: DemoPerson, now: datetime) -> None:
    upcoming = person.stage == Stage.SCHEDULED
    day = (
        now + timedelta(days=2 + len(person.first) % 4)
        if upcoming
        else now - timedelta(days=max(1, person.days_ago - 6))
    )
    start = day.replace(hour=10 + len(person.last) % 5, minute=0, second=0, microsecond=0)
    in_person = len(person.first) % 2 == 0
    meeting = meeting_create(
        owner=user,
        contact=contact,
        start=start,
        duration_min=20 if upcoming else 30,
        status=Meeting.Status.CONFIRMED if upcoming else Meeting.Status.DONE,
        mode=Meeting.Mode.CAFE if in_person else Meeting.Mode.VIDEO,
        place="Laynes Espresso, New Station St" if in_person else "https://meet.example/abc-def",
        travel_min=20 if in_person else 0,
        notes="" if upcoming else "Learn SQL alongside GIS. Talk to Ruth at Hallam.",
    )
    questions = demo_meetings.seed_plan(user, meeting)
    if upcoming and in_person:
        demo_meetings.seed_rehearsal(user, meeting, questions)
    elif not upcoming:
        demo_meetings.seed_notes(user, meeting, questions, with_person=person.stage == Stage.MET)
    if person.stage in (Stage.THANKED, Stage.KEEPING_IN_TOUCH) and meeting.end:
        message_log_sent(
            owner=user,
            contact=contact,
            kind=Message.Kind.THANKS,
            channel=Message.Channel.EMAIL,
            subject="Thank you",
            body=_fill(THANKS_BODY, contact),
            sent_at=meeting.end + timedelta(hours=5),
            meeting=meeting,
        )


def _fill(template: str, contact: Contact) -> str:
    company = contact.company.name if contact.company else "your company"
    return template.format(first=contact.first_name, company=company, title=contact.title)
