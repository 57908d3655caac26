"""The audit row's policy: the trail is read by holders of ``audit.view`` (information
governance), whole; nobody may change a row (the table refuses it too)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from csphub.hub.access.acting import acting
from csphub.hub.access.policy import VIEW, Policy, register
from csphub.hub.audit.models import AuditEvent


@register
class AuditRowPolicy(Policy):
    name = "audit row"
    model = AuditEvent

    def where(self, user: Any, verb: str) -> QuerySet:
        if verb == VIEW and acting(user).has("audit.view"):
            return AuditEvent.objects.all()
        return AuditEvent.objects.none()
