"""Crime concentration: Lorenz curve, top-k% shares, Gini and generalized Gini, repeat places.

Pass a count for *every* unit of the study area, zeros included (or give ``n_units`` and the
missing units are taken as zeros): concentration is meaningless without the empty places.
On data.police.uk locations are snap points, so repeat-location figures there measure
snap-point concentration, not repeats at one address.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd


def known_id_mask(ids: pd.Series) -> pd.Series:
    """True where an id is present: missing values and blank strings are *unknown*."""
    return ids.notna() & (ids.astype("string").str.strip().fillna("") != "")


def _values(counts: Any, n_units: int | None = None) -> np.ndarray:
    x = np.asarray(counts, dtype=float).ravel()
    if (x < 0).any() or not np.isfinite(x).all():
        raise ValueError("counts must be finite and >= 0")
    if n_units is not None:
        if n_units < len(x):
            raise ValueError(f"n_units={n_units} is fewer than the {len(x)} counts given")
        x = np.concatenate([x, np.zeros(n_units - len(x))])
    if len(x) == 0 or x.sum() == 0:
        raise ValueError("need at least one unit and one event")
    return x


def gini(counts: Any, *, n_units: int | None = None, correction: bool = False) -> float:
    """Gini coefficient of counts over units (0 = even spread, 1 = all in one unit).

    ``G = sum_i (2i - N - 1) x_(i) / (N sum x)`` with the counts in ascending order. With
    ``correction`` the result is multiplied by N / (N - 1), so all events in one unit give 1.

    Examples
    --------
    >>> round(gini([10, 8, 2] + [0] * 7), 2)
    0.78
    >>> round(gini([10] + [0] * 9), 2), round(gini([10] + [0] * 9, correction=True), 2)
    (0.9, 1.0)
    """
    x = np.sort(_values(counts, n_units))
    n = len(x)
    g = float(np.sum((2 * np.arange(1, n + 1) - n - 1) * x) / (n * x.sum()))
    return g * n / (n - 1) if correction and n > 1 else g


def generalized_gini(
    counts: Any,
    *,
    n_units: int | None = None,
    n_events: int | None = None,
    correction: bool = False,
) -> float:
    """Generalized Gini for sparse data (Bernasco and Steenbeek 2017, J Quant Criminol 33:451).

    When there are fewer events n than units N, even the most equal spread (one event in
    each of n units) has G = 1 - n/N. The generalized Gini rescales so that spread scores 0:
    ``G' = max(1, N/n) (G - 1) + 1``; with n >= N it equals G. With ``correction`` it is
    multiplied by m / (m - 1), m = min(N, n).

    Parameters
    ----------
    n_events : int, optional
        Number of events when ``counts`` are not event counts (e.g. harm); default sum.

    Examples
    --------
    >>> round(generalized_gini([5, 2, 1] + [0] * 7), 2)
    0.75
    >>> round(generalized_gini([10, 8, 2] + [0] * 7), 2)
    0.78
    """
    x = _values(counts, n_units)
    n = float(x.sum()) if n_events is None else float(n_events)
    if n_events is None and not np.allclose(x, np.round(x)):
        raise ValueError("counts are not whole numbers: give n_events")
    big_n = len(x)
    g = max(1.0, big_n / n) * (gini(x) - 1.0) + 1.0
    m = min(big_n, n)
    return g * m / (m - 1) if correction and m > 1 else g


@dataclass(frozen=True)
class LorenzCurve:
    """Points of the Lorenz curve from (0, 0) to (1, 1), one per unit plus the origin.

    ``place_share[i]`` is the share of units and ``crime_share[i]`` the share of events in
    them; units sorted ascending (the classic Lorenz curve) or descending (the crime
    concentration curve: "the top x% of places hold y% of crime").
    """

    place_share: tuple[float, ...]
    crime_share: tuple[float, ...]
    descending: bool

    def to_records(self) -> list[dict[str, float]]:
        """One record per point: ``place_share``, ``crime_share``."""
        return [
            {"place_share": p, "crime_share": c}
            for p, c in zip(self.place_share, self.crime_share, strict=True)
        ]


def lorenz_curve(
    counts: Any, *, n_units: int | None = None, descending: bool = False
) -> LorenzCurve:
    """Lorenz (or, with ``descending``, concentration) curve points.

    Examples
    --------
    >>> lorenz_curve([3, 1]).crime_share
    (0.0, 0.25, 1.0)
    >>> lorenz_curve([3, 1], descending=True).crime_share
    (0.0, 0.75, 1.0)
    """
    x = np.sort(_values(counts, n_units))
    if descending:
        x = x[::-1]
    cum = np.concatenate([[0.0], np.cumsum(x)]) / x.sum()
    share = np.arange(len(x) + 1) / len(x)
    return LorenzCurve(tuple(share.tolist()), tuple(cum.tolist()), descending)


def top_shares(
    counts: Any, fractions: Sequence[float] = (0.01, 0.05, 0.10), *, n_units: int | None = None
) -> dict[float, float]:
    """Share of all events in the top ``f`` of units, for each fraction ``f``.

    Units are sorted by count, highest first; the top f is the first f x N units. When f x N
    is not whole, the boundary unit counts in part (its count times the fractional part), i.e.
    linear interpolation along the concentration curve. Ties need no rule: tied units have the
    same count, so which of them is taken does not change the share.

    Examples
    --------
    >>> top_shares([10, 8, 2] + [0] * 7, fractions=(0.1, 0.15))
    {0.1: 0.5, 0.15: 0.7}
    """
    x = np.sort(_values(counts, n_units))[::-1]
    cum = np.concatenate([[0.0], np.cumsum(x)]) / x.sum()
    out = {}
    for f in fractions:
        if not 0 <= f <= 1:
            raise ValueError("fractions must be between 0 and 1")
        out[f] = float(np.interp(f * len(x), np.arange(len(x) + 1), cum))
    return out


def places_for_share(counts: Any, share: float = 0.5, *, n_units: int | None = None) -> float:
    """Smallest fraction of units (busiest first, interpolated) that holds ``share`` of events.

    Examples
    --------
    >>> places_for_share([10, 8, 2] + [0] * 7, 0.5)
    0.1
    """
    x = np.sort(_values(counts, n_units))[::-1]
    cum = np.concatenate([[0.0], np.cumsum(x)]) / x.sum()
    k = int(np.searchsorted(cum, share - 1e-12))
    if k == 0:
        return 0.0
    step = cum[k] - cum[k - 1]
    return float((k - 1 + (share - cum[k - 1]) / step) / len(x))


@dataclass(frozen=True)
class Concentration:
    """Concentration summary of counts over units.

    ``n_units`` units (zeros included), ``n_events`` events, ``n_units_with_events``;
    ``gini``; ``generalized_gini`` (None when counts are not whole numbers); ``top_shares``
    (fraction of units to share of events); ``places_for_half`` (fraction of units holding
    half the events); ``lorenz`` (ascending Lorenz curve).
    """

    n_units: int
    n_events: float
    n_units_with_events: int
    gini: float
    generalized_gini: float | None
    top_shares: Mapping[float, float] = field(hash=False)
    places_for_half: float = 0.0
    lorenz: LorenzCurve | None = field(default=None, hash=False)

    def to_dict(self) -> dict[str, Any]:
        """Summary as JSON-ready values (top shares keyed "top_1pct" ...; curve points)."""
        out: dict[str, Any] = {
            k: getattr(self, k)
            for k in (
                "n_units",
                "n_events",
                "n_units_with_events",
                "gini",
                "generalized_gini",
                "places_for_half",
            )
        }
        out.update({f"top_{f * 100:g}pct": s for f, s in self.top_shares.items()})
        out["lorenz"] = self.lorenz.to_records() if self.lorenz else []
        return out


def concentration(
    counts: Any, *, n_units: int | None = None, fractions: Sequence[float] = (0.01, 0.05, 0.10)
) -> Concentration:
    """All concentration measures at once.

    Examples
    --------
    >>> c = concentration([5, 2, 1] + [0] * 7)
    >>> round(c.gini, 2), round(c.generalized_gini, 2), c.top_shares[0.1]
    (0.8, 0.75, 0.625)
    """
    x = _values(counts, n_units)
    whole = bool(np.allclose(x, np.round(x)))
    return Concentration(
        n_units=len(x),
        n_events=float(x.sum()),
        n_units_with_events=int((x > 0).sum()),
        gini=gini(x),
        generalized_gini=generalized_gini(x) if whole else None,
        top_shares=MappingProxyType(top_shares(x, fractions)),
        places_for_half=places_for_share(x, 0.5),
        lorenz=lorenz_curve(x),
    )


@dataclass(frozen=True)
class RepeatLocations:
    """Repeat places within each period.

    ``summary`` (one row per period, or one row when no period column): ``events`` with a
    known place, ``unknown_place`` events with no place id, ``places`` with at least one
    event, ``repeat_places`` with at least ``min_events``, ``repeat_place_share`` (of
    places), ``events_at_repeat_places`` and ``repeat_event_share`` (of events).
    ``distribution``: ``events_per_place`` k, ``places`` with exactly k events, ``events``.
    """

    summary: pd.DataFrame = field(hash=False)
    distribution: pd.DataFrame = field(hash=False)
    min_events: int

    def to_dict(self) -> dict[str, Any]:
        """Both tables as JSON-ready records."""

        def records(df: pd.DataFrame) -> list[dict[str, Any]]:
            return json.loads(df.to_json(orient="records", double_precision=15))

        return {
            "min_events": self.min_events,
            "summary": records(self.summary),
            "distribution": records(self.distribution),
        }


def repeat_locations(
    events: Any,
    *,
    location_col: str = "address_id",
    period_col: str | None = None,
    event_col: str | None = None,
    min_events: int = 2,
) -> RepeatLocations:
    """Places with ``min_events`` or more events, and the share of events they hold.

    Parameters
    ----------
    events : DataFrame or pyarrow Table
        One row per event (with ``event_col`` given, duplicate rows of one event at one place
        count once).
    location_col : str
        Place id; missing or blank ids are unknown and only counted in ``unknown_place``.
    period_col : str, optional
        Report each period separately (e.g. a month or year column).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"address_id": ["a", "a", "a", "b", "c", "c", None]})
    >>> s = repeat_locations(df).summary.iloc[0]
    >>> int(s["repeat_places"]), round(float(s["repeat_event_share"]), 3), int(s["unknown_place"])
    (2, 0.833, 1)
    """
    df = events if isinstance(events, pd.DataFrame) else events.to_pandas()
    keys = [period_col] if period_col else []
    df = df.assign(_period=df[period_col] if period_col else "all")
    known = known_id_mask(df[location_col])
    unknown = df.loc[~known].groupby("_period").size()
    cols = ["_period", location_col] + ([event_col] if event_col else [])
    rows = df.loc[known, cols].drop_duplicates() if event_col else df.loc[known, cols]
    per_place = rows.groupby(["_period", location_col]).size().rename("k").reset_index()
    per_place["repeat"] = per_place["k"] >= min_events
    per_place["k_repeat"] = per_place["k"].where(per_place["repeat"], 0)
    g = per_place.groupby("_period")
    summary = pd.DataFrame(
        {
            "events": g["k"].sum(),
            "places": g.size(),
            "repeat_places": g["repeat"].sum(),
            "events_at_repeat_places": g["k_repeat"].sum(),
        }
    )
    summary = summary.reindex(summary.index.union(unknown.index), fill_value=0)
    summary["unknown_place"] = unknown.reindex(summary.index, fill_value=0)
    summary["repeat_place_share"] = summary["repeat_places"] / summary["places"]
    summary["repeat_event_share"] = summary["events_at_repeat_places"] / summary["events"]
    dist = per_place.groupby(["_period", "k"]).size().rename("places").reset_index()
    dist["events"] = dist["k"] * dist["places"]
    order = [
        "events",
        "unknown_place",
        "places",
        "repeat_places",
        "repeat_place_share",
        "events_at_repeat_places",
        "repeat_event_share",
    ]
    summary = summary[order].rename_axis("_period").reset_index()
    dist = dist.rename(columns={"k": "events_per_place"})
    if keys:
        summary, dist = (t.rename(columns={"_period": period_col}) for t in (summary, dist))
    else:
        summary, dist = (t.drop(columns="_period") for t in (summary, dist))
    return RepeatLocations(summary, dist, min_events)
