"""Weighted Displacement Difference test (Wheeler and Ratcliffe 2018, Crime Science 7:11).

WDD = (T1 - T0) - (C1 - C0) + (D1 - D0) - (DC1 - DC0): the change in the treated area
minus the change in its control, plus the change in the displacement (buffer) area minus the
change in the buffer's control. A negative WDD is a fall beyond what the controls predict,
net of displacement. Wheeler and Ratcliffe take the counts as Poisson, so Var(WDD) is the sum
of the eight counts. Monthly crime counts usually vary more than that (see
:mod:`~csphub.analysis.trends.dispersion`), so ``dispersion`` (a variance-to-mean ratio, e.g.
the Pearson dispersion of the monthly counts) scales the variance as a quasi-Poisson model
would: Var = dispersion x sum of counts. Left at 1, the result's ``note`` says the p-value
assumes Poisson counts. With several crime types and harm weights w_k, the estimate is
sum(w_k WDD_k) with variance sum(w_k^2 Var_k) (Wheeler's harm-weighted WDD).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from scipy import stats


@dataclass(frozen=True)
class WDDResult:
    """The WDD estimate and its normal-approximation test.

    ``estimate`` = ``local`` + ``displacement`` (``local`` = treated change minus control
    change; ``displacement`` = buffer change minus buffer-control change, 0 without a buffer),
    ``se`` = square root of the (weighted) sum of counts, ``z`` = estimate / se, ``p_value``
    two-sided, ``ci_low``/``ci_high`` at ``1 - alpha``; ``n_types`` crime types combined,
    ``weighted`` whether harm weights were applied, ``dispersion`` the largest variance-to-mean
    ratio applied and ``note`` what the variance assumes.
    """

    estimate: float
    se: float
    z: float
    p_value: float
    ci_low: float
    ci_high: float
    local: float
    displacement: float
    alpha: float
    n_types: int
    weighted: bool
    dispersion: float = 1.0
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The result as a plain dict."""
        return asdict(self)


def _counts(value: Any, name: str) -> np.ndarray:
    arr = np.atleast_1d(np.asarray(value, dtype=float))
    if arr.ndim != 1 or (arr < 0).any() or not np.isfinite(arr).all():
        raise ValueError(f"{name} must be counts >= 0 (one per crime type)")
    return arr


def wdd(
    control_before: Any,
    control_after: Any,
    treated_before: Any,
    treated_after: Any,
    disp_control_before: Any = None,
    disp_control_after: Any = None,
    disp_before: Any = None,
    disp_after: Any = None,
    *,
    weights: Any = None,
    alpha: float = 0.05,
    dispersion: Any = 1.0,
) -> WDDResult:
    """Weighted Displacement Difference test, optionally over harm-weighted crime types.

    Parameters
    ----------
    control_before, control_after, treated_before, treated_after : int or array of int
        Counts before and after in the control and treated areas; arrays give one count per
        crime type.
    disp_control_before, disp_control_after, disp_before, disp_after : optional
        Counts in the displacement-control and displacement (buffer) areas: give all four or
        none.
    weights : array of float, optional
        Harm weight per crime type.
    alpha : float
        For the confidence interval.
    dispersion : float or array of float
        Variance-to-mean ratio of the counts (one per crime type, or one for all), at least
        1; the variance of each type is multiplied by it.

    Returns
    -------
    WDDResult

    Examples
    --------
    >>> r = wdd(308, 318, 207, 110, 150, 140, 178, 157)
    >>> r.estimate, round(r.se, 1), round(r.z, 2)
    (-118.0, 39.6, -2.98)
    >>> round(wdd(308, 318, 207, 110, 150, 140, 178, 157, dispersion=4).se, 1)
    79.2
    """
    disp = (disp_control_before, disp_control_after, disp_before, disp_after)
    given = [d is not None for d in disp]
    if any(given) and not all(given):
        raise ValueError("give all four displacement counts or none")
    names = (
        "control_before",
        "control_after",
        "treated_before",
        "treated_after",
        "disp_control_before",
        "disp_control_after",
        "disp_before",
        "disp_after",
    )
    values = (
        control_before,
        control_after,
        treated_before,
        treated_after,
        *(disp if all(given) else (0, 0, 0, 0)),
    )
    c0, c1, t0, t1, dc0, dc1, d0, d1 = (_counts(v, n) for v, n in zip(values, names, strict=True))
    n_types = max(len(a) for a in (c0, c1, t0, t1, dc0, dc1, d0, d1))
    w = np.ones(n_types) if weights is None else _counts(weights, "weights")
    phi = _counts(dispersion, "dispersion")
    if (phi < 1).any():
        raise ValueError("dispersion must be at least 1 (1 is Poisson)")
    try:
        local = np.broadcast_to((t1 - t0) - (c1 - c0), (n_types,))
        moved = np.broadcast_to((d1 - d0) - (dc1 - dc0), (n_types,))
        var = np.broadcast_to(phi * (c0 + c1 + t0 + t1 + dc0 + dc1 + d0 + d1), (n_types,))
        w = np.broadcast_to(w, (n_types,))
    except ValueError:
        raise ValueError("counts and weights must have one value per crime type") from None
    est_local, est_disp = float(w @ local), float(w @ moved)
    estimate = est_local + est_disp
    se = math.sqrt(float((w**2) @ var))
    if se == 0:
        raise ValueError("all counts are zero: the test is undefined")
    z = estimate / se
    half = stats.norm.ppf(1 - alpha / 2) * se
    return WDDResult(
        estimate=estimate,
        se=se,
        z=z,
        p_value=float(2 * stats.norm.sf(abs(z))),
        ci_low=float(estimate - half),
        ci_high=float(estimate + half),
        local=est_local,
        displacement=est_disp,
        alpha=alpha,
        n_types=n_types,
        weighted=weights is not None,
        dispersion=float(phi.max()),
        note=_note(float(phi.max())),
    )


def _note(phi: float) -> str:
    if phi > 1:
        return f"variance allows for counts up to {phi:g} times as variable as Poisson counts"
    return (
        "variance assumes Poisson counts; monthly crime counts usually vary more, which makes "
        "this p-value too small: pass the dispersion of the monthly counts"
    )
