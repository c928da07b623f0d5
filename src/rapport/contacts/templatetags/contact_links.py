"""`{{ contact.pk|link:"contacts:contact_detail" }}`: a link to one object, for pages that
link hundreds (the contact list, the pipeline board).

`{% url %}` runs Django's whole reverse() for every link, which on a board of 500 cards
is most of the page's time. Here reverse() runs once per URL name, with a marker for the
id; each link is then the cached text around the marker with the id put in.
"""

from __future__ import annotations

import functools

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()

_MARKER = 918273645  # an id no row will have, to find where the id goes


@functools.lru_cache(maxsize=64)
def _around_the_id(name: str, prefix: str, urlconf: str | None) -> tuple[str, str]:
    """The URL's text before and after the id (reverse() reads the prefix and URLconf
    itself; they are in the key so a change to either makes a new entry)."""
    before, after = reverse(name, args=[_MARKER]).split(str(_MARKER))
    return before, after


def object_url(name: str, pk: int) -> str:
    before, after = _around_the_id(name, get_script_prefix(), get_urlconf())
    return f"{before}{int(pk)}{after}"


@register.filter
def link(pk: int, name: str) -> str:
    return object_url(name, pk)
