"""Partner event inputs (the store's ``events`` view): event-level rows for VOL and the
near-repeat Knox test, filtered by agency, fields, area and dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from csphub.analysis.store_inputs.periods import LOAD_HINT, InputError
from csphub.store import Store
from csphub.store.areas import Area

if TYPE_CHECKING:  # the nearrepeat package pulls in scipy.stats: imported when used
    from csphub.analysis.nearrepeat.events import Events

#: Fields accepted by ``--where`` on events.
EVENT_FILTERS: tuple[str, ...] = ("crime_type", "offence", "agency", "lsoa_code")
#: Columns read for VOL (``csphub.analysis.vol.COLUMNS``) and for maps.
EVENT_COLUMNS: tuple[str, ...] = (
    "agency",
    "event_id",
    "occurred_at",
    "crime_type",
    "offence",
    "address_id",
    "victim_id",
    "offender_id",
    "lsoa_code",
    "easting",
    "northing",
    "longitude",
    "latitude",
)


def agencies(store: Store) -> list[str]:
    """Agencies with events in the store."""
    rows = store.con.execute("SELECT DISTINCT agency FROM events ORDER BY 1").fetchall()
    return [r[0] for r in rows if r[0] is not None]


def events_frame(
    store: Store,
    *,
    agency: str | None = None,
    where: Mapping[str, Sequence[str]] | None = None,
    area: Area | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> pd.DataFrame:
    """Event rows (columns :data:`EVENT_COLUMNS`) of one agency or all, filtered.

    ``date_from``/``date_to`` are inclusive days of ``occurred_at``. Raises
    :class:`InputError` when no events are loaded or the agency is unknown.
    """
    known = agencies(store)
    if not known:
        raise InputError(f"no partner events in the store: load them with {LOAD_HINT['events']}")
    if agency is not None and agency not in known:
        raise InputError(f"--agency {agency!r}: no events from it; agencies: {', '.join(known)}")
    clauses: list[str] = []
    params: list[object] = []
    filters = {**({"agency": [agency]} if agency else {}), **dict(where or {})}
    for field, values in filters.items():
        if field not in EVENT_FILTERS:
            raise InputError(f"--where {field}=...: choose a field from {', '.join(EVENT_FILTERS)}")
        clauses.append(f"{field} IN (SELECT unnest(?::VARCHAR[]))")
        params.append([str(v) for v in values])
    if area is not None:
        clauses.append("lsoa_code IN (SELECT unnest(?::VARCHAR[]))")
        params.append(list(area.lsoa_codes))
    if date_from is not None:
        clauses.append("occurred_at >= ?")
        params.append(dt.datetime.combine(date_from, dt.time()))
    if date_to is not None:
        clauses.append("occurred_at < ?")
        params.append(dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time()))
    sql = f"SELECT {', '.join(EVENT_COLUMNS)} FROM events"
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    return store.con.execute(sql + " ORDER BY occurred_at, agency, event_id", params).df()


@dataclass(frozen=True, eq=False)
class StoreEvents:
    """Events for the Knox test and the rows they came from (``rows`` aligned with them)."""

    events: Events
    rows: pd.DataFrame


def _has_id(ids: pd.Series) -> pd.Series:
    return (ids.notna() & (ids.astype("string").str.strip() != "")).fillna(False).astype(bool)


def distinct_events(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """One row per (agency, event_id); rows without an event id each stay. Returns the rows
    and how many duplicate rows (further parties of one event) were merged."""
    dup = frame.duplicated(["agency", "event_id"]) & _has_id(frame["event_id"])
    return frame.loc[~dup].reset_index(drop=True), int(dup.sum())


def knox_events(frame: pd.DataFrame) -> StoreEvents:
    """Distinct located, dated events in BNG metres (``easting``/``northing``).

    Events without a location are left out and counted in ``events.issues``, as
    :func:`csphub.analysis.nearrepeat.events_from_frame` does for a file.
    """
    from csphub.analysis.nearrepeat.events import Events

    rows, merged = distinct_events(frame)
    located = rows["easting"].notna() & rows["northing"].notna() & rows["occurred_at"].notna()
    issues = []
    if merged:
        issues.append(f"{merged} further row(s) of the same event (one per party) merged")
    if (~located).any():
        issues.append(f"{int((~located).sum())} event(s) without a location or date left out")
    kept = rows.loc[located].reset_index(drop=True)
    days = pd.to_datetime(kept["occurred_at"]).to_numpy().astype("datetime64[D]")
    events = Events.from_arrays(
        kept["easting"].to_numpy(float), kept["northing"].to_numpy(float), np.asarray(days)
    )
    return StoreEvents(replace(events, issues=tuple(issues)), kept)


def vol_events(frame: pd.DataFrame) -> pd.DataFrame:
    """Events for :func:`csphub.analysis.vol.vol_rankings`: with several agencies, event ids
    are prefixed by the agency (``agency:id``) so two agencies' references never merge."""
    if frame["agency"].nunique() < 2:
        return frame
    ids = frame["agency"].astype("string") + ":" + frame["event_id"].astype("string")
    return frame.assign(event_id=ids.where(_has_id(frame["event_id"]), frame["event_id"]))
