"""Forms for the question plan and the rehearsal."""

from __future__ import annotations

import re

from django import forms
from django.http import QueryDict

from rapport.accounts.models import Situation
from rapport.core.errors import RapportError
from rapport.meetings.models import PlanQuestion
from rapport.meetings.plans import MAX_ANSWER, MAX_TEXT, MIN_ANSWER
from rapport.playbook.question_bank import KINDS
from rapport.playbook.questions import COVERAGE_LABELS

KIND_CHOICES = [("", "Any kind"), *((kind, COVERAGE_LABELS[kind].capitalize()) for kind in KINDS)]
TIMING_FIELD_RE = re.compile(r"seconds-(\d+)")


class QuestionForm(forms.Form):
    text = forms.CharField(
        label="Question",
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    priority = forms.TypedChoiceField(
        choices=PlanQuestion.Priority.choices,
        coerce=int,
        initial=PlanQuestion.Priority.SHOULD,
    )
    answer_min = forms.IntegerField(
        label="Minutes for the answer",
        min_value=MIN_ANSWER,
        max_value=MAX_ANSWER,
        initial=3,
    )


class BankAddForm(forms.Form):
    bank_id = forms.CharField(max_length=80)


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "Up"), ("down", "Down")])


class BankFilterForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of question", choices=KIND_CHOICES, required=False)
    situation = forms.ChoiceField(label="Questions for", choices=Situation.choices, required=False)


def timings_from(data: QueryDict) -> list[tuple[int, int]]:
    """The rehearsal's `seconds-<question id>` fields as (id, seconds); empty ones were
    skipped. A field sent twice is kept twice, so the service can refuse it."""
    timings = []
    for name in data:
        found = TIMING_FIELD_RE.fullmatch(name)
        if not found:
            continue
        for value in data.getlist(name):
            if not value.strip():
                continue
            try:
                seconds = int(value)
            except ValueError as exc:
                raise RapportError(
                    "Each timing is a whole number of seconds.", fields={name: "not a number"}
                ) from exc
            timings.append((int(found.group(1)), seconds))
    return timings
