"""What the group tree announces to the apps above it (they listen; it imports none)."""

from django.dispatch import Signal

#: A meeting was scheduled (inside the scheduling transaction): ``meeting`` and ``ctx``
#: (the :class:`~csphub.hub.audit.context.AuditContext` of whoever scheduled it).
meeting_scheduled = Signal()
