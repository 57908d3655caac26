"""Knox with dates permuted within calendar months: seasonality is not a near repeat.

The sample has strong seasonal structure and no near-repeat effect: one neighbourhood has
its events only in summer, another only in winter, each uniformly at random in place and
day. Free permutation calls that space-time interaction; permuting within months must not.
A sample with real near repeats added must still be found.
"""

from __future__ import annotations

import numpy as np

from csphub.analysis.nearrepeat import knox

SPACE, TIME = [100, 200, 400], [7, 14, 21]


def _days(rng: np.random.Generator, start: str, end: str, n: int) -> np.ndarray:
    first, last = np.datetime64(start), np.datetime64(end)
    return first + rng.integers(0, int((last - first).astype(int)) + 1, n)


def _seasonal(rng: np.random.Generator, n: int = 300):
    summer = (rng.uniform(0, 1500, n), rng.uniform(0, 1500, n),
              _days(rng, "2021-06-01", "2021-08-31", n))  # fmt: skip
    winter = (rng.uniform(0, 1500, n) + 10_000, rng.uniform(0, 1500, n),
              _days(rng, "2021-12-01", "2022-02-28", n))  # fmt: skip
    return [np.concatenate(parts) for parts in zip(summer, winter, strict=True)]


def test_seasonal_structure_without_near_repeats_is_not_significant_within_months():
    x, y, t = _seasonal(np.random.default_rng(20260101))
    free = knox(x, y, t, SPACE, TIME, permutations=199, seed=1)
    within = knox(x, y, t, SPACE, TIME, permutations=199, seed=1, permute_within="month")
    # free permutation spreads each neighbourhood's dates over the whole year, so every
    # close pair looks close in time: the seasonal artefact the audit found
    assert free.significant().all()
    assert (free.ratio > 1.5).all()
    # within months nothing is significant after adjustment for the nine cells, ratios ~1
    assert not within.significant().any()
    assert np.all(np.abs(within.ratio - 1) < 0.35)
    assert (
        within.method == "Knox test, dates permuted within each calendar month over fixed locations"
    )
    # every interval holds its ratio; 95% intervals under no interaction hold 1 in most cells
    assert (within.ratio_low <= within.ratio).all() and (within.ratio <= within.ratio_high).all()
    assert ((within.ratio_low <= 1) & (within.ratio_high >= 1)).sum() >= 8


def test_real_near_repeats_are_still_found_within_months():
    rng = np.random.default_rng(7)
    x, y, t = _seasonal(rng)
    pick = rng.choice(x.size, 120, replace=False)
    # a repeat 30-80 m away, 1-5 days later, for 120 of the events
    angle = rng.uniform(0, 2 * np.pi, pick.size)
    dist = rng.uniform(30, 80, pick.size)
    x = np.concatenate([x, x[pick] + dist * np.cos(angle)])
    y = np.concatenate([y, y[pick] + dist * np.sin(angle)])
    t = np.concatenate([t, t[pick] + rng.integers(1, 6, pick.size)])
    within = knox(x, y, t, SPACE, TIME, permutations=199, seed=2, permute_within="month")
    assert within.significant()[0, 0]
    assert within.ratio[0, 0] > 1.2 and within.ratio_low[0, 0] > 1
    # the cell p-values are adjusted for the nine cells (Benjamini-Hochberg)
    assert within.adjust == "fdr_bh"
    assert (within.p_adjusted >= within.p_value).all()
