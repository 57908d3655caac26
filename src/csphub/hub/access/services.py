"""Partnership management: agencies, users and their memberships. Each change checks
``partnership.manage``, makes the change and writes its audit row in one transaction; a
refused change raises before writing anything. Passwords never reach the audit trail
(``snapshot`` masks the ``password`` field)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from csphub.hub.access.models import Agency, Membership, role_table
from csphub.hub.access.scope import require
from csphub.hub.audit.service import changed, record, snapshot

PERMISSION = "partnership.manage"


def _check_roles(roles: list[str]) -> list[str]:
    unknown = set(roles) - set(role_table())
    if unknown:
        raise ValueError(f"unknown roles: {', '.join(sorted(unknown))}")
    return sorted(set(roles), key=list(role_table()).index)


@transaction.atomic
def create_agency(
    user: Any,
    *,
    name: str,
    code: str,
    kind: str,
    statutory: bool,
    requires_two_factor: bool = False,
    request: Any = None,
) -> Agency:
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
    record("create", agency, actor=user, request=request, after=snapshot(agency))
    return agency


@transaction.atomic
def create_membership(
    user: Any,
    member: Any,
    agency: Agency,
    *,
    roles: list[str],
    job_title: str = "",
    request: Any = None,
) -> Membership:
    require(user, PERMISSION)
    membership = Membership(
        user=member, agency=agency, roles=_check_roles(roles), job_title=job_title.strip()
    )
    membership.full_clean()
    membership.save()
    record("create", membership, actor=user, request=request, after=snapshot(membership))
    return membership


@transaction.atomic
def create_user(
    user: Any,
    *,
    username: str,
    first_name: str,
    last_name: str,
    email: str = "",
    password: str,
    agency: Agency,
    roles: list[str],
    job_title: str = "",
    request: Any = None,
) -> tuple[Any, Membership]:
    """A new user with an initial password (which must pass the password validators) and
    a first membership."""
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
    record("create", new, actor=user, request=request, after=snapshot(new))
    membership = create_membership(
        user, new, agency, roles=roles, job_title=job_title, request=request
    )
    return new, membership


@transaction.atomic
def update_membership(
    user: Any, membership: Membership, *, request: Any = None, **fields: Any
) -> Membership:
    """Change roles, job title or ``active`` (deactivate or reactivate)."""
    require(user, PERMISSION)
    allowed = {"roles", "job_title", "active"}
    if unknown := set(fields) - allowed:
        raise ValueError(f"cannot change {', '.join(sorted(unknown))}")
    if "roles" in fields:
        fields["roles"] = _check_roles(fields["roles"])
    if "job_title" in fields:
        fields["job_title"] = fields["job_title"].strip()
    before = snapshot(membership)
    for name, value in fields.items():
        setattr(membership, name, value)
    membership.full_clean()
    membership.save()
    old, new = changed(before, snapshot(membership))
    if new:
        record("update", membership, actor=user, request=request, before=old, after=new)
    return membership
