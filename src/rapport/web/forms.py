from __future__ import annotations

from django import forms

from rapport.core.limits import REVIEW_MAX_TEXT_CHARS
from rapport.playbook.coach import CHANNELS, KINDS
from rapport.web.coach import CHANNEL_LABELS, KIND_LABELS


class CoachForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[(kind, KIND_LABELS.get(kind, kind.title())) for kind in KINDS],
        initial="request",
        label="What is it?",
        widget=forms.Select(attrs={"id": "coach-kind"}),
    )
    channel = forms.ChoiceField(
        choices=[(channel, CHANNEL_LABELS.get(channel, channel.title())) for channel in CHANNELS],
        initial="email",
        label="Sent by",
        widget=forms.Select(attrs={"id": "coach-channel"}),
    )
    # Not stripped: the highlights index into exactly what the user typed.
    text = forms.CharField(
        required=False,
        strip=False,
        max_length=REVIEW_MAX_TEXT_CHARS,
        label="Your text",
        widget=forms.Textarea(
            attrs={
                "id": "coach-text",
                "rows": 14,
                "spellcheck": "true",
                "placeholder": "Paste or type your message here.",
            }
        ),
    )

    def clean_text(self) -> str:
        # Browsers send a textarea's line breaks as CRLF; count each as one character,
        # as the person typing (and LinkedIn's limit) does.
        text: str = self.cleaned_data["text"]
        return text.replace("\r\n", "\n").replace("\r", "\n")
