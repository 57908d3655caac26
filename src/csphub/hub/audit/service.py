"""The one writer of the audit trail.

Every view of a sensitive object and every change goes through :func:`record` inside the
same transaction as the change, so a change without its audit row cannot be committed and
a rejected request writes nothing.
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.db import models

from csphub.hub.audit.models import AuditEvent

MASK = "***"
#: Field names masked in every snapshot, whatever the model says.
ALWAYS_MASKED = frozenset({"password", "secret", "token"})


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The object's own fields (foreign keys as ids), sensitive ones masked."""
    masked = ALWAYS_MASKED | set(getattr(obj, "audit_masked_fields", ()))
    out: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname)
        out[field.attname] = MASK if field.name in masked else _plain(value)
    return out


def client_address(request: Any) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


def record(
    action: str,
    obj: models.Model | None = None,
    *,
    actor: Any = None,
    request: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    justification: str = "",
    system_run: str = "",
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEvent:
    """Write one audit row. ``actor`` defaults to the request's user; a system job passes
    ``system_run`` (its name) instead."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    if actor is None and not system_run and action not in ("sign-in-failed",):
        raise ValueError("an audit row needs an actor or a named system run")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:300]
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=getattr(actor, "username", "") or "",
        system_run=system_run,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:300],
        before=before,
        after=after,
        justification=justification,
        address=client_address(request),
        path=(request.get_full_path()[:500] if request is not None else ""),
    )


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict, dict]:
    """Only the fields that differ, before and after."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}
