from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapport.contacts import selectors as contact_selectors
from rapport.contacts.models import Contact
from rapport.core import clock
from rapport.core.http import AuthenticatedHttpRequest, int_param
from rapport.meetings import selectors as meeting_selectors
from rapport.outreach import selectors as message_selectors
from rapport.playbook.coach import review
from rapport.reminders.selectors import GROUPS, today_actions
from rapport.web.coach import CoachResult, present
from rapport.web.forms import CoachForm

TODAY_MEETINGS_SHOWN = 5
SHOWN_PER_GROUP = 10  # Today shows this many of each group, with a link to the rest
ALL_PER_PAGE = 100


@require_GET
def today(request: AuthenticatedHttpRequest) -> HttpResponse:
    owner = request.user
    now = clock.now()
    has_contacts = Contact.objects.for_owner(owner).exists()
    group = request.GET.get("show", "")
    group = group if group in GROUPS else ""
    page = max(1, int_param(request.GET.get("page"), 1))
    actions = None
    if has_contacts:
        actions = today_actions(
            owner=owner,
            now=now,
            per_group=ALL_PER_PAGE if group else SHOWN_PER_GROUP,
            group=group,
            offset=(page - 1) * ALL_PER_PAGE if group else 0,
        )
    day = actions.today if actions else now.date()
    context = {
        "has_contacts": has_contacts,
        "actions": actions,
        "group": group,
        "action_groups": [
            ("overdue", "Overdue"),
            ("today", "Today"),
            ("soon", "Coming up this week"),
        ],
        "page": page,
        "next_page": page + 1
        if actions and group and page * ALL_PER_PAGE < actions.totals[group]
        else 0,
        "snooze_choices": [
            (day + timedelta(days=1), "Tomorrow"),
            (day + timedelta(days=3), "In 3 days"),
            (day + timedelta(days=7), "In a week"),
        ],
        "meetings": meeting_selectors.meetings_upcoming(owner=owner, now=now)[
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


@require_http_methods(["GET", "POST"])
def coach(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The Coach page; a plain form POST (no JavaScript) comes back with the results."""
    form = CoachForm(request.POST or None)
    result = _coach_result(form) if request.method == "POST" else None
    return render(request, "web/coach.html", {"form": form, "result": result})


@require_POST
def coach_review(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Only the results panel, for htmx to swap in as the user types."""
    form = CoachForm(request.POST)
    context = {"form": form, "result": _coach_result(form)}
    return render(request, "web/coach.html#results", context)


def _coach_result(form: CoachForm) -> CoachResult | None:
    if not form.is_valid():
        return None
    text, channel = form.cleaned_data["text"], form.cleaned_data["channel"]
    return present(text, review(form.cleaned_data["kind"], text, channel=channel), channel=channel)


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
