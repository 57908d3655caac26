"""Town geometry in British National Grid metres: the outline and the LSOA cells.

The town is a half-ellipse against a wavy coastline on its west side. LSOA cells are the
Voronoi cells of seed points spread by a density-weighted Lloyd relaxation, so cells are
smaller (denser population) near the town centre, as in a real seaside town.
"""

from __future__ import annotations

import numpy as np
import shapely
from scipy.spatial import cKDTree
from shapely.geometry import Polygon

# An empty patch of the Irish Sea, about 17 km west of the Llyn peninsula, so the demo town
# can never be mistaken for (or drawn on top of) a real place.
CENTRE_BNG = (200_000.0, 350_000.0)
HALF_HEIGHT = 4_600.0  # metres, north-south half extent
WIDTH = 5_000.0  # metres, coast to the easternmost edge
GRID_STEP = 40.0  # metres between the sample points used for relaxation


def coast_x(y: np.ndarray, phases: np.ndarray) -> np.ndarray:
    """Easting of the coastline at northing ``y`` (gentle bays and headlands)."""
    cx, cy = CENTRE_BNG
    rel = y - cy
    return (
        cx
        - WIDTH / 2
        + 140.0 * np.sin(2 * np.pi * rel / 3_900.0 + phases[0])
        + 50.0 * np.sin(2 * np.pi * rel / 1_300.0 + phases[1])
    )


def town_outline(rng: np.random.Generator) -> tuple[Polygon, np.ndarray]:
    """The town boundary and the coastline phases used to draw it."""
    cx, cy = CENTRE_BNG
    phases = rng.uniform(0, 2 * np.pi, 2)
    ys = np.linspace(cy - HALF_HEIGHT, cy + HALF_HEIGHT, 61)
    coast = np.column_stack([coast_x(ys, phases), ys])
    theta = np.linspace(np.pi / 2 - 0.1, -np.pi / 2 + 0.1, 81)
    k = np.arange(2, 6)
    amps = rng.normal(0.0, 0.025, k.size)
    wob = rng.uniform(0, 2 * np.pi, k.size)
    r = 1.0 + (amps[:, None] * np.cos(k[:, None] * theta + wob[:, None])).sum(axis=0)
    east = np.column_stack(
        [cx - WIDTH / 2 + WIDTH * np.cos(theta) * r, cy + HALF_HEIGHT * np.sin(theta) * r]
    )
    ring = np.vstack([coast, east])
    outline = shapely.make_valid(Polygon(ring))
    if outline.geom_type != "Polygon":
        outline = max(shapely.get_parts(outline), key=lambda g: g.area)
    return shapely.set_precision(outline, 0.01), phases


def grid_inside(outline: Polygon, step: float = GRID_STEP) -> np.ndarray:
    """Regular sample points inside the outline, shape (n, 2)."""
    x0, y0, x1, y1 = outline.bounds
    gx, gy = np.meshgrid(np.arange(x0, x1, step) + step / 2, np.arange(y0, y1, step) + step / 2)
    gx, gy = gx.ravel(), gy.ravel()
    keep = shapely.contains_xy(outline, gx, gy)
    return np.column_stack([gx[keep], gy[keep]])


def seed_density(points: np.ndarray, cbd: tuple[float, float]) -> np.ndarray:
    """Relative residential density: high in the centre, tailing off to the suburbs."""
    d2 = (points[:, 0] - cbd[0]) ** 2 + (points[:, 1] - cbd[1]) ** 2
    return 0.6 + 2.5 * np.exp(-d2 / (2 * 1_600.0**2))


def lloyd_seeds(
    grid: np.ndarray, density: np.ndarray, n: int, rng: np.random.Generator, rounds: int = 20
) -> np.ndarray:
    """Seed points whose Voronoi cells hold similar density mass (a weighted CVT)."""
    seeds = grid[rng.choice(len(grid), size=n, replace=False, p=density / density.sum())]
    for _ in range(rounds):
        owner = cKDTree(seeds).query(grid)[1]
        mass = np.bincount(owner, weights=density, minlength=n)
        sx = np.bincount(owner, weights=density * grid[:, 0], minlength=n)
        sy = np.bincount(owner, weights=density * grid[:, 1], minlength=n)
        seeds = np.column_stack([sx / mass, sy / mass])
    return seeds


def voronoi_cells(seeds: np.ndarray, outline: Polygon) -> np.ndarray:
    """Voronoi cells of ``seeds`` clipped to ``outline``, one polygon per seed, in order.

    A cell that the outline cuts into several pieces keeps its largest piece; the others
    join the neighbouring cell they share most boundary with, so the cells still tile the
    outline exactly and each is a single polygon.
    """
    diagram = shapely.voronoi_polygons(
        shapely.multipoints(seeds), extend_to=outline.buffer(2_000), ordered=True
    )
    cells = shapely.intersection(shapely.get_parts(diagram), outline)
    cells = shapely.set_precision(cells, 0.01)
    orphans = []
    for i, cell in enumerate(cells):
        if cell.geom_type != "Polygon":
            parts = sorted(shapely.get_parts(cell), key=lambda g: -g.area)
            cells[i] = parts[0]
            orphans.extend(parts[1:])
    for piece in orphans:
        shared = shapely.length(shapely.intersection(cells, piece.boundary))
        j = int(np.argmax(shared))
        cells[j] = shapely.union(cells[j], piece, grid_size=0.01)
    return cells
