from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from rapport.accounts.models import User
from rapport.contacts.models import Contact
from rapport.core.models import get_owned_or_404
from rapport.outreach.models import WORKER_DUE_INDEX
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def test_for_owner_returns_only_that_users_rows(alice: User, bob: User) -> None:
    mine = ContactFactory(owner=alice)
    ContactFactory(owner=bob)
    assert list(Contact.objects.for_owner(alice)) == [mine]


def test_an_anonymous_user_owns_nothing(alice: User) -> None:
    ContactFactory(owner=alice)
    assert not Contact.objects.for_owner(AnonymousUser()).exists()  # type: ignore[arg-type]


def test_someone_elses_object_is_a_404(alice: User, bob: User) -> None:
    theirs = ContactFactory(owner=bob)
    with pytest.raises(Http404):
        get_owned_or_404(Contact, alice, pk=theirs.pk)
    assert get_owned_or_404(Contact, bob, pk=theirs.pk) == theirs


# The few indexes that serve work across all accounts, each with its reason.
CROSS_ACCOUNT_INDEXES = {
    WORKER_DUE_INDEX: "the worker finds due scheduled messages whoever owns them",
}


def test_every_owned_table_leads_its_indexes_with_the_owner() -> None:
    """owner_id first in the main indexes: the isolation boundary and the shard key."""
    from django.apps import apps

    from rapport.core.models import OwnedModel

    owned = [m for m in apps.get_models() if issubclass(m, OwnedModel)]
    assert owned, "no owned models found"
    for model in owned:
        indexes = [i for i in model._meta.indexes if i.name not in CROSS_ACCOUNT_INDEXES]
        assert indexes, f"{model.__name__} has no index"
        assert all(index.fields[0] == "owner" for index in indexes), model.__name__


def test_services_refuse_to_link_rows_across_accounts(alice: User, bob: User) -> None:
    from rapport.contacts.services import contact_create
    from rapport.core.errors import RapportError
    from rapport.outreach.services import message_draft_create
    from tests.factories import CompanyFactory

    bobs_company = CompanyFactory(owner=bob)
    with pytest.raises(RapportError):
        contact_create(owner=alice, company=bobs_company, first_name="X")
    bobs_contact = ContactFactory(owner=bob)
    with pytest.raises(RapportError):
        message_draft_create(owner=alice, contact=bobs_contact, kind="request")
    assert not Contact.objects.for_owner(alice).exists()
