"""The forms of the meeting page: notes, "asked" ticks, and the two kinds of takeaway."""

from __future__ import annotations

from typing import Any

from django import forms

from rapport.meetings.live import TakeawayData
from rapport.meetings.models import PlanQuestion, Takeaway
from rapport.outreach.models import Message


class NotesForm(forms.Form):
    """Notes under one question of the plan, or (with no question) for the whole meeting.
    Their length is the service's to judge, so the message is the same with or without
    script."""

    question = forms.IntegerField(required=False, widget=forms.HiddenInput)
    notes = forms.CharField(required=False, strip=False, widget=forms.Textarea)


class AskedForm(forms.Form):
    question = forms.IntegerField(widget=forms.HiddenInput)
    asked = forms.BooleanField(required=False)


class _TakeawayForm(forms.Form):
    """A takeaway's fields; `question` offers the meeting's plan."""

    question = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, label="About the question"
    )

    def __init__(self, *args: Any, questions: list[PlanQuestion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = {q.pk: q for q in questions}
        choices = [("", "None in particular"), *((q.pk, _short(q.text)) for q in questions)]
        self.fields["question"].choices = choices  # type: ignore[attr-defined]

    def data_for_service(self) -> TakeawayData:
        cleaned = self.cleaned_data
        return TakeawayData(
            text=cleaned.get("text", ""),
            question=self.questions.get(cleaned.get("question") or 0),
            person_name=cleaned.get("person_name", ""),
            person_company=cleaned.get("person_company", ""),
            person_reach=cleaned.get("person_reach", ""),
        )


class AdviceForm(_TakeawayForm):
    text = forms.CharField(
        label="Their advice",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "e.g. Learn SQL alongside GIS"}),
    )
    field_order = ["text", "question"]


class PersonForm(_TakeawayForm):
    person_name = forms.CharField(label="Name", max_length=200)
    person_company = forms.CharField(label="Company", max_length=200, required=False)
    person_reach = forms.CharField(
        label="How to reach them",
        max_length=300,
        required=False,
        help_text="An email address, a LinkedIn link, a phone number, or “ask Marta”.",
    )
    text = forms.CharField(
        label="Why talk to them",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    field_order = ["person_name", "person_company", "person_reach", "text", "question"]


def takeaway_form(
    kind: str, questions: list[PlanQuestion], *, data: Any = None, takeaway: Takeaway | None = None
) -> AdviceForm | PersonForm:
    """The form for this kind of takeaway, prefixed so both fit on one page, filled from
    the takeaway when editing one."""
    initial = {}
    if takeaway is not None:
        initial = {
            "text": takeaway.text,
            "question": takeaway.question_id or "",
            "person_name": takeaway.person_name,
            "person_company": takeaway.person_company,
            "person_reach": takeaway.person_reach,
        }
    form_class = AdviceForm if kind == Takeaway.Kind.ADVICE else PersonForm
    return form_class(data, prefix=kind, initial=initial, questions=questions)


class ThanksForm(forms.Form):
    """How the thank-you goes: an email, or a card to print and post."""

    channel = forms.ChoiceField(
        choices=[(Message.Channel.EMAIL, "Email"), (Message.Channel.LETTER, "Card")],
        initial=Message.Channel.EMAIL,
    )


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
