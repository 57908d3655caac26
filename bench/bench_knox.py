"""Micro-benchmark: csphub Knox test against a brute-force O(n^2) baseline, same run.

Data: the Chicago burglary reference (../shared/data/events, see SOURCES.md section 8),
2016 (11,701 events), bands 0.1/200/400/600 m x 7/14/21 days, 99 permutations.

The baseline is the straightforward method (as R ``dist()``-based tools do): condensed
distance matrices of all n(n-1)/2 pairs with ``scipy.spatial.distance.pdist``, recomputed
for the permuted dates each time. It needs n(n-1)/2 x 8 bytes per matrix (550 MB at
n = 11,701), so it runs on a random subsample and its full-size time is extrapolated
(quadratic). Both methods must give the same observed table on the subsample.

Usage: python bench/bench_knox.py [--data PATH] [--subsample 2000] [--permutations 99]
Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np
from scipy.spatial.distance import pdist

from csphub.analysis.nearrepeat import knox, read_events_csv

SPACE = (0.1, 200.0, 400.0, 600.0)
TIME = (7.0, 14.0, 21.0)
REFERENCE = [[342, 97, 62], [1892, 1514, 1362], [4145, 3643, 3592], [5805, 5143, 4919]]
DEFAULT_DATA = Path(
    os.environ.get("CSPHUB_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data")
)


def brute_force_knox(
    x: np.ndarray, y: np.ndarray, day: np.ndarray, permutations: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Observed table and permutation p-values from full pairwise distance matrices."""
    d = pdist(np.column_stack([x, y]))
    s_band = np.searchsorted(SPACE, d, side="left")
    del d
    n_s, n_t = len(SPACE), len(TIME)

    def table(t: np.ndarray) -> np.ndarray:
        dt = pdist(t[:, None].astype(float), "cityblock")
        t_band = np.searchsorted(TIME, dt, side="left")
        ok = (s_band < n_s) & (t_band < n_t)
        return np.bincount(s_band[ok] * n_t + t_band[ok], minlength=n_s * n_t).reshape(n_s, n_t)

    observed = table(day)
    rng = np.random.default_rng(seed)
    ge = np.zeros_like(observed)
    for _ in range(permutations):
        ge += table(day[rng.permutation(day.size)]) >= observed
    return observed, (ge + 1) / (permutations + 1)


def _timed(label: str, fn, *args, **kwargs):
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    seconds = time.perf_counter() - t0
    print(f"  {label:<58} {seconds:8.2f} s")
    return out, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--subsample", type=int, default=2000)
    parser.add_argument("--permutations", type=int, default=99)
    parser.add_argument("--seed", type=int, default=123456)
    args = parser.parse_args()
    path = args.data / "events" / "chicago_burglary_2014_2017.csv.gz"
    events = read_events_csv(
        path,
        date="date_single",
        date_format="%d/%m/%Y",
        date_from="2016-01-01",
        date_to="2016-12-31",
    )
    n, perms = events.n, args.permutations
    print(f"Chicago burglary 2016: {n} events, {perms} permutations, bands {SPACE} m x {TIME} d")

    full, t_full = _timed(
        f"csphub knox, all {n} events",
        knox,
        events.x,
        events.y,
        events.day,
        SPACE,
        TIME,
        permutations=perms,
        seed=args.seed,
    )
    print(f"  observed matches the reference: {full.observed.tolist() == REFERENCE}")

    rng = np.random.default_rng(args.seed)
    pick = np.sort(rng.choice(n, size=min(args.subsample, n), replace=False))
    x, y, day = events.x[pick], events.y[pick], events.day[pick]
    m = pick.size
    sub, t_sub = _timed(
        f"csphub knox, subsample of {m}",
        knox,
        x,
        y,
        day,
        SPACE,
        TIME,
        permutations=perms,
        seed=args.seed,
    )
    (obs, _), t_brute = _timed(
        f"brute force pdist O(n^2), subsample of {m}",
        brute_force_knox,
        x,
        y,
        day,
        perms,
        args.seed,
    )
    print(f"  same observed table on the subsample: {np.array_equal(obs, sub.observed)}")
    scale = (n * (n - 1)) / (m * (m - 1))
    print(f"  {'brute force extrapolated to ' + str(n) + ' (x n^2)':<58} {t_brute * scale:8.2f} s")
    print(
        f"  speed-up on the subsample: {t_brute / t_sub:.0f}x; "
        f"full run vs extrapolated brute force: {t_brute * scale / t_full:.0f}x"
    )
    print(
        "  Knox ratio (mean expected), first column:",
        [round(float(v), 3) for v in full.ratio[:, 0]],
    )


if __name__ == "__main__":
    main()
