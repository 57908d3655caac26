"""Helpers shared by the demo tests: reading the written files back."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

SEED = 2026


def read_csv(path: Path) -> pd.DataFrame:
    """A CSV as text columns, empty cells kept as ""."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def read_polygons(path: Path) -> tuple[list[str], list[shapely.Geometry]]:
    """The first property (the code) and geometry of each feature, in file order."""
    data = json.loads(path.read_text(encoding="utf-8"))
    codes = [next(iter(f["properties"].values())) for f in data["features"]]
    return codes, [shapely.geometry.shape(f["geometry"]) for f in data["features"]]


def to_bng(geoms):
    """WGS84 geometries in British National Grid metres (for areas)."""
    t = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    return shapely.transform(geoms, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))
