"""The company pages: the ranked list, one company with its people, adding and deleting.

Edits follow the contact pages' pattern: a plain form that redirects, which htmx posts in
place and picks the changed sections out of (see views.py).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from rapport.contacts import selectors, services
from rapport.contacts.forms import CompanyForm
from rapport.contacts.models import Company
from rapport.core.errors import RapportError
from rapport.core.http import AuthenticatedHttpRequest
from rapport.core.models import get_owned_or_404

COMPANIES_PER_PAGE = 50
LIST_FIELDS = ("name", "domain", "keenness", "hiring_signal", "rank_reasons")  # a row's
PEOPLE_SHOWN = 100


@require_GET
def company_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    companies = selectors.company_list(owner=request.user, query=query).only(*LIST_FIELDS)
    page = Paginator(companies, COMPANIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "contacts/company_list.html", {"page": page, "query": query})


@require_http_methods(["GET", "POST"])
def company_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CompanyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            company = services.company_create(owner=request.user, **form.cleaned_data)
        except RapportError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"Added {company}. Add the people you know there next.")
            return redirect("contacts:company_detail", company.pk)
    return render(request, "contacts/company_new.html", {"form": form})


@require_GET
def company_detail(request: AuthenticatedHttpRequest, company_id: int) -> HttpResponse:
    return _detail_page(request, get_owned_or_404(Company, request.user, pk=company_id))


@require_http_methods(["GET", "POST"])
def company_edit(request: AuthenticatedHttpRequest, company_id: int) -> HttpResponse:
    """The company's page with its details as a form; saving re-ranks it and its people."""
    company = get_owned_or_404(Company, request.user, pk=company_id)
    form = CompanyForm.for_company(company, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.company_update(owner=request.user, company=company, data=form.cleaned_data)
        except RapportError as exc:
            _add_errors(form, exc)
        else:
            return redirect(reverse("contacts:company_detail", args=[company.pk]) + "#about")
        company.refresh_from_db()  # the failed save may have changed it in memory
    return _detail_page(request, company, form=form)


@require_http_methods(["GET", "POST"])
def company_delete(request: AuthenticatedHttpRequest, company_id: int) -> HttpResponse:
    """GET asks to confirm; POST deletes the company but keeps its people."""
    company = get_owned_or_404(Company, request.user, pk=company_id)
    if request.method == "POST":
        services.company_delete(owner=request.user, company=company)
        messages.success(request, f"Deleted {company}. Its people are still in your contacts.")
        return redirect("contacts:company_list")
    people = company.contacts.count()
    return render(request, "contacts/company_delete.html", {"company": company, "people": people})


def _detail_page(
    request: AuthenticatedHttpRequest, company: Company, *, form: CompanyForm | None = None
) -> HttpResponse:
    owner = request.user
    people = selectors.company_people(owner=owner, company=company)
    context = {
        "company": company,
        "form": form,
        "editing": form is not None,
        "best": selectors.company_best_contact(owner=owner, company=company),
        "people": people.select_related(None)[:PEOPLE_SHOWN],
        "people_count": people.count(),
        "people_shown": PEOPLE_SHOWN,
    }
    return render(request, "contacts/company_detail.html", context)


def _add_errors(form: forms.Form, exc: RapportError) -> None:
    for field, problem in exc.fields.items():
        form.add_error(field if field in form.fields else None, exc.message or problem)
