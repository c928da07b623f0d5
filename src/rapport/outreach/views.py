from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from rapport.core.http import AuthenticatedHttpRequest
from rapport.core.models import get_owned_or_404
from rapport.outreach import selectors
from rapport.outreach.models import Message

MESSAGES_PER_PAGE = 50


@require_GET
def message_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in Message.Status.values:
        status = ""
    messages = selectors.message_list(owner=request.user, status=status)
    page = Paginator(messages, MESSAGES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "outreach/message_list.html",
        {"page": page, "status": status, "statuses": Message.Status.choices},
    )


@require_GET
def message_detail(request: AuthenticatedHttpRequest, message_id: int) -> HttpResponse:
    message = get_owned_or_404(Message, request.user, pk=message_id)
    return render(request, "outreach/message_detail.html", {"message": message})
