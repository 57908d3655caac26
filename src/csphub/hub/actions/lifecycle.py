"""The action lifecycle as an explicit state machine. Overdue is computed, never stored."""

from __future__ import annotations

import datetime as dt

STATES = ("open", "in_progress", "blocked", "done", "cancelled")
LABELS = {
    "open": "Open",
    "in_progress": "In progress",
    "blocked": "Blocked",
    "done": "Done",
    "cancelled": "Cancelled",
}
#: Allowed moves; done and cancelled are final (a new action is raised instead).
TRANSITIONS: dict[str, frozenset[str]] = {
    "open": frozenset({"in_progress", "blocked", "done", "cancelled"}),
    "in_progress": frozenset({"blocked", "done", "cancelled"}),
    "blocked": frozenset({"in_progress", "done", "cancelled"}),
    "done": frozenset(),
    "cancelled": frozenset(),
}
LIVE = frozenset({"open", "in_progress", "blocked"})


class TransitionError(ValueError):
    """A move the lifecycle does not allow."""


def check_transition(current: str, new: str) -> None:
    if new not in STATES:
        raise TransitionError(f"unknown state {new!r}")
    if new not in TRANSITIONS[current]:
        allowed = ", ".join(LABELS[s] for s in sorted(TRANSITIONS[current])) or "none (final)"
        raise TransitionError(
            f"an action that is {LABELS[current].lower()} cannot become "
            f"{LABELS[new].lower()}; allowed: {allowed}"
        )


def is_overdue(state: str, due: dt.date | None, today: dt.date) -> bool:
    return due is not None and state in LIVE and due < today
