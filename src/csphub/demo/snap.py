"""Snap points: the fixed anonymising locations data.police.uk moves every crime to.

Each LSOA gets 20-40 points near its homes, each labelled ``On or near <street>`` (or a
generic place such as ``Nightclub``). A point keeps a few metres inside its LSOA, so the
published coordinates always fall in the published LSOA, as on data.police.uk.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from scipy.spatial import cKDTree

from csphub.demo.geography import Geography
from csphub.demo.hotspots import Hotspots
from csphub.demo.names import PLACE_LABELS, street_names
from csphub.demo.places import RESIDENTIAL, Addresses

INSET = 3.0  # metres a snap point keeps inside its LSOA


@dataclass(frozen=True, eq=False)
class SnapPoints:
    x: np.ndarray
    y: np.ndarray
    lsoa: np.ndarray
    label: np.ndarray  # "On or near ..."

    def nearest(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Index of the snap point nearest each point."""
        return cKDTree(np.column_stack([self.x, self.y])).query(np.column_stack([x, y]))[1]


def _points(geo: Geography, addr: Addresses, rng: np.random.Generator) -> np.ndarray:
    """Snap point coordinates and LSOA, shape (n, 3), in LSOA order."""
    inner = shapely.buffer(geo.lsoa_poly, -INSET)
    rows = []
    for i in range(geo.n_lsoa):
        homes = np.flatnonzero((addr.lsoa == i) & (addr.kind == RESIDENTIAL))
        n = int(np.clip(round(14 + homes.size / 40), 20, 40))
        pick = rng.choice(homes, size=min(n, homes.size), replace=False)
        base = np.column_stack([addr.x[pick], addr.y[pick]])
        moved = base + rng.normal(0, 12.0, base.shape)
        ok = shapely.contains_xy(inner[i], moved[:, 0], moved[:, 1])
        pts = np.where(ok[:, None], moved, base)
        rows.append(np.column_stack([pts, np.full(len(pts), i)]))
    return np.vstack(rows)


def _labels(xy: np.ndarray, spots: Hotspots, rng: np.random.Generator) -> np.ndarray:
    """Street names shared by neighbouring points, and generic labels at hotspots."""
    n_streets = len(xy) // 3
    centres = xy[rng.choice(len(xy), size=n_streets, replace=False)]
    names = np.array(street_names(n_streets, rng), dtype=object)
    label = names[cKDTree(centres).query(xy)[1]]
    other = rng.uniform(size=len(xy)) < 0.04
    label[other] = rng.choice(np.array(PLACE_LABELS["other"], dtype=object), size=other.sum())
    tree = cKDTree(xy)
    for idx, name in zip(tree.query(spots.nte, k=2)[1], PLACE_LABELS["nte"], strict=True):
        label[idx] = name
    for centre in spots.retail:
        near = tree.query(centre, k=3)[1]
        for idx, name in zip(near, PLACE_LABELS["retail"], strict=True):
            label[idx] = name
    return np.char.add("On or near ", label.astype(str)).astype(object)


def build_snap_points(
    geo: Geography, addr: Addresses, spots: Hotspots, rng: np.random.Generator
) -> SnapPoints:
    """20-40 labelled snap points per LSOA."""
    pts = _points(geo, addr, rng)
    return SnapPoints(pts[:, 0], pts[:, 1], pts[:, 2].astype(int), _labels(pts[:, :2], spots, rng))
