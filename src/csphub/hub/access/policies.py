"""Policies of the partnership's own records: agencies and memberships. They belong to no
group, so the acting membership's ``partnership.manage`` decides (partnership reach), and
nobody holds a change right over their own membership (separation of duties)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from csphub.hub.access.acting import acting
from csphub.hub.access.models import Agency, Membership
from csphub.hub.access.policy import VIEW, Policy, register

MANAGE = "partnership.manage"


@register
class AgencyPolicy(Policy):
    name = "agency"
    model = Agency

    def where(self, user: Any, verb: str) -> QuerySet:
        if acting(user).has(MANAGE) and verb in (VIEW, MANAGE):
            return Agency.objects.all()
        return Agency.objects.none()


@register
class MembershipPolicy(Policy):
    """Seen by administrators; changed by an administrator other than its holder."""

    name = "membership"
    model = Membership

    def where(self, user: Any, verb: str) -> QuerySet:
        if not acting(user).has(MANAGE):
            return Membership.objects.none()
        if verb == VIEW:
            return Membership.objects.all()
        if verb == MANAGE:
            return Membership.objects.exclude(user_id=user.pk)
        return Membership.objects.none()
