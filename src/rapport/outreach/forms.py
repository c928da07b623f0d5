from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone

from rapport.core.limits import REVIEW_MAX_TEXT_CHARS
from rapport.outreach.models import Message, MessageTemplate

KIND_CHOICES = Message.Kind.choices
# In the composer, "in person" is something you log, not something you write.
CHANNEL_CHOICES = [c for c in Message.Channel.choices if c[0] != Message.Channel.IN_PERSON]


class StartForm(forms.Form):
    """Which message to start, and from which template."""

    kind = forms.ChoiceField(choices=KIND_CHOICES, initial=Message.Kind.REQUEST, label="What")
    channel = forms.ChoiceField(choices=CHANNEL_CHOICES, initial=Message.Channel.EMAIL, label="By")
    template = forms.CharField(required=False, max_length=40, label="Start from")


class ComposeForm(forms.Form):
    channel = forms.ChoiceField(choices=CHANNEL_CHOICES, label="Sent by")
    subject = forms.CharField(required=False, max_length=300, strip=False, label="Subject")
    # Not stripped: the coach's highlights index into exactly what was typed.
    body = forms.CharField(
        required=False,
        strip=False,
        max_length=REVIEW_MAX_TEXT_CHARS,
        label="Message",
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "true", "id": "compose-body"}),
    )

    def clean_body(self) -> str:
        # Browsers send line breaks as CRLF; count each as one character, as LinkedIn does.
        body: str = self.cleaned_data["body"]
        return body.replace("\r\n", "\n").replace("\r", "\n")

    def clean_subject(self) -> str:
        subject: str = self.cleaned_data["subject"]
        if "\n" in subject or "\r" in subject:
            raise forms.ValidationError("A subject is one line.")
        return subject


class ApprovalFields(forms.Form):
    errors_acknowledged = forms.BooleanField(
        required=False, label="I have read the coach's errors and want to go ahead anyway"
    )
    asked_for_followup = forms.BooleanField(
        required=False, label="They asked me to follow up (so the usual wait does not apply)"
    )


class _OnADay(forms.Form):
    """A day field (today by default, never in the future) that becomes a moment: today,
    the time it is now; an earlier day, its noon in the seeker's zone."""

    day_field: str
    day_label: str

    def __init__(self, *args: Any, zone: ZoneInfo, now: datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone, self.now = zone, now
        self.fields[self.day_field] = forms.DateField(
            label=self.day_label,
            initial=now.astimezone(zone).date(),
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day = cleaned.get(self.day_field)
        if day is not None and day > self.now.astimezone(self.zone).date():
            self.add_error(self.day_field, "That day has not come yet.")
        return cleaned

    def moment(self) -> datetime:
        day: date = self.cleaned_data[self.day_field]
        if day == self.now.astimezone(self.zone).date():
            return self.now
        return datetime.combine(day, time(12), tzinfo=self.zone)


class MarkSentForm(_OnADay, ApprovalFields):
    day_field, day_label = "sent_on", "Sent on"

    def sent_at(self) -> datetime:
        return self.moment()


class ScheduleForm(ApprovalFields):
    send_at = forms.DateTimeField(
        label="Send at (your time)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def __init__(self, *args: Any, zone: ZoneInfo, now: datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone, self.now = zone, now

    def clean_send_at(self) -> datetime:
        value: datetime = self.cleaned_data["send_at"]
        local = timezone.make_naive(value) if timezone.is_aware(value) else value
        at = local.replace(tzinfo=self.zone)
        if at < self.now:
            raise forms.ValidationError("Choose a time that has not passed.")
        return at


class ReplyForm(_OnADay):
    day_field, day_label = "replied_on", "Reply came on"

    def replied_at(self) -> datetime:
        return self.moment()


class TemplateForm(forms.ModelForm):
    class Meta:
        model = MessageTemplate
        fields = ["name", "kind", "channel", "subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}
        labels = {"channel": "Channel (empty for any)"}
