"""Polygons to SVG paths: project to British National Grid, fit, simplify, write ``d``.

Drawing in BNG metres (EPSG:27700) gives true shapes and a true scale bar; up is grid
north, within about two degrees of true north anywhere in Great Britain. Each polygon is
simplified (Douglas-Peucker, topology preserved) with a tolerance of about one pixel at
the drawing scale, so the file carries no detail the eye cannot see.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely

from csphub.analysis.geometry import as_geometries
from csphub.analysis.projection import BNG, project_geometries
from csphub.reports.svg.fmt import num


def to_bng(geometries: Sequence[object], crs: str) -> np.ndarray:
    """Shapely polygons in BNG metres from shapely, WKB or WKT input in ``crs``."""
    geoms = as_geometries(list(geometries))
    bad = [i for i, g in enumerate(geoms) if g is None or g.is_empty]
    if bad:
        raise ValueError(f"units without a geometry at positions {bad[:10]}")
    kinds = set(shapely.get_type_id(geoms).tolist())
    if not kinds <= {3, 6, 7}:  # Polygon, MultiPolygon, GeometryCollection
        raise ValueError("a map needs polygons (areas), not points or lines")
    return geoms if crs == BNG else project_geometries(geoms, source=crs, target=BNG)


@dataclass(frozen=True)
class Frame:
    """Where the map goes: BNG metres to px, ``px = x0 + (x - minx) * scale``."""

    minx: float
    maxy: float
    scale: float  # px per metre
    x0: float
    y0: float
    width: float  # px
    height: float  # px

    @classmethod
    def fit(
        cls, bounds: Sequence[float], x0: float, y0: float, max_w: float, max_h: float
    ) -> Frame:
        minx, miny, maxx, maxy = (float(b) for b in bounds)
        w, h = max(maxx - minx, 1.0), max(maxy - miny, 1.0)
        scale = min(max_w / w, max_h / h)
        return cls(minx, maxy, scale, x0, y0, w * scale, h * scale)

    def xy(self, coords: np.ndarray) -> np.ndarray:
        """BNG coordinates (n x 2) to px, rounded to 0.1 px."""
        px = np.empty_like(coords, dtype=float)
        px[:, 0] = self.x0 + (coords[:, 0] - self.minx) * self.scale
        px[:, 1] = self.y0 + (self.maxy - coords[:, 1]) * self.scale
        return np.round(px, 1)


def aspect(geoms: np.ndarray) -> float:
    """Width over height of the geometries' bounding box."""
    minx, miny, maxx, maxy = shapely.total_bounds(geoms)
    return float(maxx - minx) / max(float(maxy - miny), 1.0)


def simplify(geoms: np.ndarray, frame: Frame, tolerance_px: float) -> np.ndarray:
    """Simplify to ``tolerance_px`` at the frame's scale, keeping every polygon valid."""
    if tolerance_px <= 0:
        return geoms
    return shapely.simplify(geoms, tolerance_px / frame.scale, preserve_topology=True)


def _ring(coords: np.ndarray, frame: Frame) -> str:
    px = frame.xy(coords[:-1] if len(coords) > 1 else coords)
    keep = np.ones(len(px), dtype=bool)
    keep[1:] = np.any(px[1:] != px[:-1], axis=1)
    px = px[keep]
    if len(px) < 3:
        return ""
    pts = [f"{num(x, 1)} {num(y, 1)}" for x, y in px]
    return f"M{pts[0]}L{' '.join(pts[1:])}Z"


def path_d(geom: shapely.Geometry, frame: Frame) -> str:
    """An SVG path ``d`` for a (multi)polygon: one subpath per ring; draw with even-odd fill."""
    parts = []
    for poly in shapely.get_parts(geom):
        if shapely.get_type_id(poly) != 3:
            continue
        rings = [poly.exterior, *poly.interiors]
        parts.extend(_ring(np.asarray(r.coords)[:, :2], frame) for r in rings)
    d = "".join(parts)
    if not d:  # smaller than a pixel: keep the unit visible as a dot-sized square
        x, y = frame.xy(np.asarray([shapely.get_coordinates(shapely.centroid(geom))[0]]))[0]
        d = f"M{num(x - 0.5, 1)} {num(y - 0.5, 1)}h1v1h-1Z"
    return d


def outline(geoms: np.ndarray, frame: Frame) -> str:
    """One path around the union of ``geoms``, slivers under a pixel closed first."""
    if len(geoms) == 0:
        return ""
    eps = 0.75 / frame.scale
    merged = shapely.union_all(shapely.buffer(geoms, eps, join_style="mitre"))
    merged = shapely.buffer(merged, -eps, join_style="mitre")
    merged = shapely.simplify(merged, 0.5 / frame.scale, preserve_topology=True)
    return path_d(merged, frame) if not merged.is_empty else ""
