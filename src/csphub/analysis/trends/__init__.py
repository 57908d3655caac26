"""Trends and change: period-on-period E-tests, seasonal baselines with exceedance flags,
and the Weighted Displacement Difference test."""

from csphub.analysis.trends.baseline import SeasonalBaseline, seasonal_baseline
from csphub.analysis.trends.change import ETestResult, PeriodChange, period_change, poisson_etest
from csphub.analysis.trends.displacement import WDDResult, wdd

__all__ = [
    "ETestResult",
    "PeriodChange",
    "SeasonalBaseline",
    "WDDResult",
    "period_change",
    "poisson_etest",
    "seasonal_baseline",
    "wdd",
]
