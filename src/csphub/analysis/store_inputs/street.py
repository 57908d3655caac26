"""Street-level (police.uk) inputs: counts by field, monthly series, located points and
snap points, always filtered the way ``csphub query counts`` filters (same fields, same
area rule: rows without a location cannot be placed in an area)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from csphub.analysis.counts import FIELDS, FILTER_ONLY, QueryError, counts, street_filter
from csphub.analysis.projection import lonlat_to_bng
from csphub.analysis.store_inputs.periods import InputError, Period
from csphub.store import Store
from csphub.store.areas import Area

#: Fields accepted by ``--where`` on street rows.
STREET_FILTERS: tuple[str, ...] = (*FIELDS, *FILTER_ONLY)

Where = Mapping[str, Sequence[str]]


def street_counts(
    store: Store, by: Sequence[str], period: Period, area: Area | None, where: Where | None
) -> pd.DataFrame:
    """Counts of street rows grouped by ``by`` (columns: the ``by`` fields and ``count``).

    The numbers are those of ``csphub query counts`` with the same options; groups with no
    rows are absent.
    """
    try:
        result = counts(store, list(by), start=period.start, end=period.end, area=area, where=where)
    except QueryError as exc:
        raise InputError(str(exc)) from None
    frame = pd.DataFrame(list(result.rows), columns=list(result.columns))
    frame = frame.drop(columns=["rate_per_1000"], errors="ignore")
    return frame.astype({"count": "int64"})


def monthly_counts(
    store: Store, months: Sequence[str], area: Area | None, where: Where | None
) -> pd.Series:
    """Count per month for ``months`` (loaded months with no matching row are 0)."""
    period = Period(min(months), max(months))
    frame = street_counts(store, ["month"], period, area, where)
    series = frame.set_index("month")["count"].reindex(list(months), fill_value=0)
    return series.astype("int64").rename("count")


def _filter_sql(
    period: Period, area: Area | None, where: Where | None
) -> tuple[str, list[object], str]:
    """WHERE clause, parameters and join for street rows ``s`` (lookup ``g``)."""
    try:
        clauses, params, lookup = street_filter(
            start=period.start, end=period.end, area=area, where=where
        )
    except QueryError as exc:
        raise InputError(str(exc)) from None
    join = "LEFT JOIN geo_lookup g ON g.lsoa_code = s.lsoa_code" if lookup else ""
    return " AND ".join(clauses) or "TRUE", params, join


def rows_without_location(store: Store, period: Period, where: Where | None) -> int:
    """Street rows of the period matching ``where`` that have no location (any area)."""
    sql, params, join = _filter_sql(period, None, where)
    return int(
        store.con.execute(
            f"SELECT count(*) FROM street s {join} WHERE {sql} AND NOT s.has_location", params
        ).fetchone()[0]
    )


def location_coverage(store: Store, period: Period, where: Where | None) -> tuple[int, int]:
    """(rows without a location, all rows) of the period matching ``where``, any area: the
    unlocated rows are in no area figure, so products disclose the count and share."""
    sql, params, join = _filter_sql(period, None, where)
    row = store.con.execute(
        f"SELECT count(*) FILTER (WHERE NOT s.has_location), count(*) FROM street s {join} "
        f"WHERE {sql}",
        params,
    ).fetchone()
    return int(row[0]), int(row[1])


@dataclass(frozen=True, eq=False)
class SnapPoints:
    """Police.uk snap points (anonymised locations) with the rows counted at each.

    ``table`` columns: ``location_id`` (``"longitude,latitude"``), ``longitude``,
    ``latitude``, ``location`` (the police.uk street description) and ``count``.
    """

    table: pd.DataFrame

    @property
    def total(self) -> int:
        return int(self.table["count"].sum())

    def repeated_ids(self) -> np.ndarray:
        """One ``location_id`` per row counted (for event-level functions)."""
        return np.repeat(self.table["location_id"].to_numpy(), self.table["count"].to_numpy())


_SNAP_ID = "printf('%.6f,%.6f', s.longitude, s.latitude)"


def snap_point_counts(
    store: Store,
    period: Period,
    area: Area | None,
    where: Where | None,
    *,
    all_points: bool = False,
) -> SnapPoints:
    """Located street rows counted by snap point.

    With ``all_points``, every snap point of the area seen anywhere in the store (any month,
    any crime type) is a unit, so places without a matching row in the period count 0.
    """
    sql, params, join = _filter_sql(period, area, where)
    counted = (
        f"SELECT {_SNAP_ID} AS location_id, s.longitude, s.latitude, "
        "any_value(s.location) AS location, count(*) AS count "
        f"FROM street s {join} WHERE s.has_location AND {sql} GROUP BY 1, 2, 3"
    )
    if all_points:
        scope, scope_params = "", []
        if area is not None:
            scope = "AND s.lsoa_code IN (SELECT unnest(?::VARCHAR[]))"
            scope_params = [list(area.lsoa_codes)]
        counted = (
            f"WITH c AS ({counted}), u AS (SELECT {_SNAP_ID} AS location_id, "
            "any_value(s.longitude) AS longitude, any_value(s.latitude) AS latitude, "
            f"any_value(s.location) AS location FROM street s WHERE s.has_location {scope} "
            "GROUP BY 1) SELECT u.location_id, u.longitude, u.latitude, u.location, "
            "coalesce(c.count, 0) AS count FROM u LEFT JOIN c USING (location_id)"
        )
        params = params + scope_params
    frame = store.con.execute(counted + " ORDER BY 1", params).df()
    return SnapPoints(frame.astype({"count": "int64"}))


def lsoa_counts(store: Store, period: Period, area: Area, where: Where | None) -> pd.Series:
    """Count per LSOA of the area, every LSOA present (0 when it has no matching row)."""
    frame = street_counts(store, ["lsoa_code"], period, area, where)
    series = frame.set_index("lsoa_code")["count"].reindex(list(area.lsoa_codes), fill_value=0)
    return series.astype("int64").rename("count")


def area_type_counts(
    store: Store,
    areas: Mapping[str, Area],
    periods: Mapping[str, Period],
    where: Where | None,
) -> pd.DataFrame:
    """Counts by crime type for each named area and period (for before/after designs).

    Returns a long table ``area``, ``period``, ``crime_type``, ``count`` with a row for
    every combination of area, period and crime type seen in any of them (0 when absent).
    """
    parts = []
    for role, area in areas.items():
        for name, period in periods.items():
            frame = street_counts(store, ["crime_type"], period, area, where)
            parts.append(frame.assign(area=role, period=name))
    long = pd.concat(parts, ignore_index=True)
    types = sorted(long["crime_type"].dropna().unique())
    full = pd.MultiIndex.from_product(
        [list(areas), list(periods), types], names=["area", "period", "crime_type"]
    )
    table = long.set_index(["area", "period", "crime_type"])["count"].reindex(full, fill_value=0)
    return table.astype("int64").reset_index()


def concentration_units(
    store: Store, unit: str, period: Period, area: Area, where: Where | None
) -> pd.DataFrame:
    """Every unit of the area with its count, busiest first, for concentration measures.

    ``unit="lsoa"``: the area's LSOAs. ``unit="location"``: every police.uk snap point of
    the area seen anywhere in the store (so places without a row in the period count 0),
    with ``longitude``, ``latitude`` and ``location``. Columns ``unit_id``, ``count``,
    ``share`` (of the area's count) and ``cumulative_share``.
    """
    if unit == "lsoa":
        series = lsoa_counts(store, period, area, where)
        table = series.rename_axis("unit_id").reset_index()
    elif unit == "location":
        points = snap_point_counts(store, period, area, where, all_points=True)
        table = points.table.rename(columns={"location_id": "unit_id"})
    else:
        raise InputError(f"unit {unit!r}: choose lsoa or location")
    table = table.sort_values(["count", "unit_id"], ascending=[False, True], ignore_index=True)
    total = int(table["count"].sum())
    table["share"] = table["count"] / total if total else 0.0
    table["cumulative_share"] = table["share"].cumsum()
    return table


def located_points_bng(
    store: Store, period: Period, area: Area | None, where: Where | None
) -> tuple[np.ndarray, np.ndarray]:
    """British National Grid x, y (metres) of every located street row, one per row.

    Rows sharing a police.uk snap point share its coordinates (projected once per point).
    """
    points = snap_point_counts(store, period, area, where).table
    x, y = lonlat_to_bng(points["longitude"].to_numpy(float), points["latitude"].to_numpy(float))
    n = points["count"].to_numpy()
    return np.repeat(x, n), np.repeat(y, n)
