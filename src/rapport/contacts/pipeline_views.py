"""The pipeline: a column per stage (PLAYBOOK.md section 1), each contact a card."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET

from rapport.contacts import selectors
from rapport.contacts.models import STAGE_CHOICES
from rapport.core.http import AuthenticatedHttpRequest

# The best this many per column, each column linking to all its contacts in the list:
# the board stays quick and readable with thousands of contacts. The ended stages are
# folded away and looked at least, so they show fewer.
CARDS_PER_COLUMN = 30
CARDS_PER_ENDED_COLUMN = 15


@require_GET
def pipeline(request: AuthenticatedHttpRequest) -> HttpResponse:
    columns = selectors.pipeline_columns(
        owner=request.user, per_column=CARDS_PER_COLUMN, per_ended_column=CARDS_PER_ENDED_COLUMN
    )
    moved = int(request.GET["moved"]) if request.GET.get("moved", "").isdigit() else None
    context = {
        "columns": columns,
        "forward": [(c, _stage_options(c.stage)) for c in columns if not c.is_end],
        "ends": [(c, _stage_options(c.stage)) for c in columns if c.is_end],
        "total": sum(column.count for column in columns),
        "moved": moved,
        "moved_stage": next(
            (col.stage for col in columns for contact in col.contacts if contact.pk == moved), ""
        ),
    }
    return render(request, "contacts/pipeline.html", context)


def _stage_options(selected: str) -> SafeString:
    """The stage select's options, made once per column: every card in a column shares
    them, and rendering them per card in the template was most of a full board's time."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, " selected" if value == selected else "", label)
            for value, label in STAGE_CHOICES
        ),
    )
