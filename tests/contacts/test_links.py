"""The fast link filter gives exactly what `{% url %}` gives."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rapport.contacts.templatetags.contact_links import link

NAMES = [
    "contacts:contact_detail",
    "contacts:contact_stage",
    "contacts:contact_edit",
    "contacts:company_detail",
]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("pk", [1, 42, 918273645, 10**12])
def test_a_link_is_what_reverse_gives(name: str, pk: int) -> None:
    assert link(pk, name) == reverse(name, args=[pk])


def test_a_link_follows_the_script_prefix(settings) -> None:  # type: ignore[no-untyped-def]
    from django.urls import set_script_prefix

    set_script_prefix("/rapport/")
    try:
        assert link(7, "contacts:contact_detail") == "/rapport/contacts/7/"
    finally:
        set_script_prefix("/")
    assert link(7, "contacts:contact_detail") == "/contacts/7/"
