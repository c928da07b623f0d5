from __future__ import annotations

import calendar
from typing import Any

from django import forms
from django_countries import countries

from rapport.accounts.models import Situation
from rapport.lib.dates import known_time_zones


class LinesField(forms.CharField):
    """A list of short strings edited as one item per line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


def _zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(known_time_zones())]


def _country_choices() -> list[tuple[str, str]]:
    return [("", "—"), *((country.code, country.name) for country in countries)]


class ProfileForm(forms.Form):
    display_name = forms.CharField(max_length=120, required=False, label="Your name")
    time_zone = forms.ChoiceField(choices=_zone_choices, label="Time zone")
    country = forms.ChoiceField(
        choices=_country_choices,
        required=False,
        help_text="Public holidays there are skipped when Rapport counts business days.",
    )
    intro = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=600,
        required=False,
        label="Short self-introduction",
        help_text="One or two sentences: who you are and where you are now.",
    )
    schools = LinesField(required=False, help_text="One per line.")
    past_employers = LinesField(required=False, help_text="One per line.")
    target_roles = LinesField(required=False, help_text="One per line.")
    target_industries = LinesField(required=False, help_text="One per line.")
    signature = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=400, required=False
    )
    max_nudges = forms.TypedChoiceField(
        choices=[(1, "Once (recommended)"), (2, "Twice at most")],
        coerce=int,
        label="Follow up a request with no reply",
        help_text="Each after 7 business days without a reply; then Rapport lets them rest.",
    )
    keep_in_touch_weeks = forms.IntegerField(
        min_value=2,
        max_value=26,
        label="Suggest an update every (weeks)",
        help_text="After the last exchange with someone you have met; 6 to 8 weeks suits most.",
    )
    digest_enabled = forms.BooleanField(
        required=False,
        label="Email me a daily digest of what is due",
        help_text="Sent to your account's email address, once a day, only when something is due.",
    )
    digest_hour = forms.TypedChoiceField(
        choices=[(hour, f"{hour:02d}:00") for hour in range(24)],
        coerce=int,
        label="Digest time (your time zone)",
    )
    situation = forms.ChoiceField(
        choices=Situation.choices,
        label="Where you are coming from",
        help_text="Question plans start from the questions written for your situation.",
    )
    free_from = forms.TimeField(
        label="Free from", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    free_until = forms.TimeField(
        label="Free until", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    free_weekdays = forms.TypedMultipleChoiceField(
        choices=list(enumerate(calendar.day_abbr)),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        label="Days you can meet",
        help_text="Rapport proposes times inside these hours, in your time zone.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("free_from"), data.get("free_until")
        if start and end and start >= end:
            self.add_error("free_until", "End after you start, on the same day.")
        return data


class LoginForm(forms.Form):
    username = forms.CharField(
        label="Email",
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class SignupForm(forms.Form):
    display_name = forms.CharField(max_length=120, label="Your name")
    email = forms.EmailField(
        max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label="Token name",
        help_text="What will use it, such as “my scripts” or “laptop”.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
