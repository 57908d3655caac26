"""Reading boundary polygons from GeoJSON, checking them and measuring them.

Geometries are parsed by GEOS in one call over the whole document when every feature
holds a Polygon or MultiPolygon (the fast path: 34,753 LSOAs in about a second), and
feature by feature otherwise, so that one unreadable geometry costs one problem record.

Area is the ellipsoidal area: polygons are projected to the ETRS89 Lambert azimuthal
equal-area projection (EPSG:3035), which preserves area exactly, so ``area_km2`` agrees
with a geodesic computation (Blackpool's LSOAs: 34.928 km² both ways). British National
Grid (EPSG:27700), which ONS uses for its published areas, is conformal, not equal-area,
and reads 0.06 % smaller in Blackpool (up to about 0.15 % at the edges of Great Britain).
The centroid is the area centroid in the same projection, returned as longitude/latitude.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import pyarrow as pa
import shapely
from pyproj import Transformer
from shapely.errors import GEOSException

from csphub.ingest.geography.checks import IssueLog, repeated_keys
from csphub.ingest.geography.columns import ColumnRule
from csphub.ingest.geography.files import GeographyFileError, SourceFile
from csphub.ingest.geography.loading import Prepared

_POLYGONAL = ("Polygon", "MultiPolygon")
_BOM = "\ufeff"


@dataclass(frozen=True)
class BoundaryLevel:
    """A boundary level: how its code and name properties are named, what a code looks like."""

    name: str
    label: str
    code: ColumnRule
    title: ColumnRule
    pattern: re.Pattern[str]
    code_kind: str


@cache
def _to_laea() -> Transformer:
    return Transformer.from_crs("OGC:CRS84", "EPSG:3035", always_xy=True)


@cache
def _from_bng() -> Transformer:
    return Transformer.from_crs("EPSG:27700", "OGC:CRS84", always_xy=True)


def _apply(transformer: Transformer, geoms: np.ndarray) -> np.ndarray:
    def move(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geoms, move)


def read_boundaries(source: SourceFile, level: BoundaryLevel) -> Prepared:
    """Read and check a GeoJSON FeatureCollection of ``level`` polygons."""
    doc = _load(source)
    features: list[Any] = doc["features"]
    bng = _is_bng(doc, source.name)
    issues = IssueLog(source.name)
    props = [f.get("properties") if isinstance(f, dict) else None for f in features]
    keys = list(dict.fromkeys(k for p in props if isinstance(p, dict) for k in p))
    code_key = level.code.require(keys, source.name, "property", "properties")
    name_key = level.title.find(keys, source.name)
    codes, names, usable = _codes(props, code_key, name_key, level, issues)
    geoms = _geometries(source, features, props, issues)
    usable &= np.array([g is not None for g in geoms], dtype=bool)
    geoms = shapely.force_2d(geoms)
    if bng:
        geoms = _apply(_from_bng(), geoms)
    _check_lonlat(geoms[usable], source.name)
    usable &= _repair(geoms, usable, props, issues)
    _join_repeats(codes, geoms, usable, props, code_key, issues)
    kept = np.flatnonzero(usable)
    area, lon, lat = measure(geoms[kept])
    table = pa.table(
        {
            "code": pa.array([codes[i] for i in kept], pa.string()),
            "name": pa.array([names[i] for i in kept], pa.string()),
            "geometry": pa.array(shapely.to_wkb(geoms[kept]), pa.binary()),
            "area_km2": pa.array(area, pa.float64()),
            "centroid_lon": pa.array(lon, pa.float64()),
            "centroid_lat": pa.array(lat, pa.float64()),
        }
    )
    columns = {"code": code_key} | ({"name": name_key} if name_key else {})
    notes = ["coordinates converted from British National Grid (EPSG:27700)"] if bng else []
    return Prepared(source, table, len(features), issues, columns, notes)


def measure(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Area in km² and centroid longitude/latitude of lon/lat polygons (see module notes)."""
    if not len(geoms):
        return np.zeros(0), np.zeros(0), np.zeros(0)
    projected = _apply(_to_laea(), geoms)
    area = shapely.area(projected) / 1e6
    centre = shapely.get_coordinates(shapely.centroid(projected))
    lon, lat = _to_laea().transform(centre[:, 0], centre[:, 1], direction="INVERSE")
    return area, np.asarray(lon), np.asarray(lat)


def _load(source: SourceFile) -> dict[str, Any]:
    expected = "expected a GeoJSON FeatureCollection of polygons"
    try:
        doc = json.loads(source.content)
    except (ValueError, UnicodeDecodeError) as exc:
        raise GeographyFileError(f"{source.name}: is not JSON ({exc}); {expected}") from None
    kind = doc.get("type") if isinstance(doc, dict) else None
    if kind == "Topology":
        raise GeographyFileError(f"{source.name}: is TopoJSON, not GeoJSON; {expected}")
    if kind != "FeatureCollection" or not isinstance(doc.get("features"), list):
        raise GeographyFileError(f"{source.name}: is not a FeatureCollection; {expected}")
    if not doc["features"]:
        raise GeographyFileError(f"{source.name}: has no features; {expected}")
    return doc


def _is_bng(doc: dict[str, Any], name: str) -> bool:
    """True for British National Grid; False for lon/lat (no ``crs`` member, CRS84, 4326)."""
    crs = doc.get("crs")
    if crs is None:
        return False
    text = json.dumps(crs)
    if "CRS84" in text or re.search(r"\b4326\b", text):
        return False
    if re.search(r"\b27700\b", text):
        return True
    raise GeographyFileError(
        f"{name}: coordinates are in {text}; expected longitude/latitude (CRS84) "
        "or British National Grid (EPSG:27700)"
    )


def _check_lonlat(geoms: np.ndarray, name: str) -> None:
    geoms = geoms[~shapely.is_empty(geoms)]
    if not len(geoms):
        return
    bounds = shapely.bounds(geoms)
    xmin, ymin = np.nanmin(bounds[:, 0]), np.nanmin(bounds[:, 1])
    xmax, ymax = np.nanmax(bounds[:, 2]), np.nanmax(bounds[:, 3])
    if max(abs(xmin), abs(xmax)) > 180 or max(abs(ymin), abs(ymax)) > 90:
        raise GeographyFileError(
            f"{name}: coordinates are not longitude/latitude (x from {xmin:.0f} to {xmax:.0f}); "
            "expected WGS84 longitude/latitude (CRS84) or a crs member naming EPSG:27700"
        )
    if xmin >= 49 and xmax <= 61 and ymin >= -9 and ymax <= 2:
        raise GeographyFileError(
            f"{name}: coordinates look like latitude/longitude (x from {xmin:.1f} to "
            f"{xmax:.1f}); GeoJSON puts longitude first"
        )


def _codes(
    props: list[Any], code_key: str, name_key: str | None, level: BoundaryLevel, issues: IssueLog
) -> tuple[list[str | None], list[str | None], np.ndarray]:
    codes: list[str | None] = []
    names: list[str | None] = []
    usable = np.ones(len(props), dtype=bool)
    for index, p in enumerate(props):
        p = p if isinstance(p, dict) else {}
        code = p.get(code_key)
        code = code.strip() if isinstance(code, str) else code
        name = p.get(name_key) if name_key else None
        codes.append(code if isinstance(code, str) else None)
        names.append(str(name).strip() if name is not None else None)
        if code is None or code == "":
            issues.feature(index, code_key, "no code", properties=p)
        elif not isinstance(code, str) or not level.pattern.fullmatch(code):
            issues.feature(
                index, code_key, f"{code!r} is not {level.code_kind}", value=code, properties=p
            )
        else:
            continue
        usable[index] = False
    return codes, names, usable


def _geometries(
    source: SourceFile, features: list[Any], props: list[Any], issues: IssueLog
) -> np.ndarray:
    """One shapely geometry per feature (None where it is missing or unreadable)."""
    geometries = [f.get("geometry") if isinstance(f, dict) else None for f in features]
    if all(isinstance(g, dict) and g.get("type") in _POLYGONAL for g in geometries):
        try:
            text = source.content.decode("utf-8").lstrip(_BOM)
            collection = shapely.from_geojson(text)
            count = shapely.get_num_geometries(collection)
            if count == len(features):
                return shapely.get_geometry(collection, np.arange(count))
        except (GEOSException, UnicodeDecodeError, ValueError):
            pass  # fall back to reading feature by feature, which names the bad one
    out = np.empty(len(features), dtype=object)
    for index, geometry in enumerate(geometries):
        out[index] = _one_geometry(index, geometry, props[index], issues)
    return out


def _one_geometry(
    index: int, geometry: Any, props: Any, issues: IssueLog
) -> shapely.Geometry | None:
    if geometry is None:
        issues.feature(index, "geometry", "no geometry", properties=props)
        return None
    kind = geometry.get("type") if isinstance(geometry, dict) else type(geometry).__name__
    if kind not in _POLYGONAL:
        issues.feature(
            index, "geometry", f"a {kind}; expected Polygon or MultiPolygon", properties=props
        )
        return None
    try:
        return shapely.geometry.shape(geometry)
    except (GEOSException, ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        issues.feature(index, "geometry", f"cannot be read ({exc})", properties=props)
        return None


def _repair(
    geoms: np.ndarray, usable: np.ndarray, props: list[Any], issues: IssueLog
) -> np.ndarray:
    """Make invalid polygons valid in place; returns the mask of geometries still usable."""
    keep = usable.copy()
    empty = usable & shapely.is_empty(geoms)
    for index in np.flatnonzero(empty):
        issues.feature(int(index), "geometry", "empty geometry", properties=props[index])
    keep &= ~empty
    invalid = keep & ~shapely.is_valid(geoms)
    for index in np.flatnonzero(invalid):
        why = shapely.is_valid_reason(geoms[index])
        fixed = shapely.make_valid(geoms[index], method="structure", keep_collapsed=False)
        if fixed.is_empty or fixed.geom_type not in _POLYGONAL:
            issues.feature(
                int(index),
                "geometry",
                f"invalid ({why}) and cannot be repaired",
                properties=props[index],
            )
            keep[index] = False
            continue
        geoms[index] = fixed
        issues.feature(
            int(index),
            "geometry",
            f"invalid ({why}); repaired with shapely.make_valid and loaded",
            properties=props[index],
            repaired=True,
        )
    return keep


def _join_repeats(
    codes: list[str | None],
    geoms: np.ndarray,
    usable: np.ndarray,
    props: list[Any],
    key: str,
    issues: IssueLog,
) -> None:
    """Features repeating a code are parts of one area: join them to the first feature."""
    repeated, firsts = repeated_keys(pa.array(codes, pa.string()), usable)
    for index in np.flatnonzero(repeated):
        code = codes[index]
        first = firsts[code or ""]
        geoms[first] = shapely.union(geoms[first], geoms[index])
        issues.feature(
            int(index),
            key,
            f"repeats the code of feature {first}; its polygon was joined to that feature's",
            value=code,
            properties=props[index],
            repaired=True,
        )
    usable &= ~repeated
