"""What the seeker should do next: the "Today" list (PLAYBOOK.md sections 5 and 10).

Nothing here is stored. Given the contacts' history, the policy, a holiday calendar and
"now", the same actions come out every time; only the seeker's snoozes and dismissals are
kept, by each action's key. So "a reply stops every nudge" holds by construction.

Business days are counted where the recipient is: on dates in their time zone, skipping
weekends and the public holidays of their country.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from rapport.playbook.calendar import add_business_days, is_business_day
from rapport.playbook.followup import allowed_nudges
from rapport.playbook.loader import threshold
from rapport.playbook.stages import END_STAGES, Stage

HolidaySource = Callable[[str, int], Collection[date]]

# Once a meeting is arranged they have answered, even if the reply was never logged.
AWAITING_REPLY_STAGES = frozenset({Stage.IDENTIFIED, Stage.RESEARCHED, Stage.REQUESTED})
IN_TOUCH_STAGES = frozenset({Stage.MET, Stage.THANKED, Stage.KEEPING_IN_TOUCH})


class ActionKind(enum.StrEnum):
    FOLLOW_UP = "follow_up"
    SECOND_PERSON = "second_person"
    NO_REPLY = "no_reply"
    THANKS = "thanks"
    UPDATE = "update"


@dataclass(frozen=True)
class Policy:
    wait_business_days: int = 7
    second_person_business_days: int = 3
    max_nudges: int = 1
    keep_in_touch_weeks: int = 6
    thanks_within_hours: int = 24

    @classmethod
    def from_settings(
        cls, max_nudges: int | None = None, keep_in_touch_weeks: int | None = None
    ) -> Policy:
        """The playbook's numbers, with the seeker's own settings where they gave one."""
        weeks = keep_in_touch_weeks or int(threshold("cadence", "keep_in_touch_weeks"))
        return cls(
            wait_business_days=int(threshold("followup", "wait_business_days")),
            second_person_business_days=int(threshold("cadence", "second_person_business_days")),
            max_nudges=allowed_nudges(max_nudges),
            keep_in_touch_weeks=max(1, weeks),
            thanks_within_hours=int(threshold("thanks", "within_hours")),
        )


@dataclass(frozen=True)
class Thread:
    """One request and what followed it."""

    request_id: int
    sent_at: datetime
    follow_ups: tuple[datetime, ...] = ()
    replied_at: datetime | None = None

    def __post_init__(self) -> None:
        require_aware(self.sent_at, *self.follow_ups, self.replied_at)

    @property
    def is_open(self) -> bool:
        return self.replied_at is None

    @property
    def last_sent_at(self) -> datetime:
        return max((self.sent_at, *self.follow_ups))


@dataclass(frozen=True)
class MeetingFacts:
    meeting_id: int
    end: datetime
    thanked: bool
    cancelled: bool = False

    def __post_init__(self) -> None:
        require_aware(self.end)


@dataclass(frozen=True)
class ContactHistory:
    contact_id: int
    company_id: int | None
    stage: str
    country: str = ""
    time_zone: str = ""
    keep_in_touch_weeks: int | None = None
    threads: tuple[Thread, ...] = ()
    meetings: tuple[MeetingFacts, ...] = ()
    last_interaction: datetime | None = None

    def __post_init__(self) -> None:
        require_aware(self.last_interaction)


@dataclass(frozen=True)
class Action:
    kind: ActionKind
    contact_id: int
    due: date
    due_at: datetime
    reason: str
    key: str
    request_id: int | None = None
    meeting_id: int | None = None
    company_id: int | None = None
    deadline: datetime | None = None
    nudge_number: int = 0


def require_aware(*moments: datetime | None) -> None:
    for moment in moments:
        if moment is not None and moment.utcoffset() is None:
            raise ValueError(f"{moment!r} has no time zone; pass aware datetimes")


# --- Where a contact is: their zone, their country's holidays, their "today" ---


@dataclass(frozen=True)
class Place:
    zone: tzinfo
    country: str
    holidays: HolidaySource
    today: date

    @classmethod
    def of(cls, zone: str, country: str, holidays: HolidaySource, now: datetime) -> Place:
        resolved = zone_or_none(zone) or UTC
        return cls(resolved, country.strip().upper(), holidays, local_date(now, resolved))

    def date_of(self, moment: datetime) -> date:
        return local_date(moment, self.zone)

    def morning(self, day: date, hour: int | None = None) -> datetime:
        """`hour` o'clock on `day` here, in UTC."""
        hour = int(threshold("cadence", "business_morning_hour")) if hour is None else hour
        return datetime(day.year, day.month, day.day, hour, tzinfo=self.zone).astimezone(UTC)

    def holidays_in(self, first_year: int, last_year: int) -> frozenset[date]:
        if not self.country:
            return frozenset()
        years = range(first_year, last_year + 1)
        return frozenset(day for year in years for day in self.holidays(self.country, year))

    def is_business_day(self, day: date) -> bool:
        return is_business_day(day, self.holidays_in(day.year, day.year))

    def add_business_days(self, start: date, days: int) -> date:
        # Holidays are looked up a year at a time; widen until the answer's year is covered.
        last_year = start.year + 1
        while True:
            due = add_business_days(start, days, self.holidays_in(start.year, last_year))
            if due.year <= last_year:
                return due
            last_year = due.year

    def say(self, day: date) -> str:
        """A date as people write it: "Tue 3 Nov", with the year when it is not this one."""
        text = f"{day:%a} {day.day} {day:%b}"
        return text if day.year == self.today.year else f"{text} {day.year}"


def local_date(moment: datetime, zone: tzinfo) -> date:
    return moment.astimezone(zone).date()


@functools.cache
def zone_or_none(name: str) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError, OSError):  # unknown key, malformed key, a directory
        return None


def cached_holidays(holidays: HolidaySource) -> HolidaySource:
    """One lookup per country and year for the length of a call, whatever the source costs."""

    @functools.cache
    def lookup(country: str, year: int) -> frozenset[date]:
        return frozenset(holidays(country, year))

    return lookup


# --- The Today list ---


def due_actions(
    histories: Iterable[ContactHistory],
    *,
    policy: Policy,
    now: datetime,
    seeker_country: str = "",
    seeker_zone: str = "UTC",
    holidays: HolidaySource = lambda country, year: (),
    horizon_days: int = 0,
) -> list[Action]:
    """Every action due by `now` (plus horizon_days calendar days ahead, so a page can show
    "coming up"), sorted by (due_at, contact_id, kind). Pure: same input, same output.

    Request ids, meeting ids and contact ids are assumed unique; then so are the keys.
    """
    require_aware(now)
    if horizon_days < 0:
        raise ValueError("horizon_days must be zero or more")
    histories = tuple(histories)
    latest = latest_requests(histories)
    lookup = cached_holidays(holidays)
    fallback_zone = seeker_zone if zone_or_none(seeker_zone) else "UTC"
    actions: list[Action] = []
    second_people: list[Action] = []
    for history in histories:
        if history.stage in END_STAGES:
            continue
        zone = history.time_zone if zone_or_none(history.time_zone) else fallback_zone
        place = Place.of(zone, history.country or seeker_country, lookup, now)
        last_day = place.today + timedelta(days=horizon_days)
        actions += due_by(contact_actions(history, policy, now, place), last_day)
        second_people += due_by(second_person_actions(history, latest, policy, place), last_day)
    return sorted(actions + one_per_company(second_people), key=display_order)


def due_by(actions: Iterable[Action], last_day: date) -> list[Action]:
    return [action for action in actions if action.due <= last_day]


def display_order(action: Action) -> tuple[datetime, int, str, str]:
    return (action.due_at, action.contact_id, action.kind.value, action.key)


def contact_actions(
    history: ContactHistory, policy: Policy, now: datetime, place: Place
) -> Iterator[Action]:
    if history.stage in AWAITING_REPLY_STAGES:
        for thread in history.threads:
            if thread.is_open:
                yield nudge_or_stop(history, thread, policy, place)
    for meeting in history.meetings:
        if meeting.end <= now and not (meeting.thanked or meeting.cancelled):
            yield thanks_action(history, meeting, policy, now, place)
    if history.stage in IN_TOUCH_STAGES and history.last_interaction is not None:
        yield update_action(history, history.last_interaction, policy, place)


def nudge_or_stop(history: ContactHistory, thread: Thread, policy: Policy, place: Place) -> Action:
    """The next nudge to an open thread, or, with the nudges used up, the advice to stop."""
    wait = policy.wait_business_days
    last_sent = place.date_of(thread.last_sent_at)
    due = place.add_business_days(last_sent, wait)
    sent = len(thread.follow_ups)
    what = "follow-up" if sent else "request"
    waited = f"No reply {wait} business days after your {what} of {place.say(last_sent)}"
    if sent < policy.max_nudges:
        kind, nudge_number = ActionKind.FOLLOW_UP, sent + 1
        reason = f"{waited}: a short, friendly nudge is fine."
        key = f"follow_up:request:{thread.request_id}:{nudge_number}"
    else:
        kind, nudge_number = ActionKind.NO_REPLY, 0
        reason = (
            f"{waited}. That happens to everyone: mark them as no reply and put the time "
            "into someone new."
        )
        key = f"no_reply:request:{thread.request_id}"
    return Action(
        kind=kind,
        contact_id=history.contact_id,
        due=due,
        due_at=place.morning(due),
        reason=reason,
        key=key,
        request_id=thread.request_id,
        company_id=history.company_id,
        nudge_number=nudge_number,
    )


def thanks_action(
    history: ContactHistory, meeting: MeetingFacts, policy: Policy, now: datetime, place: Place
) -> Action:
    hours = policy.thanks_within_hours
    deadline = meeting.end + timedelta(hours=hours)
    met_on = place.say(place.date_of(meeting.end))
    if now <= deadline:
        reason = f"Send a thank-you for your meeting on {met_on}; within {hours} hours is best."
    else:
        reason = (
            f"It is more than {hours} hours since your meeting on {met_on}, but a thank-you "
            "is still worth sending."
        )
    return Action(
        kind=ActionKind.THANKS,
        contact_id=history.contact_id,
        due=place.date_of(meeting.end),
        due_at=meeting.end.astimezone(UTC),
        reason=reason,
        key=f"thanks:meeting:{meeting.meeting_id}",
        meeting_id=meeting.meeting_id,
        company_id=history.company_id,
        deadline=deadline.astimezone(UTC),
    )


def update_action(
    history: ContactHistory, last_interaction: datetime, policy: Policy, place: Place
) -> Action:
    weeks = history.keep_in_touch_weeks or policy.keep_in_touch_weeks
    last_day = place.date_of(last_interaction)
    due = last_day + timedelta(weeks=weeks)
    return Action(
        kind=ActionKind.UPDATE,
        contact_id=history.contact_id,
        due=due,
        due_at=place.morning(due),
        reason=f"{weeks} weeks since you were last in touch on {place.say(last_day)}: send a "
        "short update on what you did with their advice.",
        key=f"update:contact:{history.contact_id}:{due.isoformat()}",
        company_id=history.company_id,
    )


# --- A second person at the same employer ---


# Per employer, each contact's latest request: enough to tell whether someone else was tried.
LatestRequests = dict[int, dict[int, datetime]]


def latest_requests(histories: Iterable[ContactHistory]) -> LatestRequests:
    latest: LatestRequests = {}
    for history in histories:
        if history.company_id is None or not history.threads:
            continue
        newest = max(thread.sent_at for thread in history.threads)
        people = latest.setdefault(history.company_id, {})
        people[history.contact_id] = max(newest, people.get(history.contact_id, newest))
    return latest


def second_person_actions(
    history: ContactHistory, latest: LatestRequests, policy: Policy, place: Place
) -> Iterator[Action]:
    company_id = history.company_id
    if company_id is None or history.stage not in AWAITING_REPLY_STAGES:
        return
    colleagues = {
        contact_id: sent_at
        for contact_id, sent_at in latest.get(company_id, {}).items()
        if contact_id != history.contact_id
    }
    days = policy.second_person_business_days
    for thread in history.threads:
        # Someone else there asked at the same time or since: the net is already wider.
        if not thread.is_open or any(sent >= thread.sent_at for sent in colleagues.values()):
            continue
        sent_on = place.date_of(thread.sent_at)
        due = place.add_business_days(sent_on, days)
        yield Action(
            kind=ActionKind.SECOND_PERSON,
            contact_id=history.contact_id,
            due=due,
            due_at=place.morning(due),
            reason=f"No reply yet {days} business days after your request of "
            f"{place.say(sent_on)}. While you wait, try a second person at the same employer.",
            key=f"second_person:request:{thread.request_id}",
            request_id=thread.request_id,
            company_id=company_id,
        )


def one_per_company(actions: list[Action]) -> list[Action]:
    """The earliest-due suggestion for each employer: one nudge to widen the net is enough."""
    kept: dict[int | None, Action] = {}
    for action in sorted(actions, key=display_order):
        kept.setdefault(action.company_id, action)
    return list(kept.values())


# --- For the composer ---


def followup_allowed(
    thread: Thread,
    *,
    policy: Policy,
    now: datetime,
    country: str,
    zone: str,
    holidays: HolidaySource,
) -> tuple[bool, str]:
    """Whether a nudge to this thread may be sent now, and if not, why (for the composer to
    refuse a too-early nudge or one past the maximum): too soon (before wait_business_days
    after the request or the last follow-up), max nudges reached, or a reply already came.

    An empty or unknown `zone` counts as UTC; pass the contact's zone, else the seeker's.
    """
    require_aware(now)
    if not thread.is_open:
        return False, "They have already replied, so there is nothing to nudge."
    sent = len(thread.follow_ups)
    if sent >= policy.max_nudges:
        return False, (
            f"You have already followed up {times(sent)} without a reply. Let this one rest "
            "and write to someone else."
        )
    place = Place.of(zone, country, cached_holidays(holidays), now)
    last_sent = place.date_of(thread.last_sent_at)
    ready = place.add_business_days(last_sent, policy.wait_business_days)
    if place.today < ready:
        what = "follow-up" if sent else "request"
        return False, (
            f"Too soon: give them {policy.wait_business_days} business days after your {what} "
            f"of {place.say(last_sent)}. A gentle nudge is fine from {place.say(ready)}."
        )
    return True, ""


def times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


def next_business_morning(
    now: datetime,
    *,
    zone: str,
    country: str,
    holidays: HolidaySource,
    hour: int | None = None,
) -> datetime:
    """The next weekday-and-not-holiday 09:00 in that zone that is after `now` (aware UTC);
    the composer suggests it as the "send at" time. `hour` defaults to the playbook's
    business morning (9); an empty or unknown `zone` counts as UTC."""
    require_aware(now)
    place = Place.of(zone, country, cached_holidays(holidays), now)
    day = place.today
    while not (place.is_business_day(day) and place.morning(day, hour) > now):
        day += timedelta(days=1)
    return place.morning(day, hour)
