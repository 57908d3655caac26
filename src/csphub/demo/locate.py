"""Where events happen: at a home, in the street, in the night-time economy, or at shops.

Homes are weighted by deprivation, closeness to the estates and each address's fixed risk;
street events scatter around homes and are pulled towards the town centre; night-time
economy events sit at bars or in the streets around them; shop events at shops, weighted
by size. All draws are vectorised over every event of one kind.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from scipy.spatial import cKDTree

from csphub.demo.deprivation import Deprivation
from csphub.demo.geography import Geography
from csphub.demo.hotspots import Hotspots
from csphub.demo.params import CrimeSpec
from csphub.demo.places import LICENSED, RESIDENTIAL, SHOP, Addresses

STREET_SCATTER_M = 50.0
NTE_STREET_SPREAD_M = 400.0


@dataclass(frozen=True, eq=False)
class Setting:
    """Per-address facts that every location draw reuses."""

    geo: Geography
    spots: Hotspots
    addr: Addresses
    dep: np.ndarray  # deprivation score of the address's LSOA
    estate: np.ndarray  # closeness to an estate, 0..1
    centre: np.ndarray  # closeness to the town centre, 0..1
    neighbour: np.ndarray  # nearest other home, for neighbour disputes (-1 if not a home)

    @property
    def homes(self) -> np.ndarray:
        return np.flatnonzero(self.addr.kind == RESIDENTIAL)


def build_setting(geo: Geography, spots: Hotspots, addr: Addresses, dep: Deprivation) -> Setting:
    xy = np.column_stack([addr.x, addr.y])
    homes = np.flatnonzero(addr.kind == RESIDENTIAL)
    neighbour = np.full(len(addr), -1)
    neighbour[homes] = homes[cKDTree(xy[homes]).query(xy[homes], k=2)[1][:, 1]]
    return Setting(
        geo=geo,
        spots=spots,
        addr=addr,
        dep=dep.score[addr.lsoa],
        estate=spots.proximity(xy, "estates", 450.0),
        centre=spots.proximity(xy, "nte", 700.0),
        neighbour=neighbour,
    )


def home_weight(s: Setting, spec: CrimeSpec, homes: np.ndarray) -> np.ndarray:
    """Relative risk of each home for this crime type."""
    return (
        np.exp(spec.dep_beta * s.dep[homes])
        * (1 + spec.estate * s.estate[homes])
        * s.addr.risk[homes]
    )


def _pick(pool: np.ndarray, weight: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    return pool[rng.choice(pool.size, size=n, p=weight / weight.sum())]


def at_home(s: Setting, spec: CrimeSpec, n: int, rng: np.random.Generator) -> np.ndarray:
    """Addresses of ``n`` events at homes."""
    homes = s.homes
    return _pick(homes, home_weight(s, spec, homes), n, rng)


def _inside(s: Setting, pts: np.ndarray, fallback: np.ndarray) -> np.ndarray:
    ok = shapely.contains_xy(s.geo.outline, pts[:, 0], pts[:, 1])
    return np.where(ok[:, None], pts, fallback)


def in_street(s: Setting, spec: CrimeSpec, n: int, rng: np.random.Generator) -> np.ndarray:
    """Coordinates (n, 2) of street events near homes, pulled towards the centre."""
    homes = s.homes
    w = (
        np.exp(spec.dep_beta * s.dep[homes])
        * (1 + spec.estate * s.estate[homes])
        * (1 + spec.centre * s.centre[homes])
    )
    anchor = _pick(homes, w, n, rng)
    base = np.column_stack([s.addr.x[anchor], s.addr.y[anchor]])
    return _inside(s, base + rng.normal(0, STREET_SCATTER_M, base.shape), base)


def in_nte(s: Setting, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Coordinates and addresses (-1 in the street) of night-time economy events."""
    bars = np.flatnonzero(s.addr.kind == LICENSED)
    venue = _pick(bars, s.addr.risk[bars], n, rng)
    base = np.column_stack([s.addr.x[venue], s.addr.y[venue]])
    outside = rng.uniform(size=n) < 0.6
    street = _inside(s, rng.normal(s.spots.nte, NTE_STREET_SPREAD_M, (n, 2)), base)
    xy = np.where(outside[:, None], street, base)
    return xy, np.where(outside, -1, venue)


def at_shops(s: Setting, n: int, rng: np.random.Generator) -> np.ndarray:
    """Addresses of ``n`` events at shops, bigger shops more often."""
    shops = np.flatnonzero(s.addr.kind == SHOP)
    return _pick(shops, s.addr.risk[shops], n, rng)


def xy_of(s: Setting, address: np.ndarray) -> np.ndarray:
    return np.column_stack([s.addr.x[address], s.addr.y[address]])
