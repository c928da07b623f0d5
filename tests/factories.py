"""Typed factories for the models; every owned row is made for an explicit owner."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from rapport.accounts.models import Profile, User
from rapport.contacts.models import Company, Contact
from rapport.lib.names import company_key
from rapport.meetings.models import Meeting
from rapport.outreach.models import Message

TEST_PASSWORD = "correct horse battery staple 42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)
    profile = factory.RelatedFactory("tests.factories.ProfileFactory", factory_related_name="user")

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):  # type: ignore[no-untyped-def]
        if create:
            instance.save()


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile

    display_name = factory.LazyAttribute(lambda p: p.user.username.title())
    time_zone = "Europe/London"


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Company {n}")
    name_key = factory.LazyAttribute(lambda company: company_key(company.name))
    keenness = 2


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    first_name = factory.Sequence(lambda n: f"First{n}")
    last_name = "Person"
    title = "Analyst"
    company = factory.SubFactory(CompanyFactory, owner=factory.SelfAttribute("..owner"))


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    contact = factory.SubFactory(ContactFactory, owner=factory.SelfAttribute("..owner"))
    kind = Message.Kind.REQUEST
    body = "Hello"


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    contact = factory.SubFactory(ContactFactory, owner=factory.SelfAttribute("..owner"))
    start = factory.LazyFunction(lambda: timezone.now() + timedelta(days=2))
    status = Meeting.Status.CONFIRMED
