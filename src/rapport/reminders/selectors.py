"""The Today list: the history read in a fixed handful of queries, handed to the playbook's
cadence rules, then the seeker's snoozes and dismissals taken out.

Whatever the number of contacts and messages, this runs the same queries (a test counts
them): the profile, the contacts still in play, their sent messages, their meetings, the
snoozes, and the names of the people the shown actions are about.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import Max

from rapport.accounts.models import Profile, User
from rapport.contacts.models import Contact
from rapport.lib.dates import zone_or_utc
from rapport.lib.holidays import public_holidays
from rapport.meetings.models import Meeting
from rapport.outreach.models import Message
from rapport.playbook import cadence
from rapport.playbook.stages import END_STAGES, Stage
from rapport.reminders.models import ActionSnooze, HistoryVersion

HORIZON_DAYS = 7  # "coming up": what falls due in the next week
NOT_HELD = (Meeting.Status.CANCELLED, Meeting.Status.NO_SHOW)
NUDGES = (Message.Kind.REQUEST, Message.Kind.FOLLOW_UP)


@dataclass(frozen=True)
class ShownAction:
    """An action as the Today page and the digest show it."""

    action: cadence.Action
    contact: Contact
    group: str  # "overdue", "today" or "soon"
    left: timedelta | None = None  # THANKS: time until the deadline (negative: late)

    @property
    def kind(self) -> str:
        return str(self.action.kind)

    @property
    def title(self) -> str:
        name = self.contact.full_name
        company = self.contact.company.name if self.contact.company else "their company"
        return TITLES[self.action.kind].format(name=name, company=company)

    @property
    def countdown(self) -> str:
        """For a thank-you: "14 h 20 min left", or "3 h late"."""
        if self.left is None:
            return ""
        minutes = int(abs(self.left.total_seconds()) // 60)
        hours, minutes = divmod(minutes, 60)
        if hours >= 48:
            span = f"{hours // 24} days"
        elif hours >= 10:
            span = f"{hours} h"
        else:
            span = f"{hours} h {minutes:02d} min"
        return f"{span} left" if self.left.total_seconds() >= 0 else f"{span} late"


TITLES = {
    cadence.ActionKind.FOLLOW_UP: "Follow up with {name}",
    cadence.ActionKind.SECOND_PERSON: "Try someone else at {company}",
    cadence.ActionKind.NO_REPLY: "Let {name} rest",
    cadence.ActionKind.THANKS: "Thank {name}",
    cadence.ActionKind.UPDATE: "Send {name} an update",
}


GROUPS = ("overdue", "today", "soon")


@dataclass
class TodayList:
    """The actions by group, each group cut to the rows a page shows; `totals` counts
    them all."""

    today: date
    overdue: list[ShownAction] = field(default_factory=list)
    due_today: list[ShownAction] = field(default_factory=list)
    soon: list[ShownAction] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GROUPS, 0))

    @property
    def now_due(self) -> list[ShownAction]:
        return [*self.overdue, *self.due_today]

    @property
    def due_count(self) -> int:
        """Overdue and due today, shown or not."""
        return self.totals["overdue"] + self.totals["today"]

    def group(self, name: str) -> list[ShownAction]:
        return {"overdue": self.overdue, "today": self.due_today, "soon": self.soon}[name]

    def more(self, name: str) -> int:
        """How many of the group are not shown."""
        return self.totals[name] - len(self.group(name))

    def __len__(self) -> int:
        return sum(self.totals.values())


def today_actions(
    *,
    owner: User,
    now: datetime,
    horizon_days: int = HORIZON_DAYS,
    per_group: int | None = None,
    group: str = "",
    offset: int = 0,
) -> TodayList:
    """Everything due, in its groups. `per_group` rows of each group are shown (all when
    None); with `group`, only that group, from `offset`: the "see all" pages."""
    profile = Profile.objects.filter(user=owner).first()
    zone = zone_or_utc(profile.time_zone if profile else "UTC")
    today = now.astimezone(zone).date()
    last_day = today + timedelta(days=horizon_days)
    actions = [a for a in every_action(owner=owner, profile=profile, now=now) if a.due <= last_day]
    actions = _not_put_off(owner, actions, today)
    return _grouped(owner, actions, today, now, per_group=per_group, only=group, offset=offset)


# --- every action the history calls for, remembered per version of the history ----------

# Without a horizon cadence lists every action the history will call for; only a meeting
# ending (thanks becomes due) or a thank-you becoming late changes that without a write.
UNBOUNDED_DAYS = 36_500
LONGEST_REMEMBERED = timedelta(hours=1)  # a safety net: recomputed at least hourly
REMEMBERED_OWNERS = 256  # per process


@dataclass(frozen=True)
class _Remembered:
    version: int
    computed_at: datetime
    valid_until: datetime
    actions: tuple[cadence.Action, ...]


_remembered: OrderedDict[int, _Remembered] = OrderedDict()
_remembered_lock = threading.Lock()


def every_action(
    *, owner: User, profile: Profile | None, now: datetime
) -> tuple[cadence.Action, ...]:
    """All actions the history calls for, due now or later, before snoozes.

    Working them out for thousands of contacts takes a few hundred milliseconds, so the
    result is remembered in this process, keyed by the account's HistoryVersion, which
    database triggers raise on every change the list depends on: a remembered list is
    used only while nothing it was computed from has changed (and never for a read inside
    a transaction, whose writes may yet be rolled back)."""
    version = _history_version(owner)
    remembered = _recall(owner.pk, version, now)
    if remembered is not None:
        return remembered
    found = histories(owner=owner, now=now)
    policy = cadence.Policy.from_settings(
        max_nudges=profile.max_nudges if profile else None,
        keep_in_touch_weeks=profile.keep_in_touch_weeks if profile else None,
    )
    actions = tuple(
        cadence.due_actions(
            found,
            policy=policy,
            now=now,
            seeker_country=_code(profile.country) if profile else "",
            seeker_zone=profile.time_zone if profile else "UTC",
            holidays=public_holidays,
            horizon_days=UNBOUNDED_DAYS,
        )
    )
    if not connection.in_atomic_block:
        _remember(owner.pk, _Remembered(version, now, _valid_until(found, policy, now), actions))
    return actions


def _history_version(owner: User) -> int:
    found = HistoryVersion.objects.filter(owner_id=owner.pk).values_list("version", flat=True)
    return next(iter(found), 0)


def _recall(owner_id: int, version: int, now: datetime) -> tuple[cadence.Action, ...] | None:
    with _remembered_lock:
        entry = _remembered.get(owner_id)
        if entry is None or entry.version != version:
            return None
        if not entry.computed_at <= now < entry.valid_until:
            return None
        _remembered.move_to_end(owner_id)
        return entry.actions


def _remember(owner_id: int, entry: _Remembered) -> None:
    with _remembered_lock:
        _remembered[owner_id] = entry
        _remembered.move_to_end(owner_id)
        while len(_remembered) > REMEMBERED_OWNERS:
            _remembered.popitem(last=False)


def forget_remembered() -> None:
    """For tests, and after a restore: drop every remembered list in this process."""
    with _remembered_lock:
        _remembered.clear()


def _valid_until(
    found: list[cadence.ContactHistory], policy: cadence.Policy, now: datetime
) -> datetime:
    """The first moment the list could change with nothing written: a meeting ending (its
    thank-you falls due) or a thank-you turning late."""
    late = timedelta(hours=policy.thanks_within_hours)
    moments = [
        moment
        for history in found
        for meeting in history.meetings
        if not (meeting.thanked or meeting.cancelled)
        for moment in (meeting.end, meeting.end + late)
        if moment > now
    ]
    return min([now + LONGEST_REMEMBERED, *moments])


def histories(*, owner: User, now: datetime) -> list[cadence.ContactHistory]:
    """What cadence needs to know about every contact still in play, read narrowly: the
    requests and follow-ups (for nudges), each meeting with whether a thank-you followed
    it, and one latest-exchange time per contact (for keeping in touch). A seeker with
    20,000 messages mostly has thank-yous and updates, which are never read one by one."""
    contacts = (
        Contact.objects.for_owner(owner)
        .exclude(stage__in=END_STAGES)
        .values_list("pk", "company_id", "stage", "country", "time_zone", "keep_in_touch_weeks")
    )
    people = {row[0]: row for row in contacts}
    if not people:
        return []
    in_play = Message.objects.for_owner(owner).filter(
        status=Message.Status.SENT, contact__stage__in=_active_stages()
    )
    nudges = (
        in_play.filter(kind__in=NUDGES)
        .values_list("pk", "contact_id", "kind", "in_reply_to_id", "sent_at", "reply_received_at")
        .order_by("sent_at", "pk")
    )
    by_contact: dict[int, list[_Sent]] = defaultdict(list)
    for row in nudges:
        by_contact[row[1]].append(_Sent(*row))
    latest = {
        contact_id: max(m for m in moments if m is not None)
        for contact_id, *moments in in_play.values("contact_id")
        .annotate(Max("sent_at"), Max("reply_received_at"))
        .values_list("contact_id", "sent_at__max", "reply_received_at__max")
        .order_by()
    }
    meetings = _meetings(owner)
    return [
        _history(row, by_contact.get(pk, []), meetings.get(pk, []), latest.get(pk), now)
        for pk, row in people.items()
        if pk in latest or pk in meetings
    ]


def _meetings(owner: User) -> dict[int, list[cadence.MeetingFacts]]:
    """Each meeting with a time, and whether a thank-you to that person went out after it
    began (linked to it or not: a seeker who thanks by hand may not link it). The latest
    thank-you per person says it for all their meetings, in one grouped query."""
    active = _active_stages()
    last_thanks = dict(
        Message.objects.for_owner(owner)
        .filter(kind=Message.Kind.THANKS, status=Message.Status.SENT, contact__stage__in=active)
        .values("contact_id")
        .annotate(Max("sent_at"))
        .values_list("contact_id", "sent_at__max")
        .order_by()
    )
    held = (
        Meeting.objects.for_owner(owner)
        .filter(start__isnull=False, contact__stage__in=active)
        .values_list("contact_id", "pk", "start", "duration_min", "status", "ended_at")
    )
    found: dict[int, list[cadence.MeetingFacts]] = defaultdict(list)
    for contact_id, pk, start, minutes, status, ended_at in held:
        thanked_at = last_thanks.get(contact_id)
        found[contact_id].append(
            cadence.MeetingFacts(
                meeting_id=pk,
                end=ended_at or start + timedelta(minutes=minutes),
                thanked=thanked_at is not None and thanked_at >= start,
                cancelled=status in NOT_HELD,
            )
        )
    return found


@dataclass(frozen=True)
class _Sent:
    pk: int
    contact_id: int
    kind: str
    in_reply_to_id: int | None
    sent_at: datetime
    replied_at: datetime | None


def _history(
    row: tuple[int, int | None, str, object, str, int | None],
    sent: list[_Sent],
    meetings: list[cadence.MeetingFacts],
    latest_exchange: datetime | None,
    now: datetime,
) -> cadence.ContactHistory:
    pk, company_id, stage, country, zone, weeks = row
    ended = [m.end for m in meetings if not m.cancelled and m.end <= now]
    moments = [t for t in (latest_exchange, max(ended, default=None)) if t is not None]
    return cadence.ContactHistory(
        contact_id=pk,
        company_id=company_id,
        stage=stage,
        country=_code(country),
        time_zone=zone,
        keep_in_touch_weeks=weeks,
        threads=tuple(_threads(sent)),
        meetings=tuple(meetings),
        last_interaction=max(moments) if moments else None,
    )


def _threads(sent: list[_Sent]) -> Iterable[cadence.Thread]:
    """Each request with its follow-ups (a follow-up not linked to one belongs to the latest
    request before it) and the first reply to any of them. `sent` is in time order."""
    requests: dict[int, _Sent] = {}
    follow_ups: dict[int, list[_Sent]] = defaultdict(list)
    latest: _Sent | None = None
    for message in sent:
        if message.kind == Message.Kind.REQUEST:
            requests[message.pk] = latest = message
        elif message.kind == Message.Kind.FOLLOW_UP:
            parent = message.in_reply_to_id if message.in_reply_to_id in requests else None
            if parent is None and latest is not None:
                parent = latest.pk
            if parent is not None:
                follow_ups[parent].append(message)
    for pk, request in requests.items():
        nudges = follow_ups.get(pk, [])
        replies = [m.replied_at for m in [request, *nudges] if m.replied_at]
        yield cadence.Thread(
            request_id=pk,
            sent_at=request.sent_at,
            follow_ups=tuple(m.sent_at for m in nudges),
            replied_at=min(replies) if replies else None,
        )


def _active_stages() -> list[str]:
    return [stage.value for stage in Stage if stage not in END_STAGES]


def _not_put_off(owner: User, actions: list[cadence.Action], today: date) -> list[cadence.Action]:
    snoozes = dict(ActionSnooze.objects.for_owner(owner).values_list("action_key", "until"))
    if not snoozes:
        return actions
    kept = []
    for action in actions:
        if action.key in snoozes:
            until = snoozes[action.key]
            if until is None or until > today:
                continue
        kept.append(action)
    return kept


def _group_of(action: cadence.Action, today: date) -> str:
    return "overdue" if action.due < today else "today" if action.due == today else "soon"


def _grouped(
    owner: User,
    actions: list[cadence.Action],
    today: date,
    now: datetime,
    *,
    per_group: int | None,
    only: str,
    offset: int,
) -> TodayList:
    """Only the actions shown get their contact read (with the company): after a long
    absence a seeker may have thousands due, and a page shows a few dozen."""
    result = TodayList(today=today)
    by_group: dict[str, list[cadence.Action]] = {name: [] for name in GROUPS}
    for action in actions:
        by_group[_group_of(action, today)].append(action)
    kept: dict[str, list[cadence.Action]] = {}
    for name, members in by_group.items():
        result.totals[name] = len(members)
        if only and name != only:
            kept[name] = []
        else:
            end = None if per_group is None else offset + per_group
            kept[name] = members[offset:end] if only else members[:per_group]
    wanted = {a.contact_id for members in kept.values() for a in members}
    contacts = Contact.objects.for_owner(owner).select_related("company")
    shown = {c.pk: c for c in contacts.filter(pk__in=wanted)} if wanted else {}
    for name, members in kept.items():
        for action in members:
            contact = shown.get(action.contact_id)
            if contact is not None:
                left = action.deadline - now if action.deadline else None
                result.group(name).append(ShownAction(action, contact, name, left))
    return result


def _code(country: object) -> str:
    return str(getattr(country, "code", country) or "")
