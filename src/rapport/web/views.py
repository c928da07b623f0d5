from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from rapport.contacts import selectors as contact_selectors
from rapport.contacts.models import Contact
from rapport.core.http import AuthenticatedHttpRequest
from rapport.meetings import selectors as meeting_selectors
from rapport.outreach import selectors as message_selectors

TODAY_MEETINGS_SHOWN = 5


@require_GET
def today(request: AuthenticatedHttpRequest) -> HttpResponse:
    owner = request.user
    has_contacts = Contact.objects.for_owner(owner).exists()
    context = {
        "has_contacts": has_contacts,
        "meetings": meeting_selectors.meetings_upcoming(owner=owner, now=timezone.now())[
            :TODAY_MEETINGS_SHOWN
        ],
        "drafts": message_selectors.drafts_waiting(owner=owner)[:TODAY_MEETINGS_SHOWN],
    }
    return render(request, "web/today.html", context)


@require_GET
def insights(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = contact_selectors.stage_counts(owner=request.user)
    total = sum(row.count for row in rows)
    return render(request, "web/insights.html", {"rows": rows, "total": total})


@login_not_required
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and the test harness: the app answers and its database does too."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any database failure means "not healthy", whatever the driver
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})
