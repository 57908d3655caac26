"""Brackwater's statistical geography: LSOAs, MSOAs, wards and the local authority.

Codes use the real GSS prefixes (E01 LSOA, E02 MSOA, E05 ward, E06 unitary authority) with
a 999 block no real area uses; names follow the ONS pattern (``Brackwater 001A``: MSOA
number counted from the north, then a letter).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import Polygon

from csphub.demo import regions, town
from csphub.demo.names import TOWN, ward_names

N_LSOA = 90
N_MSOA = 18
N_WARD = 20
LAD_CODE = "E06999001"
LAD_NAME = TOWN


@dataclass(frozen=True, eq=False)
class Geography:
    """The town in British National Grid metres; LSOA arrays are in code order."""

    outline: Polygon
    cbd: tuple[float, float]
    coast_phases: np.ndarray
    lsoa_code: tuple[str, ...]
    lsoa_name: tuple[str, ...]
    lsoa_poly: np.ndarray
    lsoa_msoa: np.ndarray
    lsoa_ward: np.ndarray
    msoa_code: tuple[str, ...]
    msoa_name: tuple[str, ...]
    msoa_poly: np.ndarray
    ward_code: tuple[str, ...]
    ward_name: tuple[str, ...]
    ward_poly: np.ndarray

    @property
    def n_lsoa(self) -> int:
        return len(self.lsoa_code)

    @property
    def centroids(self) -> np.ndarray:
        """LSOA centroids, shape (n, 2)."""
        return shapely.get_coordinates(shapely.centroid(self.lsoa_poly))

    def lsoa_at(self, x: np.ndarray, y: np.ndarray, nearest: bool = False) -> np.ndarray:
        """Index of the LSOA holding each point; -1 outside, or with ``nearest`` the closest.

        ``nearest`` is for points known to be in town that land on an edge or in the
        centimetre gaps left by rounding the cells to a 1 cm grid.
        """
        out = np.full(len(x), -1)
        tree = shapely.STRtree(self.lsoa_poly)
        points = shapely.points(x, y)
        point, poly = tree.query(points, predicate="within")
        out[point] = poly
        missing = np.flatnonzero(out < 0)
        if nearest and missing.size:
            point, poly = tree.query_nearest(points[missing], all_matches=False)
            out[missing[point]] = poly
        return out


def _cbd(phases: np.ndarray) -> tuple[float, float]:
    """The town centre: 450 m inland from the coast, a little north of the middle."""
    y = town.CENTRE_BNG[1] + 600.0
    return float(town.coast_x(np.array([y]), phases)[0]) + 450.0, y


def _ordered_names(msoa_label: np.ndarray, cents: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Renumber MSOAs from north to south and letter LSOAs within them, as ONS does.

    Returns the LSOA order (positions into the cells) and each ordered LSOA's MSOA number.
    """
    msoa_north = np.array([cents[msoa_label == m, 1].mean() for m in range(msoa_label.max() + 1)])
    msoa_rank = np.empty_like(msoa_north, dtype=int)
    msoa_rank[np.argsort(-msoa_north, kind="stable")] = np.arange(len(msoa_north))
    order = np.lexsort((-cents[:, 1], msoa_rank[msoa_label]))
    return order, msoa_rank[msoa_label[order]]


def build_geography(rng: np.random.Generator) -> Geography:
    """Draw the outline, the LSOA cells and their grouping into MSOAs and wards."""
    outline, phases = town.town_outline(rng)
    cbd = _cbd(phases)
    grid = town.grid_inside(outline)
    seeds = town.lloyd_seeds(grid, town.seed_density(grid, cbd), N_LSOA, rng)
    cells = town.voronoi_cells(seeds, outline)
    cents = shapely.get_coordinates(shapely.centroid(cells))
    nbrs = regions.rook_neighbours(cells)
    msoa_label = regions.grow_regions(cents, nbrs, N_MSOA, rng)
    ward_label = regions.grow_regions(cents, nbrs, N_WARD, rng)

    order, msoa_num = _ordered_names(msoa_label, cents)
    cells, ward_label = cells[order], ward_label[order]
    letters = np.zeros(len(order), dtype=int)
    for m in np.unique(msoa_num):
        idx = np.flatnonzero(msoa_num == m)
        letters[idx] = np.arange(idx.size)
    lsoa_code = tuple(f"E01999{i + 1:03d}" for i in range(len(order)))
    lsoa_name = tuple(
        f"{TOWN} {m + 1:03d}{chr(ord('A') + k)}" for m, k in zip(msoa_num, letters, strict=True)
    )
    msoa_poly = np.array(
        [shapely.union_all(cells[msoa_num == m], grid_size=0.01) for m in range(N_MSOA)]
    )

    wnames = ward_names(N_WARD, rng)
    alpha = np.argsort(wnames, kind="stable")  # ward codes run alphabetically
    new_index = np.empty(N_WARD, dtype=int)
    new_index[alpha] = np.arange(N_WARD)
    lsoa_ward = new_index[ward_label]
    ward_poly = np.array(
        [shapely.union_all(cells[lsoa_ward == w], grid_size=0.01) for w in range(N_WARD)]
    )
    return Geography(
        outline=outline,
        cbd=cbd,
        coast_phases=phases,
        lsoa_code=lsoa_code,
        lsoa_name=lsoa_name,
        lsoa_poly=cells,
        lsoa_msoa=msoa_num,
        lsoa_ward=lsoa_ward,
        msoa_code=tuple(f"E02999{m + 1:03d}" for m in range(N_MSOA)),
        msoa_name=tuple(f"{TOWN} {m + 1:03d}" for m in range(N_MSOA)),
        msoa_poly=msoa_poly,
        ward_code=tuple(f"E05999{w + 1:03d}" for w in range(N_WARD)),
        ward_name=tuple(wnames[i] for i in alpha),
        ward_poly=ward_poly,
    )
