"""Addresses: homes, shops and licensed premises, each with fixed coordinates.

Homes are spread through each LSOA; shops cluster around the shopping centres and bars
around the night-time economy. Every address keeps a fixed "risk" for the whole
simulation, so some places are victimised again and again, year after year.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import Polygon

from csphub.demo.geography import Geography
from csphub.demo.hotspots import Hotspots

RESIDENTIAL, SHOP, LICENSED = 0, 1, 2
KIND_NAMES = ("residential", "shop", "licensed premises")
PEOPLE_PER_HOME = 2.25
INSET = 5.0  # metres: addresses keep this far inside their LSOA boundary


@dataclass(frozen=True, eq=False)
class Addresses:
    """One entry per address; arrays share an index, ``ids`` are the published ids."""

    x: np.ndarray
    y: np.ndarray
    lsoa: np.ndarray
    kind: np.ndarray
    social: np.ndarray  # bool: a Brackwater Homes property
    risk: np.ndarray  # fixed relative attractiveness to offenders (shop size for shops)
    ids: np.ndarray  # "ADDR-000123"

    def __len__(self) -> int:
        return len(self.x)


def points_in(poly: Polygon, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` uniform random points inside ``poly``, shape (n, 2)."""
    x0, y0, x1, y1 = poly.bounds
    out = np.empty((0, 2))
    while len(out) < n:
        cand = rng.uniform((x0, y0), (x1, y1), size=(2 * (n - len(out)) + 8, 2))
        cand = cand[shapely.contains_xy(poly, cand[:, 0], cand[:, 1])]
        out = np.vstack([out, cand])
    return out[:n]


def points_near(
    centre: np.ndarray, spread: float, n: int, within: Polygon, rng: np.random.Generator
) -> np.ndarray:
    """``n`` points scattered normally around ``centre`` and kept inside ``within``."""
    out = np.empty((0, 2))
    while len(out) < n:
        cand = rng.normal(centre, spread, size=(2 * (n - len(out)) + 8, 2))
        cand = cand[shapely.contains_xy(within, cand[:, 0], cand[:, 1])]
        out = np.vstack([out, cand])
    return out[:n]


def build_addresses(
    geo: Geography, spots: Hotspots, pop_total: np.ndarray, rng: np.random.Generator
) -> Addresses:
    """Homes per LSOA (one per 2.25 residents), then shops and licensed premises."""
    inner = shapely.buffer(geo.lsoa_poly, -INSET)
    counts = np.round(pop_total / PEOPLE_PER_HOME).astype(int)
    homes = [points_in(p, n, rng) for p, n in zip(inner, counts, strict=True)]
    xy_home = np.vstack(homes)
    inside = shapely.buffer(geo.outline, -2 * INSET)
    shops = [
        points_near(c, s, n, inside, rng)
        for c, s, n in zip(spots.retail, spots.retail_spread, spots.retail_shops, strict=True)
    ]
    bars = [points_near(spots.nte, 220.0, 90, inside, rng)]
    bars += [points_near(c, 60.0, 5, inside, rng) for c in spots.retail[1:-1]]
    xy_shop, xy_bar = np.vstack(shops), np.vstack(bars)
    xy = np.vstack([xy_home, xy_shop, xy_bar])
    kind = np.repeat([RESIDENTIAL, SHOP, LICENSED], [len(xy_home), len(xy_shop), len(xy_bar)])

    lsoa = geo.lsoa_at(xy[:, 0], xy[:, 1])
    keep = lsoa >= 0  # a shop can fall on an LSOA edge only with zero probability; be safe
    xy, kind, lsoa = xy[keep], kind[keep], lsoa[keep]

    risk = rng.gamma(0.6, 1 / 0.6, len(xy))
    big = (kind == SHOP) & (rng.uniform(size=len(xy)) < 0.08)  # anchor stores, supermarkets
    risk[big] *= 6.0
    estate = spots.proximity(xy, "estates", 500.0)
    p_social = np.where(kind == RESIDENTIAL, 0.04 + 0.7 * estate, 0.0)
    social = rng.uniform(size=len(xy)) < p_social
    numbers = rng.permutation(len(xy)) + 1
    ids = np.char.add("ADDR-", np.char.zfill(numbers.astype(str), 6))
    return Addresses(xy[:, 0], xy[:, 1], lsoa, kind, social, risk, ids)
