from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from rapport.core import clock
from rapport.core.http import AuthenticatedHttpRequest
from rapport.core.models import get_owned_or_404
from rapport.meetings import day_views, selectors
from rapport.meetings.calendar import filename, invite
from rapport.meetings.invites import meeting_event
from rapport.meetings.models import Meeting


@require_GET
def meeting_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    now = clock.now()
    context = {
        "waiting": selectors.meetings_waiting(owner=request.user),
        "upcoming": selectors.meetings_upcoming(owner=request.user, now=now),
        "past": selectors.meetings_past(owner=request.user, now=now)[:50],
    }
    return render(request, "meetings/meeting_list.html", context)


@require_GET
def meeting_detail(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_owned_or_404(Meeting, request.user, pk=meeting_id)
    context = {"meeting": meeting, **day_views.detail_context(meeting)}
    return render(request, "meetings/meeting_detail.html", context)


@require_GET
def meeting_invite(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    """The meeting's .ics file: the same event (UID) however often it changes."""
    meeting = get_owned_or_404(Meeting, request.user, pk=meeting_id)
    if meeting.start is None:
        raise Http404("This meeting has no time yet, so there is nothing to put in a calendar.")
    event = meeting_event(meeting)
    response = HttpResponse(invite(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename(event)}"'
    return response
