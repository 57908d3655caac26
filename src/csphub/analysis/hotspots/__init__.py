"""Hotspots: grids, Getis-Ord Gi*, quartic KDE and hit-rate scores (PAI, PEI, RRI).

Pure library: arrays in, frozen results out (``to_records()``/``to_dict()``). esda and
libpysal are imported only when Gi* runs.
"""

from csphub.analysis.hotspots.contiguity import (
    Neighbours,
    as_geometries,
    lattice_queen,
    polygon_queen,
)
from csphub.analysis.hotspots.getisord import gistar
from csphub.analysis.hotspots.gistar_result import GiStarOptions, GiStarResult
from csphub.analysis.hotspots.gistar_units import gistar_grid, gistar_polygons
from csphub.analysis.hotspots.grid import Grid, GridCounts
from csphub.analysis.hotspots.hitrate import HitRate, hit_rate_curve, hit_rates
from csphub.analysis.hotspots.kde import KDEResult, kde_quartic, kernel_weights, quartic_kernel
from csphub.analysis.hotspots.multitest import adjust_pvalues

__all__ = [
    "GiStarOptions",
    "GiStarResult",
    "Grid",
    "GridCounts",
    "HitRate",
    "KDEResult",
    "Neighbours",
    "adjust_pvalues",
    "as_geometries",
    "gistar",
    "gistar_grid",
    "gistar_polygons",
    "hit_rate_curve",
    "hit_rates",
    "kde_quartic",
    "kernel_weights",
    "lattice_queen",
    "polygon_queen",
    "quartic_kernel",
]
