"""The near-repeat alert from the store's partner events: one pipeline for every caller.

Knox test over the events of the ``history_days`` to ``as_of``, the elevated-risk envelope
from its significant cells, then the places near the latest events that lie inside it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from csphub.analysis.store_inputs.events import StoreEvents, events_frame, knox_events
from csphub.analysis.store_inputs.periods import InputError
from csphub.store import Store
from csphub.store.areas import Area


@dataclass(frozen=True)
class StoreAlert:
    """The Knox result, the envelope and the alert, with the events they were made from."""

    as_of: dt.date
    start: dt.date
    events: StoreEvents
    knox: Any  # KnoxResult
    envelope: Any  # RiskEnvelope
    alert: Any  # NearRepeatAlert


def store_near_repeat_alert(
    store: Store,
    *,
    where: Mapping[str, Sequence[str]],
    space_bands: Sequence[float],
    time_bands: Sequence[float],
    permutations: int,
    seed: int | None,
    as_of: dt.date | None = None,
    history_days: int = 365,
    lookback_days: int = 7,
    area: Area | None = None,
    agency: str | None = None,
    alpha: float = 0.05,
    min_ratio: float = 1.2,
    metric: str = "euclidean",
    permute_within: str | int | None = "month",
) -> StoreAlert:
    """Run the near-repeat alert on the store's events (``as_of`` defaults to the latest).

    The Knox test permutes dates within calendar months by default, so seasonality over the
    history is not read as near repeats, and its band cells are adjusted for multiple testing.

    Raises :class:`InputError` when no event matches.
    """
    from csphub.analysis.nearrepeat import knox, near_repeat_alert, risk_envelope

    frame = events_frame(store, agency=agency, where=where, area=area, date_to=as_of)
    if frame.empty:
        raise InputError(f"no events match {dict(where)} in the store's partner events")
    today = as_of or frame["occurred_at"].max().date()
    start = today - dt.timedelta(days=history_days - 1)
    day = frame["occurred_at"].dt.date
    window = frame[(day >= start) & (day <= today)]
    if window.empty:
        raise InputError(f"no matching events in the {history_days} days to {today}")
    found = knox_events(window)
    ev = found.events
    result = knox(
        ev.x,
        ev.y,
        ev.day,
        list(space_bands),
        list(time_bands),
        permutations=permutations,
        seed=seed,
        metric=metric,
        permute_within=permute_within,
    )
    envelope = risk_envelope(result, alpha=alpha, min_ratio=min_ratio)
    alert = near_repeat_alert(envelope, ev, as_of=today, lookback_days=lookback_days)
    return StoreAlert(today, start, found, result, envelope, alert)
