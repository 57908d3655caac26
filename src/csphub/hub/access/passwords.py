"""Passwords: users change their own; an administrator (``partnership.manage``) sets a
temporary password that must be changed at the next sign-in, or resets a user's second
factor with a reason. Nobody resets their own account this way. Each change is made and
audited in one transaction (passwords and secrets masked); a refused change writes nothing.
A temporary password signs in for ``TEMPORARY_PASSWORD_DAYS`` only.

A temporary password is marked on :class:`~.models.AccountState`; at sign-in the mark is
copied into the session, and :func:`change_first` (called by the access middleware) sends
every page but this one's to the change-password page until the password is changed.
Setting a password ends the user's other sessions (Django ties a session to the password
hash), so a reset also signs the user out everywhere.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.http import HttpResponseRedirect
from django.utils import timezone

from csphub.hub.access import throttle
from csphub.hub.access.models import AccountState, Membership, TwoFactor
from csphub.hub.access.scope import require
from csphub.hub.audit.context import AuditContext
from csphub.hub.audit.events import Event
from csphub.hub.audit.service import MASK, record, snapshot

PERMISSION = "partnership.manage"
SESSION_KEY = "csphub_must_change_password"
CHANGE_PATH = "/account/password/"
#: The longest reason for a second-factor reset, in characters (kept in the audit row).
REASON_MAX_LENGTH = 500


def has_active_membership(user: Any) -> bool:
    return Membership.objects.filter(user=user, active=True).exists()


def must_change(user: Any) -> bool:
    return AccountState.objects.filter(user=user, must_change_password=True).exists()


def temporary_expired(user: Any) -> bool:
    """A temporary password set more than ``TEMPORARY_PASSWORD_DAYS`` ago and never
    changed: it no longer signs in (an administrator sets a new one)."""
    since = timezone.now() - timedelta(days=settings.TEMPORARY_PASSWORD_DAYS)
    return AccountState.objects.filter(
        user=user, must_change_password=True, password_changed_at__lt=since
    ).exists()


def password_change_page(view: Any) -> Any:
    """Mark the view a user with a temporary password may (and must) use."""
    view.password_change_page = True
    return view


def change_first(request: Any, view: Any) -> HttpResponseRedirect | None:
    """For the access middleware: a signed-in user with a temporary password is sent to
    the change-password page from any other page (``None``: carry on)."""
    if not request.session.get(SESSION_KEY) or getattr(view, "password_change_page", False):
        return None
    return HttpResponseRedirect(f"{CHANGE_PATH}?next={quote(request.get_full_path())}")


def _not_self(admin: Any, member: Any) -> None:
    require(admin, PERMISSION)
    if admin.pk == member.pk:
        raise PermissionDenied("nobody resets their own account")


@transaction.atomic
def change_own_password(ctx: AuditContext, new: str) -> None:
    """``user`` sets their own password (the form has checked the current one)."""
    user = ctx.actor
    validate_password(new, user=user)
    user.set_password(new)
    user.save(update_fields=["password"])
    AccountState.objects.update_or_create(
        user=user, defaults={"must_change_password": False, "password_changed_at": timezone.now()}
    )
    record(
        Event.UPDATE,
        user,
        ctx=ctx,
        subjects=[("user", user.pk)],
        after={"password": MASK},
        object_repr=user.username,
        justification="changed their own password",
    )


@transaction.atomic
def reset_password(ctx: AuditContext, member: Any, temporary: str) -> None:
    """A temporary password for ``member``, to be changed at their next sign-in; their
    sessions end and their sign-in counters are cleared."""
    admin = ctx.actor
    _not_self(admin, member)
    validate_password(temporary, user=member)
    member.set_password(temporary)
    member.save(update_fields=["password"])
    AccountState.objects.update_or_create(
        user=member,
        defaults={"must_change_password": True, "password_changed_at": timezone.now()},
    )
    throttle.forget(member)
    record(
        Event.UPDATE,
        member,
        ctx=ctx,
        subjects=[("user", member.pk)],
        after={"password": MASK, "must_change_password": True},
        object_repr=member.username,
        justification="temporary password set by an administrator, to be changed at the "
        "next sign-in",
    )


@transaction.atomic
def reset_second_factor(ctx: AuditContext, member: Any, reason: str) -> bool:
    """Remove ``member``'s second factor (a lost or replaced phone), with the reason in
    the audit row; ``False`` when they have none. At their next sign-in they set one up
    again (or, when no agency of theirs requires one, may)."""
    admin = ctx.actor
    _not_self(admin, member)
    reason = reason.strip()
    if not reason:
        raise ValueError("a reason is needed")
    MaxLengthValidator(REASON_MAX_LENGTH)(reason)  # a ValidationError when longer
    device = TwoFactor.objects.filter(user=member).first()
    if device is None:
        return False
    record(
        Event.DELETE,
        device,
        ctx=ctx,
        subjects=[("user", member.pk)],
        before=snapshot(device),
        object_repr=f"second factor of {member.username}",
        justification=reason,
    )
    device.delete()
    return True
