"""Kernel checks that belong to no resource: whether the acting membership holds a
permission at all (routes, navigation), and the groups a permission reaches (the rule
every group-owned resource's policy builds on).

Everything is read through :func:`csphub.hub.access.acting.acting`: the one membership
the user acts for, active, never the union of their memberships.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from csphub.hub.access.acting import acting


def has_permission(user: Any, name: str) -> bool:
    """Holds ``name`` through the acting membership, with any reach."""
    return acting(user).has(name)


def require(user: Any, name: str) -> None:
    if not has_permission(user, name):
        raise PermissionDenied(f"needs the permission {name}")


def acting_agency_ids(user: Any) -> list[int]:
    """The agency the user acts for, as a list (empty without an active membership)."""
    agency = acting(user).agency_id
    return [agency] if agency is not None else []


def groups_q(user: Any, permission: str, prefix: str = "") -> Q:
    """The condition on a group (at ``prefix``, e.g. ``"meeting__group__"``) that
    ``permission`` reaches for the acting membership: ``seat`` the groups its agency sits
    on, ``chaired`` the groups the user chairs, ``partnership`` every group."""
    who = acting(user)
    reaches = who.reaches(permission)
    if "partnership" in reaches:  # not Q(): an empty Q vanishes when OR-ed with another
        return Q(**{f"{prefix}pk__isnull": False})
    q = Q(pk__in=[])
    if "seat" in reaches and who.agency_id is not None:
        from django.apps import apps

        seats = apps.get_model("groups", "Group").agencies.through.objects.filter(
            agency_id=who.agency_id
        )
        q |= Q(**{f"{prefix}pk__in": seats.values("group_id")})
    if "chaired" in reaches:
        q |= Q(**{f"{prefix}chair_id": who.user_id})
    return q


def owned_q(user: Any, permission: str, path: str = "owner_agency_id") -> Q:
    """The condition that ``permission`` reaches an object its acting agency owns."""
    who = acting(user)
    if "owned" in who.reaches(permission) and who.agency_id is not None:
        return Q(**{path: who.agency_id})
    return Q(pk__in=[])
