"""Policies of the group tree and its meetings: group, meeting, agenda item, attendance
and decision. Seeing needs ``group.view``, changing the permission the verb names, each
as far as the acting membership's grant reaches (:func:`csphub.hub.access.scope.groups_q`).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from csphub.hub.access.policy import VIEW, Policy, register
from csphub.hub.access.scope import groups_q
from csphub.hub.groups.models import AgendaItem, Attendance, Decision, Group, Meeting

SEE = "group.view"


def _permission(verb: str) -> str:
    return SEE if verb == VIEW else verb


class _GroupOwned(Policy):
    """A resource that belongs to a group, found at ``group_path``."""

    group_path = ""

    def where(self, user: Any, verb: str) -> QuerySet:
        return self.model.objects.filter(groups_q(user, _permission(verb), self.group_path))


@register
class GroupPolicy(_GroupOwned):
    name = "group"
    model = Group


@register
class MeetingPolicy(_GroupOwned):
    """A meeting of a restricted group (rape, exploitation) opens only with a reason."""

    name = "meeting"
    model = Meeting
    group_path = "group__"

    def needs_reason(self, user: Any, obj: Meeting) -> bool:
        return obj.group.restricted


@register
class AgendaItemPolicy(_GroupOwned):
    name = "agenda item"
    model = AgendaItem
    group_path = "meeting__group__"


@register
class AttendancePolicy(_GroupOwned):
    name = "attendance"
    model = Attendance
    group_path = "meeting__group__"


@register
class DecisionPolicy(_GroupOwned):
    """A decision is seen with its meeting. Its text is shown elsewhere (beside an action
    raised from it) only when the user may see that meeting: :meth:`readable`."""

    name = "decision"
    model = Decision
    group_path = "meeting__group__"

    def readable(self, user: Any, actions: QuerySet) -> set[int]:
        """The ids of the decisions that raised ``actions`` whose text the user may read
        (one query; the actions are not read)."""
        raised = actions.order_by().values("decision_id")
        return set(self.visible(user).filter(pk__in=raised).values_list("pk", flat=True))
