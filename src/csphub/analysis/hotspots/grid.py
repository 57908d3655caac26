"""A regular square grid in projected metres, and counting points into its cells.

Conventions: cell ``(row, col)`` covers ``[x0 + col*s, x0 + (col+1)*s) x [y0 + row*s,
y0 + (row+1)*s)`` (half-open), row 0 is the southern row, so an array ``a[row, col]`` is
drawn with ``origin="lower"``. Flat cell index = ``row * nx + col``. A cell's id is the
easting and northing of its south-west corner, ``"E{x}N{y}"``, so grids built with the
same cell size and snapped origin share ids across periods.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from csphub.analysis.hotspots.records import frozen_array


def _coords(x: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(x, dtype=float).ravel()
    y = np.asarray(y, dtype=float).ravel()
    if x.shape != y.shape:
        raise ValueError(f"x and y differ in length: {x.size} and {y.size}")
    return x, y


def _fmt(v: float) -> str:
    return f"{v:.0f}" if float(v).is_integer() else f"{v:g}"


@dataclass(frozen=True)
class Grid:
    """A lattice of ``nx`` by ``ny`` square cells of side ``cell_size`` from origin (x0, y0).

    Examples
    --------
    >>> g = Grid.around([10.0, 390.0], [20.0, 180.0], cell_size=100)
    >>> (g.x0, g.y0, g.nx, g.ny)
    (0.0, 0.0, 4, 2)
    >>> g.cell_index([10.0, 390.0, 400.0], [20.0, 180.0, 0.0]).tolist()
    [0, 7, -1]
    >>> g.cell_ids()[:2].tolist()
    ['E0N0', 'E100N0']
    """

    x0: float
    y0: float
    cell_size: float
    nx: int
    ny: int
    crs: str = "EPSG:27700"

    def __post_init__(self) -> None:
        if not (self.cell_size > 0 and math.isfinite(self.cell_size)):
            raise ValueError(f"cell_size must be a positive number of metres, got {self.cell_size}")
        if self.nx < 1 or self.ny < 1:
            raise ValueError(f"a grid needs at least one cell, got nx={self.nx}, ny={self.ny}")

    @classmethod
    def from_bounds(
        cls,
        xmin: float,
        ymin: float,
        xmax: float,
        ymax: float,
        cell_size: float,
        *,
        snap: bool = True,
        crs: str = "EPSG:27700",
    ) -> Grid:
        """The smallest grid covering the box, origin snapped down to a multiple of the cell.

        A point exactly on ``xmax``/``ymax`` is inside (the grid gets one more column/row).
        """
        if (
            not all(math.isfinite(v) for v in (xmin, ymin, xmax, ymax))
            or xmax < xmin
            or ymax < ymin
        ):
            raise ValueError(f"bad bounds {(xmin, ymin, xmax, ymax)}")
        s = float(cell_size)
        x0 = math.floor(xmin / s) * s if snap else float(xmin)
        y0 = math.floor(ymin / s) * s if snap else float(ymin)
        nx = math.floor((xmax - x0) / s) + 1
        ny = math.floor((ymax - y0) / s) + 1
        return cls(float(x0), float(y0), s, int(nx), int(ny), crs)

    @classmethod
    def around(
        cls, x: ArrayLike, y: ArrayLike, cell_size: float, *, pad: float = 0.0, snap: bool = True
    ) -> Grid:
        """The grid covering all finite points, widened by ``pad`` metres on every side."""
        x, y = _coords(x, y)
        ok = np.isfinite(x) & np.isfinite(y)
        if not ok.any():
            raise ValueError("no points with finite coordinates to build a grid around")
        return cls.from_bounds(
            float(x[ok].min()) - pad,
            float(y[ok].min()) - pad,
            float(x[ok].max()) + pad,
            float(y[ok].max()) + pad,
            cell_size,
            snap=snap,
        )

    @property
    def shape(self) -> tuple[int, int]:
        """``(ny, nx)``: the shape of a cell array ``a[row, col]``."""
        return (self.ny, self.nx)

    @property
    def n_cells(self) -> int:
        return self.nx * self.ny

    @property
    def cell_area_km2(self) -> float:
        return self.cell_size**2 / 1e6

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """``(xmin, ymin, xmax, ymax)`` of the whole grid."""
        return (
            self.x0,
            self.y0,
            self.x0 + self.nx * self.cell_size,
            self.y0 + self.ny * self.cell_size,
        )

    def cell_index(self, x: ArrayLike, y: ArrayLike) -> np.ndarray:
        """Flat cell index of each point, ``-1`` when outside the grid or not finite."""
        x, y = _coords(x, y)
        with np.errstate(invalid="ignore"):
            col = np.floor((x - self.x0) / self.cell_size)
            row = np.floor((y - self.y0) / self.cell_size)
            inside = (col >= 0) & (col < self.nx) & (row >= 0) & (row < self.ny)
        idx = np.full(x.shape, -1, dtype=np.int64)
        idx[inside] = row[inside].astype(np.int64) * self.nx + col[inside].astype(np.int64)
        return idx

    def centres(self) -> tuple[np.ndarray, np.ndarray]:
        """Cell-centre eastings and northings, flat (length ``n_cells``)."""
        half = self.cell_size / 2
        xc = self.x0 + half + self.cell_size * np.arange(self.nx)
        yc = self.y0 + half + self.cell_size * np.arange(self.ny)
        gx, gy = np.meshgrid(xc, yc)
        return gx.ravel(), gy.ravel()

    def cell_ids(self) -> np.ndarray:
        """``"E{x}N{y}"`` of each cell's south-west corner, flat (length ``n_cells``)."""
        xs = [_fmt(self.x0 + self.cell_size * c) for c in range(self.nx)]
        ys = [_fmt(self.y0 + self.cell_size * r) for r in range(self.ny)]
        return np.array([f"E{xv}N{yv}" for yv in ys for xv in xs], dtype=object)

    def count(self, x: ArrayLike, y: ArrayLike, weights: ArrayLike | None = None) -> GridCounts:
        """Count (or sum ``weights`` of) the points in each cell.

        Examples
        --------
        >>> g = Grid(0.0, 0.0, 100.0, 2, 1)
        >>> c = g.count([10, 20, 150, 500], [10, 10, 50, 50])
        >>> c.counts.tolist(), c.n_outside
        ([[2.0, 1.0]], 1)
        """
        idx = self.cell_index(x, y)
        inside = idx >= 0
        w = None if weights is None else np.asarray(weights, dtype=float).ravel()[inside]
        flat = np.bincount(idx[inside], weights=w, minlength=self.n_cells).astype(float)
        return GridCounts(self, frozen_array(flat.reshape(self.shape)), int((~inside).sum()))

    def to_dict(self) -> dict[str, object]:
        return {
            "x0": self.x0,
            "y0": self.y0,
            "cell_size": self.cell_size,
            "nx": self.nx,
            "ny": self.ny,
            "crs": self.crs,
            "bounds": list(self.bounds),
        }


@dataclass(frozen=True, eq=False)
class GridCounts:
    """Points counted into a :class:`Grid`: ``counts[row, col]`` and how many fell outside."""

    grid: Grid
    counts: np.ndarray
    n_outside: int

    @property
    def total(self) -> float:
        return float(self.counts.sum())
