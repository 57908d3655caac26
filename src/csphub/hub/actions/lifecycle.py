"""The action lifecycle: states and moves from ``data/lifecycle.toml``, run by
python-statemachine (:mod:`csphub.hub.workflow`). Overdue is computed, never stored."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from csphub.hub.workflow import TransitionError, load

LIFECYCLE = load(Path(__file__).with_name("data") / "lifecycle.toml")
STATES = tuple(LIFECYCLE.states)
LABELS = LIFECYCLE.states
#: The states an action can still leave (done and cancelled are final).
LIVE = LIFECYCLE.live
#: State -> the states one move reaches from it.
TRANSITIONS: dict[str, frozenset[str]] = {
    s: frozenset(LIFECYCLE.targets_from(s)) for s in LIFECYCLE.states
}

__all__ = ["LABELS", "LIFECYCLE", "LIVE", "STATES", "TRANSITIONS", "TransitionError"]


@dataclass(frozen=True)
class ProgressGuards:
    """The guards of a move made with a progress note (the listener the machine asks)."""

    note: str

    def has_note(self) -> bool:
        return bool(self.note.strip())


def check_transition(current: str, new: str) -> None:
    """Whether some move leads from ``current`` to ``new`` (:class:`TransitionError`)."""
    LIFECYCLE.move_to(current, new)


def is_overdue(state: str, due: dt.date | None, today: dt.date) -> bool:
    return due is not None and state in LIVE and due < today
