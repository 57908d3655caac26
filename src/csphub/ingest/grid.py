"""Complete a location given in one system: British National Grid or longitude/latitude.

Partner files give a location as easting/northing, as longitude/latitude, or both; the
store keeps both so maps (WGS84) and distances (metres) need no conversion at read time.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from pyproj import Transformer


@cache
def to_wgs84() -> Transformer:
    return Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


@cache
def to_bng() -> Transformer:
    return Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)


def complete_pairs(lon: np.ndarray, lat: np.ndarray, east: np.ndarray, north: np.ndarray) -> None:
    """Fill, in place, the pair a row lacks from the pair it has (NaN = absent)."""
    has_wgs = np.isfinite(lon) & np.isfinite(lat)
    has_bng = np.isfinite(east) & np.isfinite(north)
    need = has_bng & ~has_wgs
    if need.any():
        lon[need], lat[need] = to_wgs84().transform(east[need], north[need])
    need = has_wgs & ~has_bng
    if need.any():
        east[need], north[need] = to_bng().transform(lon[need], lat[need])
