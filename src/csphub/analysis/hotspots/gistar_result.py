"""The result of a Gi* run, and the options shared by the Gi* functions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypedDict

import numpy as np

from csphub.analysis.hotspots.grid import Grid
from csphub.analysis.hotspots.multitest import Adjust
from csphub.analysis.hotspots.records import columns_to_records, jsonable

Alternative = Literal["two-sided", "directed"]
PValue = Literal["sim", "norm"]


class GiStarOptions(TypedDict, total=False):
    """Keyword options shared by :func:`gistar`, :func:`gistar_polygons`, :func:`gistar_grid`."""

    permutations: int
    seed: int | None
    alpha: float
    adjust: Adjust
    alternative: Alternative
    p_value: PValue
    n_jobs: int


@dataclass(frozen=True, eq=False)
class GiStarResult:
    """Gi* per unit (arrays aligned on ``unit_id``) and the parameters that produced it."""

    unit_id: np.ndarray
    count: np.ndarray
    n_neighbours: np.ndarray
    z: np.ndarray
    p_norm: np.ndarray
    p_sim: np.ndarray
    p_adjusted: np.ndarray
    hotspot: np.ndarray
    permutations: int
    seed: int
    alpha: float
    adjust: str
    alternative: str
    p_source: str
    neighbours_kind: str
    islands: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    x: np.ndarray | None = None
    y: np.ndarray | None = None
    grid: Grid | None = None

    @property
    def n_hot(self) -> int:
        return int((self.hotspot == "hot").sum())

    @property
    def n_cold(self) -> int:
        return int((self.hotspot == "cold").sum())

    def _columns(self) -> dict[str, np.ndarray]:
        cols: dict[str, np.ndarray] = {
            "unit_id": self.unit_id,
            "count": self.count,
            "n_neighbours": self.n_neighbours,
        }
        if self.x is not None and self.y is not None:
            cols |= {"x": self.x, "y": self.y}
        return cols | {
            "z": self.z,
            "p_norm": self.p_norm,
            "p_sim": self.p_sim,
            "p_adjusted": self.p_adjusted,
            "hotspot": self.hotspot,
        }

    def to_records(self) -> list[dict[str, object]]:
        """One JSON-safe dict per unit (NaN as None)."""
        return columns_to_records(self._columns())

    def to_frame(self):  # -> pandas.DataFrame
        import pandas as pd

        return pd.DataFrame(self._columns())

    def to_dict(self) -> dict[str, object]:
        """Parameters, islands, notes, grid (if any) and the unit records."""
        return {
            "method": "Getis-Ord Gi* (esda G_Local, binary weights, star=True)",
            "neighbours": self.neighbours_kind,
            "permutations": self.permutations,
            "seed": self.seed,
            "alpha": self.alpha,
            "adjust": self.adjust,
            "alternative": self.alternative,
            "p_source": self.p_source,
            "n_units": int(self.unit_id.size),
            "n_hot": self.n_hot,
            "n_cold": self.n_cold,
            "islands": list(self.islands),
            "notes": list(self.notes),
            "grid": None if self.grid is None else jsonable(self.grid.to_dict()),
            "units": self.to_records(),
        }
