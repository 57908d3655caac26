"""Longitude/latitude (WGS 84, EPSG:4326) to and from British National Grid (EPSG:27700).

Hotspot grids, kernel bandwidths and near-repeat distances are in metres, so points and
polygons given in longitude/latitude are projected to the British National Grid first.

Accuracy: without the OSTN15 grid file (``uk_os_OSTN15_NTv2_OSGBtoETRS.tif``) in the PROJ
data directory, PROJ uses a 7-parameter Helmert transformation (stated accuracy 2 m). That is
well inside the snapping of police.uk locations; put the grid file in the PROJ data directory
(or set ``PROJ_NETWORK=ON``) for centimetre accuracy. :func:`transformation_info` says which
operation is in use.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import shapely
from numpy.typing import ArrayLike
from pyproj import Transformer

WGS84 = "EPSG:4326"
BNG = "EPSG:27700"


@lru_cache(maxsize=8)
def _transformer(source: str, target: str) -> Transformer:
    return Transformer.from_crs(source, target, always_xy=True)


def _transform(source: str, target: str, a: ArrayLike, b: ArrayLike) -> tuple[np.ndarray, ...]:
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"coordinate arrays differ in shape: {a.shape} and {b.shape}")
    u, v = _transformer(source, target).transform(a, b)
    u, v = np.asarray(u, dtype=float), np.asarray(v, dtype=float)
    bad = ~(np.isfinite(u) & np.isfinite(v))
    u[bad] = np.nan
    v[bad] = np.nan
    return u, v


def lonlat_to_bng(lon: ArrayLike, lat: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Project WGS 84 longitude/latitude (degrees) to British National Grid metres.

    Parameters
    ----------
    lon, lat : array_like
        Longitudes and latitudes in degrees, same shape.

    Returns
    -------
    x, y : numpy.ndarray
        Eastings and northings in metres (EPSG:27700). Points that cannot be projected
        (missing input, far outside the grid) come back as NaN.

    Examples
    --------
    >>> x, y = lonlat_to_bng([-3.0357], [53.8175])   # Blackpool Tower, roughly
    >>> round(float(x[0]) / 1000), round(float(y[0]) / 1000)
    (332, 436)
    """
    return _transform(WGS84, BNG, lon, lat)


def bng_to_lonlat(x: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Unproject British National Grid metres to WGS 84 longitude/latitude (degrees).

    Examples
    --------
    >>> lon, lat = bng_to_lonlat([331910.4], [436188.9])
    >>> round(float(lon[0]), 4), round(float(lat[0]), 4)
    (-3.0357, 53.8175)
    """
    return _transform(BNG, WGS84, x, y)


def project_geometries(
    geometries: Sequence[shapely.Geometry] | np.ndarray,
    source: str = WGS84,
    target: str = BNG,
) -> np.ndarray:
    """Project shapely geometries, by default from longitude/latitude to BNG metres.

    Returns a numpy object array of new geometries in the same order.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> [g] = project_geometries([Point(-3.0357, 53.8175)])
    >>> round(g.x / 1000), round(g.y / 1000)
    (332, 436)
    """
    transformer = _transformer(source, target)

    def _xy(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return transformer.transform(x, y)

    arr = np.asarray(geometries, dtype=object)
    return np.asarray(shapely.transform(arr, _xy, interleaved=False), dtype=object)


def transformation_info(source: str = WGS84, target: str = BNG) -> dict[str, object]:
    """Which coordinate operation PROJ uses here, and its stated accuracy in metres.

    Examples
    --------
    >>> info = transformation_info()
    >>> sorted(info)
    ['accuracy_m', 'description', 'source', 'target']
    """
    t = _transformer(source, target)
    # PROJ picks the operation when it first transforms: do one point, then ask which it used.
    if source == WGS84:
        t.transform(-3.0, 54.0)
    else:
        t.transform(330000.0, 430000.0)
    op = t.get_last_used_operation()
    accuracy = op.accuracy if op.accuracy is not None and op.accuracy >= 0 else None
    return {
        "source": source,
        "target": target,
        "description": op.description,
        "accuracy_m": accuracy,
    }
