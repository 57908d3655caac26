"""What the data says about each priority: counts, harm, monthly series and places, from
police.uk street data or, where police.uk cannot measure a priority, from partner extracts.

Pure reads of the store; every number later printed comes from a :class:`Measures`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import pandas as pd

from csphub.analysis.store_inputs import (
    InputError,
    Period,
    distinct_events,
    events_frame,
    loaded_months,
    snap_point_counts,
    street_counts,
)
from csphub.analysis.trends import ChangeTest, change_test
from csphub.reports.assess.config import Priority

if TYPE_CHECKING:
    from csphub.reports.assess.build import Context

POLICE_UK = "data.police.uk street-level crime and ASB"
PARTNER = "partner event extract"
ASB = "Anti-social behaviour"
TOP_PLACES = 5


@dataclass(frozen=True)
class PrePandemic:
    """The period against the same calendar months before the pandemic: ``before`` the
    pre-pandemic months the store holds, ``now`` the period's months of the same calendar
    months, ``test`` the dispersion-aware test of their monthly counts (rates per month)."""

    before: tuple[str, ...]
    now: tuple[str, ...]
    test: ChangeTest


@dataclass(frozen=True, eq=False)
class Measures:
    """One priority over the previous and current periods.

    ``monthly`` counts every loaded month of the chart window; ``by_type`` has columns
    ``period`` (previous/current), ``crime_type`` and ``count``; ``places`` the busiest
    locations of the current period (``place``, ``count``).
    """

    priority: Priority
    source: str
    current: int
    previous: int
    harm_current: float | None
    harm_previous: float | None
    monthly: pd.Series
    lsoa_current: pd.Series
    lsoa_previous: pd.Series
    by_type: pd.DataFrame
    places: pd.DataFrame
    test: ChangeTest
    note: str = ""
    pre: PrePandemic | None = None
    #: Limits of the data used, each lowering confidence (e.g. severity not adjusted).
    reasons: tuple[str, ...] = ()
    #: Partner data read beside the source for the same months (e.g. A&E assaults).
    joined: tuple[str, ...] = ()

    @property
    def weighted(self) -> bool:
        return self.harm_current is not None


@dataclass(frozen=True)
class NoData:
    """Why a priority cannot be measured from what is loaded."""

    priority: Priority
    reason: str


def _harm(ctx: Context, by_type: pd.DataFrame) -> float | None:
    """Sum of count x CSS weight, or None when no type has a weight (ASB)."""
    weights = {t: ctx.weights.weight(t) for t in by_type["crime_type"].unique()}
    known = {t: w for t, w in weights.items() if w is not None}
    if not known:
        return None
    return float(sum(by_type["count"] * by_type["crime_type"].map(known).fillna(0.0)))


def period_test(ctx: Context, monthly: pd.Series) -> ChangeTest:
    """The dispersion-aware change test of the two periods' loaded months of ``monthly``."""
    sides = [[m for m in p.months if m in monthly.index] for p in (ctx.previous, ctx.current)]
    return change_test(monthly.reindex(sides[0]).to_numpy(), monthly.reindex(sides[1]).to_numpy())


def pre_pandemic(ctx: Context, monthly: pd.Series) -> PrePandemic | None:
    """The current period against the same calendar months before the pandemic, where the
    store holds any (``monthly``: counts by month covering both, 0 where none recorded)."""
    before, now = ctx.pre_pandemic(ctx.current)
    if not before or not now:
        return None
    test = change_test(
        monthly.reindex(before, fill_value=0).to_numpy(), monthly.reindex(now).to_numpy()
    )
    return PrePandemic(tuple(before), tuple(now), test)


def _window(ctx: Context) -> Period:
    """The chart window, reaching back to the pre-pandemic months compared."""
    before, _ = ctx.pre_pandemic(ctx.current)
    return Period(min([ctx.history[0], *before]), ctx.current.end)


def _lsoa(frame: pd.DataFrame, ctx: Context) -> pd.Series:
    series = frame.groupby("lsoa_code")["count"].sum() if len(frame) else pd.Series(dtype=int)
    return series.reindex(list(ctx.area.lsoa_codes), fill_value=0).astype("int64")


def police_measures(ctx: Context, priority: Priority) -> Measures:
    """The priority from police.uk street rows of its crime types."""
    where = {"crime_type": list(priority.policeuk_types)}
    by_month_lsoa = street_counts(
        ctx.store, ["month", "lsoa_code", "crime_type"], _window(ctx), ctx.area, where
    )
    every = by_month_lsoa.groupby("month")["count"].sum()
    monthly = every.reindex(ctx.history, fill_value=0)
    parts = {}
    for name, period in (("previous", ctx.previous), ("current", ctx.current)):
        parts[name] = by_month_lsoa[by_month_lsoa["month"].isin(period.months)]
    by_type = pd.concat(
        [
            part.groupby("crime_type", as_index=False)["count"].sum().assign(period=name)
            for name, part in parts.items()
        ],
        ignore_index=True,
    )
    points = snap_point_counts(ctx.store, ctx.current, ctx.area, where).table
    places = (
        points.sort_values(["count", "location_id"], ascending=[False, True])
        .head(TOP_PLACES)
        .rename(columns={"location": "place"})[["place", "location_id", "count"]]
    )
    measures = _measures(ctx, priority, POLICE_UK, parts, monthly, by_type, places)
    return replace(measures, pre=pre_pandemic(ctx, every))


def _measures(ctx, priority, source, parts, monthly, by_type, places, note="") -> Measures:
    previous, current = (int(parts[k]["count"].sum()) for k in ("previous", "current"))
    harm = {
        k: _harm(ctx, by_type[by_type["period"] == k]) if len(by_type) else None
        for k in ("previous", "current")
    }
    if harm["current"] is None and harm["previous"] is not None:
        harm["current"] = 0.0
    if harm["previous"] is None and harm["current"] is not None:
        harm["previous"] = 0.0
    return Measures(
        priority,
        source,
        current,
        previous,
        harm["current"],
        harm["previous"],
        monthly.astype("int64"),
        _lsoa(parts["current"], ctx),
        _lsoa(parts["previous"], ctx),
        by_type,
        places.reset_index(drop=True),
        period_test(ctx, monthly),
        note,
    )


def _month_end(month: str) -> dt.date:
    y, m = int(month[:4]), int(month[5:])
    return (dt.date(y + (m == 12), m % 12 + 1, 1)) - dt.timedelta(days=1)


def event_measures(ctx: Context, priority: Priority) -> Measures | NoData:
    """The priority from partner events whose offence matches its pattern."""
    pattern = priority.matches_offence()
    have = set(loaded_months(ctx.store, "events"))
    needed = set(ctx.previous.months) | set(ctx.current.months)
    if pattern is None or not have:
        return NoData(priority, "no partner event extract is loaded")
    if not needed <= have:
        missing = len(needed - have)
        return NoData(
            priority,
            f"the loaded partner extracts do not cover {missing} of the {len(needed)} months "
            "of the two periods",
        )
    window_start = min(ctx.history[0], ctx.previous.start)
    try:
        frame = events_frame(
            ctx.store,
            area=ctx.area,
            date_from=dt.date.fromisoformat(window_start + "-01"),
            date_to=_month_end(ctx.current.end),
        )
    except InputError as exc:
        return NoData(priority, str(exc))
    frame, _ = distinct_events(frame)
    offence = frame["offence"].astype("string").fillna("")
    frame = frame[offence.str.contains(pattern, regex=True)]
    if frame.empty:
        return NoData(
            priority,
            f"no partner event's offence matches {priority.event_pattern!r} in the area",
        )
    frame = frame.assign(month=pd.to_datetime(frame["occurred_at"]).dt.strftime("%Y-%m"), count=1)
    monthly = frame.groupby("month")["count"].sum().reindex(ctx.history, fill_value=0)
    parts = {
        name: frame[frame["month"].isin(period.months)]
        for name, period in (("previous", ctx.previous), ("current", ctx.current))
    }
    by_type = pd.concat(
        [
            part.groupby("crime_type", as_index=False)["count"].sum().assign(period=name)
            for name, part in parts.items()
        ],
        ignore_index=True,
    )
    located = parts["current"].dropna(subset=["address_id"])
    places = (
        located.groupby("address_id", as_index=False)["count"]
        .sum()
        .sort_values(["count", "address_id"], ascending=[False, True])
        .head(TOP_PLACES)
        .rename(columns={"address_id": "place"})
        .assign(location_id="")
    )
    agencies = ", ".join(sorted(frame["agency"].dropna().unique()))
    note = (
        f"Measured from {agencies}'s event extract: events whose offence matches "
        f"'{priority.event_pattern}'. Harm uses the CSS weight of each event's police.uk "
        "crime type, which is coarse for a subset of a type."
    )
    return _measures(ctx, priority, PARTNER, parts, monthly, by_type, places, note)


def measure(ctx: Context, priority: Priority) -> Measures | NoData:
    """The priority from its partner data where that is loaded (road collisions), else from
    police.uk or partner events; A&E assaults are read beside a police measure."""
    if priority.partner_data == "collisions":
        from csphub.reports.assess.roads import road_measures

        road = road_measures(ctx, priority)
        if road is not None:
            return road
    if priority.policeuk_types:
        found: Measures | NoData = police_measures(ctx, priority)
    else:
        found = event_measures(ctx, priority)
    if priority.partner_data == "ae_assaults" and isinstance(found, Measures):
        from csphub.reports.assess.violence import join_assaults

        return join_assaults(ctx, found)
    return found


@dataclass(frozen=True, eq=False)
class AreaTotals:
    """All police.uk crime and ASB of the area by type and period (for shares and threats)."""

    by_type: pd.DataFrame  # crime_type, previous, current
    harm_current: float
    harm_previous: float
    monthly: pd.DataFrame  # month, crime_type, count: the two periods' months, for the tests
    pre: pd.DataFrame  # the same for the pre-pandemic months and the current period

    def total(self, period: str, *, asb: bool) -> int:
        mask = self.by_type["crime_type"] == ASB
        return int(self.by_type.loc[mask if asb else ~mask, period].sum())


def area_totals(ctx: Context) -> AreaTotals:
    frames = []
    for name, period in (("previous", ctx.previous), ("current", ctx.current)):
        frame = street_counts(ctx.store, ["crime_type"], period, ctx.area, None)
        frames.append(frame.set_index("crime_type")["count"].rename(name))
    table = pd.concat(frames, axis=1).fillna(0).astype("int64").sort_index()
    table = table.rename_axis("crime_type").reset_index()
    harm = {}
    for name in ("previous", "current"):
        long = table[["crime_type", name]].rename(columns={name: "count"})
        harm[name] = _harm(ctx, long) or 0.0
    before, _ = ctx.pre_pandemic(ctx.current)
    months = [*ctx.previous.months, *ctx.current.months, *before]
    window = Period(min(months), max(months))
    every = street_counts(ctx.store, ["month", "crime_type"], window, ctx.area, None)
    monthly = every[every["month"].isin([*ctx.previous.months, *ctx.current.months])]
    pre = every[every["month"].isin([*before, *ctx.current.months])]
    return AreaTotals(table, harm["current"], harm["previous"], monthly.reset_index(drop=True), pre)
