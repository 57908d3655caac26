"""What the group tree announces to the apps above it (they listen; it imports none)."""

from django.dispatch import Signal

#: A meeting was scheduled (inside the scheduling transaction): ``meeting``, ``actor``,
#: ``request``.
meeting_scheduled = Signal()
