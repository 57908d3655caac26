"""The trail's append-only triggers as a whole (the audit table's, from migration 0002,
and the subject index's, from 0005), for the rare job that must lift and restore them all:
a test that empties every table, a retention job run by the owner role (ADR 0002)."""

from __future__ import annotations

import importlib

_events = importlib.import_module("csphub.hub.audit.migrations.0002_append_only")
_subjects = importlib.import_module("csphub.hub.audit.migrations.0005_context_subjects_disclosure")


def lift(vendor: str) -> list[str]:
    """The statements that drop every trigger (the subject index's first: they use the
    audit table's function on PostgreSQL)."""
    events = {"sqlite": _events.SQLITE_UNDO, "postgresql": _events.POSTGRES_UNDO}
    return [*_subjects.SUBJECT_DROP.get(vendor, []), *events.get(vendor, [])]


def restore(vendor: str) -> list[str]:
    """The statements that create every trigger again."""
    events = {"sqlite": _events.SQLITE, "postgresql": _events.POSTGRES}
    return [*events.get(vendor, []), *_subjects.SUBJECT_CREATE.get(vendor, [])]
