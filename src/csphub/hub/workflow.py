"""Lifecycles as data, run by python-statemachine: a record's states, the events that move
it and the guards each move needs are read from a TOML file (which names its source and the
date it applies from), and every move goes through the library's machine, on the row as
locked by the caller's ``select_for_update``.

A lifecycle file::

    name = "action"
    source = "csphub: the TTCG action log"
    applies_from = 2026-01-01

    [states.open]
    label = "Open"
    initial = true

    [states.done]
    label = "Done"
    final = true

    [[moves]]
    event = "complete"
    label = "Complete"
    from = ["open"]
    to = "done"
    guard = ""          # optional: the name of a predicate the caller supplies
    guard_text = ""     # what the user is told when the guard refuses

The machine is built once per lifecycle with
:func:`statemachine.io.create_machine_class_from_definition`; a guard is a ``cond`` that the
library calls on the listener the caller passes (an object with a method of that name).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from statemachine.exceptions import TransitionNotAllowed
from statemachine.io import create_machine_class_from_definition


class TransitionError(ValueError):
    """A move the lifecycle does not allow, or whose guard refused it."""


class LifecycleFileError(ValueError):
    """A lifecycle file that does not say what a lifecycle needs (names the file and key)."""


@dataclass(frozen=True)
class Move:
    event: str
    label: str
    sources: tuple[str, ...]
    target: str
    guard: str = ""
    guard_text: str = ""


@dataclass(frozen=True)
class Lifecycle:
    name: str
    source: str
    applies_from: dt.date
    #: State id -> label, in the file's order.
    states: dict[str, str]
    initial: str
    finals: frozenset[str]
    moves: tuple[Move, ...] = field(default=())

    @property
    def live(self) -> frozenset[str]:
        return frozenset(self.states) - self.finals

    def moves_from(self, state: str) -> list[Move]:
        return [m for m in self.moves if state in m.sources]

    def targets_from(self, state: str) -> list[str]:
        return list(dict.fromkeys(m.target for m in self.moves_from(state)))

    def move_to(self, current: str, target: str) -> Move:
        """The move from ``current`` to ``target``, or :class:`TransitionError`."""
        if target not in self.states:
            raise TransitionError(f"unknown state {target!r}")
        for move in self.moves_from(current):
            if move.target == target:
                return move
        allowed = ", ".join(self.states[s] for s in sorted(self.targets_from(current)))
        raise TransitionError(
            f"a {self.name} that is {self.states[current].lower()} cannot become "
            f"{self.states[target].lower()}; allowed: {allowed or 'none (final)'}"
        )

    @cached_property
    def machine(self) -> type:
        """The python-statemachine class that runs this lifecycle."""
        states: dict[str, dict[str, Any]] = {
            sid: {"name": label, "initial": sid == self.initial, "final": sid in self.finals}
            for sid, label in self.states.items()
        }
        for move in self.moves:
            for sid in move.sources:
                step = {"target": move.target, **({"cond": move.guard} if move.guard else {})}
                states[sid].setdefault("on", {}).setdefault(move.event, []).append(step)
        return create_machine_class_from_definition(
            "".join(ch for ch in self.name.title() if ch.isalnum()) + "Lifecycle",
            states=states,
            allow_event_without_transition=False,
            validate_final_reachability=False,
        )

    def fire(self, record: Any, event: str, guards: Any = None, field: str = "state") -> Move:
        """Run ``event`` on ``record`` (its ``field`` holds the state): the machine checks
        the move and its guard and sets the new state on ``record``; the caller has locked
        the row and saves it. :class:`TransitionError` when refused, nothing changed."""
        current = getattr(record, field)
        move = next((m for m in self.moves_from(current) if m.event == event), None)
        if move is None:
            raise TransitionError(
                f"a {self.name} that is {self.states[current].lower()} cannot be {event}"
            )
        listeners = [guards] if guards is not None else []
        machine = self.machine(model=record, state_field=field, listeners=listeners)
        try:
            machine.send(event)
        except TransitionNotAllowed as refused:
            raise TransitionError(move.guard_text or str(refused)) from refused
        if getattr(record, field) != move.target:  # a guard said no without raising
            raise TransitionError(move.guard_text or f"{move.label}: not allowed now")
        return move


def _need(table: dict, key: str, path: Path, where: str = "") -> Any:
    if key not in table:
        raise LifecycleFileError(f"{path}: {where}{key} is missing")
    return table[key]


def load(path: Path) -> Lifecycle:
    """The lifecycle in the TOML file at ``path``; :class:`LifecycleFileError` naming the
    file and the key when it is incomplete or inconsistent."""
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    return from_table(data, path)


def from_table(data: dict, path: Path | str) -> Lifecycle:
    path = Path(path)
    states_table = _need(data, "states", path)
    states = {
        sid: str(_need(table, "label", path, f"states.{sid}."))
        for sid, table in states_table.items()
    }
    initials = [sid for sid, s in states_table.items() if s.get("initial")]
    if len(initials) != 1:
        raise LifecycleFileError(f"{path}: exactly one state is initial, not {initials}")
    finals = frozenset(sid for sid, s in states_table.items() if s.get("final"))
    moves = []
    for number, m in enumerate(_need(data, "moves", path), start=1):
        where = f"moves[{number}]."
        sources = tuple(_need(m, "from", path, where))
        target = _need(m, "to", path, where)
        for sid in (*sources, target):
            if sid not in states:
                raise LifecycleFileError(f"{path}: {where} names unknown state {sid!r}")
        if finals & set(sources):
            raise LifecycleFileError(f"{path}: {where} leaves a final state")
        moves.append(
            Move(
                event=str(_need(m, "event", path, where)),
                label=str(m.get("label") or m["event"]),
                sources=sources,
                target=target,
                guard=str(m.get("guard", "")),
                guard_text=str(m.get("guard_text", "")),
            )
        )
    applies = _need(data, "applies_from", path)
    return Lifecycle(
        name=str(_need(data, "name", path)),
        source=str(_need(data, "source", path)),
        applies_from=applies if isinstance(applies, dt.date) else dt.date.fromisoformat(applies),
        states=states,
        initial=initials[0],
        finals=finals,
        moves=tuple(moves),
    )


def events(lifecycles: Iterable[Lifecycle]) -> set[str]:
    return {m.event for lc in lifecycles for m in lc.moves}
