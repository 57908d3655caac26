"""Gi* over LSOAs (queen contiguity from their polygons) and over a regular grid of cells."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Unpack

import numpy as np
import shapely
from numpy.typing import ArrayLike

from csphub.analysis.hotspots.contiguity import lattice_queen, polygon_queen
from csphub.analysis.hotspots.getisord import gistar
from csphub.analysis.hotspots.gistar_result import GiStarOptions, GiStarResult
from csphub.analysis.hotspots.grid import Grid
from csphub.analysis.hotspots.records import frozen_array


def _align_counts(
    codes: Sequence[str], counts: Mapping[str, float] | ArrayLike
) -> tuple[np.ndarray, list[str]]:
    if not isinstance(counts, Mapping):
        return np.asarray(counts, dtype=float).ravel(), []
    index = {str(c): i for i, c in enumerate(codes)}
    y = np.zeros(len(codes))
    unknown = []
    for code, value in counts.items():
        if str(code) in index:
            y[index[str(code)]] = float(value)
        else:
            unknown.append(str(code))
    notes = []
    if unknown:
        unknown_set = set(unknown)
        lost = sum(float(v) for c, v in counts.items() if str(c) in unknown_set)
        notes.append(
            f"{len(unknown)} count code(s) not among the units ignored ({lost:g} events): "
            f"{unknown[:5]}"
        )
    return y, notes


def gistar_polygons(
    codes: Sequence[str],
    geometries: Sequence[object],
    counts: Mapping[str, float] | ArrayLike,
    *,
    tolerance: float = 0.0,
    **options: Unpack[GiStarOptions],
) -> GiStarResult:
    """Gi* over areas such as LSOAs, with queen contiguity built from their polygons.

    Parameters
    ----------
    codes, geometries
        Unit codes and polygons (shapely, WKB or WKT); see :func:`polygon_queen`.
    counts : mapping or array_like
        Count per unit: a mapping code -> count (codes absent count 0; codes not among
        ``codes`` are reported in ``notes``) or an array aligned with ``codes``.
    tolerance : float, default 0
        Link polygons closer than this (geometry units) as neighbours.
    **options
        As for :func:`gistar`.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> codes = [f"U{i}{j}" for i in range(5) for j in range(5)]
    >>> polys = [box(j, i, j + 1, i + 1) for i in range(5) for j in range(5)]
    >>> cluster = {"U22": 20, "U12": 12, "U21": 12, "U23": 12, "U32": 12}
    >>> r = gistar_polygons(codes, polys, cluster, permutations=0, p_value="norm")
    >>> [u for u, h in zip(r.unit_id, r.hotspot) if h == "hot"], r.p_source
    (['U22'], 'normal')
    >>> r = gistar_polygons(codes, polys, cluster, permutations=999, seed=1)
    >>> float(dict(zip(r.unit_id, r.p_sim))["U22"]), r.n_hot
    (0.008, 0)
    """
    neighbours = polygon_queen(codes, geometries, tolerance=tolerance)
    y, notes = _align_counts(neighbours.ids, counts)
    result = gistar(y, neighbours, **options)
    return replace(result, notes=result.notes + tuple(notes))


def gistar_grid(
    x: ArrayLike,
    y: ArrayLike,
    cell_size: float,
    *,
    grid: Grid | None = None,
    within: shapely.Geometry | None = None,
    **options: Unpack[GiStarOptions],
) -> GiStarResult:
    """Gi* over a regular grid of square cells laid over points (metres).

    Every cell of the grid is a unit, including cells with no event (they are part of the
    study area). With ``within``, only cells whose centre lies inside that polygon are
    units; events in other cells are counted in ``notes``.

    Parameters
    ----------
    x, y : array_like
        Event coordinates in metres (e.g. British National Grid).
    cell_size : float
        Cell side in metres (ignored when ``grid`` is given).
    grid : Grid, optional
        Use this grid (e.g. the one of an earlier period); default: the snapped grid
        around the points (or around ``within`` when given).
    within : shapely geometry, optional
        Study area in the same coordinates.
    **options
        As for :func:`gistar`.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> px = np.r_[rng.uniform(0, 2000, 300), rng.normal(1000, 60, 200)]
    >>> py = np.r_[rng.uniform(0, 2000, 300), rng.normal(1000, 60, 200)]
    >>> r = gistar_grid(px, py, 100, permutations=9999, seed=3)
    >>> r.grid.shape, int(r.count.sum())
    ((20, 20), 500)
    >>> [r.hotspot[i] for i in np.flatnonzero(r.unit_id == "E1000N1000")]
    ['hot']
    """
    if grid is None:
        if within is not None:
            grid = Grid.from_bounds(*shapely.bounds(within).tolist(), cell_size)
        else:
            grid = Grid.around(x, y, cell_size)
    xc, yc = grid.centres()
    active = None if within is None else shapely.contains_xy(within, xc, yc)
    cells, neighbours = lattice_queen(grid, active)
    gc = grid.count(x, y)
    counts = gc.counts.ravel()
    n_in = float(counts[cells].sum())
    notes = []
    n_out = gc.n_outside + round(gc.total - n_in)
    if n_out:
        notes.append(f"{n_out} event(s) outside the grid or the study area not counted")
    result = gistar(counts[cells], neighbours, **options)
    return replace(
        result,
        x=frozen_array(xc[cells]),
        y=frozen_array(yc[cells]),
        grid=grid,
        notes=result.notes + tuple(notes),
    )
