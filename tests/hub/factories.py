"""factory_boy factories for hub tests that need a few objects, not the demo partnership.

Rows are written straight to the database (no service, so no audit row): a test that
checks auditing acts through a service or a page after making its objects here.
"""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from csphub.hub.access.models import Agency, Membership
from csphub.hub.actions.models import Action
from csphub.hub.groups.models import Decision, Group, Meeting

PASSWORD = "factory-password-2026"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"agency-{n}")
    name = factory.LazyAttribute(lambda a: f"Agency {a.code}")
    kind = "council"
    statutory = True


class UserFactory(factory.django.DjangoModelFactory):
    """A user whose password is :data:`PASSWORD` (hashed with the configured hasher)."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.LazyAttribute(lambda u: u.username.title())

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])


class MembershipFactory(factory.django.DjangoModelFactory):
    """``MembershipFactory(roles=["member"])``: a user in an agency with those roles."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    roles = factory.LazyFunction(lambda: ["member"])
    job_title = "Officer"


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    code = factory.Sequence(lambda n: f"group-{n}")
    name = factory.LazyAttribute(lambda g: f"Group {g.code}")
    kind = "working"
    cadence = "monthly"

    @factory.post_generation
    def agencies(self, create, extracted, **kwargs):
        if create and extracted:
            self.agencies.set(extracted)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    group = factory.SubFactory(GroupFactory)
    title = factory.LazyAttribute(lambda m: f"{m.group.name} meeting")
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    meeting = factory.SubFactory(MeetingFactory, status="held")
    text = factory.Sequence(lambda n: f"Decision {n}")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    group = factory.SubFactory(GroupFactory)
    title = factory.Sequence(lambda n: f"Action {n}")
    owner_agency = factory.SubFactory(AgencyFactory)
    due = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=14))
