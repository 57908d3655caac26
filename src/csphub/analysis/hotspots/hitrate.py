"""How well a hotspot map made on one period catches crime in a later period.

With N events in the later period over a study area A, and n of them in the hotspots of
total area a:

* hit rate = n / N;
* PAI, predictive accuracy index (Chainey, Tompson & Uhlig 2008) = (n / N) / (a / A);
* PEI, predictive efficiency index = PAI / PAI*, with PAI* the largest PAI any set of
  units of the same area could have reached in the later period: the n* events of the
  busiest units with total area a. With equal areas n* is the sum of the top-k unit
  counts (k = number of hotspot units). With unequal areas units are taken by density and
  the last one in part (the fractional-knapsack bound), so PAI* is an upper bound and
  PEI a lower bound;
* RRI, recapture rate index (Levine 2008) = (n2 / n1) / (N2 / N1): the growth of the
  hotspots' count from the map period (1) to the later period (2) relative to the whole
  area's growth; 1 = hotspots kept their share, > 1 they took more. Undefined (NaN) when
  n1 = 0 or N2 = 0. Note that apwheele/ptools' ``pai()`` reports a different ratio under
  the name RRI (cumulative predicted / cumulative observed counts).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

import numpy as np
from numpy.typing import ArrayLike

from csphub.analysis.hotspots.records import jsonable


@dataclass(frozen=True)
class HitRate:
    """Scores of one hotspot selection against the later period."""

    n_units: int
    n: float
    N: float  # the standard notation: N events, A total area
    a: float
    A: float
    hit_rate: float
    area_share: float
    pai: float
    pei: float
    rri: float
    coverage: float | None = None

    def to_dict(self) -> dict[str, object]:
        return {k: jsonable(v) for k, v in asdict(self).items()}


def _ratio(num: float, den: float) -> float:
    return num / den if den else float("nan")


def _best_capture(counts: np.ndarray, area: np.ndarray, a: float, equal: bool) -> float:
    """Most events units of total area ``a`` could hold (fractional bound if areas differ)."""
    if equal:
        k = round(a / area[0]) if area.size else 0
        return float(np.sort(counts)[::-1][:k].sum())
    order = np.argsort(-(counts / area), kind="stable")
    cum_area = np.cumsum(area[order])
    full = cum_area <= a * (1 + 1e-12)
    best = float(counts[order][full].sum())
    nxt = int(full.sum())
    if nxt < order.size:
        spare = a - (cum_area[nxt - 1] if nxt else 0.0)
        best += counts[order[nxt]] * max(0.0, spare) / area[order[nxt]]
    return best


def _inputs(
    counts: ArrayLike, area: ArrayLike | None, counts_before: ArrayLike | None
) -> tuple[np.ndarray, np.ndarray, bool, np.ndarray | None]:
    c2 = np.asarray(counts, dtype=float).ravel()
    ar = np.ones(c2.size) if area is None else np.asarray(area, dtype=float).ravel()
    if ar.size != c2.size:
        raise ValueError(f"{ar.size} areas for {c2.size} units")
    if (ar <= 0).any() or (c2 < 0).any():
        raise ValueError("areas must be positive and counts not negative")
    c1 = None if counts_before is None else np.asarray(counts_before, dtype=float).ravel()
    if c1 is not None and c1.size != c2.size:
        raise ValueError(f"{c1.size} earlier counts for {c2.size} units")
    equal = bool(np.allclose(ar, ar[0])) if ar.size else True
    return c2, ar, equal, c1


def _score(
    sel: np.ndarray, c2: np.ndarray, ar: np.ndarray, equal: bool, c1: np.ndarray | None
) -> HitRate:
    n, big_n = float(c2[sel].sum()), float(c2.sum())
    a, big_a = float(ar[sel].sum()), float(ar.sum())
    pai = _ratio(_ratio(n, big_n), a / big_a)
    best_pai = _ratio(_ratio(_best_capture(c2, ar, a, equal), big_n), a / big_a)
    rri = float("nan")
    if c1 is not None:
        rri = _ratio(_ratio(n, float(c1[sel].sum())), _ratio(big_n, float(c1.sum())))
    return HitRate(
        n_units=int(sel.sum()),
        n=n,
        N=big_n,
        a=a,
        A=big_a,
        hit_rate=_ratio(n, big_n),
        area_share=a / big_a,
        pai=pai,
        pei=_ratio(pai, best_pai),
        rri=rri,
    )


def hit_rates(
    hotspot: ArrayLike,
    counts: ArrayLike,
    *,
    area: ArrayLike | None = None,
    counts_before: ArrayLike | None = None,
) -> HitRate:
    """Hit rate, PAI, PEI and RRI of a set of hotspot units.

    Parameters
    ----------
    hotspot : array_like of bool
        True for the units flagged as hotspots on the earlier period.
    counts : array_like
        Events per unit in the later (test) period.
    area : array_like, optional
        Area per unit (any unit); equal areas (grid cells) when omitted.
    counts_before : array_like, optional
        Events per unit in the period the map was made from; needed for RRI.

    Examples
    --------
    Four equal cells; the map flags cell 0; later counts 2, 1, 1, 4; earlier 4, 2, 2, 0:

    >>> h = hit_rates([True, False, False, False], [2, 1, 1, 4], counts_before=[4, 2, 2, 0])
    >>> h.hit_rate, h.pai, h.pei, h.rri
    (0.25, 1.0, 0.5, 0.5)
    """
    c2, ar, equal, c1 = _inputs(counts, area, counts_before)
    sel = np.asarray(hotspot, dtype=bool).ravel()
    if sel.size != c2.size:
        raise ValueError(f"{sel.size} hotspot flags for {c2.size} units")
    return _score(sel, c2, ar, equal, c1)


def hit_rate_curve(
    score: ArrayLike,
    counts: ArrayLike,
    *,
    area: ArrayLike | None = None,
    counts_before: ArrayLike | None = None,
    coverages: ArrayLike | None = None,
) -> tuple[HitRate, ...]:
    """Scores of the top-ranked units as the flagged area grows.

    Units are ranked by ``score`` (e.g. KDE density or Gi* z of the earlier period),
    highest first, ties in input order. Without ``coverages`` one row per k = 1..n
    top units; with ``coverages`` (area shares such as 0.01, 0.05) the smallest top-k
    whose area reaches each share.

    Examples
    --------
    The apwheele/ptools test vector: observed 6, 3, 0; predicted 3, 2, 1; equal areas:

    >>> rows = hit_rate_curve([3, 2, 1], [6, 3, 0])
    >>> [r.pai for r in rows], [r.pei for r in rows]
    ([2.0, 1.5, 1.0], [1.0, 1.0, 1.0])
    """
    c2, ar, equal, c1 = _inputs(counts, area, counts_before)
    s = np.asarray(score, dtype=float).ravel()
    if s.size != c2.size:
        raise ValueError(f"{s.size} scores for {c2.size} units")
    order = np.argsort(-s, kind="stable")
    if coverages is None:
        ks = list(range(1, c2.size + 1))
        shares: list[float | None] = [None] * len(ks)
    else:
        cum = np.cumsum(ar[order]) / ar.sum()
        shares = [float(c) for c in np.asarray(coverages, dtype=float).ravel()]
        ks = [min(c2.size, int(np.searchsorted(cum, c - 1e-12)) + 1) for c in shares]
    rows = []
    for k, share in zip(ks, shares, strict=True):
        sel = np.zeros(c2.size, bool)
        sel[order[:k]] = True
        row = _score(sel, c2, ar, equal, c1)
        rows.append(row if share is None else replace(row, coverage=share))
    return tuple(rows)
