"""Near repeats: the Knox test over space-time distance bands, with a Monte Carlo null.

Every pair of events i < j is counted once, in the spatial band k with
limit(k-1) < d <= limit(k) (the first band from 0 inclusive) and the temporal band m with
limit(m-1) < |t_i - t_j| <= limit(m), the time distance in whole days. Pairs beyond the last
spatial or temporal limit are not counted. This reproduces tobydavies/NearRepeat on the
Chicago burglary reference (2016, 11,701 events, 0.1/200/400/600 m x 7/14/21 days).
Ratcliffe's Near Repeat Calculator labels a band "a to b" but counts [a-1, b); use limits
one lower to compare with its tables.

Null hypothesis: no space-time interaction. Dates are permuted over the fixed locations
(Monte Carlo): over all events (``permute_within=None``, the classic Knox test), or only
among events of the same calendar month (``"month"``) or of the same fixed window of N days
(an int), the "constrained" or "stratified" permutation that keeps each event in its own
window. A whole-year Knox test with free permutation counts seasonality and area-wide trends
as space-time interaction (places busy in summer have more close pairs in summer); permuting
within windows holds the timing of those patterns fixed, so what remains is interaction at
the scale of days. (Kulldorff and Hjalmars 1999, Biometrics 55:544, show the free Knox test
is biased where the population at risk shifts over time; the stratified permutation is
csphub's remedy for seasonal and trend shifts, not theirs.)
The pairs within the largest spatial limit are found once (cKDTree) with
their spatial band; each permutation only re-reads the permuted days of those pairs, so
the cost is (pairs within the largest distance) x permutations.

* expected = mean count over the permutations;
* Knox ratio = observed / expected (NaN when expected is 0);
* p = (#permutations with count >= observed + 1) / (permutations + 1), one-sided
  (more pairs than chance), never below 1 / (permutations + 1);
* ``p_adjusted``: the cells' p-values adjusted for testing every band cell (``adjust``,
  statsmodels ``multipletests``; Benjamini-Hochberg by default); ``significant`` uses it;
* ratio interval: (observed +- the permuted counts' spread from their mean to their 2.5th
  and 97.5th percentiles) / expected, a Monte Carlo 95% interval of the Knox ratio.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from scipy.spatial import cKDTree

from csphub.analysis.hotspots.records import columns_to_records, frozen_array, jsonable
from csphub.analysis.nearrepeat.events import days_of

Metric = Literal["euclidean", "manhattan"]


@dataclass(frozen=True, eq=False)
class KnoxResult:
    """Knox table: matrices with rows = spatial bands, columns = temporal bands."""

    space_bands: tuple[float, ...]
    time_bands: tuple[float, ...]
    observed: np.ndarray
    expected: np.ndarray
    ratio: np.ndarray
    p_value: np.ndarray
    n_events: int
    n_pairs_within_distance: int
    permutations: int
    seed: int
    metric: str
    p_adjusted: np.ndarray | None = None
    ratio_low: np.ndarray | None = None
    ratio_high: np.ndarray | None = None
    permute_within: str = "none"
    adjust: str = "none"

    @property
    def method(self) -> str:
        """The null in words."""
        within = {
            "none": "dates permuted over fixed locations",
            "month": "dates permuted within each calendar month over fixed locations",
        }.get(self.permute_within, f"dates permuted within {self.permute_within}-day windows")
        return f"Knox test, {within}"

    def significant(self, alpha: float = 0.05, min_ratio: float = 1.0) -> np.ndarray:
        """Cells with (adjusted, where adjusted) p < alpha and ratio > min_ratio (bool)."""
        p = self.p_value if self.p_adjusted is None else self.p_adjusted
        with np.errstate(invalid="ignore"):
            return (p < alpha) & (self.ratio > min_ratio)

    def _edges(self, bands: Sequence[float], k: int) -> tuple[float, float]:
        return (0.0 if k == 0 else float(bands[k - 1]), float(bands[k]))

    def to_records(self) -> list[dict[str, object]]:
        """One dict per cell: band edges, observed, expected, ratio, p_value."""
        s, t = self.observed.shape
        ks, ms = np.divmod(np.arange(s * t), t)
        space = np.array([self._edges(self.space_bands, k) for k in range(s)])
        time = np.array([self._edges(self.time_bands, m) for m in range(t)])
        return columns_to_records(
            {
                "space_band": ks,
                "distance_from_m": space[ks, 0],
                "distance_to_m": space[ks, 1],
                "time_band": ms,
                "days_from": time[ms, 0],
                "days_to": time[ms, 1],
                "observed": self.observed.ravel(),
                "expected": self.expected.ravel(),
                "knox_ratio": self.ratio.ravel(),
                "ratio_low": _flat(self.ratio_low, self.ratio),
                "ratio_high": _flat(self.ratio_high, self.ratio),
                "p_value": self.p_value.ravel(),
                "p_adjusted": _flat(self.p_adjusted, self.p_value),
            }
        )

    def to_dict(self) -> dict[str, object]:
        """Parameters and the four matrices as nested lists (JSON-safe)."""
        return {
            "method": self.method,
            "permute_within": self.permute_within,
            "adjust": self.adjust,
            "metric": self.metric,
            "space_bands_m": list(self.space_bands),
            "time_bands_days": list(self.time_bands),
            "n_events": self.n_events,
            "n_pairs_within_distance": self.n_pairs_within_distance,
            "permutations": self.permutations,
            "seed": self.seed,
            "observed": jsonable(self.observed),
            "expected": jsonable(self.expected),
            "knox_ratio": jsonable(self.ratio),
            "p_value": jsonable(self.p_value),
            "p_adjusted": jsonable(_or(self.p_adjusted, self.p_value)),
            "ratio_low": jsonable(_or(self.ratio_low, self.ratio)),
            "ratio_high": jsonable(_or(self.ratio_high, self.ratio)),
        }


def _or(value: np.ndarray | None, like: np.ndarray) -> np.ndarray:
    return np.full(like.shape, np.nan) if value is None else value


def _flat(value: np.ndarray | None, like: np.ndarray) -> np.ndarray:
    return _or(value, like).ravel()


def _limits(bands: Sequence[float], name: str) -> np.ndarray:
    arr = np.asarray(bands, dtype=float).ravel()
    if arr.size == 0 or not np.isfinite(arr).all() or arr[0] < 0 or (np.diff(arr) <= 0).any():
        raise ValueError(f"{name} must be increasing limits >= 0, got {list(bands)}")
    return arr


def close_pairs(
    x: np.ndarray, y: np.ndarray, max_distance: float, metric: Metric = "euclidean"
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All pairs i < j at distance <= max_distance, and their distances.

    Examples
    --------
    >>> i, j, d = close_pairs(np.array([0.0, 3.0, 10.0]), np.array([0.0, 4.0, 0.0]), 5.0)
    >>> i.tolist(), j.tolist(), d.tolist()
    ([0], [1], [5.0])
    """
    if metric not in ("euclidean", "manhattan"):
        raise ValueError(f"metric must be 'euclidean' or 'manhattan', got {metric!r}")
    tree = cKDTree(np.column_stack([x, y]))
    reach = max_distance * (1 + 1e-9) + 1e-9  # then keep d <= max_distance exactly below
    pairs = tree.query_pairs(reach, p=2 if metric == "euclidean" else 1, output_type="ndarray")
    i, j = pairs[:, 0].astype(np.intp), pairs[:, 1].astype(np.intp)
    dx, dy = x[i] - x[j], y[i] - y[j]
    d = np.hypot(dx, dy) if metric == "euclidean" else np.abs(dx) + np.abs(dy)
    keep = d <= max_distance
    order = np.lexsort((j[keep], i[keep]))
    return i[keep][order], j[keep][order], d[keep][order]


class _Tabulator:
    """Counts pairs per (spatial band, temporal band) for any assignment of days."""

    def __init__(
        self, i: np.ndarray, j: np.ndarray, sband: np.ndarray, time: np.ndarray, span: int
    ):
        self.i, self.j = i, j
        self.t = time.size
        # day difference -> temporal band, t (one past the last) meaning "beyond"
        self.lut = np.searchsorted(time, np.arange(span + 1), side="left").astype(np.intp)
        self.base = sband.astype(np.intp) * (self.t + 1)

    def __call__(self, day: np.ndarray, n_space: int) -> np.ndarray:
        dt = np.abs(day[self.i] - day[self.j])
        flat = np.bincount(self.base + self.lut[dt], minlength=n_space * (self.t + 1))
        return flat.reshape(n_space, self.t + 1)[:, : self.t]


def knox(
    x: ArrayLike,
    y: ArrayLike,
    t_days: ArrayLike,
    space_bands: Sequence[float],
    time_bands: Sequence[float],
    *,
    permutations: int = 99,
    seed: int | None = None,
    metric: Metric = "euclidean",
    permute_within: str | int | None = None,
    adjust: str | None = "fdr_bh",
) -> KnoxResult:
    """Knox test of space-time clustering (near repeats) over distance and day bands.

    Parameters
    ----------
    x, y : array_like
        Event coordinates in metres.
    t_days : array_like
        Event dates: datetime64 values or whole day numbers.
    space_bands : sequence of float
        Increasing upper limits of the spatial bands in metres, e.g. (0.1, 200, 400, 600);
        a first limit of 0.1 makes a "same location" band.
    time_bands : sequence of float
        Increasing upper limits of the temporal bands in days, e.g. (7, 14, 21).
    permutations : int, default 99
        Monte Carlo permutations of the dates; 0 for the observed counts only.
    seed : int, optional
        Seed of the permutations; drawn and recorded in the result when omitted.
    metric : {"euclidean", "manhattan"}
    permute_within : None, "month" or int
        Permute dates over all events (None), within each calendar month (``"month"``; needs
        datetime64 or days since 1970-01-01) or within windows of that many days.
    adjust : str or None, default "fdr_bh"
        Multiple-testing adjustment of the band cells' p-values (``multipletests`` method:
        "fdr_bh", "holm", "bonferroni"), or None.

    Returns
    -------
    KnoxResult

    Examples
    --------
    Three events: two 50 m and 2 days apart, a third far away:

    >>> r = knox([0, 50, 5000], [0, 0, 0], [0, 2, 30], [0.1, 100], [7, 14],
    ...          permutations=19, seed=1)
    >>> r.observed.tolist()
    [[0, 0], [1, 0]]
    >>> 0 < float(r.p_value[1, 0]) <= 1
    True
    """
    x = np.asarray(x, dtype=float).ravel()
    y = np.asarray(y, dtype=float).ravel()
    day = days_of(t_days).ravel()
    if not (x.size == y.size == day.size):
        raise ValueError(f"x, y and t_days differ in length: {x.size}, {y.size}, {day.size}")
    if x.size < 2:
        raise ValueError("the Knox test needs at least two events")
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise ValueError("coordinates must be finite (drop or fix events without a location)")
    if permutations < 0:
        raise ValueError("permutations must be 0 or more")
    space = _limits(space_bands, "space_bands")
    time = _limits(time_bands, "time_bands")
    seed = int(np.random.default_rng().integers(2**31)) if seed is None else int(seed)
    day_zero = int(day.min())
    day = day - day_zero
    i, j, d = close_pairs(x, y, float(space[-1]), metric)
    sband = np.searchsorted(space, d, side="left")
    tab = _Tabulator(i, j, sband, time, int(day.max()))
    observed = tab(day, space.size)
    sims = np.empty((permutations, *observed.shape), dtype=np.int64)
    rng = np.random.default_rng(seed)
    shuffle = _shuffler(day + day_zero, permute_within)
    for k in range(permutations):
        sims[k] = tab(day[shuffle(rng)], space.size)
    if permutations:
        expected = sims.mean(axis=0)
        p_value = ((sims >= observed).sum(axis=0) + 1) / (permutations + 1)
        lo, hi = np.percentile(sims, [2.5, 97.5], axis=0)
    else:
        expected = np.full(observed.shape, np.nan)
        p_value = np.full(observed.shape, np.nan)
        lo = hi = expected
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(expected > 0, observed / expected, np.nan)
        ratio_low = np.where(expected > 0, np.maximum(observed - (hi - expected), 0) / expected,
                             np.nan)  # fmt: skip
        ratio_high = np.where(expected > 0, (observed + (expected - lo)) / expected, np.nan)
    p_adjusted = _adjust(p_value, adjust)
    return KnoxResult(
        space_bands=tuple(float(v) for v in space),
        time_bands=tuple(float(v) for v in time),
        observed=frozen_array(observed),
        expected=frozen_array(expected),
        ratio=frozen_array(ratio),
        p_value=frozen_array(p_value),
        n_events=int(x.size),
        n_pairs_within_distance=int(i.size),
        permutations=int(permutations),
        seed=seed,
        metric=metric,
        p_adjusted=frozen_array(p_adjusted),
        ratio_low=frozen_array(ratio_low),
        ratio_high=frozen_array(ratio_high),
        permute_within="none" if permute_within is None else str(permute_within),
        adjust=adjust or "none",
    )


def _shuffler(day: np.ndarray, within: str | int | None):
    """A function of a generator giving the permuted order of the events' days."""
    n = day.size
    if within is None:
        return lambda rng: rng.permutation(n)
    if within == "month":
        strata = day.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    elif isinstance(within, int) and not isinstance(within, bool) and within > 0:
        strata = (day - day.min()) // within
    else:
        raise ValueError(f"permute_within must be None, 'month' or a whole number of days > 0, "
                         f"got {within!r}")  # fmt: skip
    base = np.argsort(strata, kind="stable")
    sorted_strata = strata[base]

    def shuffle(rng: np.random.Generator) -> np.ndarray:
        order = base[np.lexsort((rng.random(n), sorted_strata))]
        out = np.empty(n, dtype=np.intp)
        out[base] = order
        return out

    return shuffle


def _adjust(p: np.ndarray, method: str | None) -> np.ndarray:
    """Cell p-values adjusted for the number of cells tested (NaN left alone)."""
    if method is None or np.isnan(p).all():
        return p.copy()
    from statsmodels.stats.multitest import multipletests

    out = p.astype(float).copy()
    ok = ~np.isnan(out)
    out[ok] = multipletests(out[ok], method=method)[1]
    return out
