"""Group LSOA cells into contiguous higher areas (MSOAs, wards).

Regions grow one LSOA at a time from seeds spread across the town, always giving the next
neighbour to the smallest region that can still grow, so regions end up contiguous and of
similar size, like ONS MSOAs and electoral wards.
"""

from __future__ import annotations

import numpy as np
import shapely
from scipy.spatial import cKDTree


def rook_neighbours(polys: np.ndarray, min_shared: float = 1.0) -> list[np.ndarray]:
    """For each polygon, the indices of polygons sharing at least ``min_shared`` m of edge."""
    tree = shapely.STRtree(polys)
    a, b = tree.query(polys, predicate="intersects")
    pair = a < b
    a, b = a[pair], b[pair]
    shared = shapely.length(shapely.intersection(shapely.boundary(polys[a]), polys[b]))
    a, b = a[shared >= min_shared], b[shared >= min_shared]
    out: list[list[int]] = [[] for _ in range(len(polys))]
    for i, j in zip(a.tolist(), b.tolist(), strict=True):
        out[i].append(j)
        out[j].append(i)
    return [np.array(sorted(n), dtype=int) for n in out]


def _spread_seeds(points: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Indices of ``k`` points spread evenly (a few k-means rounds, then nearest point)."""
    centres = points[rng.choice(len(points), size=k, replace=False)]
    for _ in range(25):
        owner = cKDTree(centres).query(points)[1]
        for c in range(k):
            members = points[owner == c]
            if len(members):
                centres[c] = members.mean(axis=0)
    chosen: list[int] = []
    for c in centres:
        order = np.argsort(((points - c) ** 2).sum(axis=1))
        chosen.append(int(next(i for i in order if i not in chosen)))
    return np.array(chosen)


def grow_regions(
    points: np.ndarray, neighbours: list[np.ndarray], k: int, rng: np.random.Generator
) -> np.ndarray:
    """Label each of ``points`` (cell centroids) with one of ``k`` contiguous regions.

    Examples
    --------
    >>> pts = np.array([[0, 0], [1, 0], [2, 0], [3, 0]], dtype=float)
    >>> nb = [np.array([1]), np.array([0, 2]), np.array([1, 3]), np.array([2])]
    >>> sorted(np.bincount(grow_regions(pts, nb, 2, np.random.default_rng(0))).tolist())
    [2, 2]
    """
    n = len(points)
    label = np.full(n, -1)
    seeds = _spread_seeds(points, k, rng)
    label[seeds] = np.arange(k)
    size = np.ones(k, dtype=int)
    while (label < 0).any():
        grown = False
        for r in np.argsort(size, kind="stable"):
            members = np.flatnonzero(label == r)
            frontier = np.unique(np.concatenate([neighbours[m] for m in members]))
            frontier = frontier[label[frontier] < 0]
            if frontier.size == 0:
                continue
            d = ((points[frontier] - points[seeds[r]]) ** 2).sum(axis=1)
            label[frontier[np.argmin(d)]] = r
            size[r] += 1
            grown = True
            break
        if not grown:
            raise ValueError("the cells are not connected: some cannot join any region")
    return label
