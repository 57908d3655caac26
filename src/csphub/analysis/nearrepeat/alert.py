"""Near-repeat alert: where and until when the latest events raise the risk nearby.

The *risk envelope* is read off a Knox table's significant cells (p < alpha and ratio >
min_ratio). Starting from the first spatial band whose shortest temporal band is
significant, each following spatial band belongs to the envelope while its shortest
temporal band stays significant; for each such band the risk lasts up to the limit of the
last temporal band of the unbroken run of significant cells from the shortest one. This gives
"steps" (radius, days), e.g. same location for 21 days, 200 m for 14 days. A disc of
radius r around an event covers every distance below r, so inner bands that were not
significant are still inside the alert; ``notes`` say so, and list significant cells left
outside the envelope.

Alerting: each event of the last ``lookback_days`` up to ``as_of`` (``as_of -
lookback_days < date <= as_of``) puts every place within each step's radius at raised
risk until ``event date + days``; rows whose risk ends before ``as_of`` are dropped, and so
are steps covered by a wider step lasting at least as long (their disc adds nothing).

Knox tables of a whole year often stay "significant" out to the last band with ratios near
1 (seasonal and area-wide trends mix in); Ratcliffe's practice is ``min_ratio=1.2``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from csphub.analysis.hotspots.grid import Grid
from csphub.analysis.hotspots.records import columns_to_records, frozen_array
from csphub.analysis.nearrepeat.events import DateLike, Events, to_day
from csphub.analysis.nearrepeat.knoxtest import KnoxResult


@dataclass(frozen=True)
class RiskStep:
    """Risk raised within ``distance_m`` of an event for ``days`` days after it."""

    distance_m: float
    days: float


@dataclass(frozen=True)
class RiskEnvelope:
    """The elevated-risk steps read off a Knox table, and how they were chosen."""

    steps: tuple[RiskStep, ...]
    metric: str
    alpha: float
    min_ratio: float
    notes: tuple[str, ...] = ()

    @property
    def max_distance_m(self) -> float:
        return max((s.distance_m for s in self.steps), default=0.0)

    @property
    def max_days(self) -> float:
        return max((s.days for s in self.steps), default=0.0)

    def to_dict(self) -> dict[str, object]:
        return {
            "steps": [{"distance_m": s.distance_m, "days": s.days} for s in self.steps],
            "max_distance_m": self.max_distance_m,
            "max_days": self.max_days,
            "metric": self.metric,
            "alpha": self.alpha,
            "min_ratio": self.min_ratio,
            "notes": list(self.notes),
        }


def risk_envelope(
    result: KnoxResult, *, alpha: float = 0.05, min_ratio: float = 1.0
) -> RiskEnvelope:
    """The contiguous significant distance and day limits of a Knox table.

    Examples
    --------
    >>> from csphub.analysis.nearrepeat.knoxtest import KnoxResult
    >>> p = np.array([[0.01, 0.01, 0.5], [0.01, 0.5, 0.01], [0.5, 0.01, 0.5]])
    >>> ratio = np.full((3, 3), 1.5)
    >>> kr = KnoxResult((0.1, 200.0, 400.0), (7.0, 14.0, 21.0), np.zeros((3, 3), int),
    ...                 ratio, ratio, p, 100, 0, 99, 1, "euclidean")
    >>> env = risk_envelope(kr)
    >>> [(s.distance_m, s.days) for s in env.steps], env.max_distance_m, env.max_days
    ([(0.1, 14.0), (200.0, 7.0)], 200.0, 14.0)
    """
    sig = result.significant(alpha, min_ratio)
    inside = np.zeros(sig.shape, bool)
    steps: list[RiskStep] = []
    notes: list[str] = []
    first = np.flatnonzero(sig[:, 0])
    if first.size:
        k = int(first[0])
        if k > 0:
            notes.append(
                f"bands up to {result.space_bands[k - 1]:g} m not significant at the "
                "shortest interval; the alert discs still include them"
            )
        while k < sig.shape[0] and sig[k, 0]:
            run = int(np.argmin(np.append(sig[k], False)))  # length of the leading True run
            inside[k, :run] = True
            steps.append(RiskStep(result.space_bands[k], result.time_bands[run - 1]))
            k += 1
    outside = np.argwhere(sig & ~inside)
    if outside.size:
        cells = ", ".join(
            f"{result.space_bands[a]:g} m/{result.time_bands[b]:g} d" for a, b in outside
        )
        notes.append(f"significant cells outside the contiguous envelope: {cells}")
    if not steps:
        notes.append("no significant near-repeat cell at the shortest interval: no alert")
    return RiskEnvelope(tuple(steps), result.metric, alpha, min_ratio, tuple(notes))


@dataclass(frozen=True, eq=False)
class NearRepeatAlert:
    """One row per (recent event, envelope step) whose raised risk lasts to ``as_of`` or later."""

    as_of: dt.date
    lookback_days: int
    envelope: RiskEnvelope
    event_index: np.ndarray
    x: np.ndarray
    y: np.ndarray
    event_date: np.ndarray
    radius_m: np.ndarray
    risk_until: np.ndarray

    @property
    def n_events(self) -> int:
        return int(np.unique(self.event_index).size)

    def _description(self) -> np.ndarray:
        shape = "distance" if self.envelope.metric == "euclidean" else "Manhattan distance"
        return np.array(
            [
                f"within {r:g} m ({shape}) of ({x:.0f}, {y:.0f}) until {u}"
                for r, x, y, u in zip(self.radius_m, self.x, self.y, self.risk_until, strict=True)
            ],
            dtype=object,
        )

    def to_records(self) -> list[dict[str, object]]:
        """One dict per row: the event, the radius, the last day of raised risk, a sentence."""
        return columns_to_records(
            {
                "event_index": self.event_index,
                "x": self.x,
                "y": self.y,
                "event_date": self.event_date,
                "radius_m": self.radius_m,
                "risk_until": self.risk_until,
                "description": self._description(),
            }
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "as_of": self.as_of.isoformat(),
            "lookback_days": self.lookback_days,
            "envelope": self.envelope.to_dict(),
            "n_events": self.n_events,
            "places": self.to_records(),
        }

    def cells(self, grid: Grid) -> list[dict[str, object]]:
        """Grid cells whose centre lies inside any alert zone, with the latest risk date.

        The cell holding the event itself is always included (a same-location zone of
        0.1 m rarely contains a cell centre).

        Each dict: ``cell_id``, centre ``x``/``y``, ``risk_until`` (the latest over the
        zones covering it) and ``n_events`` (recent events whose zone covers it).
        """
        xc, yc = grid.centres()
        tree = cKDTree(np.column_stack([xc, yc]))
        p = 2 if self.envelope.metric == "euclidean" else 1
        until = np.full(xc.size, np.iinfo(np.int64).min, dtype=np.int64)
        events: dict[int, set[int]] = {}
        for e, x, y, r, u in zip(
            self.event_index, self.x, self.y, self.radius_m, self.risk_until, strict=True
        ):
            hit = np.asarray(tree.query_ball_point([x, y], r, p=p), dtype=np.intp)
            own = grid.cell_index([x], [y])
            hit = np.union1d(hit, own[own >= 0])
            until[hit] = np.maximum(until[hit], to_day(u))
            for c in hit.tolist():
                events.setdefault(c, set()).add(int(e))
        covered = np.flatnonzero(until > np.iinfo(np.int64).min)
        ids = grid.cell_ids()
        return columns_to_records(
            {
                "cell_id": ids[covered],
                "x": xc[covered],
                "y": yc[covered],
                "risk_until": until[covered].astype("datetime64[D]"),
                "n_events": np.array([len(events[c]) for c in covered.tolist()], dtype=int),
            }
        )


def near_repeat_alert(
    knox_or_envelope: KnoxResult | RiskEnvelope,
    events: Events,
    *,
    as_of: DateLike | None = None,
    lookback_days: int = 7,
    alpha: float = 0.05,
    min_ratio: float = 1.0,
) -> NearRepeatAlert:
    """Places near the latest events that are inside the near-repeat risk envelope.

    Parameters
    ----------
    knox_or_envelope : KnoxResult or RiskEnvelope
        A Knox table (its envelope is taken at ``alpha``/``min_ratio``) or an envelope.
    events : Events
        Events to alert on (the recent ones are selected here).
    as_of : date or "YYYY-MM-DD", optional
        The day of the alert; default the latest event date.
    lookback_days : int, default 7
        Events with ``as_of - lookback_days < date <= as_of`` raise alerts.

    Examples
    --------
    >>> env = RiskEnvelope((RiskStep(0.1, 21.0), RiskStep(200.0, 14.0)), "euclidean", 0.05, 1.2)
    >>> ev = Events.from_arrays([100.0, 900.0], [100.0, 900.0],
    ...                         np.array(["2016-12-01", "2016-12-28"], dtype="datetime64[D]"))
    >>> a = near_repeat_alert(env, ev, as_of="2016-12-31")
    >>> [(r["radius_m"], r["risk_until"]) for r in a.to_records()]
    [(0.1, '2017-01-18'), (200.0, '2017-01-11')]
    >>> a.to_records()[1]["description"]
    'within 200 m (distance) of (900, 900) until 2017-01-11'
    """
    env = (
        knox_or_envelope
        if isinstance(knox_or_envelope, RiskEnvelope)
        else risk_envelope(knox_or_envelope, alpha=alpha, min_ratio=min_ratio)
    )
    if lookback_days < 1:
        raise ValueError("lookback_days must be at least 1")
    if events.n == 0 and as_of is None:
        raise ValueError("no events, and no as_of date")
    today = int(events.day.max()) if as_of is None else to_day(as_of)
    recent = np.flatnonzero((events.day > today - lookback_days) & (events.day <= today))
    steps = [
        s
        for s in env.steps
        if not any(o.distance_m > s.distance_m and o.days >= s.days for o in env.steps)
    ]
    rows: list[tuple[int, float, int]] = []
    for e in recent.tolist():
        for s in steps:
            until = int(events.day[e]) + int(np.floor(s.days))
            if until >= today:
                rows.append((e, s.distance_m, until))
    idx = np.array([r[0] for r in rows], dtype=np.intp)
    return NearRepeatAlert(
        as_of=np.datetime64(today, "D").item(),
        lookback_days=int(lookback_days),
        envelope=env,
        event_index=frozen_array(idx),
        x=frozen_array(events.x[idx]),
        y=frozen_array(events.y[idx]),
        event_date=frozen_array(events.day[idx].astype("datetime64[D]")),
        radius_m=frozen_array([r[1] for r in rows], float),
        risk_until=frozen_array(np.array([r[2] for r in rows], dtype="datetime64[D]")),
    )
