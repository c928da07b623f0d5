from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from rapport.contacts import selectors
from rapport.contacts.models import STAGE_CHOICES, Company, Contact
from rapport.core.http import AuthenticatedHttpRequest
from rapport.core.models import get_owned_or_404

CONTACTS_PER_PAGE = 50


@require_GET
def contact_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    stage = request.GET.get("stage", "")
    if stage not in dict(STAGE_CHOICES):
        stage = ""
    contacts = selectors.contact_list(owner=request.user, query=query, stage=stage)
    page = Paginator(contacts, CONTACTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "query": query, "stage": stage, "stages": STAGE_CHOICES}
    if request.htmx:
        return render(request, "contacts/contact_list.html#results", context)
    return render(request, "contacts/contact_list.html", context)


@require_GET
def contact_detail(request: AuthenticatedHttpRequest, contact_id: int) -> HttpResponse:
    contact = get_owned_or_404(Contact, request.user, pk=contact_id)
    context = {
        "contact": contact,
        "messages_sent": contact.messages.order_by("-sent_at", "-created_at"),
        "meetings": contact.meetings.order_by("-start"),
    }
    return render(request, "contacts/contact_detail.html", context)


@require_GET
def company_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    companies = selectors.company_list(owner=request.user)
    return render(request, "contacts/company_list.html", {"companies": companies})


@require_GET
def company_detail(request: AuthenticatedHttpRequest, company_id: int) -> HttpResponse:
    company = get_owned_or_404(Company, request.user, pk=company_id)
    contacts = company.contacts.order_by("last_name", "first_name")
    return render(
        request, "contacts/company_detail.html", {"company": company, "contacts": contacts}
    )
