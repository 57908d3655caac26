"""IMD 2019-style ranks and deciles for the demo LSOAs.

A latent deprivation score is high in the town centre and on the estates, spatially
smoothed; domain scores share it to different degrees. Each score is turned into a
national rank (1 = most deprived of 32,844) through a skewed quantile map, so that about
a third of Brackwater's LSOAs fall in decile 1, as in Blackpool.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from csphub.demo.geography import Geography
from csphub.demo.hotspots import Hotspots
from csphub.demo.regions import rook_neighbours

N_ENGLAND = 32_844
DOMAINS = (
    "IMD",
    "Income",
    "Employment",
    "Education",
    "Health",
    "Crime",
    "Housing_and_Access",
    "Environment",
)
# (share of the overall score, skew of the rank map: higher = more LSOAs near rank 1)
_DOMAIN_SHAPE = {
    "IMD": (1.0, 2.15),
    "Income": (0.95, 2.1),
    "Employment": (0.93, 2.6),
    "Education": (0.8, 1.8),
    "Health": (0.85, 3.0),
    "Crime": (0.75, 1.8),
    "Housing_and_Access": (-0.3, 0.7),
    "Environment": (0.5, 1.6),
}


@dataclass(frozen=True, eq=False)
class Deprivation:
    """Per LSOA (code order): the latent score (standardised) and ranks/deciles per domain."""

    score: np.ndarray  # (n,) higher = more deprived
    rank: np.ndarray  # (n, 8) in DOMAINS order
    decile: np.ndarray  # (n, 8)


def decile_of(rank: np.ndarray) -> np.ndarray:
    """National decile of an IMD rank (ranks 1..3284 are decile 1, as MHCLG publishes).

    Examples
    --------
    >>> decile_of(np.array([1, 3284, 3285, 32844])).tolist()
    [1, 1, 2, 10]
    """
    return (np.asarray(rank) * 10 + N_ENGLAND - 1) // N_ENGLAND


def _smooth(values: np.ndarray, nbrs: list[np.ndarray]) -> np.ndarray:
    """One pass of neighbour averaging: deprivation is spatially autocorrelated."""
    return np.array([(values[i] + values[n].sum()) / (1 + n.size) for i, n in enumerate(nbrs)])


def _zscore(v: np.ndarray) -> np.ndarray:
    return (v - v.mean()) / v.std()


def _to_ranks(score: np.ndarray, skew: float, rng: np.random.Generator) -> np.ndarray:
    """National ranks for local scores: the most deprived local LSOA gets the lowest rank."""
    n = score.size
    pos = np.empty(n)
    pos[np.argsort(-score, kind="stable")] = np.arange(n)
    u = (pos + rng.uniform(0.2, 0.8, n)) / n
    rank = 1 + np.floor((N_ENGLAND - 1) * u**skew).astype(int)
    for i in np.argsort(rank, kind="stable")[1:]:  # national ranks are unique
        while (rank == rank[i]).sum() > 1:
            rank[i] += 1
    return np.clip(rank, 1, N_ENGLAND)


def simulate_deprivation(geo: Geography, spots: Hotspots, rng: np.random.Generator) -> Deprivation:
    """Latent score, then one rank and decile per domain."""
    cents = geo.centroids
    nbrs = rook_neighbours(geo.lsoa_poly)
    centre = spots.proximity(cents, "nte", 1_300.0)
    estates = spots.proximity(cents, "estates", 550.0)
    noise = _smooth(rng.normal(0, 1, geo.n_lsoa), nbrs)
    score = _zscore(
        2.2 * centre + 1.7 * estates + 0.45 * noise + 0.3 * rng.normal(0, 1, geo.n_lsoa)
    )
    ranks = np.empty((geo.n_lsoa, len(DOMAINS)), dtype=int)
    for d, name in enumerate(DOMAINS):
        share, skew = _DOMAIN_SHAPE[name]
        own = _zscore(_smooth(rng.normal(0, 1, geo.n_lsoa), nbrs))
        dom = score if name == "IMD" else share * score + np.sqrt(1 - share**2) * own
        if name == "Environment":
            dom = dom + 0.8 * _zscore(centre)  # older, denser housing near the centre
        ranks[:, d] = _to_ranks(dom, skew, rng)
    return Deprivation(score=score, rank=ranks, decile=decile_of(ranks))
