"""Forms for scheduling: what to look for, which times to offer, and the time agreed."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django import forms

from rapport.meetings.models import Meeting
from rapport.meetings.scheduling import MAX_HORIZON_DAYS, Arrangement
from rapport.meetings.services import MAX_TRAVEL_MIN, STANDARD_DURATIONS_MIN

DURATION_CHOICES = [(minutes, f"{minutes} minutes") for minutes in STANDARD_DURATIONS_MIN]
OTHER_TIME = "other"
MY_CLOCK, THEIR_CLOCK = "mine", "theirs"


class SearchForm(forms.Form):
    """How long, how, and how far ahead to look for times."""

    duration_min = forms.TypedChoiceField(
        label="Length", choices=DURATION_CHOICES, coerce=int, initial=30
    )
    mode = forms.ChoiceField(label="How", choices=Meeting.Mode.choices, initial=Meeting.Mode.VIDEO)
    horizon_days = forms.IntegerField(
        label="Days ahead", min_value=1, max_value=MAX_HORIZON_DAYS, initial=14
    )

    def values(self) -> dict[str, Any]:
        """The cleaned choices, or the defaults when none were given."""
        if self.is_bound and self.is_valid():
            return dict(self.cleaned_data)
        return {name: field.initial for name, field in self.fields.items()}


class OfferForm(SearchForm):
    """The times ticked to offer: ISO 8601 starts with their offsets."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.starts: list[datetime] = []

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for value in self.data.getlist("slot") if hasattr(self.data, "getlist") else ():
            try:
                start = datetime.fromisoformat(value)
            except ValueError:
                start = None
            if start is None or start.tzinfo is None:
                raise forms.ValidationError("One of the times was not understood. Try again.")
            self.starts.append(start)
        return cleaned


class ArrangeForm(forms.Form):
    """The time they picked (one of those offered, or another on either clock), and how."""

    slot = forms.ChoiceField(label="The time they picked", required=False, widget=forms.RadioSelect)
    day = forms.DateField(
        label="Another day",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    at = forms.TimeField(
        label="At",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    clock = forms.ChoiceField(label="On whose clock", initial=MY_CLOCK, widget=forms.RadioSelect)
    duration_min = forms.TypedChoiceField(label="Length", choices=DURATION_CHOICES, coerce=int)
    mode = forms.ChoiceField(label="How", choices=Meeting.Mode.choices)
    place = forms.CharField(
        label="Place or link",
        required=False,
        max_length=500,
        help_text="The video link, or the address of the office, café or restaurant.",
    )
    formality = forms.ChoiceField(label="Dress", choices=Meeting.Formality.choices)
    travel_min = forms.IntegerField(
        label="Travel (minutes, one way)",
        required=False,
        min_value=0,
        max_value=MAX_TRAVEL_MIN,
        help_text="For meeting in person: Rapport tells you when to leave.",
    )

    def __init__(
        self,
        *args: Any,
        offered: list[tuple[str, str]],
        my_zone: str,
        their_zone: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.zones = {MY_CLOCK: my_zone, THEIR_CLOCK: their_zone}
        clock = self.fields["clock"]
        assert isinstance(clock, forms.ChoiceField)
        clock.choices = [
            (MY_CLOCK, f"Mine ({my_zone})"),
            (THEIR_CLOCK, f"Theirs ({their_zone})"),
        ]
        slot = self.fields["slot"]
        assert isinstance(slot, forms.ChoiceField)
        if offered:
            slot.choices = [*offered, (OTHER_TIME, "Another time")]
        else:
            del self.fields["slot"]
            self.fields["day"].label = "Day"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        picked = cleaned.get("slot", OTHER_TIME) or OTHER_TIME
        if picked != OTHER_TIME:
            cleaned["start"] = datetime.fromisoformat(picked)
            return cleaned
        day, at = cleaned.get("day"), cleaned.get("at")
        if day is None or at is None:
            if not self.errors:
                self.add_error(None, "Give the day and the time you agreed.")
            return cleaned
        zone = self.zones.get(cleaned.get("clock", MY_CLOCK), self.zones[MY_CLOCK])
        start = on_the_clock(day, at, ZoneInfo(zone))
        if start is None:
            self.add_error("at", "The clocks change then, so that time does not exist that day.")
        else:
            cleaned["start"] = start
        return cleaned

    def arrangement(self) -> Arrangement:
        data = self.cleaned_data
        return Arrangement(
            start=data["start"],
            mode=data["mode"],
            place=data["place"],
            formality=data["formality"],
            travel_min=data.get("travel_min") or 0,
            duration_min=data["duration_min"],
        )


def on_the_clock(day: date, at: time, zone: ZoneInfo) -> datetime | None:
    """The moment the clock in `zone` shows `at` on `day` (the first, when it shows it twice),
    or None when the clocks skip it."""
    local = datetime.combine(day, at.replace(second=0, microsecond=0, tzinfo=None), zone)
    back = local.astimezone(UTC).astimezone(zone)
    if back.replace(tzinfo=None) != local.replace(tzinfo=None):
        return None
    return local
