"""Trends and change: period-on-period E-tests, seasonal baselines with exceedance flags,
and the Weighted Displacement Difference test."""

from csphub.analysis.trends.baseline import SeasonalBaseline, seasonal_baseline
from csphub.analysis.trends.change import PeriodChange, period_change
from csphub.analysis.trends.dispersion import ChangeTest, change_test, known_dispersion_test
from csphub.analysis.trends.displacement import WDDResult, wdd
from csphub.analysis.trends.etest import ETestResult, poisson_etest

__all__ = [
    "ChangeTest",
    "ETestResult",
    "PeriodChange",
    "SeasonalBaseline",
    "WDDResult",
    "change_test",
    "known_dispersion_test",
    "period_change",
    "poisson_etest",
    "seasonal_baseline",
    "wdd",
]
