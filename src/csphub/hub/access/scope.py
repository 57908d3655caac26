"""Need to know: what a user may see and change.

A user sees a group (and its meetings) when one of their agencies sits on it or they chair
it; an action when they see its group, the group whose decision raised it, or their agency
owns it. Out of scope answers 404 (the object's existence is not disclosed); in scope but
not theirs to change answers 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from csphub.hub.access.models import Membership, role_table


def _memberships(user: Any) -> tuple[list[int], frozenset[str]]:
    """The user's agencies and permissions, read once per request (one query)."""
    cached = getattr(user, "_csphub_memberships", None)
    if cached is None:
        rows = Membership.objects.filter(user=user, active=True).values_list("agency_id", "roles")
        table = role_table()
        ids, perms = [], set()
        for agency_id, roles in rows:
            ids.append(agency_id)
            for role in roles:
                perms |= table.get(role, ("", frozenset()))[1]
        cached = (ids, frozenset(perms))
        user._csphub_memberships = cached
    return cached


def agency_ids(user: Any) -> list[int]:
    if not user.is_authenticated:
        return []
    return _memberships(user)[0]


def permissions(user: Any) -> frozenset[str]:
    if not user.is_authenticated:
        return frozenset()
    return _memberships(user)[1]


def has_permission(user: Any, name: str) -> bool:
    return name in permissions(user)


def require(user: Any, name: str) -> None:
    if not has_permission(user, name):
        raise PermissionDenied(f"needs the permission {name}")


def visible_groups(user: Any) -> QuerySet:
    from csphub.hub.groups.models import Group

    return Group.objects.filter(Q(agencies__in=agency_ids(user)) | Q(chair=user)).distinct()


def visible_meetings(user: Any) -> QuerySet:
    from csphub.hub.groups.models import Meeting

    return Meeting.objects.filter(group__in=visible_groups(user))


def visible_actions(user: Any) -> QuerySet:
    from csphub.hub.actions.models import Action

    groups = visible_groups(user)
    return Action.objects.filter(
        Q(group__in=groups)
        | Q(decision__meeting__group__in=groups)
        | Q(owner_agency__in=agency_ids(user))
        | Q(owner=user)
    ).distinct()


def get_visible(queryset: QuerySet, pk: Any) -> Any:
    """The object, or 404 when it does not exist *or* is out of the user's scope."""
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404("not found") from None


def can_manage_group(user: Any, group: Any, permission: str) -> bool:
    """Schedule meetings, record decisions, raise actions: the chair, or a holder of the
    permission from an agency that sits on the group."""
    if group.chair_id == user.pk:
        return True
    return (
        has_permission(user, permission) and group.agencies.filter(pk__in=agency_ids(user)).exists()
    )


def require_group(user: Any, group: Any, permission: str) -> None:
    if not can_manage_group(user, group, permission):
        raise PermissionDenied(f"needs {permission} in {group}")


def can_update_action(user: Any, action: Any) -> bool:
    """The owner, the group's chair, or a holder of action.update in the owning agency."""
    if action.owner_id == user.pk or action.group.chair_id == user.pk:
        return True
    return has_permission(user, "action.update") and action.owner_agency_id in agency_ids(user)
