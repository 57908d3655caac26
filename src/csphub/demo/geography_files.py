"""Write the geography products: boundaries (GeoJSON), lookup, population and IMD.

Each mirrors the public product the real pipeline reads: ONS 2011 boundaries with the
``LSOA11CD``-style property names, the ONS LSOA-to-ward-to-district lookup, the SAPE
single-year-of-age table and the IoD2019 ranks-and-deciles file.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import mapping

from csphub.demo.coords import to_lonlat
from csphub.demo.csvtext import write_csv
from csphub.demo.deprivation import DOMAINS, Deprivation
from csphub.demo.geography import LAD_CODE, LAD_NAME, Geography

POPULATION_HEADER = (
    "lsoa11_name",
    "lsoa11_code",
    "total_population",
    *(str(a) for a in range(90)),
    "90+",
)
IMD_HEADER = ("lsoa_code", *(f"{d}_decile" for d in DOMAINS), *(f"{d}_rank" for d in DOMAINS))
LOOKUP_HEADER = (
    "LSOA11CD",
    "LSOA11NM",
    "MSOA11CD",
    "MSOA11NM",
    "WD13CD",
    "WD13NM",
    "LAD13CD",
    "LAD13NM",
)


def wgs84(polys: np.ndarray) -> np.ndarray:
    """Polygons in lon/lat rounded to 6 decimals, exterior rings anticlockwise (RFC 7946)."""
    oriented = shapely.orient_polygons(polys, exterior_cw=False)
    return shapely.transform(oriented, lambda xy: np.column_stack(to_lonlat(xy[:, 0], xy[:, 1])))


def write_geojson(path: Path, polys: np.ndarray, props: dict[str, tuple[str, ...]]) -> None:
    """A FeatureCollection with one feature per polygon and the given properties."""
    keys = list(props)
    features = [
        {
            "type": "Feature",
            "properties": {k: props[k][i] for k in keys},
            "geometry": mapping(geom),
        }
        for i, geom in enumerate(wgs84(polys))
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")


def write_lookup(path: Path, geo: Geography) -> None:
    n = geo.n_lsoa
    msoa_code, msoa_name = np.array(geo.msoa_code), np.array(geo.msoa_name)
    ward_code, ward_name = np.array(geo.ward_code), np.array(geo.ward_name)
    columns = [
        geo.lsoa_code,
        geo.lsoa_name,
        msoa_code[geo.lsoa_msoa],
        msoa_name[geo.lsoa_msoa],
        ward_code[geo.lsoa_ward],
        ward_name[geo.lsoa_ward],
        [LAD_CODE] * n,
        [LAD_NAME] * n,
    ]
    write_csv(path, LOOKUP_HEADER, columns)


def write_population(path: Path, geo: Geography, ages: np.ndarray) -> None:
    columns = [geo.lsoa_name, geo.lsoa_code, ages.sum(axis=1), *ages.T]
    write_csv(path, POPULATION_HEADER, columns)


def write_imd(path: Path, geo: Geography, dep: Deprivation) -> None:
    write_csv(path, IMD_HEADER, [geo.lsoa_code, *dep.decile.T, *dep.rank.T])
