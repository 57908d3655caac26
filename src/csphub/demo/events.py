"""Simulated events as parallel arrays: what happened, when, where and to whom."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np


@dataclass(frozen=True, eq=False)
class Events:
    """One entry per event. Index-valued fields use -1 for "none"."""

    ctype: np.ndarray  # index into params.SPECS
    offence: np.ndarray  # finer description (object array of str)
    t: np.ndarray  # datetime64[m]
    x: np.ndarray  # BNG easting, true location
    y: np.ndarray  # BNG northing
    address: np.ndarray  # address index or -1
    victim: np.ndarray  # person index or -1
    offender: np.ndarray  # person index or -1

    def __len__(self) -> int:
        return len(self.t)

    def take(self, idx: np.ndarray) -> Events:
        return Events(**{f.name: getattr(self, f.name)[idx] for f in fields(self)})


def concat(parts: list[Events]) -> Events:
    """All parts as one set of events."""
    return Events(
        **{f.name: np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(Events)}
    )


def chronological(ev: Events) -> Events:
    """Events sorted by time (ties by crime type, then by position), so ids run in time order."""
    return ev.take(np.lexsort((np.arange(len(ev)), ev.ctype, ev.t)))
