"""A change test that respects overdispersion: the monthly counts of each period say whether
a Poisson test is honest, and the test that decides is named beside its p-value.

Monthly crime counts usually vary more than a Poisson count would (a busy weekend, an
operation, a recording change), so a test that treats the period totals as Poisson calls
ordinary month-to-month noise a significant change. Here the dispersion is estimated from
the months themselves:

* a Poisson log-linear model with one level per period (``count ~ period``, statsmodels GLM)
  is fitted to the monthly counts; the dispersion is its Pearson chi-square divided by the
  residual degrees of freedom (months - 2);
* where that dispersion exceeds 1 beyond chance (the Pearson statistic's upper chi-square
  tail below ``dispersion_alpha``), the change is tested with the quasi-Poisson model (the
  same GLM with its scale set to the Pearson dispersion, a t test on the period
  coefficient with months - 2 degrees of freedom: McCullagh and Nelder 1989, section 4.5);
* otherwise the counts are Poisson-like and the exact-style E-test of the two totals decides
  (Krishnamoorthy and Thomson 2004), as does any series too short to estimate a dispersion
  (fewer than ``min_df`` residual degrees of freedom) or with no records in a period.

Months absent from the store are left out, never counted as 0: exposures are the months
present.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import statsmodels.api as sm
from scipy import stats

from csphub.analysis.trends.etest import poisson_etest

ETEST = "Poisson E-test"
QUASI = "quasi-Poisson"
#: Residual degrees of freedom below which no dispersion is estimated.
MIN_DF = 4


@dataclass(frozen=True)
class ChangeTest:
    """Two periods' monthly counts compared, with the test that decided.

    ``c1``/``c2`` are the period totals over ``n1``/``n2`` months; ``rate_ratio`` and
    ``pct_change`` are None when c1 is 0. ``dispersion`` is the Pearson dispersion of the
    monthly counts about each period's mean (None when too few months), ``dispersion_p`` the
    chance of a dispersion at least that large if the counts were Poisson, ``test`` the test
    whose two-sided ``p_value`` is reported and ``why`` the reason it was chosen.
    """

    c1: int
    c2: int
    n1: float
    n2: float
    change: int
    rate_change: float
    rate_ratio: float | None
    pct_change: float | None
    p_value: float
    test: str
    dispersion: float | None
    dispersion_p: float | None
    why: str

    def to_dict(self) -> dict[str, Any]:
        """The result as a plain dict."""
        return asdict(self)


def _pearson(y: np.ndarray, after: np.ndarray) -> tuple[float, int]:
    """Pearson chi-square of the counts about each period's mean, and its degrees of freedom."""
    fitted = np.where(after == 1, y[after == 1].mean(), y[after == 0].mean())
    return float(((y - fitted) ** 2 / fitted).sum()), len(y) - 2


def _quasi_p(y: np.ndarray, after: np.ndarray) -> float:
    """Two-sided p of the period coefficient in a quasi-Poisson GLM (scale = Pearson X2/df)."""
    design = sm.add_constant(after.astype(float))
    fit = sm.GLM(y, design, family=sm.families.Poisson()).fit(scale="X2", use_t=True)
    return float(fit.pvalues[1])


def known_dispersion_test(c1: int, c2: int, dispersion: float | None, source: str) -> ChangeTest:
    """Two single counts (one month against one month) with a dispersion learnt elsewhere
    (e.g. a seasonal baseline's earlier forecasts): the quasi-Poisson Wald test of the GLM
    ``count ~ period`` with its scale fixed at ``dispersion``; the E-test when the
    dispersion is unknown (None), at most 1, or a count is 0.

    >>> r = known_dispersion_test(100, 130, 4.0, "earlier forecasts")
    >>> r.test, round(r.p_value, 4), round(poisson_etest(100, 130).p_value, 4)
    ('quasi-Poisson', 0.324, 0.048)
    """
    etest = poisson_etest(c1, c2)
    base = dict(
        c1=c1,
        c2=c2,
        n1=1.0,
        n2=1.0,
        change=etest.change,
        rate_change=etest.rate_change,
        rate_ratio=etest.rate_ratio,
        pct_change=etest.pct_change,
    )
    if dispersion is None:
        why = f"no dispersion ({source}): the E-test assumes Poisson counts"
        return ChangeTest(**base, p_value=etest.p_value, test=ETEST, dispersion=None,
                          dispersion_p=None, why=why)  # fmt: skip
    if dispersion <= 1 or c1 == 0 or c2 == 0:
        why = f"dispersion {dispersion:.2f} from {source}: Poisson-like"
        return ChangeTest(**base, p_value=etest.p_value, test=ETEST, dispersion=dispersion,
                          dispersion_p=None, why=why)  # fmt: skip
    # the GLM's period coefficient is log(c2 / c1) with standard error
    # sqrt(dispersion (1/c1 + 1/c2)): its Wald test in closed form, as statsmodels' GLM with
    # a fixed scale gives it (that fit warns on two observations, having no residual df)
    se = np.sqrt(dispersion * (1 / c1 + 1 / c2))
    p = float(2 * stats.norm.sf(abs(np.log(c2 / c1)) / se))
    why = f"months vary {dispersion:.1f} times as much as Poisson counts ({source})"
    return ChangeTest(**base, p_value=p, test=QUASI, dispersion=dispersion, dispersion_p=None,
                      why=why)  # fmt: skip


def change_test(
    before: Sequence[float],
    after: Sequence[float],
    *,
    dispersion_alpha: float = 0.05,
    min_df: int = MIN_DF,
) -> ChangeTest:
    """Test a change between two runs of monthly counts, allowing for overdispersion.

    Parameters
    ----------
    before, after : sequence of int
        The monthly counts of each period, one per month present (missing months left out).
    dispersion_alpha : float
        Level of the chi-square test of the dispersion that switches to quasi-Poisson.
    min_df : int
        Fewest residual degrees of freedom (months - 2) with which a dispersion is estimated.

    Returns
    -------
    ChangeTest

    Examples
    --------
    Twelve steady months against twelve steady months 20% higher are Poisson-like, so the
    E-test decides; the same totals swinging widely month to month are not:

    >>> steady = change_test([100] * 12, [120] * 12)
    >>> steady.test, steady.dispersion, round(steady.p_value, 6) == round(
    ...     poisson_etest(1200, 1440, 12, 12).p_value, 6)
    ('Poisson E-test', 0.0, True)
    >>> swings = change_test([50, 150] * 6, [70, 170] * 6)
    >>> swings.test, round(swings.dispersion, 1), swings.p_value > 0.05
    ('quasi-Poisson', 25.0, True)
    """
    y0 = np.asarray(before, dtype=float)
    y1 = np.asarray(after, dtype=float)
    if len(y0) == 0 or len(y1) == 0:
        raise ValueError("each period needs at least one month")
    if (y0 < 0).any() or (y1 < 0).any() or np.isnan(np.r_[y0, y1]).any():
        raise ValueError("monthly counts must be present and >= 0")
    c1, c2 = round(float(y0.sum())), round(float(y1.sum()))
    n1, n2 = float(len(y0)), float(len(y1))
    etest = poisson_etest(c1, c2, n1, n2)
    base = dict(
        c1=c1,
        c2=c2,
        n1=n1,
        n2=n2,
        change=etest.change,
        rate_change=etest.rate_change,
        rate_ratio=etest.rate_ratio,
        pct_change=etest.pct_change,
    )
    y = np.r_[y0, y1]
    side = np.r_[np.zeros(len(y0)), np.ones(len(y1))]
    if len(y) - 2 < min_df:
        why = f"too few months to estimate a dispersion ({len(y)}; needs {min_df + 2})"
        return ChangeTest(**base, p_value=etest.p_value, test=ETEST, dispersion=None,
                          dispersion_p=None, why=why)  # fmt: skip
    if c1 == 0 or c2 == 0:
        why = "a period has no records, so no dispersion can be estimated from its months"
        return ChangeTest(**base, p_value=etest.p_value, test=ETEST, dispersion=None,
                          dispersion_p=None, why=why)  # fmt: skip
    chi2, df = _pearson(y, side)
    dispersion = chi2 / df
    dispersion_p = float(stats.chi2.sf(chi2, df))
    if dispersion > 1 and dispersion_p < dispersion_alpha:
        why = (
            f"monthly counts vary {dispersion:.1f} times as much as Poisson counts would "
            f"(chi-square p = {dispersion_p:.2g})"
        )
        return ChangeTest(**base, p_value=_quasi_p(y, side), test=QUASI,
                          dispersion=dispersion, dispersion_p=dispersion_p, why=why)  # fmt: skip
    why = f"monthly counts are Poisson-like (dispersion {dispersion:.2f}, p = {dispersion_p:.2g})"
    return ChangeTest(**base, p_value=etest.p_value, test=ETEST, dispersion=dispersion,
                      dispersion_p=dispersion_p, why=why)  # fmt: skip
