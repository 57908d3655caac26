"""Queen contiguity between areas (polygons) and between cells of a grid.

Polygon neighbours come from a shapely STRtree: two areas are neighbours when they share at
least one point (queen), or lie within ``tolerance`` of each other. ``intersects`` is used,
not ``touches``: published boundary sets are generalised polygon by polygon, so neighbours
overlap by slivers or miss by a hair and rarely share exact vertices. (On the 94 Blackpool
LSOAs, libpysal's vertex-matching ``Queen`` finds no shared vertex and makes every LSOA an
island; ``touches`` finds no pair; ``intersects`` finds 476 neighbour links, 5.1 per LSOA.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
import shapely

from csphub.analysis.geometry import as_geometries
from csphub.analysis.hotspots.grid import Grid
from csphub.analysis.hotspots.records import frozen_array


@dataclass(frozen=True, eq=False)
class Neighbours:
    """Who neighbours whom: compressed rows (CSR) over ``ids``, never including self.

    ``indices[indptr[i]:indptr[i + 1]]`` are the positions of unit ``i``'s neighbours.
    """

    ids: tuple[str, ...]
    indptr: np.ndarray
    indices: np.ndarray
    kind: str
    notes: tuple[str, ...] = ()

    @classmethod
    def from_pairs(
        cls, ids: Sequence[str], a: np.ndarray, b: np.ndarray, kind: str, notes: Sequence[str] = ()
    ) -> Neighbours:
        """Build from index pairs (made symmetric; self pairs and duplicates dropped)."""
        n = len(ids)
        keep = a != b
        rows = np.concatenate([a[keep], b[keep]])
        cols = np.concatenate([b[keep], a[keep]])
        m = sp.csr_array((np.ones(rows.size), (rows, cols)), shape=(n, n))
        m.sum_duplicates()
        m.sort_indices()
        return cls(
            tuple(str(i) for i in ids),
            frozen_array(m.indptr, np.int64),
            frozen_array(m.indices, np.int64),
            kind,
            tuple(notes),
        )

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def cardinality(self) -> np.ndarray:
        """Number of neighbours of each unit (self not counted)."""
        return np.diff(self.indptr)

    @property
    def islands(self) -> tuple[str, ...]:
        """Ids of units with no neighbour."""
        return tuple(self.ids[i] for i in np.flatnonzero(self.cardinality == 0))

    def to_sparse(self) -> sp.csr_array:
        """Binary ``n x n`` adjacency matrix (zero diagonal)."""
        data = np.ones(self.indices.size)
        return sp.csr_array((data, self.indices, self.indptr), shape=(self.n, self.n))

    def of(self, unit_id: str) -> tuple[str, ...]:
        """The neighbours of one unit, by id."""
        i = self.ids.index(unit_id)
        return tuple(self.ids[j] for j in self.indices[self.indptr[i] : self.indptr[i + 1]])


def polygon_queen(
    codes: Sequence[str], geometries: Sequence[object], *, tolerance: float = 0.0
) -> Neighbours:
    """Queen contiguity between polygons (e.g. LSOAs).

    Parameters
    ----------
    codes : sequence of str
        Unit ids (e.g. LSOA codes), unique, aligned with ``geometries``.
    geometries : sequence
        Polygons as shapely geometries, WKB bytes/hex or WKT.
    tolerance : float, default 0
        Also link polygons that lie within this distance (in the units of the geometries:
        metres once projected) to close slivers between generalised boundaries.

    Returns
    -------
    Neighbours
        ``islands`` lists units with no neighbour; ``notes`` says which geometries were
        repaired with ``make_valid``.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> nb = polygon_queen(["a", "b", "c", "d"],
    ...                    [box(0, 0, 1, 1), box(1, 0, 2, 1), box(2, 1, 3, 2), box(9, 9, 10, 10)])
    >>> nb.of("a"), nb.of("b"), nb.islands
    (('b',), ('a', 'c'), ('d',))
    """
    codes = [str(c) for c in codes]
    if len(codes) != len(geometries):
        raise ValueError(f"{len(codes)} codes but {len(geometries)} geometries")
    if len(set(codes)) != len(codes):
        raise ValueError("unit codes are not unique")
    geoms = as_geometries(geometries)
    missing = [c for c, g in zip(codes, geoms, strict=True) if g is None or shapely.is_empty(g)]
    if missing:
        raise ValueError(f"missing or empty geometry for {len(missing)} unit(s): {missing[:5]}")
    notes: list[str] = []
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        geoms = geoms.copy()
        geoms[invalid] = shapely.make_valid(geoms[invalid])
        bad = [codes[i] for i in np.flatnonzero(invalid)]
        notes.append(f"{len(bad)} invalid geometr(y/ies) repaired with make_valid: {bad[:5]}")
    tree = shapely.STRtree(geoms)
    if tolerance > 0:
        a, b = tree.query(geoms, predicate="dwithin", distance=tolerance)
    else:
        a, b = tree.query(geoms, predicate="intersects")
    kind = "queen (polygons share a point" + (
        f" or lie within {tolerance:g})" if tolerance else ")"
    )
    return Neighbours.from_pairs(codes, a, b, kind, notes)


def lattice_queen(grid: Grid, active: np.ndarray | None = None) -> tuple[np.ndarray, Neighbours]:
    """Queen neighbours (the 8 surrounding cells) among the active cells of a grid.

    Parameters
    ----------
    grid : Grid
    active : bool array of length ``grid.n_cells``, optional
        Cells that are units of analysis (e.g. centre inside the study area); all if omitted.

    Returns
    -------
    cells : numpy.ndarray
        Flat indices of the active cells, in order: unit ``i`` is cell ``cells[i]``.
    neighbours : Neighbours
        Over the active cells, ids from :meth:`Grid.cell_ids`.

    Examples
    --------
    >>> cells, nb = lattice_queen(Grid(0.0, 0.0, 100.0, 3, 3))
    >>> nb.cardinality.reshape(3, 3).tolist()
    [[3, 5, 3], [5, 8, 5], [3, 5, 3]]
    """
    ny, nx = grid.shape
    act = np.ones(grid.n_cells, bool) if active is None else np.asarray(active, bool).ravel()
    if act.size != grid.n_cells:
        raise ValueError(f"active has {act.size} entries for {grid.n_cells} cells")
    cells = np.flatnonzero(act)
    position = np.full(grid.n_cells, -1, dtype=np.int64)
    position[cells] = np.arange(cells.size)
    idx = np.arange(grid.n_cells).reshape(ny, nx)
    rows, cols = [], []
    for dy, dx in ((0, 1), (1, -1), (1, 0), (1, 1)):  # each undirected link once
        a = idx[0 : ny - dy, max(0, -dx) : nx - max(0, dx)]
        b = idx[dy:ny, max(0, dx) : nx - max(0, -dx)]
        rows.append(a.ravel())
        cols.append(b.ravel())
    a = position[np.concatenate(rows)]
    b = position[np.concatenate(cols)]
    keep = (a >= 0) & (b >= 0)
    ids = grid.cell_ids()[cells]
    return cells, Neighbours.from_pairs(list(ids), a[keep], b[keep], "queen (grid cells)")
