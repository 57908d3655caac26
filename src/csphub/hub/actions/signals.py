"""What the actions app announces to the apps above it (they listen; it imports none)."""

from django.dispatch import Signal

#: An action was raised (inside the raising transaction): ``action`` and ``ctx`` (the
#: :class:`~csphub.hub.audit.context.AuditContext` of whoever raised it).
action_raised = Signal()
