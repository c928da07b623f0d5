"""The meeting page (a phone in one hand: countdown, the next question, notes, takeaways),
ending the meeting, and starting the thank-you.

Every form works as a plain POST; with script, notes autosave (static/js/meeting.js) and
the ticks and takeaways update in place with htmx.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.contrib import messages as flash
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapport.core import clock
from rapport.core.errors import RapportError
from rapport.core.http import AuthenticatedHttpRequest
from rapport.core.models import get_owned_or_404
from rapport.meetings import live
from rapport.meetings.day_forms import AskedForm, NotesForm, ThanksForm, takeaway_form
from rapport.meetings.models import Meeting, PlanQuestion, Takeaway
from rapport.outreach import services as outreach
from rapport.outreach.models import Message
from rapport.playbook import cadence

LIVE_TEMPLATE = "meetings/live.html"


# --- the page ------------------------------------------------------------------------------


@require_GET
def meeting_live(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    return render(request, LIVE_TEMPLATE, _live_context(meeting))


def _live_context(meeting: Meeting, **forms: Any) -> dict[str, Any]:
    questions = live.plan_questions(meeting)
    now_question, next_question = live.next_questions(questions)
    return {
        "meeting": meeting,
        "questions": questions,
        "now_question": now_question,
        "next_question": next_question,
        "countdown": live.countdown(meeting, clock.now()),
        "server_now": clock.now(),
        "notes_error": None,
        **_takeaways_context(meeting, questions),
        **forms,
    }


def _takeaways_context(meeting: Meeting, questions: list[PlanQuestion]) -> dict[str, Any]:
    takeaways = list(meeting.takeaways.select_related("question", "contact"))
    return {
        "meeting": meeting,
        "advice": [t for t in takeaways if t.kind == Takeaway.Kind.ADVICE],
        "people": [t for t in takeaways if t.kind == Takeaway.Kind.PERSON],
        "advice_form": takeaway_form(Takeaway.Kind.ADVICE, questions),
        "person_form": takeaway_form(Takeaway.Kind.PERSON, questions),
    }


def _live_url(meeting: Meeting, anchor: str = "") -> str:
    url = reverse("meetings:meeting_live", args=[meeting.pk])
    return f"{url}#{anchor}" if anchor else url


# --- starting and ending -------------------------------------------------------------------


@require_POST
def meeting_start(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    try:
        live.meeting_start(owner=request.user, meeting=meeting)
    except RapportError as exc:
        flash.error(request, exc.message)
    return redirect(_live_url(meeting))


@require_POST
def meeting_end(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    try:
        live.meeting_end(owner=request.user, meeting=meeting)
    except RapportError as exc:
        flash.error(request, exc.message)
        return redirect(_live_url(meeting))
    flash.success(request, f"Well done. Now thank {meeting.contact.full_name} while it is fresh.")
    return redirect("meetings:meeting_detail", meeting.pk)


# --- notes and ticks -----------------------------------------------------------------------


@require_POST
def meeting_notes(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    """Autosave (JSON for the script) or a plain save of one notes box."""
    meeting = _meeting(request, meeting_id)
    form = NotesForm(request.POST)
    wants_json = "application/json" in request.headers.get("Accept", "")
    if not form.is_valid():
        return _notes_refused(request, meeting, "Those notes could not be read.", wants_json)
    question_id, notes = form.cleaned_data["question"], form.cleaned_data["notes"]
    try:
        if question_id:
            question = _question(request, meeting, question_id)
            live.question_notes_save(owner=request.user, question=question, notes=notes)
        else:
            live.meeting_notes_save(owner=request.user, meeting=meeting, notes=notes)
    except RapportError as exc:
        return _notes_refused(request, meeting, exc.message, wants_json, form)
    if wants_json:
        return JsonResponse({"saved_at": clock.now().isoformat()})
    flash.success(request, "Notes saved.")
    anchor = f"question-{question_id}" if question_id else "meeting-notes"
    return redirect(_live_url(meeting, anchor))


def _notes_refused(
    request: AuthenticatedHttpRequest,
    meeting: Meeting,
    message: str,
    wants_json: bool,
    form: NotesForm | None = None,
) -> HttpResponse:
    if wants_json:
        return JsonResponse({"error": message}, status=400)
    typed = form.cleaned_data if form is not None else {}
    key = typed.get("question") or "meeting"
    error = {"key": key, "message": message, "notes": typed.get("notes", "")}
    return render(request, LIVE_TEMPLATE, _live_context(meeting, notes_error=error), status=400)


@require_POST
def meeting_asked(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    """Tick a question as asked (or not): htmx swaps the tick and the "ask now" card."""
    meeting = _meeting(request, meeting_id)
    form = AskedForm(request.POST)
    if not form.is_valid():
        flash.error(request, "Choose a question to tick.")
        return redirect(_live_url(meeting))
    question = _question(request, meeting, form.cleaned_data["question"])
    live.question_mark_asked(
        owner=request.user, question=question, asked=form.cleaned_data["asked"]
    )
    if request.htmx:
        context = {**_live_context(meeting), "question": question}
        return render(request, f"{LIVE_TEMPLATE}#asked", context)
    return redirect(_live_url(meeting, f"question-{question.pk}"))


# --- takeaways -----------------------------------------------------------------------------


@require_POST
def takeaway_add(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    kind = request.POST.get("kind", "")
    if kind not in Takeaway.Kind.values:
        flash.error(request, "Choose advice or a person.")
        return redirect(_live_url(meeting, "takeaways"))
    form = takeaway_form(kind, live.plan_questions(meeting), data=request.POST)
    if form.is_valid():
        try:
            live.takeaway_add(
                owner=request.user, meeting=meeting, kind=kind, data=form.data_for_service()
            )
        except RapportError as exc:
            form.add_error(_field(form, exc), exc.message)
    if form.errors:
        return _takeaways_again(request, meeting, **{f"{kind}_form": form})
    return _takeaways_done(request, meeting, "Added.")


@require_http_methods(["GET", "POST"])
def takeaway_edit(request: AuthenticatedHttpRequest, takeaway_id: int) -> HttpResponse:
    takeaway = _takeaway(request, takeaway_id)
    meeting = takeaway.meeting
    data = request.POST if request.method == "POST" else None
    form = takeaway_form(takeaway.kind, live.plan_questions(meeting), data=data, takeaway=takeaway)
    if request.method == "POST" and form.is_valid():
        try:
            live.takeaway_update(
                owner=request.user, takeaway=takeaway, data=form.data_for_service()
            )
        except RapportError as exc:
            form.add_error(_field(form, exc), exc.message)
        else:
            flash.success(request, "Saved.")
            return redirect(_live_url(meeting, f"takeaway-{takeaway.pk}"))
    context = {"takeaway": takeaway, "meeting": meeting, "form": form}
    return render(request, "meetings/live_takeaway_edit.html", context)


@require_POST
def takeaway_delete(request: AuthenticatedHttpRequest, takeaway_id: int) -> HttpResponse:
    takeaway = _takeaway(request, takeaway_id)
    meeting = takeaway.meeting
    live.takeaway_delete(owner=request.user, takeaway=takeaway)
    return _takeaways_done(request, meeting, "Deleted.")


@require_POST
def takeaway_contact(request: AuthenticatedHttpRequest, takeaway_id: int) -> HttpResponse:
    """ "Add to my contacts": a new contact introduced by the one met, or the one they are."""
    takeaway = _takeaway(request, takeaway_id)
    meeting = takeaway.meeting
    try:
        contact = live.takeaway_make_contact(owner=request.user, takeaway=takeaway)
    except RapportError as exc:
        flash.error(request, exc.message)
        return redirect(_live_url(meeting, "takeaways"))
    return _takeaways_done(request, meeting, f"{contact.full_name} is in your contacts.")


def _takeaways_done(
    request: AuthenticatedHttpRequest, meeting: Meeting, message: str
) -> HttpResponse:
    if request.htmx:
        context = _takeaways_context(meeting, live.plan_questions(meeting))
        return render(request, f"{LIVE_TEMPLATE}#takeaways", {**context, "said": message})
    flash.success(request, message)
    return redirect(_live_url(meeting, "takeaways"))


def _takeaways_again(
    request: AuthenticatedHttpRequest, meeting: Meeting, **forms: Any
) -> HttpResponse:
    """The form with its errors: just the section for htmx, else the whole page."""
    if request.htmx:
        context = {**_takeaways_context(meeting, live.plan_questions(meeting)), **forms}
        return render(request, f"{LIVE_TEMPLATE}#takeaways", context)
    return render(request, LIVE_TEMPLATE, _live_context(meeting, **forms), status=400)


def _field(form: Any, exc: RapportError) -> str | None:
    field = next(iter(exc.fields), None)
    return field if field in form.fields else None


# --- after: the thank-you ------------------------------------------------------------------


@require_POST
def meeting_thanks(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    """ "Write the thank-you": the draft for this meeting, started once (as an email, or as
    a card to print), then the composer."""
    meeting = _meeting(request, meeting_id)
    form = ThanksForm(request.POST)
    channel = form.cleaned_data["channel"] if form.is_valid() else Message.Channel.EMAIL
    draft = _thanks_messages(meeting).filter(status=Message.Status.DRAFT, channel=channel).first()
    if draft is not None:
        return redirect("outreach:message_edit", draft.pk)
    try:
        if meeting.status == Meeting.Status.CANCELLED:
            raise RapportError("This meeting was cancelled, so there is nobody to thank yet.")
        draft = outreach.message_start(
            owner=request.user,
            contact=meeting.contact,
            kind=Message.Kind.THANKS,
            channel=channel,
            meeting=meeting,
        )
    except RapportError as exc:
        flash.error(request, exc.message)
        return redirect("meetings:meeting_detail", meeting.pk)
    return redirect("outreach:message_edit", draft.pk)


def detail_context(meeting: Meeting) -> dict[str, Any]:
    """What the meeting's own page shows of the day: its takeaways and, once it is over,
    the thank-you countdown and any thank-you already started."""
    takeaways = list(meeting.takeaways.select_related("contact"))
    context: dict[str, Any] = {
        "day_advice": [t for t in takeaways if t.kind == Takeaway.Kind.ADVICE],
        "day_people": [t for t in takeaways if t.kind == Takeaway.Kind.PERSON],
        "thanks_messages": list(_thanks_messages(meeting).order_by("-created_at")),
        "thanks_deadline": None,
    }
    if meeting.status == Meeting.Status.DONE and meeting.end is not None:
        deadline = thanks_deadline(meeting.end)
        context["thanks_deadline"] = deadline
        context["thanks_left"] = _span(deadline - clock.now())
    return context


def thanks_deadline(ended_at: datetime) -> datetime:
    """The thank-you is best sent within the playbook's hours of the end (section 10)."""
    hours = cadence.Policy.from_settings().thanks_within_hours
    return ended_at.astimezone(UTC) + timedelta(hours=hours)  # a real day, whatever the clocks do


def _span(left: timedelta) -> str:
    """ "14 h 20 min left" or "3 h late"."""
    minutes = int(abs(left.total_seconds()) // 60)
    hours, minutes = divmod(minutes, 60)
    span = f"{hours} h {minutes:02d} min" if hours < 10 else f"{hours} h"
    return f"{span} left" if left.total_seconds() >= 0 else f"{span} late"


def _thanks_messages(meeting: Meeting) -> Any:
    return Message.objects.filter(
        owner_id=meeting.owner_id, meeting=meeting, kind=Message.Kind.THANKS
    )


# --- helpers -------------------------------------------------------------------------------


def _meeting(request: AuthenticatedHttpRequest, meeting_id: int) -> Meeting:
    owned = Meeting.objects.for_owner(request.user).select_related("contact", "contact__company")
    meeting: Meeting = get_object_or_404(owned, pk=meeting_id)
    return meeting


def _question(
    request: AuthenticatedHttpRequest, meeting: Meeting, question_id: int
) -> PlanQuestion:
    return get_owned_or_404(PlanQuestion, request.user, pk=question_id, meeting=meeting)


def _takeaway(request: AuthenticatedHttpRequest, takeaway_id: int) -> Takeaway:
    owned = Takeaway.objects.for_owner(request.user).select_related("meeting__contact")
    takeaway: Takeaway = get_object_or_404(owned, pk=takeaway_id)
    return takeaway
