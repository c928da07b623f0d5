"""Preparing for a meeting: the question plan, the printable brief and rehearsal.

Every change is a POST that redirects back to the plan. With htmx the same forms post in
the background and the plan swaps in place (hx-select), so one code path serves both.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapport.core.errors import RapportError
from rapport.core.http import AuthenticatedHttpRequest, safe_next
from rapport.meetings import plans, rehearsals
from rapport.meetings.models import Meeting, PlanQuestion, Rehearsal
from rapport.meetings.plan_forms import (
    BankAddForm,
    BankFilterForm,
    MoveForm,
    QuestionForm,
    timings_from,
)
from rapport.playbook.question_bank import SITUATIONS

# --- the plan ------------------------------------------------------------------------------


@require_GET
def plan_detail(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    return _plan_page(request, meeting, QuestionForm())


@require_POST
def plan_add(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    """The seeker's own question."""
    meeting = _meeting(request, meeting_id)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            plans.question_add(owner=request.user, meeting=meeting, **form.cleaned_data)
        except RapportError as exc:
            _add_error(form, exc)
        else:
            return _back_to_plan(meeting)
    return _plan_page(request, meeting, form)


@require_POST
def plan_add_bank(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    form = BankAddForm(request.POST)
    error = "Choose a question from the bank."
    if form.is_valid():
        try:
            plans.question_add_from_bank(
                owner=request.user, meeting=meeting, bank_id=form.cleaned_data["bank_id"]
            )
        except RapportError as exc:
            error = exc.message
        else:
            return redirect(safe_next(request, _plan_url(meeting)))
    return _plan_page(request, meeting, QuestionForm(), error=error)


@require_POST
def plan_start(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    try:
        plans.plan_start(
            owner=request.user, meeting=meeting, situation=plans.situation_of(request.user)
        )
    except RapportError as exc:
        return _plan_page(request, meeting, QuestionForm(), error=exc.message)
    return _back_to_plan(meeting)


@require_POST
def plan_use_pace(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    plans.plan_use_pace(owner=request.user, meeting=meeting)
    return _back_to_plan(meeting)


@require_http_methods(["GET", "POST"])
def question_edit(request: AuthenticatedHttpRequest, question_id: int) -> HttpResponse:
    question = _question(request, question_id)
    initial = {k: getattr(question, k) for k in ("text", "priority", "answer_min")}
    form = QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plans.question_update(owner=request.user, question=question, **form.cleaned_data)
        except RapportError as exc:
            _add_error(form, exc)
        else:
            return _back_to_plan(question.meeting)
    context = {"question": question, "meeting": question.meeting, "form": form}
    return render(request, "meetings/plan_question_edit.html", context)


@require_POST
def question_move(request: AuthenticatedHttpRequest, question_id: int) -> HttpResponse:
    question = _question(request, question_id)
    form = MoveForm(request.POST)
    if form.is_valid():
        up = form.cleaned_data["direction"] == "up"
        plans.question_move(owner=request.user, question=question, up=up)
    return _back_to_plan(question.meeting)


@require_POST
def question_remove(request: AuthenticatedHttpRequest, question_id: int) -> HttpResponse:
    question = _question(request, question_id)
    plans.question_remove(owner=request.user, question=question)
    return _back_to_plan(question.meeting)


def _plan_page(
    request: AuthenticatedHttpRequest,
    meeting: Meeting,
    form: QuestionForm,
    *,
    error: str = "",
) -> HttpResponse:
    owner = request.user
    filters = BankFilterForm(request.GET)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    situation = chosen.get("situation") or plans.situation_of(owner)
    situation = situation if situation in SITUATIONS else SITUATIONS[0]
    kind = chosen.get("kind") or ""
    plan = plans.plan_review(owner=owner, meeting=meeting)
    context: dict[str, Any] = {
        "meeting": meeting,
        "contact": meeting.contact,
        "plan": plan,
        "form": form,
        "error": error,
        "filters": BankFilterForm(initial={"kind": kind, "situation": situation}),
        "bank": plans.bank_choices(owner=owner, meeting=meeting, situation=situation, kind=kind),
        "full": len(plan.rows) >= plans.MAX_QUESTIONS,
        "max_questions": plans.MAX_QUESTIONS,
        "rehearsals": plans.past_rehearsals(owner=owner, meeting=meeting),
        "here": request.get_full_path() if request.method == "GET" else _plan_url(meeting),
    }
    return render(request, "meetings/plan.html", context)


# --- the brief -----------------------------------------------------------------------------


@require_GET
def meeting_brief(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    """One printable page to take along: who, the plan and the practical side."""
    meeting = _meeting(request, meeting_id)
    context = {
        "meeting": meeting,
        "contact": meeting.contact,
        "plan": plans.plan_review(owner=request.user, meeting=meeting),
        "day": plans.logistics(meeting, zone=_zone()),
    }
    return render(request, "meetings/brief.html", context)


# --- rehearsal -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def rehearse(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    """GET: the runner (a timer with script, a form to type timings without); POST: save."""
    meeting = _meeting(request, meeting_id)
    error = ""
    if request.method == "POST":
        try:
            timings = timings_from(request.POST)
            saved = rehearsals.rehearsal_save(owner=request.user, meeting=meeting, timings=timings)
        except RapportError as exc:
            error = exc.message
        else:
            return redirect("meetings:rehearsal_detail", saved.pk)
    context = {
        "meeting": meeting,
        "contact": meeting.contact,
        "plan": plans.plan_review(owner=request.user, meeting=meeting),
        "error": error,
    }
    return render(request, "meetings/rehearse.html", context)


@require_GET
def rehearsal_detail(request: AuthenticatedHttpRequest, rehearsal_id: int) -> HttpResponse:
    owned = Rehearsal.objects.for_owner(request.user).select_related("meeting__contact")
    rehearsal = get_object_or_404(owned, pk=rehearsal_id)
    result = rehearsals.rehearsal_result(owner=request.user, rehearsal=rehearsal)
    context = {"meeting": rehearsal.meeting, "contact": rehearsal.meeting.contact, "result": result}
    return render(request, "meetings/rehearse_result.html", context)


# --- helpers -------------------------------------------------------------------------------


def _meeting(request: AuthenticatedHttpRequest, meeting_id: int) -> Meeting:
    owned = Meeting.objects.for_owner(request.user).select_related("contact__company")
    return get_object_or_404(owned, pk=meeting_id)


def _question(request: AuthenticatedHttpRequest, question_id: int) -> PlanQuestion:
    owned = PlanQuestion.objects.for_owner(request.user).select_related("meeting__contact")
    return get_object_or_404(owned, pk=question_id)


def _plan_url(meeting: Meeting) -> str:
    return reverse("meetings:plan_detail", args=[meeting.pk])


def _back_to_plan(meeting: Meeting) -> HttpResponse:
    return redirect("meetings:plan_detail", meeting.pk)


def _add_error(form: forms.Form, exc: RapportError) -> None:
    field = next((name for name in exc.fields if name in form.fields), None)
    form.add_error(field, exc.message)


def _zone() -> ZoneInfo:
    zone = timezone.get_current_timezone()
    return zone if isinstance(zone, ZoneInfo) else ZoneInfo("UTC")
