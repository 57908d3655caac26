"""Choropleth classes: quantile, equal-interval or fixed breaks, and their legend labels.

Classes are closed on the right, as in PySAL's mapclassify: a value equal to a break falls
in the lower class. Quantile breaks are ``numpy.percentile`` (linear interpolation) at
``100/k, 200/k, ..., 100``, with repeated breaks merged, so tied data can give fewer
classes than asked; equal-interval breaks split ``[min, max]`` into ``k`` equal widths.
Fixed breaks are the boundaries between classes, so ``k - 1`` of them make ``k`` classes
and the top class is open ("over 50").

Quantile and equal-interval breaks are rounded to the decimals the legend shows (the fewest
that keep them distinct) before values are classed, so a value sits in the class its
legend label says: 6.43 is "over 6.4", never in "4.6 to 6.4".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from csphub.reports.svg.fmt import format_number, is_missing

Scheme = Literal["quantile", "equal", "fixed"]
MAX_CLASSES = 7


@dataclass(frozen=True)
class Classification:
    """Class of each unit (0 = lowest; None = no data) and the classes' bounds and labels."""

    scheme: str
    lower: float | None  # lowest value (bottom of class 0); None without data or for fixed
    upper_bounds: tuple[float, ...]  # top of each class; the last is inf for fixed breaks
    index: tuple[int | None, ...]
    counts: tuple[int, ...]
    labels: tuple[str, ...]
    no_data: int

    @property
    def k(self) -> int:
        return len(self.upper_bounds)


def _values(values: Sequence[object]) -> tuple[np.ndarray, np.ndarray]:
    missing = np.array([is_missing(v) for v in values], dtype=bool)
    y = np.array([np.nan if m else float(v) for v, m in zip(values, missing, strict=True)])  # type: ignore[arg-type]
    return y, missing


def quantile_breaks(y: np.ndarray, k: int) -> np.ndarray:
    """Upper bounds of ``k`` quantile classes (fewer when values tie).

    Examples
    --------
    >>> quantile_breaks(np.arange(1, 11), 5).tolist()
    [2.8, 4.6, 6.4, 8.2, 10.0]
    """
    q = np.linspace(100 / k, 100, k)
    return np.unique(_tidy(np.percentile(np.asarray(y, dtype=float), q)))


def equal_breaks(y: np.ndarray, k: int) -> np.ndarray:
    """Upper bounds of ``k`` classes of equal width from the minimum to the maximum.

    Examples
    --------
    >>> equal_breaks(np.array([0.0, 35.0, 100.0]), 4).tolist()
    [25.0, 50.0, 75.0, 100.0]
    """
    lo, hi = float(np.min(y)), float(np.max(y))
    if hi == lo:
        return np.array([hi])
    bounds = _tidy(lo + (hi - lo) * np.arange(1, k + 1) / k)
    bounds[-1] = hi
    return bounds


def _tidy(a: np.ndarray) -> np.ndarray:
    """Drop floating-point noise (12 significant digits): 6.3999999999999995 is 6.4."""
    return np.array([float(f"{v:.12g}") for v in a], dtype=float)


def _decimals(bounds: Sequence[float], data: np.ndarray, *, exact: bool) -> int:
    """Fewest decimals (up to 3) that keep the bounds distinct (``exact``: unchanged)."""
    finite = [b for b in bounds if np.isfinite(b)]
    whole = all(float(b).is_integer() for b in finite) and bool(np.all(data == np.round(data)))
    for d in range(0 if whole else 1, 4):
        shown = [round(b, d) for b in finite]
        if (shown == finite) if exact else len(set(shown)) == len(shown):
            return d
    return 3


def _rounded(bounds: np.ndarray, lower: float, decimals: int) -> tuple[np.ndarray, float]:
    """Bounds rounded for the legend; the top one up, the bottom one down, to keep all data."""
    f = 10.0**decimals
    out = np.round(bounds, decimals)
    out[-1] = math.ceil(round(bounds[-1] * f, 6)) / f
    return out, math.floor(round(lower * f, 6)) / f


def class_labels(lower: float | None, upper_bounds: Sequence[float], decimals: int) -> list[str]:
    """Legend labels: "3 to 12", "over 12 to 20", ..., and "over 50" for an open top class.

    Examples
    --------
    >>> class_labels(3, [12, 20], 0)
    ['3 to 12', 'over 12 to 20']
    >>> class_labels(None, [10, 50, float("inf")], 0)
    ['10 or less', 'over 10 to 50', 'over 50']
    """
    labels = []
    for i, top in enumerate(upper_bounds):
        hi = format_number(top, decimals)
        if i == 0:
            labels.append(
                f"{hi} or less" if lower is None else f"{format_number(lower, decimals)} to {hi}"
            )
        elif not np.isfinite(top):
            labels.append(f"over {format_number(upper_bounds[i - 1], decimals)}")
        else:
            labels.append(f"over {format_number(upper_bounds[i - 1], decimals)} to {hi}")
    return labels


def classify(
    values: Sequence[object],
    *,
    scheme: Scheme = "quantile",
    classes: int | None = None,
    breaks: Sequence[float] | None = None,
    decimals: int | None = None,
) -> Classification:
    """Put each value in a class; None or NaN is "no data".

    Parameters
    ----------
    values : sequence of numbers or None
    scheme : {"quantile", "equal", "fixed"}
    classes : int, optional
        Number of classes for "quantile" and "equal" (default 5, at most 7). For "fixed"
        it follows from ``breaks`` (and, if given, must equal ``len(breaks) + 1``).
    breaks : sequence of float, optional
        For "fixed" only: the ascending boundaries between classes.
    decimals : int, optional
        Decimals in the labels; by default the fewest that keep the bounds distinct.

    Examples
    --------
    >>> c = classify([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, None], scheme="quantile", classes=5)
    >>> c.counts, c.no_data, c.labels[:2]
    ((2, 2, 2, 2, 2), 1, ('1.0 to 2.8', 'over 2.8 to 4.6'))
    >>> classify([5, 10, 60], scheme="fixed", breaks=[10, 50]).index
    (0, 0, 2)
    """
    y, missing = _values(values)
    data = y[~missing]
    lower: float | None
    if scheme == "fixed":
        if not breaks:
            raise ValueError('scheme "fixed" needs breaks')
        b = np.asarray(breaks, dtype=float)
        if np.any(np.diff(b) <= 0):
            raise ValueError(f"breaks must be strictly ascending: {list(breaks)}")
        if classes is not None and classes != b.size + 1:
            raise ValueError(f"{b.size} breaks make {b.size + 1} classes, not {classes}")
        bounds = np.append(b, np.inf)
        lower = None
    elif scheme in ("quantile", "equal"):
        if breaks is not None:
            raise ValueError(f'breaks are only for scheme "fixed", not {scheme!r}')
        k = 5 if classes is None else classes
        if not 1 <= k <= MAX_CLASSES:
            raise ValueError(f"classes must be 1 to {MAX_CLASSES}, got {k}")
        if data.size == 0:
            bounds, lower = np.array([]), None
        else:
            fn = quantile_breaks if scheme == "quantile" else equal_breaks
            bounds, lower = fn(data, k), float(np.min(data))
    else:
        raise ValueError(f"unknown scheme {scheme!r}; quantile, equal or fixed")
    if bounds.size > MAX_CLASSES:
        raise ValueError(f"at most {MAX_CLASSES} classes, got {bounds.size}")
    exact = scheme == "fixed"
    dec = _decimals(bounds.tolist(), data, exact=exact) if decimals is None else decimals
    if not exact and bounds.size:
        bounds, lower = _rounded(bounds, float(lower), dec)  # type: ignore[arg-type]
        bounds = np.unique(bounds)
    # the top class takes everything above the last inner bound
    idx = np.searchsorted(bounds[:-1], np.where(missing, 0.0, y), side="left")
    index = tuple(None if m else int(i) for i, m in zip(idx, missing, strict=True))
    counts = tuple(int(np.sum((idx == c) & ~missing)) for c in range(bounds.size))
    labels = tuple(class_labels(lower, bounds.tolist(), dec))
    return Classification(
        scheme, lower, tuple(float(b) for b in bounds), index, counts, labels, int(missing.sum())
    )
