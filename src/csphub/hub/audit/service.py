"""The one writer of the audit trail.

Every view of a sensitive object and every change goes through :func:`record` inside the
same transaction as the change, so a change without its audit row cannot be committed and
a rejected request writes nothing. Its author is an :class:`~.context.AuditContext`, never
the request, and its kind an :class:`~.events.Event`.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable
from typing import Any

from django.db import models

from csphub.hub.audit.context import AuditContext
from csphub.hub.audit.events import Event
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


Subject = tuple[str, Any]


def subject_keys(subjects: Iterable[Subject]) -> list[str]:
    """``(type, id)`` pairs as the sorted, distinct ``"type:id"`` strings a row stores."""
    out = set()
    for kind, key in subjects:
        kind, key = str(kind), str(key)
        if not kind or ":" in kind or not key:
            raise ValueError(
                f"a data subject is a type without ':' and an id, not {kind!r}:{key!r}"
            )
        out.add(f"{kind}:{key}")
    return sorted(out)


def record(
    event: Event,
    obj: models.Model | None = None,
    *,
    ctx: AuditContext,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    justification: str = "",
    subjects: Iterable[Subject] = (),
    recipient: str = "",
    legal_basis: str = "",
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEvent:
    """Write one audit row of kind ``event`` by the author ``ctx``. A disclosure names its
    recipient and legal basis (DPA 2018 s.62); ``subjects`` are the people it is about."""
    if not isinstance(event, Event):
        raise TypeError(f"an audit row's kind is an Event, not {event!r}")
    if not isinstance(ctx, AuditContext):
        raise TypeError("an audit row needs its AuditContext (who, for which agency, from where)")
    if ctx.actor is None and not ctx.system_run and event is not Event.SIGN_IN_FAILED:
        raise ValueError("an audit row needs an actor or a named system run")
    if event is Event.DISCLOSE and not (recipient.strip() and legal_basis.strip()):
        raise ValueError("a disclosure records its recipient and legal basis (DPA 2018 s.62)")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:300]
    actor = ctx.actor
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=getattr(actor, "username", "") or "",
        system_run=ctx.system_run,
        acting_agency=ctx.acting_agency,
        request_id=ctx.request_id,
        action=event.value,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:300],
        before=before,
        after=after,
        justification=justification,
        subjects=subject_keys(subjects),
        recipient=recipient.strip(),
        legal_basis=legal_basis.strip(),
        address=ctx.address,
        path=ctx.path,
    )


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict, dict]:
    """Only the fields that differ, before and after."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}
