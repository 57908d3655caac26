"""British National Grid (EPSG:27700) to WGS84 (EPSG:4326), rounded as published files are.

The transformation is pinned to the grid-free 7-parameter Helmert shift "OSGB36 to WGS 84
(6)" (EPSG:1314, about 2 m accuracy). Left to choose, PROJ uses the OSTN15 grid wherever it
happens to be installed, which would make the demo's bytes depend on the machine.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from pyproj import Transformer

_BNG_TO_WGS84 = (
    "+proj=pipeline "
    "+step +inv +proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 "
    "+ellps=airy "
    "+step +proj=push +v_3 "
    "+step +proj=cart +ellps=airy "
    "+step +proj=helmert +x=446.448 +y=-125.157 +z=542.06 +rx=0.15 +ry=0.247 +rz=0.842 "
    "+s=-20.489 +convention=position_vector "
    "+step +inv +proj=cart +ellps=WGS84 "
    "+step +proj=pop +v_3 "
    "+step +proj=unitconvert +xy_in=rad +xy_out=deg"
)


@lru_cache(maxsize=1)
def _to_wgs84() -> Transformer:
    return Transformer.from_pipeline(_BNG_TO_WGS84)


def to_lonlat(x: np.ndarray, y: np.ndarray, decimals: int = 6) -> tuple[np.ndarray, np.ndarray]:
    """Longitude and latitude of BNG points, rounded to ``decimals`` places (0.1 m at 6).

    Examples
    --------
    >>> lon, lat = to_lonlat(np.array([200_000.0]), np.array([350_000.0]))
    >>> float(lon[0]), float(lat[0])
    (-4.982576, 53.009849)
    """
    lon, lat = _to_wgs84().transform(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    return np.round(lon, decimals), np.round(lat, decimals)
