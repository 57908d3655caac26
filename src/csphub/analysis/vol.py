"""VOL (victims, offenders, locations): problem people and places over a rolling window.

Works on an event-level extract with pseudonymous ids, one row per event or per event and
party: ``event_id, occurred_at, crime_type, address_id, victim_id, offender_id, lsoa_code``
(the store's ``events`` view). A missing or blank id is *unknown*, never a person or a
place. Every count is of distinct events, so an event with two rows for one victim counts
once. Victim and offender ids must come from one person index for the victim-offender
list to mean anything.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from csphub.analysis.concentration import known_id_mask
from csphub.analysis.harm import WeightTable

COLUMNS = (
    "event_id",
    "occurred_at",
    "crime_type",
    "address_id",
    "victim_id",
    "offender_id",
    "lsoa_code",
)
_ROLES = {"victims": "victim_id", "offenders": "offender_id", "locations": "address_id"}


@dataclass(frozen=True)
class VolResult:
    """Ranked victims, offenders and locations, and their intersections.

    ``victims``, ``offenders``, ``locations``: one row per id with ``id``, ``events``,
    ``harm`` (sum of the weights of its distinct events), ``unweighted_events`` (events of
    excluded or unknown crime types, not in ``harm``), ``repeat`` (events >= min_repeat),
    ``rank_count`` and ``rank_harm`` (1 = highest; ties share the lower rank),
    ``first_seen``, ``last_seen``, ``main_crime_type`` (most frequent, ties alphabetical),
    ``n_crime_types``, and ``n_places`` (distinct addresses) for people or ``lsoa_code`` for
    locations. ``victim_offenders``: ``id``, ``victim_events``, ``offender_events``,
    ``victim_harm``, ``offender_harm``. ``shared_locations``: one row per address and top
    offender where at least two top offenders appear: ``address_id``, ``lsoa_code``,
    ``offender_id``, ``events``, ``n_top_offenders``. ``top_offenders``: the ids ranked
    within ``top_n`` by ``top_by`` (ties at the cut all kept). ``data_notes``: events in and
    outside the window, undated events, rows without an event id (each taken as its own
    event), events with no known id per role, crime types the weight table does not know.
    """

    window_start: pd.Timestamp
    window_end: pd.Timestamp
    weight_table: str
    weight_vintage: str
    min_repeat: int
    victims: pd.DataFrame = field(hash=False)
    offenders: pd.DataFrame = field(hash=False)
    locations: pd.DataFrame = field(hash=False)
    victim_offenders: pd.DataFrame = field(hash=False)
    shared_locations: pd.DataFrame = field(hash=False)
    top_offenders: tuple[str, ...] = ()
    data_notes: dict[str, Any] = field(default_factory=dict, hash=False)

    def to_dict(self) -> dict[str, Any]:
        """Everything as JSON-ready values; dates as ISO text."""

        def records(df: pd.DataFrame) -> list[dict[str, Any]]:
            return json.loads(df.to_json(orient="records", date_format="iso", double_precision=15))

        out: dict[str, Any] = {
            "window_start": self.window_start.date().isoformat(),
            "window_end": self.window_end.date().isoformat(),
            "weight_table": self.weight_table,
            "weight_vintage": self.weight_vintage,
            "min_repeat": self.min_repeat,
            "top_offenders": list(self.top_offenders),
            "data_notes": self.data_notes,
        }
        for name in ("victims", "offenders", "locations", "victim_offenders", "shared_locations"):
            out[name] = records(getattr(self, name))
        return out


def window(end: Any, months: int = 12) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day of the ``months`` ending on the date ``end`` (both inclusive).

    Examples
    --------
    >>> [d.date().isoformat() for d in window("2024-03-31")]
    ['2023-04-01', '2024-03-31']
    """
    last = pd.Timestamp(end).normalize()
    return last + pd.Timedelta(days=1) - pd.DateOffset(months=months), last


def _most_frequent(rows: pd.DataFrame, id_col: str, col: str) -> pd.Series:
    """Most frequent non-missing value of ``col`` per id; ties go to the first alphabetically."""
    known = rows.loc[rows[col].notna(), [id_col, col]]
    tally = known.groupby([id_col, col]).size().rename("n").reset_index()
    tally = tally.sort_values([id_col, "n", col], ascending=[True, False, True], kind="stable")
    return tally.drop_duplicates(id_col).set_index(id_col)[col]


def _rank_table(events: pd.DataFrame, id_col: str, min_repeat: int, role: str) -> pd.DataFrame:
    rows = events.loc[events[id_col].notna()].drop_duplicates([id_col, "event_id"])
    rows = rows.assign(_unweighted=rows["_harm"].isna())
    g = rows.groupby(id_col, sort=True)
    table = pd.DataFrame(
        {
            "events": g.size(),
            "harm": g["_harm"].sum(),
            "unweighted_events": g["_unweighted"].sum().astype(int),
            "first_seen": g["occurred_at"].min(),
            "last_seen": g["occurred_at"].max(),
            "n_crime_types": g["crime_type"].nunique(),
        }
    )
    table.insert(5, "main_crime_type", _most_frequent(rows, id_col, "crime_type"))
    if role == "locations":
        table["lsoa_code"] = _most_frequent(rows, id_col, "lsoa_code")
    else:
        places = rows.loc[rows["address_id"].notna()].groupby(id_col)["address_id"].nunique()
        table["n_places"] = places.reindex(table.index, fill_value=0)
    table["repeat"] = table["events"] >= min_repeat
    table["rank_count"] = table["events"].rank(method="min", ascending=False).astype(int)
    table["rank_harm"] = table["harm"].rank(method="min", ascending=False).astype(int)
    table = table.rename_axis("id").reset_index()
    table = table.sort_values(["rank_count", "rank_harm", "id"], kind="stable")
    first = ["id", "events", "harm", "unweighted_events", "repeat", "rank_count", "rank_harm"]
    return table[first + [c for c in table.columns if c not in first]].reset_index(drop=True)


def _victim_offenders(victims: pd.DataFrame, offenders: pd.DataFrame) -> pd.DataFrame:
    both = victims[["id", "events", "harm"]].merge(
        offenders[["id", "events", "harm"]], on="id", suffixes=("_v", "_o")
    )
    both.columns = ["id", "victim_events", "victim_harm", "offender_events", "offender_harm"]
    both = both[["id", "victim_events", "offender_events", "victim_harm", "offender_harm"]]
    order = both["victim_events"] + both["offender_events"]
    return (
        both.assign(_o=order)
        .sort_values(["_o", "id"], ascending=[False, True])
        .drop(columns="_o")
        .reset_index(drop=True)
    )


def _top(offenders: pd.DataFrame, top_n: int, top_by: str) -> tuple[str, ...]:
    rank = offenders["rank_count" if top_by == "count" else "rank_harm"]
    return tuple(offenders.loc[rank <= top_n, "id"].astype(str))


def _shared(events: pd.DataFrame, top: tuple[str, ...]) -> pd.DataFrame:
    cols = ["address_id", "lsoa_code", "offender_id", "events", "n_top_offenders"]
    rows = events.loc[events["address_id"].notna() & events["offender_id"].isin(top)]
    rows = rows.drop_duplicates(["address_id", "offender_id", "event_id"])
    pairs = (
        rows.groupby(["address_id", "offender_id"])
        .agg(events=("event_id", "nunique"), lsoa_code=("lsoa_code", "first"))
        .reset_index()
    )
    pairs["n_top_offenders"] = pairs.groupby("address_id")["offender_id"].transform("nunique")
    pairs = pairs.loc[pairs["n_top_offenders"] >= 2, cols]
    return pairs.sort_values(
        ["n_top_offenders", "address_id", "offender_id"], ascending=[False, True, True]
    ).reset_index(drop=True)


def _prepare(events: Any, weights: WeightTable) -> pd.DataFrame:
    df = events if isinstance(events, pd.DataFrame) else events.to_pandas()
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"events has no column(s) {missing}")
    df = df.loc[:, list(COLUMNS)].copy()
    df["occurred_at"] = pd.to_datetime(df["occurred_at"])
    if getattr(df["occurred_at"].dt, "tz", None) is not None:
        df["occurred_at"] = df["occurred_at"].dt.tz_localize(None)
    for col in ("event_id", "address_id", "victim_id", "offender_id"):
        df[col] = df[col].astype("string").str.strip().where(known_id_mask(df[col]))
    no_id = df["event_id"].isna()
    df["_no_event_id"] = no_id
    df.loc[no_id, "event_id"] = [f"<row {i}>" for i in df.index[no_id]]
    labels = df["crime_type"].astype("string").fillna("<missing>")
    df["_harm"] = labels.map({u: weights.weight(u) for u in labels.unique()}).astype(float)
    return df


def vol_rankings(
    events: Any,
    end: Any,
    weights: WeightTable,
    *,
    months: int = 12,
    min_repeat: int = 2,
    top_n: int = 10,
    top_by: str = "count",
) -> VolResult:
    """Repeat victims, offenders and locations over the ``months`` ending on ``end``.

    Parameters
    ----------
    events : DataFrame or pyarrow Table
        Event-level extract with the columns in :data:`COLUMNS`; ``occurred_at`` a datetime
        (time-zone aware values are compared in their own clock time).
    end : date-like
        Last day of the window, inclusive (see :func:`window`).
    weights : WeightTable
        Harm weights by crime type (:func:`csphub.analysis.harm.load_weights`).
    months : int
        Window length; 12 gives the rolling year.
    min_repeat : int
        Events needed in the window to flag a repeat.
    top_n, top_by : int, {"count", "harm"}
        Which offenders are "top" for the shared-locations list.

    Returns
    -------
    VolResult

    Examples
    --------
    >>> import pandas as pd
    >>> table = WeightTable("demo", "2024", "example", {"Burglary": 10.0})
    >>> df = pd.DataFrame({"event_id": ["e1", "e2", "e3"],
    ...     "occurred_at": pd.to_datetime(["2024-01-05", "2024-02-01", "2024-03-01"]),
    ...     "crime_type": ["Burglary"] * 3, "address_id": ["A", "A", "B"],
    ...     "victim_id": ["v1", "v1", ""], "offender_id": ["p1", "p2", "v1"],
    ...     "lsoa_code": ["E01000001"] * 3})
    >>> out = vol_rankings(df, "2024-03-31", table, top_n=2)
    >>> out.victims[["id", "events", "harm", "repeat"]].values.tolist()
    [['v1', 2, 20.0, True]]
    >>> out.victim_offenders["id"].tolist(), out.shared_locations["address_id"].unique().tolist()
    (['v1'], ['A'])
    """
    if top_by not in ("count", "harm"):
        raise ValueError("top_by must be 'count' or 'harm'")
    df = _prepare(events, weights)
    start, last = window(end, months)
    dated = df["occurred_at"].notna()
    inside = (
        dated & (df["occurred_at"] >= start) & (df["occurred_at"] < last + pd.Timedelta(days=1))
    )
    sel = df.loc[inside]
    tables = {role: _rank_table(sel, col, min_repeat, role) for role, col in _ROLES.items()}
    top = _top(tables["offenders"], top_n, top_by)
    labels = sel["crime_type"].astype("string").fillna("<missing>").drop_duplicates()
    notes = {
        "events_in_window": int(sel["event_id"].nunique()),
        "events_outside_window": int(df.loc[dated & ~inside, "event_id"].nunique()),
        "undated_events": int(df.loc[~dated, "event_id"].nunique()),
        "rows_without_event_id": int(df["_no_event_id"].sum()),
        **{
            f"events_without_{col}": int(sel["event_id"].nunique())
            - int(sel.loc[sel[col].notna(), "event_id"].nunique())
            for col in _ROLES.values()
        },
        "unknown_crime_types": sorted(str(s) for s in labels if weights.status(s) == "unknown"),
    }
    return VolResult(
        window_start=start,
        window_end=last,
        weight_table=weights.name,
        weight_vintage=weights.vintage,
        min_repeat=min_repeat,
        victims=tables["victims"],
        offenders=tables["offenders"],
        locations=tables["locations"],
        victim_offenders=_victim_offenders(tables["victims"], tables["offenders"]),
        shared_locations=_shared(sel, top),
        top_offenders=top,
        data_notes=notes,
    )
