"""The contact pages: the list with its bulk actions, one contact, adding and deleting.

Every page works as plain links and forms. With htmx, an edit or a stage change posts in
place; the response is the same redirect-and-page a browser without JavaScript gets, and
the page picks out the sections that changed (`hx-select`), so there is one code path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapport.contacts import selectors, services
from rapport.contacts.forms import (
    SECTIONS,
    BulkActionForm,
    ContactDetailsForm,
    ContactFilterForm,
    ContactSectionForm,
    StageForm,
)
from rapport.contacts.models import STAGE_CHOICES, Company, Contact
from rapport.core.errors import RapportError
from rapport.core.http import AuthenticatedHttpRequest, safe_next
from rapport.outreach.models import Message
from rapport.playbook.research import Gap
from rapport.playbook.stages import Stage

CONTACTS_PER_PAGE = 50
# What a row of the list shows: reading only these makes a page of rows much cheaper.
LIST_FIELDS = (
    "first_name", "last_name", "title", "stage", "priority_reasons", "last_activity_at",
    "company__name",
)  # fmt: skip
BULK_DELETE_NAMES_SHOWN = 12
MATCHES_COUNTED = 1000  # a search counts its matches up to here, then says "1,000+"


class SearchPaginator(Paginator):
    """Counts a search's matches only up to MATCHES_COUNTED.

    Counting every match of a broad search ("a") means testing all 30,000 contacts; past a
    thousand the exact number does not help anyone, and adding a word does. The pages
    still run to the thousandth match and a little beyond.
    """

    @cached_property
    def count(self) -> int:
        matches = cast("QuerySet[Contact]", self.object_list)
        return matches.order_by()[: MATCHES_COUNTED + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > MATCHES_COUNTED


# --- the list --------------------------------------------------------------------------------


@require_GET
def contact_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    filter_form = ContactFilterForm(request.GET)
    filters = filter_form.filters()
    contacts = selectors.contact_list(owner=request.user, **filters).only(*LIST_FIELDS)
    paginator = SearchPaginator if filters["query"] else Paginator
    page = paginator(contacts, CONTACTS_PER_PAGE).get_page(request.GET.get("page"))
    tags = selectors.contact_tag_names(page)
    context = {
        "page": page,
        "rows": [(contact, tags.get(contact.pk, [])) for contact in page],
        "filter_form": filter_form,
        "filters": filters,
        "filtered": any(value for key, value in filters.items() if key != "sort"),
        "company": _filter_company(request, filters["company_id"]),
        "tags": selectors.tag_names(owner=request.user),
        "stages": STAGE_CHOICES,
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "contacts/contact_list.html#results", context)
    return render(request, "contacts/contact_list.html", context)


def _filter_company(request: AuthenticatedHttpRequest, company_id: int | None) -> Company | None:
    if company_id is None:
        return None
    return Company.objects.for_owner(request.user).filter(pk=company_id).first()


@require_POST
def contact_bulk(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Tag, untag, move, archive or delete the ticked contacts. Deleting asks first."""
    form = BulkActionForm(request.POST)
    back = safe_next(request, reverse("contacts:contact_list"))
    if not form.is_valid():
        problems = (str(problem) for errors in form.errors.values() for problem in errors)
        messages.error(request, " ".join(problems))
        return redirect(back)
    data = form.cleaned_data
    if data["action"] == "delete" and not data["confirm"]:
        return _bulk_delete_confirm(request, data["ids"], back)
    try:
        done = _bulk_apply(request, data)
    except RapportError as exc:
        if exc.code == "not_found":
            raise Http404(exc.message) from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect(back)


def _bulk_apply(request: AuthenticatedHttpRequest, data: dict[str, Any]) -> str:
    """Run the action; returns what happened, in words."""
    owner, ids, action = request.user, data["ids"], data["action"]
    tag, stage = data["tag"].strip(), data["stage"]
    if action == "tag":
        n = services.contacts_tag(owner=owner, contact_ids=ids, tag_name=tag)
        return f"Tagged {_people(n)} “{tag}”."
    if action == "untag":
        n = services.contacts_untag(owner=owner, contact_ids=ids, tag_name=tag)
        return f"Removed the tag “{tag}” from {_people(n)}."
    if action == "stage":
        n = services.contacts_set_stage(owner=owner, contact_ids=ids, stage=stage)
        return f"Moved {_people(n)} to {dict(STAGE_CHOICES)[stage]}."
    if action == "archive":
        n = services.contacts_archive(owner=owner, contact_ids=ids)
        return f"Archived {_people(n)}. They stay in your list under the Archived stage."
    n = services.contacts_delete(owner=owner, contact_ids=ids)
    return f"Deleted {_people(n)} and their timelines."


def _people(n: int) -> str:
    return f"{n} contact" if n == 1 else f"{n:,} contacts"


def _bulk_delete_confirm(
    request: AuthenticatedHttpRequest, ids: list[int], back: str
) -> HttpResponse:
    contacts = Contact.objects.for_owner(request.user).filter(pk__in=ids)
    found = contacts.count()
    if found != len(ids):
        raise Http404("Some of those contacts were not found.")
    shown = list(contacts.order_by("last_name", "first_name")[:BULK_DELETE_NAMES_SHOWN])
    context = {"ids": ids, "count": found, "shown": shown, "more": found - len(shown), "back": back}
    return render(request, "contacts/contact_bulk_delete.html", context)


# --- one contact -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def contact_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ContactDetailsForm(request.POST or None, initial={"source": Contact.Source.MANUAL})
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        try:
            contact = services.contact_add(owner=request.user, **changes)
        except RapportError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"Added {contact}.")
            return redirect("contacts:contact_detail", contact.pk)
    return render(request, "contacts/contact_new.html", {"form": form})


@require_GET
def contact_detail(request: AuthenticatedHttpRequest, contact_id: int) -> HttpResponse:
    return _detail_page(request, _contact(request, contact_id))


@require_http_methods(["GET", "POST"])
def contact_edit(request: AuthenticatedHttpRequest, contact_id: int) -> HttpResponse:
    """One section of the contact page as a form (`?section=details|research|notes`)."""
    contact = _contact(request, contact_id)
    section = request.GET.get("section", "details")
    if section not in SECTIONS:
        section = "details"
    form = SECTIONS[section].for_contact(contact, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_edit(owner=request.user, contact=contact, **form.changes())
        except RapportError as exc:
            _add_errors(form, exc)
        else:
            return redirect(f"{contact_url(contact)}#section-{section}")
    return _detail_page(request, contact, editing=section, form=form)


@require_http_methods(["GET", "POST"])
def contact_stage(request: AuthenticatedHttpRequest, contact_id: int) -> HttpResponse:
    """GET shows the stage form on its own page; POST moves the contact and goes back."""
    contact = _contact(request, contact_id)
    form = StageForm(request.POST or None, initial={"stage": contact.stage})
    if request.method == "POST" and form.is_valid():
        services.contact_set_stage(
            owner=request.user, contact=contact, stage=form.cleaned_data["stage"]
        )
        if request.GET.get("from") == "pipeline":  # back to the board, the card marked
            pipeline = reverse("contacts:pipeline")
            return redirect(f"{pipeline}?moved={contact.pk}#card-{contact.pk}")
        return redirect(safe_next(request, contact_url(contact)))
    return render(request, "contacts/contact_stage.html", {"contact": contact, "form": form})


@require_http_methods(["GET", "POST"])
def contact_delete(request: AuthenticatedHttpRequest, contact_id: int) -> HttpResponse:
    """GET asks to confirm; POST deletes."""
    contact = _contact(request, contact_id)
    if request.method == "POST":
        services.contact_delete(owner=request.user, contact=contact)
        messages.success(request, f"Deleted {contact} and their timeline.")
        return redirect("contacts:contact_list")
    return render(request, "contacts/contact_delete.html", {"contact": contact})


def contact_url(contact: Contact) -> str:
    return reverse("contacts:contact_detail", args=[contact.pk])


def _contact(request: AuthenticatedHttpRequest, contact_id: int) -> Contact:
    """The user's contact, or a 404 that says nothing of anyone else's."""
    contacts = Contact.objects.for_owner(request.user).select_related("company", "referred_by")
    return get_object_or_404(contacts, pk=contact_id)


def _detail_page(
    request: AuthenticatedHttpRequest,
    contact: Contact,
    *,
    editing: str = "",
    form: ContactSectionForm | None = None,
) -> HttpResponse:
    owner = request.user
    context = {
        "contact": contact,
        "editing": editing,
        "form": form,
        "tags": list(contact.tags.order_by("name")),
        "stage_form": StageForm(initial={"stage": contact.stage}),
        "gaps": [_gap_view(contact, gap) for gap in selectors.contact_research_gaps(contact)],
        "timeline": selectors.contact_timeline(owner=owner, contact=contact),
        "messages_sent": contact.messages.order_by("-sent_at", "-created_at"),
        "message_kinds": Message.Kind.choices,
        "suggested_kind": _suggested_kind(contact),
        "awaiting_reply": contact.messages.filter(
            status=Message.Status.SENT,
            kind__in=[Message.Kind.REQUEST, Message.Kind.FOLLOW_UP],
            reply_received_at__isnull=True,
        )
        .order_by("-sent_at")
        .first()
        if contact.stage == Stage.REQUESTED
        else None,
        "meetings": contact.meetings.order_by("-start"),
        "sections": {name: form_class.heading for name, form_class in SECTIONS.items()},
    }
    return render(request, "contacts/contact_detail.html", context)


def _suggested_kind(contact: Contact) -> str:
    """What the seeker most likely writes next, given where the contact stands."""
    return {
        Stage.REQUESTED: Message.Kind.FOLLOW_UP,
        Stage.SCHEDULED: Message.Kind.SCHEDULING,
        Stage.MET: Message.Kind.THANKS,
        Stage.THANKED: Message.Kind.UPDATE,
        Stage.KEEPING_IN_TOUCH: Message.Kind.UPDATE,
    }.get(Stage(contact.stage), Message.Kind.REQUEST)


# Where each missing piece of research is filled in: a section of the contact page.
GAP_SECTIONS = {
    "title": "details",
    "employer": "details",
    "role": "research",
    "time in role": "research",
    "common ground": "research",
}


@dataclass(frozen=True)
class GapView:
    gap: Gap
    links: list[tuple[str, str, str]]  # what is missing, where to add it, its section


def _gap_view(contact: Contact, gap: Gap) -> GapView:
    links = []
    for label in gap.missing:
        section = GAP_SECTIONS.get(label, "")
        if section:
            url = reverse("contacts:contact_edit", args=[contact.pk])
            links.append((label, f"{url}?section={section}#section-{section}", section))
        elif contact.company_id:  # the company's notes live on the company's page
            url = reverse("contacts:company_edit", args=[contact.company_id])
            links.append((label, f"{url}#about", ""))
    return GapView(gap, links)


def _add_errors(form: forms.Form, exc: RapportError) -> None:
    """A service's complaint shown on the form: its whole message by the one field it
    names, each field's problem by several, else the message on top."""
    named = [field for field in exc.fields if field in form.fields]
    if len(named) == 1:
        form.add_error(named[0], exc.message)
    elif named:
        for field in named:
            form.add_error(field, exc.fields[field])
    else:
        form.add_error(None, exc.message)
