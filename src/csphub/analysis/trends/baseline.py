"""Seasonal baseline and exceedance flags for a monthly count series.

For every month the *expected* count is forecast from earlier months only, so a spike
cannot raise its own baseline:

* ``same_month``: the mean of the same calendar month in the ``max_years`` (default 3)
  years before, counting only months present; at least ``min_years`` (default 2) needed.
* ``stl``: a robust STL decomposition (statsmodels, period 12) of the unbroken run of months
  just before the month (at most ``stl_max_months``, at least ``stl_min_months``); the
  forecast is the last trend value plus the seasonal value of the same month a year earlier.

The observed count is then placed in a predictive distribution around the expected count,
on both sides: ``"poisson"``, or ``"negbin"`` (default), a negative binomial with variance
``dispersion x expected``. A month is *above* where it is over the upper percentile of a
level (95th, 99th) and *below* where it is under the matching lower one (5th, 1st); each
side has its probability (``p_upper``: this many or more; ``p_lower``: this many or fewer).

How much months vary about the forecast is estimated, not assumed: the dispersion is the
mean squared Pearson error of the same method's earlier forecasts (at least the
``1 + 1/n_years`` of the Poisson-Gamma predictive of a mean of n years). Until
``min_errors`` earlier forecasts exist, a ``same_month`` forecast takes it from the earlier
complete years instead: the Pearson dispersion of the years x calendar-months table about
"year level x month pattern" (at least 1), times ``1 + 1/n_years``. With neither, and
``"negbin"``, the month gets its expected count but the result "too little history" and no
flags, rather than limits from a floor that would pretend to know. STL needs the earlier
errors before it is used at all.
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
    ``dispersion`` (variance / mean of the predictive; 1 is Poisson; NaN with too little
    history), ``upper_95``/``upper_99`` and ``lower_5``/``lower_1`` (the predictive
    percentiles; one pair per level), ``exceeds_95``/``exceeds_99`` (observed strictly above
    the upper percentile) and ``below_5``/``below_1`` (strictly below the lower one),
    ``p_upper`` and ``p_lower`` (predictive probability of a count at least / at most as high
    as observed), ``result`` (``above``, ``below``, ``within``, ``too little history`` or
    ``no baseline``) and ``note`` (why a month has no baseline or no flags).
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
        Levels to flag: a month is above when observed > the ``level`` percentile and below
        when observed < the ``1 - level`` percentile.
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
            row["result"] = "no baseline"
        else:
            n_years = len(same) if chosen == "same_month" else None
            row.update(n_years=n_years, expected=forecasts[chosen])
            if predictive == "poisson":
                row.update(dispersion=1.0, **_flags(observed, forecasts[chosen], 1.0, levels))
            else:
                spread = _spread(values, month, chosen, n_years, errors[chosen], min_errors,
                                 max_years)  # fmt: skip
                row.update(spread)
                if spread["dispersion"] is not None:
                    row.update(_flags(observed, forecasts[chosen], spread["dispersion"], levels))
        rows.append(row)
        for name, mean in forecasts.items():
            mean = max(mean, MIN_EXPECTED)
            errors[name].append((observed - mean) ** 2 / mean)
    notes = (
        "expected counts use earlier months only; a month's own count never sets its baseline",
        f"predictive: {predictive}; expected counts below {MIN_EXPECTED} are raised to it",
        "same_month does not follow a trend: a steady rise flags more months than a flat series",
        "several months and series tested at once: expect about 5% false flags above the 95th "
        "percentile and 5% below the 5th by chance",
        f"with fewer than {min_errors} earlier forecasts a month has too little history to flag",
    )
    table = pd.DataFrame(rows).reindex(columns=_columns(levels))
    return SeasonalBaseline(table, method, predictive, tuple(levels), notes)


def _spread(
    values: pd.Series,
    month: pd.Period,
    chosen: str,
    n_years: int | None,
    past: list[float],
    min_errors: int,
    max_years: int,
) -> dict[str, Any]:
    """How much the month may vary about its forecast, and what that was learnt from.

    From ``min_errors`` earlier forecasts of the same method: their mean squared Pearson
    error. Before that, for ``same_month``: the Pearson dispersion of the earlier complete
    years laid out as a years x calendar months table about the model "year level x month
    pattern" (the chi-square of independence, scipy's ``chi2_contingency``), times the
    ``1 + 1/n`` of a mean of n years. With neither: too little history, and no dispersion.
    """
    floor = 1.0 + 1.0 / n_years if n_years else 1.0
    if len(past) >= min_errors:
        return {
            "dispersion": max(floor, float(np.mean(past))),
            "dispersion_from": f"{len(past)} earlier forecasts",
            "result": None,
        }
    years = _complete_years(values, month, max_years) if chosen == "same_month" else None
    if years is not None:
        phi = _table_dispersion(years)
        if phi is not None:
            return {
                "dispersion": max(1.0, phi) * floor,
                "dispersion_from": f"{len(years)} earlier complete years",
                "result": None,
            }
    return {
        "dispersion": None,
        "dispersion_from": None,
        "result": "too little history",
        "note": (
            f"too little history to say how much months vary: {len(past)} earlier {chosen} "
            f"forecasts ({min_errors} needed) and fewer than 2 complete earlier years"
        ),
    }


def _complete_years(values: pd.Series, month: pd.Period, max_years: int) -> np.ndarray | None:
    """The earlier 12-month blocks (month - 12k to month - 12k + 11) with every month loaded."""
    blocks = []
    for k in range(1, max_years + 1):
        block = [month - 12 * k + j for j in range(12)]
        if all(m in values.index for m in block):
            blocks.append([float(values[m]) for m in block])
    return np.array(blocks) if len(blocks) >= 2 else None


def _table_dispersion(years: np.ndarray) -> float | None:
    """Pearson chi-square over its degrees of freedom for a years x months table."""
    table = years[:, years.sum(axis=0) > 0]
    if table.shape[1] < 2 or (table.sum(axis=1) == 0).any():
        return None
    chi2, _, dof, _ = stats.chi2_contingency(table, correction=False)
    return float(chi2 / dof) if dof else None


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
    cols = ["month", "observed", "method", "n_years", "expected", "dispersion", "dispersion_from"]
    cols += [f"upper_{lv * 100:g}" for lv in levels]
    cols += [f"lower_{_low(lv)}" for lv in levels]
    cols += [f"exceeds_{lv * 100:g}" for lv in levels]
    cols += [f"below_{_low(lv)}" for lv in levels]
    return [*cols, "p_upper", "p_lower", "result", "note"]


def _low(level: float) -> str:
    """The lower percentile's name matching an upper level: 0.95 -> "5"."""
    return f"{round((1 - level) * 100, 6):g}"


def _flags(
    observed: float, mean: float, dispersion: float, levels: Sequence[float]
) -> dict[str, Any]:
    dist = _predictive(mean, dispersion)
    out: dict[str, Any] = {}
    for lv in levels:
        upper, lower = float(dist.ppf(lv)), float(dist.ppf(1 - lv))
        out[f"upper_{lv * 100:g}"] = upper
        out[f"lower_{_low(lv)}"] = lower
        out[f"exceeds_{lv * 100:g}"] = bool(observed > upper)
        out[f"below_{_low(lv)}"] = bool(observed < lower)
    out["p_upper"] = float(dist.sf(math.ceil(observed) - 1))
    out["p_lower"] = float(dist.cdf(math.floor(observed)))
    above = any(out[f"exceeds_{lv * 100:g}"] for lv in levels)
    below = any(out[f"below_{_low(lv)}"] for lv in levels)
    out["result"] = "above" if above else "below" if below else "within"
    return out
