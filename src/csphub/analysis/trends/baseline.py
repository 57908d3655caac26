"""Seasonal baseline and exceedance flags for a monthly count series.

For every month the *expected* count is forecast from earlier months only, so a spike
cannot raise its own baseline:

* ``same_month``: the mean of the same calendar month in the ``max_years`` (default 3)
  years before, counting only months present; at least ``min_years`` (default 2) needed.
* ``stl``: a robust STL decomposition (statsmodels, period 12) of the unbroken run of months
  just before the month (at most ``stl_max_months``, at least ``stl_min_months``); the
  forecast is the last trend value plus the seasonal value of the same month a year earlier.

The observed count is then compared with the upper percentiles of a predictive distribution
around the expected count: ``"poisson"``, or ``"negbin"`` (default), a negative binomial with
variance ``dispersion x expected``. For ``same_month`` the dispersion is at least
``1 + 1/n_years`` (the Poisson-Gamma predictive that allows for the baseline being a mean of
only n years); for both methods it is raised to the mean squared Pearson error of the same
method's earlier forecasts once ``min_errors`` of them exist, so series noisier than Poisson
get wider limits. STL needs those earlier errors before it is used.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.tsa.seasonal import STL

#: Expected counts below this are raised to it for the predictive distribution only.
MIN_EXPECTED = 0.5
_METHODS = ("auto", "same_month", "stl")


@dataclass(frozen=True)
class SeasonalBaseline:
    """Expected counts and exceedance flags, one row per month.

    ``table`` columns: ``month`` (YYYY-MM), ``observed``, ``method`` (``same_month``, ``stl``
    or None), ``n_years`` (earlier years averaged by same_month), ``expected``,
    ``dispersion`` (variance / mean of the predictive; 1 is Poisson), ``upper_95`` and
    ``upper_99`` (the predictive percentiles; one pair per level), ``exceeds_95`` and
    ``exceeds_99`` (observed strictly above that percentile), ``p_upper`` (predictive
    probability of a count at least as high as observed) and ``note`` (why a month has no
    baseline).
    """

    table: pd.DataFrame = field(hash=False)
    method: str
    predictive: str
    levels: tuple[float, ...]
    notes: tuple[str, ...]

    def to_records(self) -> list[dict[str, Any]]:
        """The table as JSON-ready records (NaN becomes None)."""
        return json.loads(self.table.to_json(orient="records", double_precision=15))

    def to_dict(self) -> dict[str, Any]:
        """Parameters, notes and rows as JSON-ready values."""
        return {
            "method": self.method,
            "predictive": self.predictive,
            "levels": list(self.levels),
            "notes": list(self.notes),
            "rows": self.to_records(),
        }


def _monthly(series: pd.Series | pd.DataFrame) -> pd.Series:
    if isinstance(series, pd.DataFrame):
        if not {"month", "count"} <= set(series.columns):
            raise ValueError("a DataFrame needs the columns month and count")
        series = series.set_index("month")["count"]
    index = series.index
    if not isinstance(index, pd.PeriodIndex):
        index = pd.PeriodIndex(pd.to_datetime(index.astype(str)), freq="M")
    out = pd.Series(series.to_numpy(dtype=float), index=index.asfreq("M")).sort_index()
    if out.index.has_duplicates:
        raise ValueError("a month appears more than once")
    if out.isna().any() or (out < 0).any():
        raise ValueError("counts must be present and >= 0 (reindex missing months yourself)")
    return out


def _same_month(values: pd.Series, month: pd.Period, max_years: int) -> list[float]:
    """Counts of the same calendar month in the ``max_years`` years before, where present."""
    earlier = (month - 12 * k for k in range(1, max_years + 1))
    return [float(values[m]) for m in earlier if m in values.index]


def _stl_forecast(
    values: pd.Series, month: pd.Period, min_months: int, max_months: int
) -> float | None:
    history: list[float] = []
    m = month - 1
    while m in values.index and len(history) < max_months:
        history.append(float(values[m]))
        m -= 1
    if len(history) < min_months:
        return None
    y = np.array(history[::-1])
    fit = STL(y, period=12, robust=True).fit()
    return float(fit.trend[-1] + fit.seasonal[-12])


def _predictive(mean: float, dispersion: float) -> Any:
    mean = max(mean, MIN_EXPECTED)
    if dispersion <= 1.0 + 1e-9:
        return stats.poisson(mean)
    return stats.nbinom(mean / (dispersion - 1.0), 1.0 / dispersion)


def _check(method: str, predictive: str, min_years: int, levels: Sequence[float]) -> None:
    if method not in _METHODS:
        raise ValueError(f"method must be one of {_METHODS}")
    if predictive not in ("poisson", "negbin"):
        raise ValueError("predictive must be 'poisson' or 'negbin'")
    if min_years < 2:
        raise ValueError("min_years must be at least 2")
    if not all(0 < lv < 1 for lv in levels):
        raise ValueError("levels must be between 0 and 1")


def seasonal_baseline(
    series: pd.Series | pd.DataFrame,
    *,
    method: str = "auto",
    predictive: str = "negbin",
    levels: Sequence[float] = (0.95, 0.99),
    max_years: int = 3,
    min_years: int = 2,
    stl_min_months: int = 36,
    stl_max_months: int = 60,
    min_errors: int = 12,
) -> SeasonalBaseline:
    """Expected count and exceedance flags for every month of a monthly series.

    Parameters
    ----------
    series : Series or DataFrame
        Counts indexed by month (PeriodIndex, dates or ``"YYYY-MM"``), or a DataFrame with
        ``month`` and ``count``. A month absent from the series is *missing*, not zero.
    method : {"auto", "same_month", "stl"}
        ``"auto"`` uses STL where it is available (an unbroken history of ``stl_min_months``
        and ``min_errors`` earlier STL forecasts) and same-calendar-month otherwise.
    predictive : {"negbin", "poisson"}
        Distribution of the observed count around the expected count (see module notes).
    levels : sequence of float
        Upper percentiles to flag; a month is flagged when observed > percentile.
    max_years, min_years : int
        Earlier years averaged by ``same_month``, at most and at least.
    stl_min_months, stl_max_months, min_errors : int
        History needed and used by STL, and earlier forecast errors needed before the
        dispersion is estimated from them.

    Returns
    -------
    SeasonalBaseline

    Examples
    --------
    >>> import pandas as pd
    >>> months = pd.period_range("2021-01", periods=36, freq="M")
    >>> counts = pd.Series([20] * 35 + [60], index=months)
    >>> out = seasonal_baseline(counts, method="same_month")
    >>> last = out.table.iloc[-1]
    >>> float(last["expected"]), bool(last["exceeds_99"])
    (20.0, True)
    >>> out.table["note"].iloc[0]
    'needs the same month in at least 2 earlier years (has 0)'
    """
    _check(method, predictive, min_years, levels)
    values = _monthly(series)
    errors: dict[str, list[float]] = {"same_month": [], "stl": []}
    rows = []
    for month, observed in values.items():
        same = _same_month(values, month, max_years)
        forecasts: dict[str, float] = {}
        if len(same) >= min_years and method in ("auto", "same_month"):
            forecasts["same_month"] = float(np.mean(same))
        if method in ("auto", "stl"):
            stl_mean = _stl_forecast(values, month, stl_min_months, stl_max_months)
            if stl_mean is not None:
                forecasts["stl"] = stl_mean
        chosen = _choose(forecasts, errors, min_errors)
        row: dict[str, Any] = {"month": str(month), "observed": observed, "method": chosen}
        if chosen is None:
            needs = []
            if method != "stl":
                needs.append(
                    f"the same month in at least {min_years} earlier years (has {len(same)})"
                )
            if method != "same_month":
                needs.append(f"{stl_min_months + min_errors} unbroken earlier months for STL")
            row["note"] = "needs " + " or ".join(needs)
        else:
            n_years = len(same) if chosen == "same_month" else None
            dispersion = 1.0
            if predictive == "negbin":
                floor = 1.0 + 1.0 / n_years if n_years else 1.0
                past = errors[chosen]
                dispersion = max(floor, float(np.mean(past))) if len(past) >= min_errors else floor
            row.update(n_years=n_years, expected=forecasts[chosen], dispersion=dispersion)
            row.update(_flags(observed, forecasts[chosen], dispersion, levels))
        rows.append(row)
        for name, mean in forecasts.items():
            mean = max(mean, MIN_EXPECTED)
            errors[name].append((observed - mean) ** 2 / mean)
    notes = (
        "expected counts use earlier months only; a month's own count never sets its baseline",
        f"predictive: {predictive}; expected counts below {MIN_EXPECTED} are raised to it",
        "same_month does not follow a trend: a steady rise flags more months than a flat series",
        "several months and series tested at once: expect about 5% false flags at the 95% level",
    )
    table = pd.DataFrame(rows).reindex(columns=_columns(levels))
    return SeasonalBaseline(table, method, predictive, tuple(levels), notes)


def _choose(
    forecasts: dict[str, float], errors: dict[str, list[float]], min_errors: int
) -> str | None:
    """STL needs ``min_errors`` earlier forecasts; with both, the one that did better so far."""
    ready = [m for m in forecasts if m == "same_month" or len(errors[m]) >= min_errors]
    if len(ready) == 2 and len(errors["same_month"]) >= min_errors:
        return min(ready, key=lambda m: float(np.mean(errors[m])))
    if "same_month" in ready:
        return "same_month"
    return ready[0] if ready else None


def _columns(levels: Sequence[float]) -> list[str]:
    cols = ["month", "observed", "method", "n_years", "expected", "dispersion"]
    cols += [f"upper_{lv * 100:g}" for lv in levels]
    cols += [f"exceeds_{lv * 100:g}" for lv in levels]
    return [*cols, "p_upper", "note"]


def _flags(
    observed: float, mean: float, dispersion: float, levels: Sequence[float]
) -> dict[str, Any]:
    dist = _predictive(mean, dispersion)
    out: dict[str, Any] = {}
    for lv in levels:
        upper = float(dist.ppf(lv))
        out[f"upper_{lv * 100:g}"] = upper
        out[f"exceeds_{lv * 100:g}"] = bool(observed > upper)
    out["p_upper"] = float(dist.sf(math.ceil(observed) - 1))
    return out
