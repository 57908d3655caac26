"""Exceedance on both sides, with probabilities, and "too little history" where the baseline
cannot yet say how much months vary."""

from __future__ import annotations

import pandas as pd
import pytest
from scipy import stats

from csphub.analysis.trends import seasonal_baseline


def _series(values: list[int], start: str = "2018-01") -> pd.Series:
    return pd.Series(values, index=pd.period_range(start, periods=len(values), freq="M"))


def test_a_month_far_below_expectation_is_below_with_its_probability():
    # four steady years of 100 a month, then a month of 40: every earlier forecast was exact,
    # so the dispersion is the Poisson-Gamma floor 1 + 1/3 for a mean of three years, and
    # the predictive is a negative binomial with mean 100 and variance 400/3
    result = seasonal_baseline(_series([100] * 48 + [40]), method="same_month").table
    last = result.iloc[-1]
    assert last["expected"] == 100 and last["dispersion"] == pytest.approx(4 / 3)
    nb = stats.nbinom(100 / (1 / 3), 3 / 4)
    assert last["p_lower"] == pytest.approx(nb.cdf(40), rel=1e-9)
    assert last["p_lower"] < 1e-6
    assert last["p_upper"] == pytest.approx(1.0)
    assert bool(last["below_1"]) and bool(last["below_5"])
    assert not bool(last["exceeds_95"])
    assert last["result"] == "below"


def test_a_month_far_above_is_above_and_an_ordinary_month_is_within():
    result = seasonal_baseline(_series([100] * 48 + [180, 100]), method="same_month").table
    assert list(result["result"].tail(2)) == ["above", "within"]


def test_too_little_history_is_said_instead_of_flags_from_a_floor():
    # 2018-01 to 2019-12 loaded but for 2019-06: January 2020 has the same month in two
    # earlier years (a mean of 100) but no complete earlier year to learn how much months
    # vary from, nor any earlier forecasts
    months = [m for m in pd.period_range("2018-01", "2020-01", freq="M") if str(m) != "2019-06"]
    series = pd.Series([100] * (len(months) - 1) + [30], index=pd.PeriodIndex(months))
    last = seasonal_baseline(series, method="same_month").table.iloc[-1]
    assert last["expected"] == 100
    assert last["result"] == "too little history"
    assert pd.isna(last["upper_95"]) and pd.isna(last["p_lower"])
    assert "0 earlier same_month forecasts (12 needed)" in last["note"]


def test_two_complete_years_give_the_dispersion_of_their_table():
    # years 2018 and 2019 as a 2 x 12 table: 2018 alternates 80 and 120, 2019 is 100 flat;
    # the independence fit is 100 in every cell (row totals equal, column totals 180 or 220
    # -> 90 or 110), so chi-square = 12 x (10^2/90 + 10^2/110)... written out below
    y2018 = [80, 120] * 6
    y2019 = [100] * 12
    table = pd.DataFrame([y2018, y2019])
    fitted = table.sum(axis=1).to_numpy()[:, None] * table.sum(axis=0).to_numpy() / 2400
    chi2 = float(((table.to_numpy() - fitted) ** 2 / fitted).sum())
    phi = chi2 / 11
    assert phi > 1
    series = _series(y2018 + y2019 + [100])
    last = seasonal_baseline(series, method="same_month").table.iloc[-1]
    assert last["dispersion"] == pytest.approx(phi * 1.5)
    assert last["dispersion_from"] == "2 earlier complete years"
    assert last["result"] == "within"
