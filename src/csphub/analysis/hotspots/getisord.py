"""Getis-Ord Gi* hot and cold spots on areas (LSOAs) or grid cells, through esda.

Gi* (Getis & Ord 1992; Ord & Getis 1995) with binary weights that include the unit itself:

    Gi* = (sum_j w_ij x_j - xbar sum_j w_ij) / (S sqrt((n sum_j w_ij^2 - (sum_j w_ij)^2) / (n - 1)))

with S the standard deviation of x (divisor n). ``z`` is esda's analytic ``Zs`` (this form).
``p_sim`` comes from esda's conditional permutation (the unit's own value fixed, its
neighbours drawn from the others): N simulated G per unit. esda 2.9 reports a *directed*
(folded) p = (min(k, N - k) + 1) / (N + 1) with k = #(sim >= G): ties count on the upper
side only, so with discrete counts a unit whose neighbourhood is all zeros gets the
smallest p and shows as a cold spot however often the null gives the same value. csphub
counts ties on both sides instead, p_directed = (min(#sim >= G, #sim <= G) + 1) / (N + 1),
and reports the two-sided ``min(1, 2 p_directed)`` by default, which is what "hot at 95 %"
usually means (|z| > 1.96). The simulations are kept in memory while counting:
n_units x permutations x 8 bytes (40,000 cells x 999 = 320 MB).

Units with no neighbour (islands) are reported and not tested: Gi* would only compare the
unit with itself, and esda's permutation gives them the smallest possible p whatever their
count. Their values still enter the global mean and variance.

esda is imported inside the function, never at import of ``csphub``: with numba installed
its first call in a process JIT-compiles for about 14 s, and esda's kernels are not
cached between processes (``NUMBA_CACHE_DIR`` does not help). Without numba esda runs pure Python
(no warm-up; about 4.5 s for 40,000 cells and 999 permutations on 2 cores).
"""

from __future__ import annotations

import warnings
from typing import Unpack

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

from csphub.analysis.hotspots.contiguity import Neighbours
from csphub.analysis.hotspots.gistar_result import GiStarOptions, GiStarResult
from csphub.analysis.hotspots.multitest import ADJUSTMENTS, adjust_pvalues
from csphub.analysis.hotspots.records import frozen_array


def _esda_gistar(
    y: np.ndarray, neighbours: Neighbours, permutations: int, seed: int, n_jobs: int
) -> tuple[np.ndarray, np.ndarray]:
    """esda's analytic z, and the one-sided permutation p with ties counted (NaN if no perms).

    The simulated G of each unit come from esda; the p-value is taken as
    ``(min(#sim >= G, #sim <= G) + 1) / (N + 1)``. esda's own ``p_sim`` counts ties only on
    the upper side, so a unit whose neighbourhood holds the smallest values (all zero cells)
    gets p = 1 / (N + 1) however common that is under the null.
    """
    from esda.getisord import G_Local  # slow first call with numba: keep out of import time
    from libpysal.graph import Graph

    graph = Graph.from_sparse(neighbours.to_sparse(), ids=np.arange(neighbours.n))
    state = np.random.get_state()  # esda reseeds numpy's global generator: put it back
    try:
        # esda warns that its default alternative will change (we count tails ourselves) and
        # divides by a zero spread of simulations for islands (whose results are dropped).
        with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
            warnings.filterwarnings(
                "ignore", message="The alternative hypothesis", category=DeprecationWarning
            )
            lg = G_Local(
                y,
                graph,
                transform="B",
                star=True,
                permutations=permutations,
                seed=seed,
                n_jobs=n_jobs,
                keep_simulations=bool(permutations),
            )
    finally:
        np.random.set_state(state)
    z = np.asarray(lg.Zs, float)
    if not permutations:
        return z, np.full(y.size, np.nan)
    observed = np.asarray(lg.Gs, float)[:, None]
    sims = np.asarray(lg.rGs, float)
    eps = 1e-9 * np.abs(observed)  # sums of the same values in another order are ties
    upper = (sims >= observed - eps).sum(axis=1)
    lower = (sims <= observed + eps).sum(axis=1)
    return z, (np.minimum(upper, lower) + 1.0) / (permutations + 1.0)


def _resolution_note(p_sim: np.ndarray, p_min: float, adjust: str, alpha: float) -> list[str]:
    """Say when the number of permutations, not the data, kept units from being flagged."""
    m = int(np.isfinite(p_sim).sum())
    at_min = int((p_sim <= p_min * (1 + 1e-9)).sum())
    if adjust == "none" or at_min == 0:
        return []
    if adjust == "holm":
        if m * p_min < alpha:
            return []
        needed = "never"
    else:
        k = int(np.floor(m * p_min / alpha)) + 1
        if at_min >= k:
            return []
        needed = f"only when at least {k} units reach it ({at_min} do)"
    return [
        f"resolution: the smallest possible p_sim is {p_min:.4g}; after {adjust} over {m} "
        f"units a unit is significant at {alpha:g} {needed}. Use more permutations or "
        "p_value='norm'."
    ]


def _check(y: np.ndarray, n: int, opts: GiStarOptions) -> None:
    if y.size != n:
        raise ValueError(f"{y.size} counts for {n} units")
    if not np.isfinite(y).all() or (y < 0).any():
        raise ValueError("counts must be finite and not negative")
    if opts.get("adjust", "fdr_bh") not in ADJUSTMENTS:
        raise ValueError(f"adjust must be one of {ADJUSTMENTS}")
    if opts.get("alternative", "two-sided") not in ("two-sided", "directed"):
        raise ValueError("alternative must be 'two-sided' or 'directed'")
    if opts.get("p_value", "sim") not in ("sim", "norm"):
        raise ValueError("p_value must be 'sim' or 'norm'")
    if int(opts.get("permutations", 999)) < 0:
        raise ValueError("permutations must be 0 or more")
    if not 0 < float(opts.get("alpha", 0.05)) < 1:
        raise ValueError("alpha must be between 0 and 1")


def gistar(
    counts: ArrayLike, neighbours: Neighbours, **options: Unpack[GiStarOptions]
) -> GiStarResult:
    """Getis-Ord Gi* for units with given counts and neighbours.

    Parameters
    ----------
    counts : array_like
        Non-negative count (or harm-weighted sum) per unit, aligned with ``neighbours.ids``.
    neighbours : Neighbours
        From :func:`polygon_queen` or :func:`lattice_queen` (self is added as weight 1).
    permutations : int, default 999
        Conditional permutations for ``p_sim``; 0 for the analytic test only.
    seed : int, optional
        Seed of the permutations; drawn and recorded in the result when omitted.
    alpha : float, default 0.05
        Significance level applied to ``p_adjusted``.
    adjust : {"fdr_bh", "holm", "none"}, default "fdr_bh"
        Multiple-comparison adjustment over the tested (non-island) units.
    alternative : {"two-sided", "directed"}, default "two-sided"
        Two-sided p (twice the directed p, capped at 1) or the directed (one-sided) p.
    p_value : {"sim", "norm"}, default "sim"
        Which p is adjusted and tested: the permutation ``p_sim`` or the analytic
        ``p_norm`` (used anyway when ``permutations`` is 0). A permutation p is never
        below 1/(N+1) (2/(N+1) two-sided), so over many units an adjusted ``p_sim`` can
        fail to flag anything; ``notes`` says when that limit binds.
    n_jobs : int, default 1
        esda worker processes (1 is fastest below about 100k units on 2 cores).

    Returns
    -------
    GiStarResult
        ``hotspot`` is "hot" (p_adjusted < alpha, z > 0), "cold" (p_adjusted < alpha,
        z < 0) or "none". ``p_source`` says whether ``p_adjusted`` adjusts ``p_sim``
        ("permutation") or ``p_norm`` ("normal").

    Examples
    --------
    A 9 x 9 lattice with a planted 3 x 3 cluster in the middle:

    >>> from csphub.analysis.hotspots import Grid, lattice_queen
    >>> counts = np.ones((9, 9)); counts[3:6, 3:6] = 10
    >>> _, nb = lattice_queen(Grid(0.0, 0.0, 100.0, 9, 9))
    >>> r = gistar(counts.ravel(), nb, permutations=999, seed=7)
    >>> r.hotspot.reshape(9, 9)[4, 4], r.n_hot, r.n_cold
    ('hot', 5, 0)
    >>> round(float(r.z.reshape(9, 9)[4, 4]), 2), float(r.p_sim.reshape(9, 9)[4, 4])
    (8.94, 0.002)
    """
    y = np.asarray(counts, dtype=float).ravel()
    _check(y, neighbours.n, options)
    permutations = int(options.get("permutations", 999))
    seed = options.get("seed")
    seed = int(np.random.default_rng().integers(2**31)) if seed is None else int(seed)
    alternative = options.get("alternative", "two-sided")
    adjust = options.get("adjust", "fdr_bh")
    alpha = float(options.get("alpha", 0.05))
    notes = list(neighbours.notes)
    n = y.size
    if n < 3 or np.ptp(y) == 0:
        notes.append("Gi* not computed: fewer than 3 units or every unit has the same count")
        z = np.full(n, np.nan)
        p_dir = np.full(n, np.nan)
    else:
        z, p_dir = _esda_gistar(y, neighbours, permutations, seed, int(options.get("n_jobs", 1)))
    island = neighbours.cardinality == 0
    if island.any():
        z[island] = np.nan
        p_dir[island] = np.nan
        notes.append(f"{int(island.sum())} unit(s) without neighbours (islands) not tested")
    factor = 2.0 if alternative == "two-sided" else 1.0
    p_norm = np.minimum(1.0, factor * stats.norm.sf(np.abs(z)))
    p_sim = np.minimum(1.0, factor * p_dir)
    use_sim = permutations > 0 and options.get("p_value", "sim") == "sim"
    if options.get("p_value", "sim") == "sim" and not permutations:
        notes.append("no permutations: the analytic p_norm is adjusted and tested")
    if use_sim:
        notes += _resolution_note(p_sim, min(1.0, factor / (permutations + 1)), adjust, alpha)
    p_adjusted = adjust_pvalues(p_sim if use_sim else p_norm, adjust)
    signif = p_adjusted < alpha
    hotspot = np.where(signif & (z > 0), "hot", np.where(signif & (z < 0), "cold", "none"))
    return GiStarResult(
        unit_id=frozen_array(neighbours.ids, object),
        count=frozen_array(y),
        n_neighbours=frozen_array(neighbours.cardinality),
        z=frozen_array(z),
        p_norm=frozen_array(p_norm),
        p_sim=frozen_array(p_sim),
        p_adjusted=frozen_array(p_adjusted),
        hotspot=frozen_array(hotspot.astype(object)),
        permutations=permutations,
        seed=seed,
        alpha=alpha,
        adjust=adjust,
        alternative=alternative,
        p_source="permutation" if use_sim else "normal",
        neighbours_kind=neighbours.kind,
        islands=neighbours.islands,
        notes=tuple(notes),
    )
