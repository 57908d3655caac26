"""Residents per LSOA by single year of age (the ONS small-area estimate layout).

Each LSOA mixes three age profiles: a settled-suburb profile, a young-adult profile (town
centre flats, houses in multiple occupation) and a retired profile (the coast), so ages
vary from place to place the way analysts expect when they compute rates per age group.
"""

from __future__ import annotations

import numpy as np

from csphub.demo.deprivation import Deprivation
from csphub.demo.geography import Geography
from csphub.demo.hotspots import Hotspots

AGES = 91  # 0..89 single years, then 90+
TARGET_TOTAL = 140_000


def _profile(points: list[tuple[int, float]]) -> np.ndarray:
    """A smooth age profile through (age, relative weight) knots; index 90 is 90+."""
    ages, weights = zip(*points, strict=True)
    prof = np.interp(np.arange(AGES), ages, weights)
    return prof / prof.sum()


# fmt: off
SUBURB = _profile([(0, 1.0), (17, 1.1), (22, 0.8), (30, 1.0), (45, 1.2), (60, 1.3), (75, 0.9),
                   (85, 0.35), (89, 0.2), (90, 0.9)])
YOUNG = _profile([(0, 1.1), (15, 0.8), (19, 1.3), (27, 2.0), (38, 1.6), (55, 1.0), (70, 0.5),
                  (85, 0.15), (89, 0.08), (90, 0.3)])
RETIRED = _profile([(0, 0.5), (17, 0.6), (30, 0.6), (50, 1.0), (65, 1.7), (75, 1.6), (85, 0.9),
                    (89, 0.5), (90, 2.5)])
# fmt: on


def simulate_population(
    geo: Geography, dep: Deprivation, spots: Hotspots, rng: np.random.Generator
) -> np.ndarray:
    """Residents by single year of age, shape (n_lsoa, 91); the row sums are the totals."""
    n = geo.n_lsoa
    totals = np.clip(rng.normal(1_555, 230, n), 1_050, 2_900)
    totals[rng.choice(n, size=2, replace=False)] *= 1.6  # new-build estates grow big LSOAs
    totals = np.round(np.clip(totals * TARGET_TOTAL / totals.sum(), 1_000, 3_000)).astype(int)

    cents = geo.centroids
    coast = np.exp(-np.maximum(cents[:, 0] - geo.outline.bounds[0], 0) / 700.0)
    young = 0.6 * spots.proximity(cents, "nte", 900.0) + 0.15 * np.clip(dep.score, 0, None)
    retired = 0.45 * coast + 0.1 * rng.uniform(0, 1, n)
    mix = np.column_stack([np.ones(n), young, retired]) * rng.uniform(0.8, 1.2, (n, 3))
    mix /= mix.sum(axis=1, keepdims=True)
    probs = mix @ np.vstack([SUBURB, YOUNG, RETIRED])
    return rng.multinomial(totals, probs / probs.sum(axis=1, keepdims=True))
