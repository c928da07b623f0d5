"""Scheduling pages: offer times to a contact, record the one they picked, move or cancel the
meeting, and start the message that tells them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages as flash
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from rapport.contacts.models import Contact
from rapport.core import clock
from rapport.core.errors import RapportError
from rapport.core.http import AuthenticatedHttpRequest
from rapport.core.models import get_owned_or_404
from rapport.meetings import invites, scheduling
from rapport.meetings.forms import ArrangeForm, OfferForm, SearchForm
from rapport.meetings.models import Meeting


@require_http_methods(["GET", "POST"])
def schedule_new(request: AuthenticatedHttpRequest, contact_id: int) -> HttpResponse:
    """GET: the times to offer for the length and days chosen; POST: offer the ticked ones
    and open the message that offers them."""
    owner = request.user
    contact = get_owned_or_404(Contact, owner, pk=contact_id)
    posted = request.method == "POST"
    form = OfferForm(request.POST) if posted else SearchForm(request.GET or None)
    if posted and form.is_valid():
        assert isinstance(form, OfferForm)
        try:
            _, message = scheduling.meeting_propose(
                owner=owner,
                contact=contact,
                duration_min=form.cleaned_data["duration_min"],
                mode=form.cleaned_data["mode"],
                starts=form.starts,
            )
        except RapportError as exc:
            _show(form, exc)
        else:
            flash.success(request, "Times offered. Check the message, then send it.")
            return redirect("outreach:message_edit", message.pk)
    choice = form.values()
    offer, problem = None, ""
    try:
        offer = scheduling.slot_offer(
            owner=owner,
            contact=contact,
            duration_min=choice["duration_min"],
            horizon_days=choice["horizon_days"],
            now=clock.now(),
        )
    except RapportError as exc:
        problem = exc.message
    context = {"contact": contact, "form": form, "choice": choice, "offer": offer}
    return render(request, "meetings/schedule_new.html", {**context, "problem": problem})


@require_http_methods(["GET", "POST"])
def meeting_time(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    """The time they picked for a proposed meeting; for a booked one, a new time or place."""
    owner = request.user
    meeting = get_owned_or_404(Meeting, owner, pk=meeting_id)
    form = _arrange_form(request, meeting)
    changeable = meeting.status in (Meeting.Status.PROPOSED, Meeting.Status.CONFIRMED)
    if request.method == "POST" and changeable and form.is_valid():
        proposed = meeting.status == Meeting.Status.PROPOSED
        change = scheduling.meeting_confirm if proposed else scheduling.meeting_reschedule
        try:
            change(owner=owner, meeting=meeting, arrangement=form.arrangement())
        except RapportError as exc:
            meeting.refresh_from_db()
            _show(form, exc)
        else:
            done = "Booked" if proposed else "Changed"
            flash.success(request, f"{done}. Now let them know: the calendar invite goes with it.")
            return redirect("meetings:meeting_detail", meeting.pk)
    context = {"meeting": meeting, "form": form, "changeable": changeable}
    return render(request, "meetings/schedule_time.html", context)


@require_POST
def meeting_cancel(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_owned_or_404(Meeting, request.user, pk=meeting_id)
    try:
        scheduling.meeting_cancel(owner=request.user, meeting=meeting)
    except RapportError as exc:
        flash.error(request, exc.message)
    else:
        flash.success(request, "Cancelled. Let them know, so their calendar is cleared too.")
    return redirect("meetings:meeting_detail", meeting.pk)


@require_POST
def meeting_news(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    """Start the message that tells the contact where the meeting stands."""
    meeting = get_owned_or_404(Meeting, request.user, pk=meeting_id)
    try:
        message = scheduling.meeting_news_start(owner=request.user, meeting=meeting)
    except RapportError as exc:
        flash.error(request, exc.message)
        return redirect("meetings:meeting_detail", meeting.pk)
    return redirect("outreach:message_edit", message.pk)


def _arrange_form(request: AuthenticatedHttpRequest, meeting: Meeting) -> ArrangeForm:
    owner = request.user
    my_zone = invites.seeker_zone(owner)
    offered: list[tuple[str, str]] = []
    if meeting.status == Meeting.Status.PROPOSED:
        offered = _offered(meeting)
    initial: dict[str, Any] = {
        "duration_min": meeting.duration_min,
        "mode": meeting.mode,
        "place": meeting.place,
        "formality": meeting.formality,
        "travel_min": meeting.travel_min,
    }
    if meeting.start is not None:
        local = meeting.start.astimezone(invites.seeker_clock(owner).tz)
        initial |= {"day": local.date(), "at": local.time()}
    elif offered:
        initial["slot"] = offered[0][0]
    return ArrangeForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        offered=offered,
        my_zone=my_zone,
        their_zone=invites.host_zone(meeting.contact, owner),
    )


def _offered(meeting: Meeting) -> list[tuple[str, str]]:
    seeker = invites.seeker_clock(meeting.owner)
    host = invites.host_person(meeting.contact, meeting.owner)
    slots = invites.offered_slots(meeting)
    return [(scheduling.iso(slot.start), slot.label(seeker, host)) for slot in slots]


def _show(form: forms.Form, error: RapportError) -> None:
    """A service's refusal on the form: on the field it names, if the form has it."""
    named = [field for field in error.fields if field in form.fields]
    form.add_error(named[0] if named else None, error.message)
