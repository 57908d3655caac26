"""Benchmark: csphub's quartic kernel density on 1M points next to direct summation.

Points: 1,000,000 synthetic events, seeded, in a 40 km x 40 km box of British National
Grid (where Lancashire is): a uniform background plus Gaussian clusters of different sizes.
Surface: quartic kernel, bandwidth (radius) 400 m, 50 m cells, the default grid (the
points' box padded by the bandwidth). Target: csphub under 1 s.

csphub bins the points into cells and convolves the counts with the kernel (FFT). The
baselines evaluate the kernel at every cell centre from every point's exact position
(no binning), so they are also the reference surface:

* direct summation, vectorised: a loop over the cell offsets of a kernel window, each step
  handling all 1M points at once (numpy); run in full.
* direct summation, plain loop: one point at a time adds its kernel window to the surface.
  Far too slow for 1M points, so it runs on a random subsample and its time is
  extrapolated linearly in the number of points (labelled).

Checks: the mass of each surface (density x cell area = number of points) and the largest
difference between csphub's binned surface and the exact one, relative to the peak.

Usage: python bench/bench_kde.py [--points 1000000] [--bandwidth 400] [--cell-size 50]
Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np

from csphub.analysis.hotspots import Grid, kde_quartic

X0, Y0, SIDE = 330_000.0, 420_000.0, 40_000.0


def synthetic_points(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """40 % uniform background, 60 % in 60 Gaussian clusters (sd 80 m to 1.5 km)."""
    rng = np.random.default_rng(seed)
    n_bg = int(0.4 * n)
    k = 60
    cx = rng.uniform(X0 + 3000, X0 + SIDE - 3000, k)
    cy = rng.uniform(Y0 + 3000, Y0 + SIDE - 3000, k)
    sd = np.exp(rng.uniform(np.log(80), np.log(1500), k))
    which = rng.choice(k, size=n - n_bg, p=rng.dirichlet(np.ones(k)))
    x = np.r_[rng.uniform(X0, X0 + SIDE, n_bg), rng.normal(cx[which], sd[which])]
    y = np.r_[rng.uniform(Y0, Y0 + SIDE, n_bg), rng.normal(cy[which], sd[which])]
    return x, y


def _quartic_per_km2(d2: np.ndarray, h: float) -> np.ndarray:
    u2 = d2 / (h * h)
    return np.where(u2 < 1, 3.0 / (math.pi * h * h) * (1 - u2) ** 2, 0.0) * 1e6


def direct_vectorised(x: np.ndarray, y: np.ndarray, grid: Grid, h: float) -> np.ndarray:
    """Exact quartic density at each cell centre, summing over the window offsets."""
    s = grid.cell_size
    col = np.floor((x - grid.x0) / s).astype(np.int64)
    row = np.floor((y - grid.y0) / s).astype(np.int64)
    r = math.ceil(h / s) + 1  # a cell centre within h of a point is at most this far
    flat = np.zeros(grid.n_cells)
    for dr in range(-r, r + 1):
        rr = row + dr
        yc = grid.y0 + (rr + 0.5) * s
        dy2 = (yc - y) ** 2
        for dc in range(-r, r + 1):
            cc = col + dc
            xc = grid.x0 + (cc + 0.5) * s
            k = _quartic_per_km2((xc - x) ** 2 + dy2, h)
            ok = (k > 0) & (rr >= 0) & (rr < grid.ny) & (cc >= 0) & (cc < grid.nx)
            flat += np.bincount(rr[ok] * grid.nx + cc[ok], weights=k[ok], minlength=flat.size)
    return flat.reshape(grid.shape)


def direct_loop(x: np.ndarray, y: np.ndarray, grid: Grid, h: float) -> np.ndarray:
    """Exact quartic density at each cell centre, one point at a time."""
    s = grid.cell_size
    density = np.zeros(grid.shape)
    xc = grid.x0 + (np.arange(grid.nx) + 0.5) * s
    yc = grid.y0 + (np.arange(grid.ny) + 0.5) * s
    for px, py in zip(x, y, strict=True):
        c0 = max(0, math.floor((px - h - grid.x0) / s))
        c1 = min(grid.nx, math.floor((px + h - grid.x0) / s) + 2)
        r0 = max(0, math.floor((py - h - grid.y0) / s))
        r1 = min(grid.ny, math.floor((py + h - grid.y0) / s) + 2)
        d2 = (xc[None, c0:c1] - px) ** 2 + (yc[r0:r1, None] - py) ** 2
        density[r0:r1, c0:c1] += _quartic_per_km2(d2, h)
    return density


def _timed(fn, *args, **kwargs):
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t0


def _rel_max_diff(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a - b).max() / np.abs(b).max())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--bandwidth", type=float, default=400.0)
    parser.add_argument("--cell-size", type=float, default=50.0)
    parser.add_argument("--subsample", type=int, default=20_000, help="for the plain loop")
    parser.add_argument("--seed", type=int, default=20240)
    args = parser.parse_args()
    h, n = args.bandwidth, args.points
    x, y = synthetic_points(n, args.seed)

    _, t_first = _timed(kde_quartic, x, y, bandwidth=h, cell_size=args.cell_size)
    ours, t_ours = _timed(kde_quartic, x, y, bandwidth=h, cell_size=args.cell_size)
    grid = ours.grid
    cell_km2 = grid.cell_area_km2
    print(
        f"{n:,} synthetic points, quartic kernel h = {h:g} m, {grid.cell_size:g} m cells, "
        f"grid {grid.nx} x {grid.ny} = {grid.n_cells:,} cells"
    )

    exact, t_vec = _timed(direct_vectorised, x, y, grid, h)

    rng = np.random.default_rng(args.seed)
    m = min(args.subsample, n)
    pick = rng.choice(n, size=m, replace=False)
    loop, t_loop = _timed(direct_loop, x[pick], y[pick], grid, h)
    t_loop_full = t_loop * n / m
    sub = kde_quartic(x[pick], y[pick], bandwidth=h, grid=grid)
    exact_sub = direct_vectorised(x[pick], y[pick], grid, h)

    n_label = f"{n / 1e6:g}M" if n >= 1e6 else f"{n:,}"
    direct = f"direct-sum mass {exact.sum() * cell_km2:,.1f}"
    rows = [
        (f"KDE {n_label} points, 1st call vs direct sum (vectorised)", t_first, t_vec, direct),
        (
            f"KDE {n_label} points, 2nd call vs direct sum (vectorised)",
            t_ours,
            t_vec,
            f"csphub mass {ours.mass:,.1f}; max |csphub - exact| / peak "
            f"{_rel_max_diff(ours.density, exact):.3f}",
        ),
        (
            f"KDE {n_label} points, 2nd call vs plain loop (extrapolated*)",
            t_ours,
            t_loop_full,
            f"loop = vectorised on the subsample: max diff / peak "
            f"{_rel_max_diff(loop, exact_sub):.1e}",
        ),
    ]
    print()
    print(f"{'task':<54}{'csphub s':>9}{'baseline s':>12}{'ratio':>9}  check")
    for task, a, b, check in rows:
        print(f"{task:<54}{a:9.3f}{b:12.2f}{b / a:8.0f}x  {check}")
    print()
    print(
        f"* plain loop measured on a random subsample of {m:,} points: {t_loop:.2f} s, "
        f"{t_loop / m * 1e6:.0f} us per point, x {n / m:g} for {n:,} points"
    )
    print(
        f"csphub on the same {m:,}-point subsample and grid: max |csphub - exact| / peak "
        f"{_rel_max_diff(sub.density, exact_sub):.3f} (binning moves points up to "
        f"{grid.cell_size / math.sqrt(2):.0f} m; kernel_sum {ours.kernel_sum:.4f})"
    )
    verdict = "met" if t_ours < 1 else "NOT met"
    print(f"target: csphub under 1 s for {n:,} points: {verdict} ({t_ours:.3f} s)")


if __name__ == "__main__":
    main()
