"""What the seeker can do to a suggested action besides doing it: put it off, dismiss it,
or (when the nudges are used up) let the contact rest."""

from __future__ import annotations

from datetime import date

from django.contrib import messages as flash
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from rapport.contacts.models import Contact
from rapport.core import clock
from rapport.core.errors import RapportError
from rapport.core.http import AuthenticatedHttpRequest, int_param
from rapport.core.models import get_owned_or_404
from rapport.reminders import services


@require_POST
def action_snooze(request: AuthenticatedHttpRequest) -> HttpResponse:
    """`until` is a date, or "never" to dismiss."""
    contact = get_owned_or_404(Contact, request.user, pk=int_param(request.POST.get("contact")))
    raw = request.POST.get("until", "")
    today = clock.now().astimezone(timezone.get_current_timezone()).date()
    try:
        until = None if raw == "never" else date.fromisoformat(raw)
    except ValueError:
        flash.error(request, "Choose when to be reminded again.")
        return redirect("web:today")
    try:
        services.action_snooze(
            owner=request.user,
            contact=contact,
            action_key=request.POST.get("key", ""),
            until=until,
            today=today,
        )
    except RapportError as exc:
        flash.error(request, exc.message)
    else:
        when = "for good" if until is None else f"until {until:%a %-d %b}"
        flash.success(request, f"Put off {when}.")
    return redirect("web:today")


@require_POST
def contact_no_reply(request: AuthenticatedHttpRequest, contact_id: int) -> HttpResponse:
    contact = get_owned_or_404(Contact, request.user, pk=contact_id)
    services.contact_mark_no_reply(owner=request.user, contact=contact)
    flash.success(request, f"{contact} moved to “No reply”. Rapport will not suggest nudging them.")
    return redirect("web:today")
