"""Meeting invites and the private feed, checked as a calendar client would read them.

Every output is parsed back with icalendar and also read byte by byte against the RFC 5545
rules (CRLF, 75-octet lines, folding, TEXT escaping), with expected values written by hand.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar, Component

import rapport
from rapport.meetings.calendar import FeedItem, MeetingEvent, feed, filename, invite

UPDATED = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
MEETING = MeetingEvent(
    uid="3f2c9a1e-7d3b-4c55-9a0e-2b1f6c8d9e01@rapport",
    sequence=0,
    start=datetime(2026, 12, 3, 15, 0, tzinfo=UTC),
    duration_min=30,
    summary="Informational interview: Marta Silva (Lumen Grid)",
    organizer_name="Alice Seeker",
    organizer_email="alice@example.org",
    attendee_name="Marta Silva",
    attendee_email="marta@lumengrid.example",
    url="https://meet.example.com/abc-defg-hij",
    description="Questions:\n1. How did you start?",
    updated=UPDATED,
)
# The properties a confirmed meeting with both emails and a video link carries: an attack
# must not add to them.
MEETING_PROPERTIES = {
    "UID",
    "SEQUENCE",
    "DTSTAMP",
    "LAST-MODIFIED",
    "DTSTART",
    "DTEND",
    "SUMMARY",
    "DESCRIPTION",
    "LOCATION",
    "URL",
    "ORGANIZER",
    "ATTENDEE",
    "STATUS",
}


# Reading the bytes the way RFC 5545 section 3.1 describes them


def assert_well_formed(raw: bytes) -> None:
    """CRLF everywhere, no line over 75 octets, folds only on character boundaries."""
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n")
    assert raw.endswith(b"END:VCALENDAR\r\n")
    assert b"\r" not in raw.replace(b"\r\n", b"")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    for line in raw[:-2].split(b"\r\n"):
        assert len(line) <= 75, line
        line.decode("utf-8")  # a fold inside a multi-byte character would fail here
        assert re.match(rb"[A-Z0-9-]+[;:]", line) or line.startswith(b" "), line
    begins = re.findall(rb"^BEGIN:(\S+)\r$", raw, re.MULTILINE)
    ends = re.findall(rb"^END:(\S+)\r$", raw, re.MULTILINE)
    assert sorted(begins) == sorted(ends)


def content_lines(raw: bytes) -> list[str]:
    """Unfolded: a CRLF followed by one space is removed, nothing else."""
    return raw.decode("utf-8").replace("\r\n ", "").split("\r\n")[:-1]


def own_lines(raw: bytes, component: str) -> list[str]:
    """The first such component's own content lines, not those of components inside it."""
    stack: list[str] = []
    lines: list[str] = []
    for line in content_lines(raw):
        if line.startswith("BEGIN:"):
            stack.append(line.removeprefix("BEGIN:"))
        elif line.startswith("END:"):
            if stack.pop() == component:
                return lines
        elif stack and stack[-1] == component:
            lines.append(line)
    return lines


def split_line(line: str) -> tuple[str, str]:
    """Name and parameters, value: the first colon outside double quotes ends the head."""
    match = re.fullmatch(r'((?:[^":]|"[^"]*")*):(.*)', line, re.DOTALL)
    assert match, line
    return match.group(1), match.group(2)


def raw_line(raw: bytes, name: str, component: str = "VEVENT") -> str:
    """The one unfolded line of a property, as written."""
    lines = [line for line in own_lines(raw, component) if re.match(rf"{name}[;:]", line)]
    assert len(lines) == 1, lines
    return lines[0]


def raw_value(raw: bytes, name: str, component: str = "VEVENT") -> str:
    """A property's value as written: still escaped, but unfolded."""
    return split_line(raw_line(raw, name, component))[1]


def unescape(text: str) -> str:
    """RFC 5545 3.3.11, one escape at a time (so "\\\\n" is a backslash then "n")."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)


def checked_invite(event: MeetingEvent, **options: Any) -> bytes:
    raw = invite(event, **options)
    assert_well_formed(raw)
    return raw


def checked_feed(
    events: list[MeetingEvent], items: list[FeedItem], name: str = "Rapport: Alice"
) -> bytes:
    raw = feed(events, items, name=name, now=UPDATED)
    assert_well_formed(raw)
    return raw


def only_event(raw: bytes) -> Component:
    events = Calendar.from_ical(raw).walk("VEVENT")
    assert len(events) == 1
    return events[0]


def in_utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


# The invite


def test_an_invite_is_a_request_with_the_calendar_headers() -> None:
    calendar = Calendar.from_ical(checked_invite(MEETING))

    assert calendar["PRODID"] == "-//Rapport//Rapport//EN"
    assert calendar["VERSION"] == "2.0"
    assert calendar["CALSCALE"] == "GREGORIAN"
    assert calendar["METHOD"] == "REQUEST"
    assert only_event(calendar.to_ical())["STATUS"] == "CONFIRMED"


def test_an_invite_carries_what_the_host_needs_to_see() -> None:
    raw = checked_invite(MEETING)
    event = only_event(raw)

    assert set(event) == MEETING_PROPERTIES
    assert event["UID"] == "3f2c9a1e-7d3b-4c55-9a0e-2b1f6c8d9e01@rapport"
    assert event["SUMMARY"] == "Informational interview: Marta Silva (Lumen Grid)"
    assert event["DESCRIPTION"] == "Questions:\n1. How did you start?"
    assert raw_value(raw, "URL") == "https://meet.example.com/abc-defg-hij"
    # With no address, the link is where the meeting is.
    assert raw_value(raw, "LOCATION") == "https://meet.example.com/abc-defg-hij"
    assert raw_value(raw, "DTSTAMP") == "20261120T080000Z"
    assert raw_value(raw, "LAST-MODIFIED") == "20261120T080000Z"


def test_an_address_is_the_location_and_the_link_stays_the_url() -> None:
    raw = checked_invite(replace(MEETING, location="Lumen Grid, 12 Rua Augusta; 3rd floor"))

    assert raw_value(raw, "LOCATION") == "Lumen Grid\\, 12 Rua Augusta\\; 3rd floor"
    assert raw_value(raw, "URL") == "https://meet.example.com/abc-defg-hij"


def test_a_cancelled_meeting_is_a_cancel_with_cancelled_status_and_no_reminder() -> None:
    raw = checked_invite(replace(MEETING, sequence=2, cancelled=True))
    calendar = Calendar.from_ical(raw)
    event = only_event(raw)

    assert calendar["METHOD"] == "CANCEL"
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 2
    assert event.walk("VALARM") == []


def test_the_method_can_be_chosen_for_a_plain_download() -> None:
    calendar = Calendar.from_ical(checked_invite(MEETING, method="publish"))

    assert calendar["METHOD"] == "PUBLISH"


def test_a_method_that_is_not_itip_is_refused() -> None:
    with pytest.raises(ValueError, match="iTIP"):
        invite(MEETING, method="REQUEST\r\nX-EVIL:1")


def test_a_reschedule_keeps_the_uid_and_raises_the_sequence() -> None:
    first = MEETING
    moved = replace(first, sequence=1, start=datetime(2026, 12, 4, 10, 0, tzinfo=UTC))
    cancelled = replace(moved, sequence=2, cancelled=True)

    events = [only_event(checked_invite(version)) for version in (first, moved, cancelled)]

    assert {event["UID"] for event in events} == {"3f2c9a1e-7d3b-4c55-9a0e-2b1f6c8d9e01@rapport"}
    assert [event["SEQUENCE"] for event in events] == [0, 1, 2]
    assert [in_utc(event["DTSTART"].dt) for event in events] == [
        datetime(2026, 12, 3, 15, 0, tzinfo=UTC),
        datetime(2026, 12, 4, 10, 0, tzinfo=UTC),
        datetime(2026, 12, 4, 10, 0, tzinfo=UTC),
    ]


def test_the_same_meeting_gives_the_same_bytes() -> None:
    assert invite(MEETING) == invite(MEETING)


def test_without_an_update_time_only_the_stamps_differ() -> None:
    unstamped = replace(MEETING, updated=None)

    def without_stamps(raw: bytes) -> list[str]:
        return [
            line
            for line in content_lines(raw)
            if not line.startswith(("DTSTAMP:", "LAST-MODIFIED:"))
        ]

    assert without_stamps(invite(unstamped)) == without_stamps(invite(MEETING))
    stamp = datetime.strptime(raw_value(invite(unstamped), "DTSTAMP"), "%Y%m%dT%H%M%SZ")
    assert abs(stamp.replace(tzinfo=UTC) - datetime.now(UTC)) < timedelta(minutes=1)


# Times and zones

DST_CASES = [
    # zone, the instant, the wall-clock time written there
    ("Europe/London", datetime(2026, 3, 28, 10, 0, tzinfo=UTC), "20260328T100000"),  # GMT
    ("Europe/London", datetime(2026, 3, 30, 9, 0, tzinfo=UTC), "20260330T100000"),  # BST
    ("Europe/London", datetime(2026, 10, 24, 9, 0, tzinfo=UTC), "20261024T100000"),  # BST
    ("Europe/London", datetime(2026, 10, 26, 10, 0, tzinfo=UTC), "20261026T100000"),  # GMT
    ("America/New_York", datetime(2026, 3, 6, 14, 0, tzinfo=UTC), "20260306T090000"),  # EST
    ("America/New_York", datetime(2026, 3, 9, 13, 0, tzinfo=UTC), "20260309T090000"),  # EDT
    ("America/New_York", datetime(2026, 10, 30, 13, 0, tzinfo=UTC), "20261030T090000"),  # EDT
    ("America/New_York", datetime(2026, 11, 2, 14, 0, tzinfo=UTC), "20261102T090000"),  # EST
    ("Australia/Sydney", datetime(2026, 4, 2, 23, 0, tzinfo=UTC), "20260403T100000"),  # AEDT
    ("Australia/Sydney", datetime(2026, 4, 7, 0, 0, tzinfo=UTC), "20260407T100000"),  # AEST
    ("Australia/Sydney", datetime(2026, 10, 2, 0, 0, tzinfo=UTC), "20261002T100000"),  # AEST
    ("Australia/Sydney", datetime(2026, 10, 5, 23, 0, tzinfo=UTC), "20261006T100000"),  # AEDT
    ("Asia/Kolkata", datetime(2026, 6, 15, 10, 0, tzinfo=UTC), "20260615T153000"),  # +05:30
]


@pytest.mark.parametrize(("zone", "start", "wall_time"), DST_CASES)
def test_times_are_written_on_the_zones_clock_and_decode_to_the_same_instant(
    zone: str, start: datetime, wall_time: str
) -> None:
    raw = checked_invite(replace(MEETING, start=start, duration_min=45, zone=zone))
    event = only_event(raw)

    assert raw_line(raw, "DTSTART") == f"DTSTART;TZID={zone}:{wall_time}"
    assert in_utc(event["DTSTART"].dt) == start
    assert in_utc(event["DTEND"].dt) == start + timedelta(minutes=45)


@pytest.mark.parametrize(("zone", "start", "wall_time"), DST_CASES)
def test_the_vtimezone_in_the_file_gives_the_same_instant(
    zone: str, start: datetime, wall_time: str
) -> None:
    """Decoded with the VTIMEZONE itself (dateutil reads it), not the parser's tz database."""
    calendar = Calendar.from_ical(checked_invite(replace(MEETING, start=start, zone=zone)))
    (vtimezone,) = calendar.timezones
    written = datetime.strptime(wall_time, "%Y%m%dT%H%M%S")

    assert vtimezone["TZID"] == zone
    assert in_utc(written.replace(tzinfo=vtimezone.to_tz(lookup_tzid=False))) == start


@pytest.mark.parametrize(
    ("zone", "standard", "daylight", "daylight_from", "standard_from"),
    [
        ("Europe/London", 0, 1, date(2026, 3, 29), date(2026, 10, 25)),
        ("America/New_York", -5, -4, date(2026, 3, 8), date(2026, 11, 1)),
        ("Australia/Sydney", 10, 11, date(2026, 10, 4), date(2026, 4, 5)),
    ],
)
def test_a_zone_with_summer_time_has_both_parts_with_the_years_changes(
    zone: str, standard: int, daylight: int, daylight_from: date, standard_from: date
) -> None:
    raw = checked_invite(replace(MEETING, start=datetime(2026, 7, 1, 12, tzinfo=UTC), zone=zone))
    (vtimezone,) = Calendar.from_ical(raw).timezones

    def onsets(parts: list[Component], offset_to_hours: int) -> set[date]:
        return {
            part["DTSTART"].dt.date()
            for part in parts
            if part["TZOFFSETTO"].td == timedelta(hours=offset_to_hours)
        }

    assert daylight_from in onsets(vtimezone.daylight, daylight)
    assert standard_from in onsets(vtimezone.standard, standard)


def test_a_zone_without_summer_time_has_only_a_standard_part() -> None:
    raw = checked_invite(replace(MEETING, zone="Asia/Kolkata"))
    (vtimezone,) = Calendar.from_ical(raw).timezones

    assert vtimezone.daylight == []
    assert [part["TZOFFSETTO"].td for part in vtimezone.standard] == [timedelta(hours=5.5)]
    assert raw_line(raw, "TZOFFSETTO", "STANDARD") == "TZOFFSETTO:+0530"


def test_utc_times_end_in_z_and_need_no_vtimezone() -> None:
    raw = checked_invite(MEETING)

    assert raw_line(raw, "DTSTART") == "DTSTART:20261203T150000Z"
    assert raw_line(raw, "DTEND") == "DTEND:20261203T153000Z"
    assert b"BEGIN:VTIMEZONE" not in raw


def test_a_meeting_across_the_spring_change_ends_an_hour_later_on_the_clock() -> None:
    # 00:30 GMT + 60 min is 02:30 BST: clocks skip 01:00-02:00.
    start = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
    raw = checked_invite(replace(MEETING, start=start, duration_min=60, zone="Europe/London"))

    assert raw_line(raw, "DTSTART") == "DTSTART;TZID=Europe/London:20260329T003000"
    assert raw_line(raw, "DTEND") == "DTEND;TZID=Europe/London:20260329T023000"
    assert in_utc(only_event(raw)["DTEND"].dt) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_the_repeated_hour_in_autumn_is_written_in_utc() -> None:
    # 01:30 BST + 60 min is 01:30 GMT; as a London wall time it would mean 01:30 BST again.
    start = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    raw = checked_invite(replace(MEETING, start=start, duration_min=60, zone="Europe/London"))

    assert raw_line(raw, "DTSTART") == "DTSTART;TZID=Europe/London:20261025T013000"
    assert raw_line(raw, "DTEND") == "DTEND:20261025T013000Z"
    assert in_utc(only_event(raw)["DTEND"].dt) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


def test_a_meeting_over_new_year_is_covered_by_its_vtimezone() -> None:
    start = datetime(2027, 1, 1, 4, 30, tzinfo=UTC)  # 23:30 EST on New Year's Eve
    raw = checked_invite(replace(MEETING, start=start, duration_min=60, zone="America/New_York"))
    (vtimezone,) = Calendar.from_ical(raw).timezones
    tz = vtimezone.to_tz(lookup_tzid=False)

    assert raw_line(raw, "DTSTART") == "DTSTART;TZID=America/New_York:20261231T233000"
    assert raw_line(raw, "DTEND") == "DTEND;TZID=America/New_York:20270101T003000"
    end_written = datetime(2027, 1, 1, 0, 30, tzinfo=tz)
    assert in_utc(end_written) == datetime(2027, 1, 1, 5, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    "zone", ["Asia/Calcutta", "US/Eastern", "Etc/GMT+5", "Atlantic/Reykjavik", "Pacific/Chatham"]
)
def test_every_zone_referenced_has_its_vtimezone(zone: str) -> None:
    raw = checked_invite(replace(MEETING, zone=zone))
    calendar = Calendar.from_ical(raw)

    assert calendar.get_missing_tzids() == set()
    assert in_utc(only_event(raw)["DTSTART"].dt) == MEETING.start


ZONES = ["UTC", "Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata"]


@settings(max_examples=150, deadline=None)
@given(
    start=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2037, 12, 1)),
    duration_min=st.integers(min_value=5, max_value=180),
    zone=st.sampled_from(ZONES),
)
def test_any_meeting_decodes_to_the_instants_it_was_given(
    start: datetime, duration_min: int, zone: str
) -> None:
    instant = start.replace(microsecond=0, tzinfo=UTC)
    raw = invite(replace(MEETING, start=instant, duration_min=duration_min, zone=zone))
    calendar = Calendar.from_ical(raw)
    event = only_event(raw)
    written_zone = calendar.timezones[0].to_tz(lookup_tzid=False) if calendar.timezones else UTC

    for name, expected in [
        ("DTSTART", instant),
        ("DTEND", instant + timedelta(minutes=duration_min)),
    ]:
        assert in_utc(event[name].dt) == expected
        if "TZID" in event[name].params:  # read it again with the file's own VTIMEZONE
            assert in_utc(event[name].dt.replace(tzinfo=written_zone)) == expected


# Text: escaping, folding, injection

PLAIN_DESCRIPTION = "Zoë, Łódź — café; 10% \\ off"


def test_text_escapes_commas_semicolons_backslashes_and_newlines() -> None:
    raw = checked_invite(replace(MEETING, description=PLAIN_DESCRIPTION + "\nnext line"))

    assert raw_value(raw, "DESCRIPTION") == "Zoë\\, Łódź — café\\; 10% \\\\ off\\nnext line"
    assert only_event(raw)["DESCRIPTION"] == PLAIN_DESCRIPTION + "\nnext line"


def test_a_literal_backslash_n_stays_text() -> None:
    raw = checked_invite(replace(MEETING, description="Notes in C:\\New folder\\notes.txt"))

    assert raw_value(raw, "DESCRIPTION") == "Notes in C:\\\\New folder\\\\notes.txt"
    assert only_event(raw)["DESCRIPTION"] == "Notes in C:\\New folder\\notes.txt"


def test_a_long_non_ascii_description_folds_on_characters_and_unfolds_exactly() -> None:
    description = (
        "Plan; 45 min, 3 questions\n1. "
        + PLAIN_DESCRIPTION
        + "\n2. "
        + "Łódź—" * 30
        + "🙂" * 20
        + "\n3. Café au lait"
    )
    raw = checked_invite(replace(MEETING, description=description))

    continuations = [line for line in raw.split(b"\r\n") if line.startswith(b" ")]
    assert len(continuations) >= 4
    assert raw_value(raw, "DESCRIPTION") == (
        "Plan\\; 45 min\\, 3 questions\\n1. Zoë\\, Łódź — café\\; 10% \\\\ off\\n2. "
        + "Łódź—" * 30
        + "🙂" * 20
        + "\\n3. Café au lait"
    )
    assert only_event(raw)["DESCRIPTION"] == description


ATTACK = ["Hi", "END:VEVENT", "BEGIN:VEVENT", "UID:evil@attacker", "SUMMARY:Free money"]


@pytest.mark.parametrize("separator", ["\r\n", "\n", "\r", "\x0b", "\x0c", "\x85", "\u2028"])
def test_a_line_break_in_any_text_cannot_start_a_new_property(separator: str) -> None:
    attack = separator.join(ATTACK)
    raw = checked_invite(
        replace(
            MEETING,
            summary=attack,
            description=attack,
            location=attack,
            organizer_name=attack,
            attendee_name=attack,
        )
    )
    event = only_event(raw)

    physical = raw.split(b"\r\n")
    assert physical.count(b"BEGIN:VEVENT") == 1
    assert [line for line in physical if line.startswith(b"UID:")] == [
        b"UID:3f2c9a1e-7d3b-4c55-9a0e-2b1f6c8d9e01@rapport"
    ]
    assert set(event) == MEETING_PROPERTIES
    assert event["SUMMARY"] == "Hi\nEND:VEVENT\nBEGIN:VEVENT\nUID:evil@attacker\nSUMMARY:Free money"
    assert event["LOCATION"] == event["DESCRIPTION"] == event["SUMMARY"]
    assert event["ORGANIZER"].params["CN"] == (
        "Hi END:VEVENT BEGIN:VEVENT UID:evil@attacker SUMMARY:Free money"
    )


def test_an_address_or_link_with_a_line_break_is_left_out() -> None:
    raw = checked_invite(
        replace(
            MEETING,
            attendee_email="marta@lumengrid.example\r\nATTENDEE:mailto:evil@attacker.example",
            organizer_email="alice@example.org\nX-EVIL:1",
            url="https://meet.example.com/x\r\nX-EVIL:1",
        )
    )
    event = only_event(raw)

    assert "ATTENDEE" not in event
    assert "ORGANIZER" not in event
    assert "URL" not in event
    assert not any(line.startswith(b"X-EVIL") for line in raw.split(b"\r\n"))
    assert event["LOCATION"] == "https://meet.example.com/x\nX-EVIL:1"


def test_control_characters_are_dropped_from_text() -> None:
    raw = checked_invite(replace(MEETING, summary="Coffee\x00 with\x1b Marta\x7f\tat 3"))

    assert only_event(raw)["SUMMARY"] == "Coffee with Marta\tat 3"


def test_a_link_with_characters_a_uri_cannot_hold_is_percent_encoded() -> None:
    raw = checked_invite(replace(MEETING, url='https://meet.example.com/räum?topic="intro"'))

    assert raw_value(raw, "URL") == "https://meet.example.com/r%C3%A4um?topic=%22intro%22"


def test_a_link_that_is_not_a_web_link_is_shown_but_not_clickable() -> None:
    raw = checked_invite(replace(MEETING, url="javascript:alert(1)"))
    event = only_event(raw)

    assert "URL" not in event
    assert event["LOCATION"] == "javascript:alert(1)"


# Runs of any printable characters mixed with the ones escaping and folding must get right.
TRICKY = st.sampled_from(["\\", "\\N", "\\n", "\\,", ",", ";", ":", '"', "\n", "\t", "é", "🙂"])
PRINTABLE_TEXT = st.lists(
    st.text(st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp")), max_size=20) | TRICKY,
    max_size=30,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(summary=PRINTABLE_TEXT, description=PRINTABLE_TEXT)
def test_any_printable_text_round_trips_exactly(summary: str, description: str) -> None:
    raw = invite(replace(MEETING, summary="x" + summary, description="y" + description))
    assert_well_formed(raw)

    assert unescape(raw_value(raw, "SUMMARY")) == "x" + summary
    assert unescape(raw_value(raw, "DESCRIPTION")) == "y" + description
    event = only_event(raw)
    assert event["SUMMARY"] == "x" + summary
    assert event["DESCRIPTION"] == "y" + description


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=200))
def test_no_text_at_all_breaks_the_structure(text: str) -> None:
    raw = invite(replace(MEETING, summary="x" + text, description="y" + text, location="z" + text))
    assert_well_formed(raw)

    physical = raw.split(b"\r\n")
    assert physical.count(b"BEGIN:VEVENT") == 1
    assert physical.count(b"BEGIN:VALARM") == 1
    assert set(only_event(raw)) == MEETING_PROPERTIES


# People and the reminder


def test_organizer_and_attendee_are_mailto_addresses_with_names() -> None:
    raw = checked_invite(MEETING)
    event = only_event(raw)

    assert raw_line(raw, "ORGANIZER") == 'ORGANIZER;CN="Alice Seeker":mailto:alice@example.org'
    assert event["ATTENDEE"] == "mailto:marta@lumengrid.example"
    assert dict(event["ATTENDEE"].params) == {
        "CN": "Marta Silva",
        "ROLE": "REQ-PARTICIPANT",
        "PARTSTAT": "NEEDS-ACTION",
        "RSVP": "TRUE",
    }


def test_a_name_with_a_comma_or_quote_stays_one_parameter() -> None:
    raw = checked_invite(replace(MEETING, organizer_name='Seeker, Alice "Al"'))
    event = only_event(raw)

    # RFC 6868: a double quote inside a quoted parameter is written ^'.
    assert raw_line(raw, "ORGANIZER") == (
        "ORGANIZER;CN=\"Seeker, Alice ^'Al^'\":mailto:alice@example.org"
    )
    assert event["ORGANIZER"].params["CN"] == 'Seeker, Alice "Al"'


def test_unknown_emails_leave_out_organizer_and_attendee() -> None:
    event = only_event(checked_invite(replace(MEETING, organizer_email="", attendee_email="")))

    assert "ORGANIZER" not in event
    assert "ATTENDEE" not in event


def test_a_reminder_pops_up_before_the_start() -> None:
    raw = checked_invite(MEETING)
    (alarm,) = only_event(raw).walk("VALARM")

    assert alarm["ACTION"] == "DISPLAY"
    assert alarm["TRIGGER"].dt == timedelta(minutes=-30)
    assert alarm["DESCRIPTION"] == "Informational interview: Marta Silva (Lumen Grid)"
    assert raw_line(raw, "TRIGGER", "VALARM") == "TRIGGER:-PT30M"


def test_the_reminder_time_is_the_users_choice() -> None:
    raw = checked_invite(replace(MEETING, reminder_minutes=10))

    assert raw_line(raw, "TRIGGER", "VALARM") == "TRIGGER:-PT10M"


# The feed

ITEM = FeedItem(
    uid="follow-up-42@rapport",
    start=datetime(2026, 12, 1, 9, 0, tzinfo=UTC),
    duration_min=15,
    summary="Follow up with Marta Silva",
    description="No reply for 7 business days; one nudge is fine.",
    url="https://rapport.example/today",
)


def test_the_feed_is_a_subscription_with_refresh_hints() -> None:
    raw = checked_feed([MEETING], [ITEM], name="Rapport, Alice")
    calendar = Calendar.from_ical(raw)

    assert "METHOD" not in calendar
    assert raw_value(raw, "X-WR-CALNAME", "VCALENDAR") == "Rapport\\, Alice"
    assert raw_line(raw, "REFRESH-INTERVAL", "VCALENDAR") == "REFRESH-INTERVAL;VALUE=DURATION:PT1H"
    assert raw_line(raw, "X-PUBLISHED-TTL", "VCALENDAR") == "X-PUBLISHED-TTL:PT1H"
    assert calendar["PRODID"] == "-//Rapport//Rapport//EN"


def test_the_feed_has_one_event_per_meeting_and_per_due_action() -> None:
    cancelled = replace(MEETING, uid="9b0d@rapport", sequence=3, cancelled=True)
    second_item = replace(ITEM, uid="thanks-7@rapport", summary="Send thanks to Marta")
    raw = checked_feed([MEETING, cancelled], [ITEM, second_item])
    events = Calendar.from_ical(raw).walk("VEVENT")

    assert [event["UID"] for event in events] == [
        "3f2c9a1e-7d3b-4c55-9a0e-2b1f6c8d9e01@rapport",
        "9b0d@rapport",
        "follow-up-42@rapport",
        "thanks-7@rapport",
    ]
    assert [event.get("STATUS") for event in events] == ["CONFIRMED", "CANCELLED", None, None]


def test_a_due_action_is_a_transparent_utc_event() -> None:
    raw = checked_feed([], [ITEM])
    event = only_event(raw)

    assert raw_line(raw, "DTSTART") == "DTSTART:20261201T090000Z"
    assert raw_line(raw, "DTEND") == "DTEND:20261201T091500Z"
    assert raw_value(raw, "DTSTAMP") == "20261120T080000Z"
    assert event["TRANSP"] == "TRANSPARENT"
    assert event["SUMMARY"] == "Follow up with Marta Silva"
    assert event["DESCRIPTION"] == "No reply for 7 business days; one nudge is fine."
    assert raw_value(raw, "URL") == "https://rapport.example/today"


def test_the_feed_has_each_zones_vtimezone_once_before_the_events() -> None:
    london = replace(MEETING, uid="a@rapport", zone="Europe/London")
    sydney = replace(MEETING, uid="b@rapport", zone="Australia/Sydney")
    london_again = replace(MEETING, uid="c@rapport", zone="Europe/London")
    raw = checked_feed([london, sydney, london_again], [])
    calendar = Calendar.from_ical(raw)

    assert [tz["TZID"] for tz in calendar.timezones] == ["Australia/Sydney", "Europe/London"]
    assert raw.index(b"END:VTIMEZONE") < raw.index(b"BEGIN:VEVENT")
    assert calendar.get_missing_tzids() == set()


def test_the_feeds_vtimezone_spans_every_year_its_meetings_fall_in() -> None:
    summers = [datetime(2026, 7, 1, 9, tzinfo=UTC), datetime(2029, 7, 2, 9, tzinfo=UTC)]
    meetings = [
        replace(MEETING, uid=f"{start.year}@rapport", start=start, zone="Europe/London")
        for start in summers
    ]
    calendar = Calendar.from_ical(checked_feed(meetings, []))
    (vtimezone,) = calendar.timezones
    tz = vtimezone.to_tz(lookup_tzid=False)

    # 10:00 on the clock is 09:00 UTC in both summers only if both years' BST is there.
    for start in summers:
        assert in_utc(start.replace(hour=10, tzinfo=None).replace(tzinfo=tz)) == start


def test_an_empty_feed_is_still_a_calendar() -> None:
    raw = checked_feed([], [])
    calendar = Calendar.from_ical(raw)

    assert calendar.walk("VEVENT") == []
    assert calendar["VERSION"] == "2.0"
    assert raw_value(raw, "X-WR-CALNAME", "VCALENDAR") == "Rapport: Alice"


def test_a_feed_name_cannot_add_properties() -> None:
    raw = checked_feed([], [], name="Alice\r\nX-EVIL:1")

    assert raw_value(raw, "X-WR-CALNAME", "VCALENDAR") == "Alice\\nX-EVIL:1"
    assert not any(line.startswith(b"X-EVIL") for line in raw.split(b"\r\n"))


def test_the_feed_is_the_same_bytes_in_every_process() -> None:
    """VTIMEZONEs come from a set; string hashing differs between processes."""
    script = """
import sys
from datetime import UTC, datetime
from rapport.meetings.calendar import MeetingEvent, feed

zones = ["Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata"]
stamp = datetime(2026, 4, 1, tzinfo=UTC)
events = [
    MeetingEvent(
        uid=zone + "@rapport", sequence=0, start=datetime(2026, 5, 1, 12, tzinfo=UTC),
        duration_min=30, summary=zone, organizer_name="", organizer_email="",
        attendee_name="", attendee_email="", zone=zone, updated=stamp,
    )
    for zone in zones
]
sys.stdout.buffer.write(feed(events, [], name="n", now=stamp))
"""
    src = str(Path(rapport.__file__).resolve().parents[1])
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONPATH": src, "PYTHONHASHSEED": seed},
            capture_output=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3", "4")
    }

    assert len(outputs) == 1
    assert_well_formed(outputs.pop())


# The file name


@pytest.mark.parametrize(
    ("attendee_name", "expected"),
    [
        ("Marta Silva", "meeting-marta-silva-2026-12-03.ics"),
        ("Łukasz Żółć-Nowak", "meeting-lukasz-zolc-nowak-2026-12-03.ics"),
        ("Søren Brønd", "meeting-soren-brond-2026-12-03.ics"),
        ("../../etc/passwd", "meeting-etc-passwd-2026-12-03.ics"),
        ("王芳", "meeting-2026-12-03.ics"),
        ("", "meeting-2026-12-03.ics"),
    ],
)
def test_the_file_name_is_a_safe_ascii_slug_of_the_host(attendee_name: str, expected: str) -> None:
    assert filename(replace(MEETING, attendee_name=attendee_name)) == expected


def test_the_file_name_uses_the_day_in_the_meetings_zone() -> None:
    late = replace(MEETING, start=datetime(2026, 12, 3, 20, 0, tzinfo=UTC), zone="Asia/Kolkata")

    assert filename(late) == "meeting-marta-silva-2026-12-04.ics"


def test_a_long_name_gives_a_short_file_name() -> None:
    name = filename(replace(MEETING, attendee_name="Maria " * 20))

    assert name.startswith("meeting-maria-maria-")
    assert len(name) <= len("meeting--2026-12-03.ics") + 40


# Refusing what cannot be a meeting


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"start": datetime(2026, 12, 3, 15, 0)}, "start must be timezone-aware"),
        ({"zone": "Mars/Olympus_Mons"}, "unknown time zone"),
        ({"zone": "../../etc/passwd"}, "unknown time zone"),
        ({"duration_min": 0}, "duration_min must be at least 1"),
        ({"sequence": -1}, "sequence must be at least 0"),
        ({"reminder_minutes": -5}, "reminder_minutes must be at least 0"),
        ({"uid": " \r\n"}, "uid must not be empty"),
        ({"updated": datetime(2026, 11, 20)}, "updated must be timezone-aware"),
    ],
)
def test_a_meeting_that_cannot_be_written_is_refused(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        replace(MEETING, **changes)


def test_a_due_action_without_a_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="start must be timezone-aware"):
        replace(ITEM, start=datetime(2026, 12, 1, 9, 0))
