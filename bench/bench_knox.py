"""Benchmark: csphub's Knox test next to a straightforward version, in the same run.

Data: the Chicago burglary reference (../shared/data/events, SOURCES.md section 8), 2016
(11,701 events), bands 0.1/200/400/600 m x 7/14/21 days, 999 permutations. Target: csphub
under 5 s on the 2-core reference machine.

Baselines, written here plainly:

* straightforward: the pairs within the largest distance from a KD-tree
  (``scipy.spatial.cKDTree.query_pairs``), then in every permutation everything is
  recomputed for all those pairs: distances, spatial bands, day differences, temporal bands
  and the table. It draws the same permutations as csphub from the same seed, so the
  observed table, the expected table and the p-values must all be equal.
* brute force (optional, ``--pdist-subsample 0`` to skip): full condensed distance matrices
  (``scipy.spatial.distance.pdist``) of all n(n-1)/2 pairs, as ``dist()``-based tools do.
  At n = 11,701 one matrix is 550 MB, so it runs on a random subsample with a few
  permutations and is extrapolated (x n^2, x permutations); the label says so.

Usage: python bench/bench_knox.py [--permutations 999] [--baseline-permutations N]
Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from scipy.spatial import cKDTree
from scipy.spatial.distance import pdist

from _common import SHARED
from csphub.analysis.nearrepeat import knox, read_events_csv

SPACE = (0.1, 200.0, 400.0, 600.0)
TIME = (7.0, 14.0, 21.0)
REFERENCE = [[342, 97, 62], [1892, 1514, 1362], [4145, 3643, 3592], [5805, 5143, 4919]]
EVENTS = Path("events") / "chicago_burglary_2014_2017.csv.gz"


def _bands(limits: tuple[float, ...], values: np.ndarray) -> np.ndarray:
    """Band of each value, (previous limit, limit]; len(limits) means beyond the last."""
    return np.searchsorted(np.asarray(limits), values, side="left")


def _table(s_band: np.ndarray, t_band: np.ndarray) -> np.ndarray:
    n_s, n_t = len(SPACE), len(TIME)
    ok = (s_band < n_s) & (t_band < n_t)
    return np.bincount(s_band[ok] * n_t + t_band[ok], minlength=n_s * n_t).reshape(n_s, n_t)


def straightforward_knox(
    x: np.ndarray, y: np.ndarray, day: np.ndarray, permutations: int, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Observed, expected and p from KD-tree pairs, recomputing everything per permutation."""
    pairs = cKDTree(np.column_stack([x, y])).query_pairs(SPACE[-1], output_type="ndarray")
    i, j = pairs[:, 0], pairs[:, 1]

    def table(t: np.ndarray) -> np.ndarray:
        d = np.hypot(x[i] - x[j], y[i] - y[j])
        dt = np.abs(t[i] - t[j])
        return _table(_bands(SPACE, d), _bands(TIME, dt))

    observed = table(day)
    rng = np.random.default_rng(seed)  # the same draws as csphub's knox
    sims = np.array([table(day[rng.permutation(day.size)]) for _ in range(permutations)])
    expected = sims.mean(axis=0)
    p_value = ((sims >= observed).sum(axis=0) + 1) / (permutations + 1)
    return observed, expected, p_value


def pdist_knox(
    x: np.ndarray, y: np.ndarray, day: np.ndarray, permutations: int, seed: int
) -> tuple[np.ndarray, float, float]:
    """Observed table from full distance matrices; seconds of the set-up and per permutation."""
    t0 = time.perf_counter()
    s_band = _bands(SPACE, pdist(np.column_stack([x, y])))

    def table(t: np.ndarray) -> np.ndarray:
        return _table(s_band, _bands(TIME, pdist(t[:, None].astype(float), "cityblock")))

    observed = table(day)
    setup = time.perf_counter() - t0
    rng = np.random.default_rng(seed)
    t0 = time.perf_counter()
    for _ in range(permutations):
        table(day[rng.permutation(day.size)])
    per_permutation = (time.perf_counter() - t0) / max(permutations, 1)
    return observed, setup, per_permutation


def _timed(fn, *args, **kwargs):
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t0


def _yes(flag: bool) -> str:
    return "yes" if flag else "NO"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=SHARED, help="shared data folder")
    parser.add_argument("--permutations", type=int, default=999)
    parser.add_argument(
        "--baseline-permutations",
        type=int,
        help="run the straightforward baseline with fewer permutations and extrapolate",
    )
    parser.add_argument("--pdist-subsample", type=int, default=2000)
    parser.add_argument("--pdist-permutations", type=int, default=19)
    parser.add_argument("--seed", type=int, default=123456)
    args = parser.parse_args()
    path = args.data / EVENTS
    if not path.exists():
        raise SystemExit(f"shared data not found: {path} (set CSPHUB_SHARED_DATA or --data)")

    events, t_read = _timed(
        read_events_csv,
        path,
        date="date_single",
        date_format="%d/%m/%Y",
        date_from="2016-01-01",
        date_to="2016-12-31",
    )
    n, perms, seed = events.n, args.permutations, args.seed
    x, y, day = events.x, events.y, events.day
    print(f"Chicago burglary 2016: {n:,} events (read in {t_read:.2f} s), {perms} permutations,")
    print(f"bands {SPACE} m x {TIME} days, seed {seed}")

    ours, t_ours = _timed(knox, x, y, day, SPACE, TIME, permutations=perms, seed=seed)

    b_perms = perms if args.baseline_permutations is None else args.baseline_permutations
    (b_obs, b_exp, b_p), t_base = _timed(straightforward_knox, x, y, day, b_perms, seed)
    same_obs = np.array_equal(b_obs, ours.observed)
    if b_perms == perms:
        base_label = f"{t_base:.2f}"
        same_sims = np.array_equal(b_exp, ours.expected) and np.array_equal(b_p, ours.p_value)
        sims_check = f"expected and p equal: {_yes(same_sims)}"
        t_base_full = t_base
    else:
        _, t_zero = _timed(straightforward_knox, x, y, day, 0, seed)
        per_perm = (t_base - t_zero) / max(b_perms, 1)
        t_base_full = t_zero + perms * per_perm
        base_label = f"~{t_base_full:.2f}*"
        sims_check = f"(*extrapolated from {b_perms} permutations, {per_perm * 1e3:.1f} ms each)"

    rows = [
        (
            f"Knox, {n:,} events, {perms} permutations",
            f"{t_ours:.2f}",
            base_label,
            f"{t_base_full / t_ours:.1f}x",
            f"observed equal: {_yes(same_obs)}; {sims_check}",
        )
    ]

    if args.pdist_subsample > 0:
        rng = np.random.default_rng(seed)
        pick = np.sort(rng.choice(n, size=min(args.pdist_subsample, n), replace=False))
        m = pick.size
        sub, t_sub = _timed(
            knox, x[pick], y[pick], day[pick], SPACE, TIME, permutations=perms, seed=seed
        )
        p_obs, setup, per_perm = pdist_knox(
            x[pick], y[pick], day[pick], args.pdist_permutations, seed
        )
        t_pdist_m = setup + perms * per_perm
        scale = (n * (n - 1)) / (m * (m - 1))
        rows.append(
            (
                f"Knox, subsample of {m:,} events, {perms} perms",
                f"{t_sub:.2f}",
                f"~{t_pdist_m:.1f}**",
                f"{t_pdist_m / t_sub:.0f}x",
                f"pdist observed equal: {_yes(np.array_equal(p_obs, sub.observed))}",
            )
        )
        rows.append(
            (
                f"Knox, {n:,} events: pdist extrapolated (x n^2)",
                f"{t_ours:.2f}",
                f"~{t_pdist_m * scale:.0f}**",
                f"{t_pdist_m * scale / t_ours:.0f}x",
                "",
            )
        )

    print()
    print(f"{'task':<48}{'csphub s':>9}{'baseline s':>12}{'ratio':>8}  check")
    for task, a, b, r, check in rows:
        print(f"{task:<48}{a:>9}{b:>12}{r:>8}  {check}".rstrip())
    print()
    print(
        "baseline (row 1): cKDTree.query_pairs once, then distances, bands and table of all "
        f"{ours.n_pairs_within_distance:,} pairs recomputed in every permutation"
    )
    if args.pdist_subsample > 0:
        print(
            f"** brute force pdist: all pairs, full distance matrices; measured on {m:,} events "
            f"with {args.pdist_permutations} permutations ({setup:.2f} s set-up, "
            f"{per_perm:.3f} s per permutation), extrapolated to {perms} permutations"
        )
    matches = _yes(ours.observed.tolist() == REFERENCE)
    print(f"csphub observed table equals the published reference: {matches}")
    print("csphub observed:", ours.observed.tolist())
    print("baseline observed:", b_obs.tolist())
    print("Knox ratios, first week:", [round(float(v), 2) for v in ours.ratio[:, 0]])
    verdict = "met" if t_ours < 5 else "NOT met"
    print(f"target: csphub under 5 s at {perms} permutations: {verdict} ({t_ours:.2f} s)")


if __name__ == "__main__":
    main()
