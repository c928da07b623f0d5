"""Messages: the list, the composer (with the coach beside it), sending, scheduling or
logging, the printable letter, and replies."""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapport.accounts.models import Profile
from rapport.contacts.models import Contact
from rapport.core import clock
from rapport.core.errors import RapportError
from rapport.core.http import AuthenticatedHttpRequest, int_param, safe_next
from rapport.core.models import get_owned_or_404
from rapport.lib.holidays import public_holidays
from rapport.outreach import review as reviewing
from rapport.outreach import selectors, services
from rapport.outreach.composer import templates_for
from rapport.outreach.forms import (
    ApprovalFields,
    ComposeForm,
    MarkSentForm,
    ReplyForm,
    ScheduleForm,
    StartForm,
    TemplateForm,
)
from rapport.outreach.models import Message, MessageTemplate
from rapport.playbook import cadence
from rapport.web.coach import present

MESSAGES_PER_PAGE = 50
# Django backends that keep mail on this computer instead of sending it.
LOCAL_MAIL_BACKENDS = {
    "django.core.mail.backends.filebased.EmailBackend": "saved as a file",
    "django.core.mail.backends.console.EmailBackend": "printed where Rapport runs",
    "django.core.mail.backends.locmem.EmailBackend": "kept in memory",
}


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


# --- starting a message --------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def message_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GET: choose what to write to whom; POST: start the draft and open the composer."""
    owner = request.user
    source = request.POST if request.method == "POST" else request.GET
    contact = get_owned_or_404(Contact, owner, pk=int_param(source.get("contact")))
    form = StartForm(source if "kind" in source else None)
    if request.method == "POST" and form.is_valid():
        try:
            message = services.message_start(
                owner=owner,
                contact=contact,
                kind=form.cleaned_data["kind"],
                channel=form.cleaned_data["channel"],
                template_id=form.cleaned_data["template"],
            )
        except RapportError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("outreach:message_edit", message.pk)
    kind = form.data.get("kind") or Message.Kind.REQUEST
    channel = form.data.get("channel") or _default_channel(contact)
    own = MessageTemplate.objects.for_owner(owner)
    context = {
        "contact": contact,
        "form": form,
        "kind": kind,
        "channel": channel,
        "templates": templates_for(kind, channel, own),
        "kinds": Message.Kind.choices,
        "channels": [c for c in Message.Channel.choices if c[0] != Message.Channel.IN_PERSON],
    }
    return render(request, "outreach/message_new.html", context)


def _default_channel(contact: Contact) -> str:
    if contact.email:
        return Message.Channel.EMAIL
    return Message.Channel.LINKEDIN if contact.linkedin_url else Message.Channel.EMAIL


# --- the composer ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def message_edit(request: AuthenticatedHttpRequest, message_id: int) -> HttpResponse:
    """The composer. Without JavaScript, POST saves the text (and reviews it)."""
    message = _message(request, message_id)
    if message.status not in services.EDITABLE:
        return redirect("outreach:message_detail", message.pk)
    form = ComposeForm(request.POST or None, initial=_compose_initial(message))
    if request.method == "POST" and form.is_valid():
        _save(request, message, form)
        flash.success(request, "Saved.")
        return redirect("outreach:message_edit", message.pk)
    return render(request, "outreach/message_edit.html", _composer_context(request, message, form))


@require_POST
def message_review(request: AuthenticatedHttpRequest, message_id: int) -> HttpResponse:
    """htmx, as the seeker types: save the draft, then send back the coach's panel."""
    message = _message(request, message_id)
    form = ComposeForm(request.POST)
    saved_at = None
    if message.status in services.EDITABLE and form.is_valid():
        _save(request, message, form)
        saved_at = timezone.now()
    context = {**_composer_context(request, message, form), "saved_at": saved_at}
    return render(request, "outreach/message_edit.html#panel", context)


def _save(request: AuthenticatedHttpRequest, message: Message, form: ComposeForm) -> None:
    services.message_save_draft(
        owner=request.user,
        message=message,
        subject=form.cleaned_data["subject"],
        body=form.cleaned_data["body"],
        channel=form.cleaned_data["channel"],
    )


def _compose_initial(message: Message) -> dict[str, str]:
    return {"channel": message.channel, "subject": message.subject, "body": message.body}


def _composer_context(
    request: AuthenticatedHttpRequest,
    message: Message,
    form: ComposeForm,
    *,
    action_error: RapportError | None = None,
) -> dict[str, Any]:
    profile = _profile(request)
    now = clock.now()
    review = reviewing.message_review(message, profile=profile, now=now)
    text = reviewing.review_text(message)
    zone, contact_zone = _zone(request), reviewing.contact_zone(message, profile)
    allowed, why = (True, "")
    if message.kind == Message.Kind.FOLLOW_UP:
        allowed, why = services.followup_allowed(message, profile=profile, now=now)
    suggested = cadence.next_business_morning(
        now,
        zone=str(contact_zone),
        country=reviewing.contact_country(message, profile),
        holidays=public_holidays,
    )
    return {
        "message": message,
        "contact": message.contact,
        "form": form,
        "result": present(
            text, review, channel=reviewing.COACH_CHANNELS.get(message.channel, "phone")
        ),
        "has_errors": reviewing.has_errors(review),
        "followup_allowed": allowed,
        "followup_why": why,
        "mark_sent_form": MarkSentForm(zone=zone, now=now),
        "schedule_form": ScheduleForm(
            zone=zone, now=now, initial={"send_at": suggested.astimezone(zone)}
        ),
        "suggested_send_at": suggested,
        "contact_zone": contact_zone,
        "my_zone": zone,
        "mailto": _mailto(message),
        "mail_kept_locally": LOCAL_MAIL_BACKENDS.get(settings.EMAIL_BACKEND, ""),
        "mail_folder": getattr(settings, "EMAIL_FILE_PATH", ""),
        "action_error": action_error,
        "saved_at": None,
    }


def _mailto(message: Message) -> str:
    query = urllib.parse.urlencode(
        {"subject": message.subject, "body": message.body}, quote_via=urllib.parse.quote
    )
    return f"mailto:{urllib.parse.quote(message.contact.email, safe='@')}?{query}"


# --- sending, scheduling, logging ------------------------------------------------------------


@require_POST
def message_send(request: AuthenticatedHttpRequest, message_id: int) -> HttpResponse:
    """One form, three buttons: send now, send at a time, or mark as sent elsewhere."""
    message = _message(request, message_id)
    action = request.POST.get("action", "")
    zone, now = _zone(request), clock.now()
    form: ApprovalFields
    if action == "mark_sent":
        form = MarkSentForm(request.POST, zone=zone, now=now)
    elif action == "schedule":
        form = ScheduleForm(request.POST, zone=zone, now=now)
    else:  # send now
        form = ApprovalFields(request.POST)
    if not form.is_valid():
        error = RapportError(_first_error(form), fields={})
        return _composer_again(request, message, error)
    approval = services.Approval(
        errors_acknowledged=form.cleaned_data["errors_acknowledged"],
        asked_for_followup=form.cleaned_data["asked_for_followup"],
    )
    try:
        if isinstance(form, MarkSentForm):
            services.message_mark_sent(
                owner=request.user, message=message, sent_at=form.sent_at(), approval=approval
            )
            flash.success(request, f"Marked as sent to {message.contact}.")
        elif action == "schedule":
            services.message_schedule(
                owner=request.user,
                message=message,
                send_at=form.cleaned_data["send_at"],
                approval=approval,
            )
            flash.success(request, f"It will go to {message.contact} at the time you chose.")
        else:
            message = services.message_send_now(
                owner=request.user, message=message, approval=approval
            )
            _flash_sent(request, message)
    except RapportError as exc:
        return _composer_again(request, message, exc)
    return redirect("outreach:message_detail", message.pk)


def _flash_sent(request: AuthenticatedHttpRequest, message: Message) -> None:
    if message.status == Message.Status.SENT:
        kept = LOCAL_MAIL_BACKENDS.get(settings.EMAIL_BACKEND)
        if kept:
            flash.warning(
                request,
                f"No mail server is set up, so the email was {kept} instead of sent "
                "(see Settings in the docs: RAPPORT_EMAIL_URL).",
            )
        else:
            flash.success(request, f"Sent to {message.contact}.")
    elif message.status == Message.Status.FAILED:
        flash.error(request, f"Not sent: {message.send_error}")


def _first_error(form: Any) -> str:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        return f"{label}: {errors[0]}" if label else str(errors[0])
    return "Please check the form."


def _composer_again(
    request: AuthenticatedHttpRequest, message: Message, error: RapportError
) -> HttpResponse:
    message.refresh_from_db()
    if message.status not in services.EDITABLE:
        flash.error(request, error.message)
        return redirect("outreach:message_detail", message.pk)
    form = ComposeForm(initial=_compose_initial(message))
    context = _composer_context(request, message, form, action_error=error)
    return render(request, "outreach/message_edit.html", context, status=400)


@require_GET
def message_detail(request: AuthenticatedHttpRequest, message_id: int) -> HttpResponse:
    message = _message(request, message_id)
    if message.status == Message.Status.DRAFT:  # a draft's page is the composer
        form = ComposeForm(initial=_compose_initial(message))
        context = _composer_context(request, message, form)
        return render(request, "outreach/message_edit.html", context)
    from rapport.outreach.delivery import message_is_stuck

    now = clock.now()
    context = {
        "message": message,
        "stuck": message.status == Message.Status.SENDING and message_is_stuck(message, now),
        "reply_form": ReplyForm(zone=_zone(request), now=now),
    }
    return render(request, "outreach/message_detail.html", context)


@require_GET
def message_letter(request: AuthenticatedHttpRequest, message_id: int) -> HttpResponse:
    """The message laid out as a letter, for printing."""
    message = _message(request, message_id)
    profile = _profile(request)
    context = {"message": message, "profile": profile, "today": clock.now()}
    return render(request, "outreach/message_letter.html", context)


@require_POST
def message_unschedule(request: AuthenticatedHttpRequest, message_id: int) -> HttpResponse:
    message = _message(request, message_id)
    try:
        services.message_unschedule(owner=request.user, message=message)
    except RapportError as exc:
        flash.error(request, exc.message)
        return redirect("outreach:message_detail", message.pk)
    flash.success(request, "Not sending it after all: it is a draft again.")
    return redirect("outreach:message_edit", message.pk)


@require_POST
def message_resolve(request: AuthenticatedHttpRequest, message_id: int) -> HttpResponse:
    message = _message(request, message_id)
    went_out = request.POST.get("went_out") == "yes"
    try:
        services.message_resolve_stuck(owner=request.user, message=message, went_out=went_out)
    except RapportError as exc:
        flash.error(request, exc.message)
    return redirect("outreach:message_detail", message.pk)


@require_POST
def message_delete(request: AuthenticatedHttpRequest, message_id: int) -> HttpResponse:
    message = _message(request, message_id)
    contact = message.contact
    try:
        services.message_delete(owner=request.user, message=message)
    except RapportError as exc:
        flash.error(request, exc.message)
        return redirect("outreach:message_detail", message.pk)
    flash.success(request, "Draft deleted.")
    return redirect("contacts:contact_detail", contact.pk)


# --- replies ------------------------------------------------------------------------------


@require_POST
def message_reply(request: AuthenticatedHttpRequest, message_id: int) -> HttpResponse:
    message = _message(request, message_id)

    def record(at: datetime) -> None:
        services.message_reply_received(owner=request.user, message=message, at=at)

    back = reverse("outreach:message_detail", args=[message.pk])
    return _reply(request, record, who=str(message.contact), back=back)


@require_POST
def contact_reply(request: AuthenticatedHttpRequest, contact_id: int) -> HttpResponse:
    contact = get_owned_or_404(Contact, request.user, pk=contact_id)

    def record(at: datetime) -> None:
        services.contact_reply_received(owner=request.user, contact=contact, at=at)

    back = reverse("contacts:contact_detail", args=[contact.pk])
    return _reply(request, record, who=str(contact), back=back)


def _reply(
    request: AuthenticatedHttpRequest, record: Callable[[datetime], None], *, who: str, back: str
) -> HttpResponse:
    """ "They replied", from a message or a contact: the date from the form, then back."""
    form = ReplyForm(request.POST, zone=_zone(request), now=clock.now())
    try:
        if not form.is_valid():
            raise RapportError(_first_error(form))
        record(form.replied_at())
    except RapportError as exc:
        flash.error(request, exc.message)
    else:
        flash.success(request, f"Noted: {who} replied. No more nudges for that request.")
    return redirect(safe_next(request, back))


# --- the seeker's own templates --------------------------------------------------------------


@require_GET
def template_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    own = MessageTemplate.objects.for_owner(request.user).order_by("kind", "name")
    return render(request, "outreach/template_list.html", {"templates": own})


@require_http_methods(["GET", "POST"])
def template_edit(
    request: AuthenticatedHttpRequest, template_id: int | None = None
) -> HttpResponse:
    template = (
        get_owned_or_404(MessageTemplate, request.user, pk=template_id) if template_id else None
    )
    initial = {}
    if template is None and "from_message" in request.GET:
        source = _message(request, int_param(request.GET["from_message"]))
        initial = {
            "kind": source.kind,
            "channel": source.channel,
            "subject": source.subject,
            "body": source.body,
        }
    form = TemplateForm(request.POST or None, instance=template, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.template_save(owner=request.user, template=template, **form.cleaned_data)
        except RapportError as exc:
            form.add_error(next(iter(exc.fields), None), exc.message)
        else:
            flash.success(request, "Template saved.")
            return redirect("outreach:template_list")
    return render(request, "outreach/template_edit.html", {"form": form, "template": template})


@require_POST
def template_delete(request: AuthenticatedHttpRequest, template_id: int) -> HttpResponse:
    template = get_owned_or_404(MessageTemplate, request.user, pk=template_id)
    services.template_delete(owner=request.user, template=template)
    flash.success(request, f"Deleted the template “{template.name}”.")
    return redirect("outreach:template_list")


# --- helpers -----------------------------------------------------------------------------------


def _message(request: AuthenticatedHttpRequest, message_id: int) -> Message:
    """The seeker's own message (anyone else's is a 404), with what the pages show of it."""
    owned = Message.objects.for_owner(request.user).select_related(
        "contact", "contact__company", "contact__referred_by", "in_reply_to", "meeting"
    )
    return get_object_or_404(owned, pk=message_id)


def _profile(request: AuthenticatedHttpRequest) -> Profile | None:
    return Profile.objects.filter(user=request.user).first()


def _zone(request: AuthenticatedHttpRequest) -> ZoneInfo:
    zone = timezone.get_current_timezone()
    return zone if isinstance(zone, ZoneInfo) else ZoneInfo("UTC")
