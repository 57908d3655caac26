"""Places against the evidence store: which LSOA and ward a point lies in, and the police.uk
records recorded near it.

Points are WGS 84 longitude/latitude, as the store's boundaries (WKB) and street rows hold
them. :func:`locate` is a point-in-polygon test against the LSOA boundaries (an STRtree
built once per store state); :func:`records_near` counts street rows within a radius of a
point, measured in British National Grid metres as the rest of the library measures.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely

from csphub.analysis.projection import lonlat_to_bng
from csphub.analysis.store_inputs.periods import (
    LOAD_HINT,
    InputError,
    loaded_months,
    month_range,
    shift_month,
)
from csphub.store import Store
from csphub.store.store import CATALOG_FILE


class MissingData(InputError):
    """The store lacks what a place look-up needs; ``what`` is ``"boundaries"`` or
    ``"street"``, so a caller can say it in its own words."""

    def __init__(self, what: str, message: str) -> None:
        super().__init__(message)
        self.what = what


@dataclass(frozen=True)
class Located:
    """The LSOA holding a point, and its ward from the loaded lookup ("" when the lookup
    has no row for the LSOA)."""

    lsoa_code: str
    lsoa_name: str
    ward_code: str
    ward_name: str


@dataclass(frozen=True, eq=False)
class _Index:
    codes: np.ndarray  # LSOA code of each polygon, sorted
    names: np.ndarray  # boundary name of each polygon ("" when absent)
    polygons: np.ndarray  # prepared shapely polygons
    tree: shapely.STRtree


_indexes: dict[tuple, _Index] = {}
_index_lock = threading.Lock()
_KEEP = 4  # store states whose index stays in memory (tests and a hub use one or two)


def _index(store: Store) -> _Index:
    """The LSOA polygon index of the store's current boundaries, built once per state.

    Keyed by the catalog file's modification time and the LSOA boundary rows' count and
    newest file id: the mtime alone can miss a write not yet checkpointed to the file.
    """
    count, newest = store.con.execute(
        "SELECT count(*), coalesce(max(file_id), -1) FROM boundary WHERE level = 'lsoa'"
    ).fetchone()
    if not count:
        raise MissingData(
            "boundaries",
            "no LSOA boundaries in the store: load them with "
            "csphub ingest geography --boundaries FILE --level lsoa",
        )
    catalog = Path(store.root) / CATALOG_FILE
    mtime = catalog.stat().st_mtime_ns if catalog.exists() else 0
    key = (str(Path(store.root).resolve()), mtime, int(count), int(newest))
    with _index_lock:
        found = _indexes.get(key)
        if found is None:
            found = _build_index(store)
            while len(_indexes) >= _KEEP:
                _indexes.pop(next(iter(_indexes)))
            _indexes[key] = found
        return found


def _build_index(store: Store) -> _Index:
    rows = store.con.execute(
        "SELECT code, coalesce(name, ''), geometry FROM boundary WHERE level = 'lsoa' ORDER BY code"
    ).fetchall()
    polygons = shapely.from_wkb([bytes(r[2]) for r in rows])
    shapely.prepare(polygons)
    return _Index(
        codes=np.array([r[0] for r in rows], dtype=object),
        names=np.array([r[1] for r in rows], dtype=object),
        polygons=polygons,
        tree=shapely.STRtree(polygons),
    )


def locate(store: Store, points: Sequence[tuple[float, float]]) -> list[Located | None]:
    """The LSOA (and its ward) holding each (longitude, latitude) point, None outside all.

    A point on the line between two LSOAs goes to the one with the lower code, so every
    point gets one answer. Candidates come from the STRtree's bounding boxes, then one
    vectorised exact test (``shapely.intersects_xy``) on the prepared polygons.

    Raises :class:`MissingData` when the store holds no LSOA boundaries.
    """
    index = _index(store)
    xy = np.asarray(points, dtype=float).reshape(-1, 2)
    out: list[Located | None] = [None] * len(xy)
    if not len(xy):
        return out
    finite = np.isfinite(xy).all(axis=1)
    xy = np.where(finite[:, None], xy, 0.0)  # a NaN point must not reach GEOS; never hits
    point_idx, poly_idx = index.tree.query(shapely.points(xy))
    keep = finite[point_idx] & shapely.intersects_xy(
        index.polygons[poly_idx], xy[point_idx, 0], xy[point_idx, 1]
    )
    point_idx, poly_idx = point_idx[keep], poly_idx[keep]
    # lowest polygon (lowest code) per point: sort by point, then polygon, take the first
    order = np.lexsort((poly_idx, point_idx))
    point_idx, poly_idx = point_idx[order], poly_idx[order]
    first = np.unique(point_idx, return_index=True)[1]
    point_idx, poly_idx = point_idx[first], poly_idx[first]
    wards = _wards(store, sorted(set(index.codes[poly_idx])))
    for p, g in zip(point_idx.tolist(), poly_idx.tolist(), strict=True):
        code = index.codes[g]
        lsoa_name, ward_code, ward_name = wards.get(code, ("", "", ""))
        out[p] = Located(code, lsoa_name or index.names[g], ward_code, ward_name)
    return out


def _wards(store: Store, codes: list[str]) -> dict[str, tuple[str, str, str]]:
    """LSOA name, ward code and ward name from the lookup (read fresh: it is small)."""
    if not codes:
        return {}
    rows = store.con.execute(
        "SELECT lsoa_code, coalesce(lsoa_name, ''), coalesce(ward_code, ''), "
        "coalesce(ward_name, '') FROM geo_lookup "
        "WHERE lsoa_code IN (SELECT unnest(?::VARCHAR[]))",
        [codes],
    ).fetchall()
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


@dataclass(frozen=True)
class MapPoint:
    """A police.uk map point (anonymised location) with the rows recorded at it."""

    longitude: float
    latitude: float
    location: str  # police.uk's description, e.g. "On or near Church Street"
    distance_m: float
    count: int


@dataclass(frozen=True)
class Nearby:
    """Street records near a point over a window of calendar months.

    ``first_month``..``last_month`` is the window; ``missing_months`` are the months in it
    the store does not hold (missing, not zero). ``by_type`` is count per crime type,
    largest first; ``points`` the nearest map points, nearest first (at most the number
    asked for; ``point_count`` says how many lie within the radius).
    """

    longitude: float
    latitude: float
    radius_m: float
    first_month: str
    last_month: str
    missing_months: tuple[str, ...]
    total: int
    by_type: tuple[tuple[str, int], ...]
    points: tuple[MapPoint, ...]
    point_count: int

    @property
    def months(self) -> tuple[str, ...]:
        """The loaded months counted."""
        gone = set(self.missing_months)
        return tuple(m for m in month_range(self.first_month, self.last_month) if m not in gone)


#: Longitude/latitude box where British National Grid distances hold (EPSG:27700's area of
#: use, -9.01..2.01 E, 49.75..61.01 N, with a margin); police.uk points all lie inside it.
_BNG_AREA = (-9.5, 49.5, 2.5, 61.5)
#: Metres per degree of latitude, at least (110.57 km at the equator): a safe box pad.
_M_PER_DEG_LAT = 110_500.0


def records_near(
    store: Store,
    longitude: float,
    latitude: float,
    *,
    radius_m: float = 250,
    months: int = 12,
    max_points: int = 10,
) -> Nearby:
    """Police.uk street records within ``radius_m`` metres of a point, over the ``months``
    calendar months ending with the latest month loaded.

    Police.uk publishes each record at an anonymised map point (the centre of a street
    segment or a public place, "On or near ..."), not where it happened, so "near" means
    that the map point lies within the radius: a record across the road may be counted
    at a point just outside it, and rows published without a location cannot be counted
    at all. ASB is counted as police.uk names it ("Anti-social behaviour").

    Distances are in British National Grid metres (:func:`~csphub.analysis.projection.
    lonlat_to_bng`); a longitude/latitude box a little larger than the circle is filtered
    in DuckDB first, so only nearby rows leave the database.

    Raises :class:`MissingData` when no street data is loaded, :class:`InputError` for a
    radius or month count below 1, or a point outside the British National Grid's area.
    """
    if not radius_m > 0 or months < 1 or max_points < 0:
        raise InputError("give a radius above 0 metres, at least 1 month and 0 or more points")
    have = loaded_months(store, "street")
    if not have:
        raise MissingData(
            "street", f"no police.uk street data in the store: load it with {LOAD_HINT['street']}"
        )
    last = have[-1]
    first = shift_month(last, -(months - 1))
    window = month_range(first, last)
    missing = tuple(sorted(set(window) - set(have)))
    west, south, east, north = _BNG_AREA
    if not (west <= longitude <= east and south <= latitude <= north):
        raise InputError(f"the point {longitude}, {latitude} is outside the British National Grid")
    [x0], [y0] = lonlat_to_bng([longitude], [latitude])

    pad_lat = radius_m * 1.05 / _M_PER_DEG_LAT
    pad_lon = pad_lat / max(math.cos(math.radians(abs(latitude) + pad_lat)), 0.01)
    rows = store.con.execute(
        "SELECT longitude, latitude, min(location) AS location, crime_type, count(*) AS n "
        "FROM street WHERE has_location AND month BETWEEN ? AND ? "
        "AND longitude BETWEEN ? AND ? AND latitude BETWEEN ? AND ? "
        "GROUP BY longitude, latitude, crime_type",
        [
            dt.date.fromisoformat(f"{first}-01"),
            dt.date.fromisoformat(f"{last}-01"),
            longitude - pad_lon,
            longitude + pad_lon,
            latitude - pad_lat,
            latitude + pad_lat,
        ],
    ).df()
    x, y = lonlat_to_bng(rows["longitude"].to_numpy(float), rows["latitude"].to_numpy(float))
    rows["distance_m"] = np.hypot(x - x0, y - y0)
    inside = rows[rows["distance_m"] <= radius_m]
    types = inside.groupby("crime_type")["n"].sum()
    by_type = sorted(((str(t), int(n)) for t, n in types.items()), key=lambda r: (-r[1], r[0]))
    at = (
        inside.groupby(["longitude", "latitude"], as_index=False)
        .agg(location=("location", "min"), distance_m=("distance_m", "first"), n=("n", "sum"))
        .sort_values(["distance_m", "longitude", "latitude"], ignore_index=True)
    )
    points = tuple(
        MapPoint(
            float(r.longitude),
            float(r.latitude),
            r.location if isinstance(r.location, str) else "",
            float(r.distance_m),
            int(r.n),
        )
        for r in at.head(max_points).itertuples(index=False)
    )
    return Nearby(
        longitude=longitude,
        latitude=latitude,
        radius_m=float(radius_m),
        first_month=first,
        last_month=last,
        missing_months=missing,
        total=int(inside["n"].sum()),
        by_type=tuple(by_type),
        points=points,
        point_count=len(at),
    )
