"""Change between two periods: the Poisson E-test and a table of tests by group.

Report absolute change and a p-value rather than percentage change alone: on small counts a
large percentage change is often noise (0 to 3 crimes is "infinite" growth, p = 0.088).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests

_ADJUST = {"holm": "holm", "bh": "fdr_bh", "bonferroni": "bonferroni"}


@dataclass(frozen=True)
class ETestResult:
    """Two Poisson counts compared with the Krishnamoorthy and Thomson (2004) E-test.

    ``c1``/``n1`` are the earlier count and its exposure (months, population ...), ``c2``/``n2``
    the later. ``change`` = c2 - c1; ``rate_change`` = c2/n2 - c1/n1; ``rate_ratio`` =
    (c2/n2) / (c1/n1) and ``pct_change`` = 100 x (rate_ratio - 1), both None when c1 is 0;
    ``p_value`` is two-sided for equal rates.
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

    def to_dict(self) -> dict[str, Any]:
        """The result as a plain dict."""
        return asdict(self)


def _whole(value: Any, name: str) -> int:
    if value != int(value) or value < 0:
        raise ValueError(f"{name} must be a whole number >= 0, got {value!r}")
    return int(value)


#: Grid points whose statistic is within this relative distance of the observed one count as
#: ties (at least as extreme), so rounding cannot drop the observed point itself.
_TIE = 1e-9


def _wald(x1: Any, x2: Any, n1: float, n2: float) -> Any:
    """The E-test statistic (x1/n1 - x2/n2) / sqrt(x1/n1^2 + x2/n2^2); 0 where both are 0."""
    var = x1 / n1**2 + x2 / n2**2
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(var > 0, (x1 / n1 - x2 / n2) / np.sqrt(np.where(var > 0, var, 1)), 0.0)


def _support(mean: float) -> np.ndarray:
    """Counts holding all but a negligible tail (< 1e-15) of a Poisson(mean)."""
    half = 9 * math.sqrt(mean) + 10
    return np.arange(max(0, math.floor(mean - half)), math.ceil(mean + half) + 1)


def _etest_p(c1: int, c2: int, n1: float, n2: float) -> float:
    """Two-sided E-test p: P(|T| >= |t_obs|) with both counts Poisson at the pooled rate."""
    t_obs = abs(float(_wald(c1, c2, n1, n2)))
    if t_obs == 0:
        return 1.0
    rate = (c1 + c2) / (n1 + n2)
    x1, x2 = _support(rate * n1), _support(rate * n2)
    p1, p2 = stats.poisson.pmf(x1, rate * n1), stats.poisson.pmf(x2, rate * n2)
    total = 0.0
    for start in range(0, len(x1), 256):  # blocks keep memory small for large counts
        block = slice(start, start + 256)
        extreme = np.abs(_wald(x1[block, None], x2[None, :], n1, n2)) >= t_obs * (1 - _TIE)
        total += float(p1[block] @ (extreme @ p2))
    return min(total, 1.0)


def poisson_etest(c1: int, c2: int, n1: float = 1.0, n2: float = 1.0) -> ETestResult:
    """Compare two Poisson counts with exposures (E-test, two-sided).

    The statistic is the paper's T = (c1/n1 - c2/n2) / sqrt(c1/n1^2 + c2/n2^2); p is the
    probability, with both counts Poisson at the pooled rate, of |T| at least as large. It
    equals ``statsmodels.stats.rates.etest_poisson_2indep(..., method="wald")`` and, with
    equal exposures, :func:`scipy.stats.poisson_means_test`. It is computed here because
    scipy's version can drop the observed point through rounding when exposures differ
    (p about 1e-4 too low) and statsmodels' builds a grid from 0 to the largest count, which
    is slow for counts in the thousands.

    Parameters
    ----------
    c1, c2 : int
        Counts in the earlier and later period.
    n1, n2 : float
        Exposures (e.g. number of months, or population); equal by default.

    Returns
    -------
    ETestResult

    Examples
    --------
    >>> round(poisson_etest(0, 3).p_value, 4)
    0.0884
    >>> r = poisson_etest(6, 2)
    >>> r.change, r.rate_ratio, round(r.pct_change, 1), round(r.p_value, 4)
    (-4, 0.3333333333333333, -66.7, 0.1749)
    """
    c1, c2 = _whole(c1, "c1"), _whole(c2, "c2")
    if not (n1 > 0 and n2 > 0):
        raise ValueError("exposures n1 and n2 must be > 0")
    p = _etest_p(c1, c2, float(n1), float(n2))
    ratio = None if c1 == 0 else (c2 / n2) / (c1 / n1)
    return ETestResult(
        c1=c1,
        c2=c2,
        n1=float(n1),
        n2=float(n2),
        change=c2 - c1,
        rate_change=c2 / n2 - c1 / n1,
        rate_ratio=ratio,
        pct_change=None if ratio is None else 100.0 * (ratio - 1.0),
        p_value=min(p, 1.0),
    )


@dataclass(frozen=True)
class PeriodChange:
    """E-tests of before against after for every group, with adjusted p-values.

    ``table`` columns: the ``by`` columns, then ``before``, ``after``, ``change``,
    ``rate_before``, ``rate_after`` (count / exposure), ``rate_ratio``, ``pct_change``
    (NaN when before is 0), ``p_value``, ``p_adjusted`` and ``significant``
    (p_adjusted < alpha). ``note`` explains the multiple-testing adjustment.
    """

    table: pd.DataFrame = field(hash=False)
    by: tuple[str, ...]
    before: tuple[str, ...]
    after: tuple[str, ...]
    exposure_before: float
    exposure_after: float
    alpha: float
    adjust: str
    note: str

    def to_records(self) -> list[dict[str, Any]]:
        """The table as JSON-ready records (NaN becomes None)."""
        return json.loads(self.table.to_json(orient="records", double_precision=15))

    def to_dict(self) -> dict[str, Any]:
        """Parameters, note and rows as JSON-ready values."""
        out = {k: getattr(self, k) for k in ("alpha", "adjust", "note")}
        out.update(
            by=list(self.by),
            before=list(self.before),
            after=list(self.after),
            exposure_before=self.exposure_before,
            exposure_after=self.exposure_after,
            rows=self.to_records(),
        )
        return out


def _periods(value: Any) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        return (str(value),)
    return tuple(str(v) for v in value)


def _frame(counts: Any) -> pd.DataFrame:
    return counts if isinstance(counts, pd.DataFrame) else counts.to_pandas()


def period_change(
    counts: Any,
    before: Any,
    after: Any,
    *,
    by: str | Sequence[str] | None = "crime_type",
    period_col: str = "period",
    count_col: str = "count",
    exposure_before: float | None = None,
    exposure_after: float | None = None,
    alpha: float = 0.05,
    adjust: str | None = "holm",
) -> PeriodChange:
    """Before/after change by group (e.g. crime type), each with a Poisson E-test.

    Parameters
    ----------
    counts : DataFrame or pyarrow Table
        ``period_col``, the ``by`` columns and ``count_col`` (without it each row is one
        crime). Periods are compared as text, e.g. ``"2024-03"``.
    before, after : period or sequence of periods
        The periods summed into each side.
    by : str, list of str or None
        Grouping columns; None tests the total.
    exposure_before, exposure_after : float, optional
        Default: the number of periods on each side, so 12 months against 3 compares rates.
    alpha : float
        Level for ``significant``.
    adjust : {"holm", "bh", "bonferroni"} or None
        Multiple-testing adjustment of the p-values across groups (Holm controls the chance
        of any false flag; "bh" the expected share of false flags).

    Returns
    -------
    PeriodChange

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"period": ["2024-01", "2024-02"] * 2,
    ...                    "crime_type": ["Burglary"] * 2 + ["Robbery"] * 2,
    ...                    "count": [40, 20, 3, 4]})
    >>> out = period_change(df, "2024-01", "2024-02")
    >>> out.table[["crime_type", "change", "significant"]].values.tolist()
    [['Burglary', -20, True], ['Robbery', 1, False]]
    """
    df = _frame(counts)
    keys = [by] if isinstance(by, str) else list(by or [])
    pb, pa = _periods(before), _periods(after)
    if set(pb) & set(pa):
        raise ValueError("a period is on both sides")
    nb = float(exposure_before if exposure_before is not None else len(pb))
    na = float(exposure_after if exposure_after is not None else len(pa))
    period = df[period_col].astype(str)
    n = df[count_col] if count_col in df.columns else pd.Series(1, index=df.index)
    side = pd.Series(
        np.where(period.isin(pb), "before", np.where(period.isin(pa), "after", None)),
        index=df.index,
    )
    keep = side.notna()
    work = df.loc[keep, keys].assign(_side=side[keep], _n=n[keep])
    if keys:
        wide = (
            work.groupby([*keys, "_side"], dropna=False)["_n"].sum().unstack("_side", fill_value=0)
        )
    else:
        wide = work.groupby("_side")["_n"].sum().to_frame().T
    wide = wide.reindex(columns=["before", "after"], fill_value=0)
    if (wide != wide.round()).any().any():
        raise ValueError("counts must be whole numbers")
    wide = wide.astype("int64")
    table = wide.reset_index(drop=not keys)
    tests = [
        poisson_etest(b, a, nb, na) for b, a in zip(table["before"], table["after"], strict=True)
    ]
    table["change"] = table["after"] - table["before"]
    table["rate_before"] = table["before"] / nb
    table["rate_after"] = table["after"] / na
    table["rate_ratio"] = [t.rate_ratio for t in tests]
    table["pct_change"] = [t.pct_change for t in tests]
    table["p_value"] = [t.p_value for t in tests]
    table["p_adjusted"] = _adjusted(table["p_value"], adjust)
    table["significant"] = table["p_adjusted"] < alpha
    table.columns.name = None
    note = _note(len(table), alpha, adjust)
    return PeriodChange(table, tuple(keys), pb, pa, nb, na, alpha, adjust or "none", note)


def _adjusted(p: pd.Series, adjust: str | None) -> list[float]:
    if adjust is None or len(p) < 2:
        return p.tolist()
    if adjust not in _ADJUST:
        raise ValueError(f"adjust must be one of {sorted(_ADJUST)} or None")
    return multipletests(p.to_numpy(), method=_ADJUST[adjust])[1].tolist()


def _note(m: int, alpha: float, adjust: str | None) -> str:
    chance = f"{m} groups tested: with no real change about {alpha * m:.1f} would have p < {alpha}"
    if adjust is None or m < 2:
        return chance + " by chance; p-values are not adjusted."
    what = {
        "holm": "Holm (chance of any false flag <= alpha)",
        "bh": "Benjamini-Hochberg (expected share of false flags <= alpha)",
        "bonferroni": "Bonferroni (chance of any false flag <= alpha)",
    }[adjust]
    return f"{chance} by chance; significant uses p-values adjusted by {what}."
