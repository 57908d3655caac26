"""Adjusting p-values for testing many units at once (Benjamini-Hochberg FDR, Holm).

Benjamini & Hochberg (1995): sort the m p-values, p_adj(k) = min over j >= k of m p(j) / j.
Holm (1979): p_adj(k) = max over j <= k of (m - j + 1) p(j). Both capped at 1. Missing
p-values (NaN, e.g. islands) are left out of the family and stay NaN.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

Adjust = Literal["fdr_bh", "holm", "none"]
ADJUSTMENTS: tuple[str, ...] = ("fdr_bh", "holm", "none")


def adjust_pvalues(p: ArrayLike, method: Adjust = "fdr_bh") -> np.ndarray:
    """Adjust p-values for multiple comparisons.

    Parameters
    ----------
    p : array_like
        p-values in [0, 1]; NaN entries are ignored and returned as NaN.
    method : {"fdr_bh", "holm", "none"}
        Benjamini-Hochberg false discovery rate (default), Holm family-wise error, or none.

    Returns
    -------
    numpy.ndarray
        Adjusted p-values, same order as ``p``.

    Examples
    --------
    >>> adjust_pvalues([0.01, 0.04, 0.03, 0.20]).round(4).tolist()
    [0.04, 0.0533, 0.0533, 0.2]
    >>> adjust_pvalues([0.01, 0.04, 0.03, 0.20], "holm").round(4).tolist()
    [0.04, 0.09, 0.09, 0.2]
    """
    if method not in ADJUSTMENTS:
        raise ValueError(f"adjust must be one of {ADJUSTMENTS}, got {method!r}")
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = np.flatnonzero(~np.isnan(p))
    m = ok.size
    if m == 0:
        return out
    if method == "none":
        out[ok] = p[ok]
        return out
    order = ok[np.argsort(p[ok], kind="stable")]
    ps = p[order]
    rank = np.arange(1, m + 1)
    if method == "fdr_bh":
        adj = np.minimum.accumulate((m / rank * ps)[::-1])[::-1]
    else:
        adj = np.maximum.accumulate((m - rank + 1) * ps)
    out[order] = np.minimum(adj, 1.0)
    return out
