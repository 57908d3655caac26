"""Partnership management: agencies, users and their memberships. Each change checks
``partnership.manage``, makes the change and writes its audit row in one transaction; a
refused change raises before writing anything. Passwords never reach the audit trail
(``snapshot`` masks the ``password`` field).

Separation of duties: nobody changes their own memberships; granting or removing a role
marked ``second_admin`` in ``data/roles.csv`` (coordinator, chair, auditor), or deactivating
a membership that holds one, becomes a :class:`~csphub.hub.access.models.PendingChange`
that another administrator, not the person it is about, approves or rejects."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from csphub.hub.access.models import (
    Agency,
    Membership,
    PendingChange,
    role_table,
    second_admin_roles,
)
from csphub.hub.access.scope import require
from csphub.hub.audit.context import AuditContext
from csphub.hub.audit.events import Event
from csphub.hub.audit.service import changed, record, snapshot

PERMISSION = "partnership.manage"


def _check_roles(roles: list[str]) -> list[str]:
    unknown = set(roles) - set(role_table())
    if unknown:
        raise ValueError(f"unknown roles: {', '.join(sorted(unknown))}")
    return sorted(set(roles), key=list(role_table()).index)


def _not_their_own(user: Any, member: Any) -> None:
    if member.pk == user.pk:
        raise PermissionDenied("nobody changes their own access: ask another administrator")


def _about(membership: Membership) -> list[tuple[str, int]]:
    """The data subject of a row about a membership: its holder."""
    return [("user", membership.user_id)]


def _privileged(roles: list[str]) -> set[str]:
    return set(roles) & second_admin_roles()


def _propose(ctx: AuditContext, membership: Membership, kind: str, roles: list[str]):
    user = ctx.actor
    change = PendingChange.objects.create(
        membership=membership, kind=kind, roles=roles, proposed_by=user
    )
    record(Event.CREATE, change, ctx=ctx, after=snapshot(change), subjects=_about(membership))
    return change


@transaction.atomic
def create_agency(
    ctx: AuditContext,
    *,
    name: str,
    code: str,
    kind: str,
    statutory: bool,
    requires_two_factor: bool = False,
) -> Agency:
    user = ctx.actor
    require(user, PERMISSION)
    agency = Agency(
        name=name.strip(),
        code=code.strip(),
        kind=kind,
        statutory=statutory,
        requires_two_factor=requires_two_factor,
    )
    agency.full_clean()
    agency.save()
    record(Event.CREATE, agency, ctx=ctx, after=snapshot(agency))
    return agency


@transaction.atomic
def create_membership(
    ctx: AuditContext,
    member: Any,
    agency: Agency,
    *,
    roles: list[str],
    job_title: str = "",
) -> Membership:
    """A membership; roles that take a second administrator wait for one (the membership
    starts with the others)."""
    user = ctx.actor
    require(user, PERMISSION)
    _not_their_own(user, member)
    wanted = _check_roles(roles)
    now = [r for r in wanted if r not in _privileged(wanted)]
    membership = Membership(user=member, agency=agency, roles=now, job_title=job_title.strip())
    membership.full_clean()
    membership.save()
    record(
        Event.CREATE, membership, ctx=ctx, after=snapshot(membership), subjects=_about(membership)
    )
    if now != wanted:
        _propose(ctx, membership, "roles", wanted)
    return membership


@transaction.atomic
def create_user(
    ctx: AuditContext,
    *,
    username: str,
    first_name: str,
    last_name: str,
    email: str = "",
    password: str,
    agency: Agency,
    roles: list[str],
    job_title: str = "",
) -> tuple[Any, Membership]:
    """A new user with an initial password (which must pass the password validators) and
    a first membership."""
    user = ctx.actor
    require(user, PERMISSION)
    new = get_user_model()(
        username=username.strip(),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip(),
    )
    validate_password(password, user=new)
    new.set_password(password)
    new.full_clean()
    new.save()
    record(Event.CREATE, new, ctx=ctx, after=snapshot(new), subjects=[("user", new.pk)])
    membership = create_membership(ctx, new, agency, roles=roles, job_title=job_title)
    return new, membership


@transaction.atomic
def update_membership(ctx: AuditContext, membership: Membership, **fields: Any) -> Membership:
    """Change roles, job title or ``active`` (deactivate or reactivate). A change that
    takes a second administrator is proposed instead (see :func:`pending_for`)."""
    user = ctx.actor
    require(user, PERMISSION)
    _not_their_own(user, membership.user)
    allowed = {"roles", "job_title", "active"}
    if unknown := set(fields) - allowed:
        raise ValueError(f"cannot change {', '.join(sorted(unknown))}")
    if "roles" in fields:
        fields["roles"] = _check_roles(fields["roles"])
        if _privileged(fields["roles"]) ^ _privileged(membership.roles):
            _propose(ctx, membership, "roles", fields.pop("roles"))
    if fields.get("active") is False and membership.active and _privileged(membership.roles):
        _propose(ctx, membership, "deactivate", [])
        fields.pop("active")
    if "job_title" in fields:
        fields["job_title"] = fields["job_title"].strip()
    before = snapshot(membership)
    for name, value in fields.items():
        setattr(membership, name, value)
    membership.full_clean()
    membership.save()
    old, new = changed(before, snapshot(membership))
    if new:
        record(
            Event.UPDATE, membership, ctx=ctx, before=old, after=new, subjects=_about(membership)
        )
    return membership


def pending_for(membership: Membership) -> list[PendingChange]:
    return list(membership.pending_changes.filter(state="pending").order_by("proposed_at"))


@transaction.atomic
def decide_change(ctx: AuditContext, change: PendingChange, *, approve: bool) -> PendingChange:
    """Approve (and apply) or reject a proposed change: by an administrator who neither
    proposed it nor is the person it is about."""
    user = ctx.actor
    require(user, PERMISSION)
    change = PendingChange.objects.select_for_update().get(pk=change.pk)
    if change.state != "pending":
        raise ValueError("this change has already been decided")
    if change.proposed_by_id == user.pk:
        raise PermissionDenied("a second administrator decides a change you proposed")
    membership = Membership.objects.select_for_update().get(pk=change.membership_id)
    _not_their_own(user, membership.user)
    before = snapshot(change)
    change.state = "approved" if approve else "rejected"
    change.decided_by = user
    change.decided_at = timezone.now()
    change.save()
    old, new = changed(before, snapshot(change))
    record(Event.UPDATE, change, ctx=ctx, before=old, after=new, subjects=_about(membership))
    if approve:
        was = snapshot(membership)
        if change.kind == "roles":
            membership.roles = _check_roles(change.roles)
        else:
            membership.active = False
        membership.save()
        old, new = changed(was, snapshot(membership))
        if new:
            record(
                Event.UPDATE,
                membership,
                ctx=ctx,
                before=old,
                after=new,
                subjects=_about(membership),
            )
    return change
