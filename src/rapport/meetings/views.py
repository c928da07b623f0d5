from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from rapport.core.http import AuthenticatedHttpRequest
from rapport.core.models import get_owned_or_404
from rapport.meetings import selectors
from rapport.meetings.models import Meeting


@require_GET
def meeting_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    now = timezone.now()
    context = {
        "upcoming": selectors.meetings_upcoming(owner=request.user, now=now),
        "past": selectors.meetings_past(owner=request.user, now=now)[:50],
    }
    return render(request, "meetings/meeting_list.html", context)


@require_GET
def meeting_detail(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_owned_or_404(Meeting, request.user, pk=meeting_id)
    return render(request, "meetings/meeting_detail.html", {"meeting": meeting})
