"""Refused requests in the audit trail: who asked for what and was refused (a 404 for an
object out of sight, a 403 for one seen but not theirs to change, or a page their role
does not reach), rate-limited so that a user probing every id cannot flood the trail.

Up to ``settings.AUDIT_DENIED_PER_MINUTE`` refusals of one user in a minute are recorded
one row each; the next writes one row saying that further refusals in that minute are not
recorded; later ones write nothing until the minute has passed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone

from csphub.hub.audit.context import audit_context
from csphub.hub.audit.events import Event
from csphub.hub.audit.models import AuditEvent
from csphub.hub.audit.service import record


def record_refusal(request: Any, status: int) -> None:
    """One ``denied`` row for this refused request, within the user's rate."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return  # signed-out requests are sent to sign in, not refused
    limit = settings.AUDIT_DENIED_PER_MINUTE
    since = timezone.now() - dt.timedelta(minutes=1)
    recent = AuditEvent.objects.filter(actor=user, action=Event.DENIED, at__gte=since)[: limit + 1]
    count = recent.count()
    if count > limit:
        return
    match = getattr(request, "resolver_match", None)
    route = match.url_name if match else ""
    pk = str(match.kwargs.get("pk", "")) if match else ""
    what = f"{request.method} {route or request.path_info} refused ({status})"
    if count == limit:
        what = f"{limit} refusals in a minute: further refusals in this minute are not recorded"
    record(
        Event.DENIED, ctx=audit_context(request), object_type=route, object_id=pk, object_repr=what
    )
