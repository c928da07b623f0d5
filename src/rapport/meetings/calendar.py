"""Meeting invites and the private feed as iCalendar (RFC 5545) bytes.

Plain frozen dataclasses in, bytes out: no Django and no database, so the `.ics` download,
the email attachment and the feed share one serializer. icalendar writes CRLF line endings
and folds lines under 75 octets on character boundaries; this module adds what icalendar
7.3 leaves to the caller:

- TEXT escaping in one pass (icalendar's own turns a literal "\\N" into a line break);
- control characters removed, so no value can start a new line in any client's parser;
- X- and RFC 7986 properties given real types (icalendar writes them verbatim, unescaped);
- the repeated hour when clocks go back written in UTC (a TZID time means the first one);
- VTIMEZONEs covering just the years used, in a stable order.
"""

from __future__ import annotations

import re
import unicodedata
import urllib.parse
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Alarm, Calendar, Event, Timezone, vCalAddress, vDuration, vText, vUri

PRODID = "-//Rapport//Rapport//EN"
# iTIP methods (RFC 5546 1.4); anything else would make mail clients ignore the invite.
ITIP_METHODS = frozenset(
    ["PUBLISH", "REQUEST", "REPLY", "ADD", "CANCEL", "REFRESH", "COUNTER", "DECLINECOUNTER"]
)
# Due actions change through the day; hourly keeps a subscription current without hammering.
FEED_REFRESH = timedelta(hours=1)
# Long enough to recognise the person, short enough for every file system and mail client.
FILENAME_SLUG_MAX = 40

# Everything some parser treats as a line break (Python's str.splitlines() set included).
_LINE_BREAK_RE = re.compile(r"\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# RFC 5545 TEXT allows no control characters but tab and (escaped) newline; lone
# surrogates cannot be encoded as UTF-8 at all.
_UNSAFE_CHAR_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_TEXT_SPECIAL_RE = re.compile(r"[\\;,\n]")
_TEXT_ESCAPES = {"\\": "\\\\", ";": "\\;", ",": "\\,", "\n": "\\n"}
# Shape only: the address was validated where it was typed; this keeps junk out of a URI.
_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+")
_HTTP_URL_RE = re.compile(r"https?://\S+", re.IGNORECASE)
# RFC 3986 reserved and unreserved characters (letters and digits are always kept) and "%"
# for escapes already there; everything else is percent-encoded.
_URI_SAFE = "!#$%&'()*+,-./:;=?@[]_~"
_MAILTO_SAFE = "!$&'*+-.=@_~"
# Letters NFKD does not split into base letter + accent, so they would vanish from a slug.
_ASCII_LETTERS = str.maketrans(
    {
        **{"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D"},
        **{"ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th"},
        "\u0131": "i",  # dotless i
    }
)
_NOT_SLUG_RE = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class MeetingEvent:
    """One meeting as the calendar sees it; the seeker organizes, the host attends."""

    uid: str  # stable for the meeting's life (e.g. "3f2c...@rapport")
    sequence: int  # 0, then +1 on every change (reschedule, place, cancel)
    start: datetime  # aware
    duration_min: int
    summary: str  # "Informational interview: Marta Silva (Lumen Grid)"
    organizer_name: str  # the seeker
    organizer_email: str  # "" when unknown
    attendee_name: str  # the host
    attendee_email: str  # "" when unknown
    location: str = ""  # an address, or ""
    url: str = ""  # a video link, or ""
    description: str = ""  # the question plan, notes, logistics: any text
    zone: str = "UTC"  # the IANA zone to express times in (the host's or the seeker's)
    cancelled: bool = False
    reminder_minutes: int = 30  # a VALARM DISPLAY this long before the start
    updated: datetime | None = None  # DTSTAMP/LAST-MODIFIED (aware); default: now

    def __post_init__(self) -> None:
        _require_uid(self.uid)
        _require_aware("start", self.start)
        _require_at_least("duration_min", self.duration_min, 1)
        _require_at_least("sequence", self.sequence, 0)
        _require_at_least("reminder_minutes", self.reminder_minutes, 0)
        if self.updated is not None:
            _require_aware("updated", self.updated)
        _zone(self.zone)  # an unknown zone fails here, not halfway through a feed


@dataclass(frozen=True)
class FeedItem:
    """A due action with a time, for the private feed (shown, never blocking busy time)."""

    uid: str
    start: datetime  # aware
    duration_min: int
    summary: str
    description: str = ""
    url: str = ""

    def __post_init__(self) -> None:
        _require_uid(self.uid)
        _require_aware("start", self.start)
        _require_at_least("duration_min", self.duration_min, 1)


def invite(event: MeetingEvent, *, method: str | None = None) -> bytes:
    """An invite to attach or download: METHOD:REQUEST, or CANCEL once cancelled."""
    chosen = (method or ("CANCEL" if event.cancelled else "REQUEST")).upper()
    if chosen not in ITIP_METHODS:
        raise ValueError(f"{method!r} is not an iTIP method ({', '.join(sorted(ITIP_METHODS))})")
    calendar = _new_calendar()
    calendar.add("METHOD", chosen)
    calendar.add_component(_meeting_vevent(event))
    _add_timezones(calendar)
    return calendar.to_ical()


def feed(
    events: Iterable[MeetingEvent],
    items: Iterable[FeedItem],
    *,
    name: str,
    now: datetime | None = None,
) -> bytes:
    """A subscription calendar (no METHOD) of meetings and due actions.

    `now` stamps the due actions, which are computed afresh on every request; it defaults
    to the current time. Meetings carry their own `updated`.
    """
    calendar = _new_calendar()
    # NAME is RFC 7986; X-WR-CALNAME is what Apple, Google and Outlook actually read.
    calendar.add("NAME", _text(name))
    calendar.add("X-WR-CALNAME", _text(name))
    calendar.add("REFRESH-INTERVAL", FEED_REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", vDuration(FEED_REFRESH))  # Outlook's spelling of the same
    for event in events:
        calendar.add_component(_meeting_vevent(event))
    stamp = _utc(now) if now is not None else _utc_now()
    for item in items:
        calendar.add_component(_item_vevent(item, stamp))
    _add_timezones(calendar)
    return calendar.to_ical()


def filename(event: MeetingEvent) -> str:
    """A safe download name: "meeting-marta-silva-2026-12-03.ics" (the host, the local day)."""
    day = event.start.astimezone(_zone(event.zone)).date().isoformat()
    slug = _slug(event.attendee_name)
    return f"meeting-{slug}-{day}.ics" if slug else f"meeting-{day}.ics"


# Components


def _new_calendar() -> Calendar:
    calendar = Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    return calendar


def _meeting_vevent(event: MeetingEvent) -> Event:
    vevent = Event()
    vevent.add("UID", _text(_one_line(event.uid)))
    vevent.add("SEQUENCE", event.sequence)
    stamp = _utc(event.updated) if event.updated is not None else _utc_now()
    vevent.add("DTSTAMP", stamp)
    vevent.add("LAST-MODIFIED", stamp)
    _add_times(vevent, event.start, event.duration_min, _zone(event.zone))
    _add_texts(vevent, summary=event.summary, description=event.description)
    _add_texts(vevent, location=event.location or event.url)
    _add_link(vevent, event.url)
    _add_people(vevent, event)
    vevent.add("STATUS", "CANCELLED" if event.cancelled else "CONFIRMED")
    if not event.cancelled:
        vevent.add_component(_reminder(event))
    return vevent


def _item_vevent(item: FeedItem, stamp: datetime) -> Event:
    vevent = Event()
    vevent.add("UID", _text(_one_line(item.uid)))
    vevent.add("DTSTAMP", stamp)
    # Items carry no zone of their own: UTC is exact, and clients show the viewer's time.
    _add_times(vevent, item.start, item.duration_min, UTC)
    _add_texts(vevent, summary=item.summary, description=item.description)
    _add_link(vevent, item.url)
    vevent.add("TRANSP", "TRANSPARENT")  # a reminder to act, not time the seeker is busy
    return vevent


def _reminder(event: MeetingEvent) -> Alarm:
    alarm = Alarm()
    alarm.add("ACTION", "DISPLAY")
    alarm.add("TRIGGER", timedelta(minutes=-event.reminder_minutes))
    alarm.add("DESCRIPTION", _text(event.summary or "Meeting"))  # required for DISPLAY
    return alarm


def _add_times(vevent: Event, start: datetime, duration_min: int, zone: tzinfo) -> None:
    # Add the duration in UTC: aware arithmetic in Python is wall-clock arithmetic, which
    # is an hour off for a meeting that spans a clock change.
    start_utc = _utc(start)
    end_utc = start_utc + timedelta(minutes=duration_min)
    vevent.add("DTSTART", _wall_time_or_utc(start_utc, zone))
    vevent.add("DTEND", _wall_time_or_utc(end_utc, zone))


def _wall_time_or_utc(instant_utc: datetime, zone: tzinfo) -> datetime:
    """The instant on the zone's clock, or in UTC when that clock reading is ambiguous.

    In the hour repeated when clocks go back, a TZID time always means the first
    occurrence (RFC 5545 3.3.5), so the second one can only be written in UTC.
    """
    local = instant_utc.astimezone(zone)
    if local.replace(fold=0).astimezone(UTC) != instant_utc:
        return instant_utc
    return local


def _add_texts(component: Event, **values: str) -> None:
    """Add each non-empty value as an escaped TEXT property named after its keyword."""
    for name, value in values.items():
        text = _text(value)
        if text.strip():
            component.add(name.upper(), text)


def _add_link(vevent: Event, url: str) -> None:
    """Only http(s) links become a clickable URL (a meeting shows any link as its LOCATION)."""
    uri = _http_uri(url)
    if uri:
        vevent.add("URL", vUri(uri))


def _add_people(vevent: Event, event: MeetingEvent) -> None:
    organizer = _address(event.organizer_email, event.organizer_name)
    if organizer is not None:
        vevent.add("ORGANIZER", organizer)
    attendee = _address(event.attendee_email, event.attendee_name)
    if attendee is not None:
        attendee.params.update(
            {"ROLE": "REQ-PARTICIPANT", "PARTSTAT": "NEEDS-ACTION", "RSVP": "TRUE"}
        )
        vevent.add("ATTENDEE", attendee)


def _address(email: str, name: str) -> vCalAddress | None:
    uri = _mailto(email)
    if uri is None:
        return None
    address = vCalAddress(uri)
    common_name = _one_line(name)
    if common_name:
        address.params["CN"] = common_name  # icalendar quotes it and escapes '"' (RFC 6868)
    return address


def _add_timezones(calendar: Calendar) -> None:
    """A VTIMEZONE for every TZID the events use, covering the years they fall in.

    Built from the times actually written (an ambiguous one went out in UTC, a zone that
    icalendar recognises as UTC needs none), and sorted: a set's order changes between
    processes and the bytes should not. Clients need them before the events.
    """
    years = _years_by_tzid(calendar)
    for position, tzid in enumerate(sorted(years)):
        first, last = min(years[tzid]), max(years[tzid])
        vtimezone = Timezone.from_tzid(
            tzid, first_date=date(first, 1, 1), last_date=date(last + 1, 1, 1)
        )
        calendar.subcomponents.insert(position, vtimezone)


def _years_by_tzid(calendar: Calendar) -> dict[str, set[int]]:
    years: dict[str, set[int]] = defaultdict(set)
    for vevent in calendar.walk("VEVENT"):
        for name in ("DTSTART", "DTEND"):
            value = vevent.get(name)
            tzid = value.params.get("TZID") if value is not None else None
            if tzid:
                years[tzid].add(value.dt.year)
    return years


# Values


class _Text(vText):
    """A TEXT value escaped per RFC 5545 3.3.11 in one pass.

    icalendar 7.3's vText first rewrites a literal backslash-N as a line break, so
    "C:\\New folder" would arrive as two lines.
    """

    __slots__ = ()

    def to_ical(self) -> bytes:
        return _TEXT_SPECIAL_RE.sub(lambda m: _TEXT_ESCAPES[m.group()], self).encode("utf-8")


def _text(value: str) -> _Text:
    return _Text(_clean(value))


def _clean(text: str) -> str:
    """Line breaks as "\\n" (escaped later), other control characters gone."""
    return _UNSAFE_CHAR_RE.sub("", _LINE_BREAK_RE.sub("\n", text))


def _one_line(text: str) -> str:
    return " ".join(_clean(text).split())


def _mailto(email: str) -> str | None:
    address = email.strip()
    if not _EMAIL_RE.fullmatch(address):
        return None
    return "mailto:" + urllib.parse.quote(address, safe=_MAILTO_SAFE)


def _http_uri(url: str) -> str | None:
    """An http(s) link with anything a URI cannot hold percent-encoded, or None."""
    link = url.strip()
    if not _HTTP_URL_RE.fullmatch(link):
        return None
    return urllib.parse.quote(link, safe=_URI_SAFE)


def _slug(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name.translate(_ASCII_LETTERS))
    ascii_name = folded.encode("ascii", "ignore").decode("ascii").lower()
    slug = _NOT_SLUG_RE.sub("-", ascii_name).strip("-")
    return slug[:FILENAME_SLUG_MAX].rstrip("-")


# Times and checks


def _zone(name: str) -> tzinfo:
    if name == "UTC":
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


def _utc(moment: datetime) -> datetime:
    # iCalendar has whole seconds; dropping the rest keeps a value and its round trip equal.
    return moment.astimezone(UTC).replace(microsecond=0)


def _utc_now() -> datetime:
    return _utc(datetime.now(UTC))


def _require_aware(field: str, moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{field} must be timezone-aware, got {moment.isoformat()}")


def _require_at_least(field: str, value: int, minimum: int) -> None:
    if value < minimum:
        raise ValueError(f"{field} must be at least {minimum}, got {value}")


def _require_uid(uid: str) -> None:
    if not _one_line(uid):
        raise ValueError("uid must not be empty")
