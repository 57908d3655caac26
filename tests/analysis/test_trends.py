"""Trends and change: E-test, period change, seasonal baseline exceedance, WDD."""

from __future__ import annotations

import doctest
import json

import numpy as np
import pandas as pd
import pytest
from scipy.stats import poisson_means_test
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.rates import etest_poisson_2indep

from csphub.analysis.trends import (
    baseline,
    change,
    displacement,
    period_change,
    poisson_etest,
    seasonal_baseline,
    wdd,
)


@pytest.mark.parametrize("module", [baseline, change, displacement])
def test_docstring_examples_run(module):
    assert doctest.testmod(module).failed == 0


# --- E-test ----------------------------------------------------------------------------------


def test_etest_reference_values():
    # ptools tests (Wheeler), reproduced by scipy and statsmodels
    assert round(poisson_etest(0, 3).p_value, 4) == 0.0884
    assert round(poisson_etest(6, 2).p_value, 4) == 0.1749


def test_etest_fields():
    r = poisson_etest(6, 2)
    assert (r.c1, r.c2, r.change, r.rate_change) == (6, 2, -4, -4.0)
    assert r.rate_ratio == pytest.approx(1 / 3)
    assert r.pct_change == pytest.approx(-66.667, abs=1e-3)
    zero = poisson_etest(0, 3)
    assert zero.rate_ratio is None and zero.pct_change is None
    assert json.dumps(zero.to_dict())


def test_etest_with_exposures_uses_rates():
    r = poisson_etest(120, 30, n1=12, n2=3)  # 10 a month both times
    assert r.rate_ratio == pytest.approx(1.0) and r.pct_change == pytest.approx(0.0)
    assert r.p_value > 0.9
    assert poisson_etest(120, 30).p_value < 1e-10  # same counts, equal exposure: a big fall


def test_etest_symmetric_and_agrees_with_statsmodels():
    rng = np.random.default_rng(7)
    for _ in range(60):
        c1, c2 = (int(v) for v in rng.integers(0, 60, 2))
        n1, n2 = (float(v) for v in rng.uniform(0.5, 4, 2))
        p = poisson_etest(c1, c2, n1, n2).p_value
        assert p == pytest.approx(poisson_etest(c2, c1, n2, n1).p_value, abs=1e-12)
        sm = etest_poisson_2indep(c1, n1, c2, n2, method="wald")[1]
        assert p == pytest.approx(min(sm, 1.0), abs=1e-9)
        assert 0 <= p <= 1


def test_etest_close_to_scipy_at_equal_exposure():
    # scipy drops exact ties lost to rounding, e.g. (18, 9) and (9, 18) against (3, 9): 5e-6
    for c1, c2 in [(0, 0), (0, 1), (3, 9), (25, 16), (140, 100), (1000, 1100)]:
        expected = poisson_means_test(c1, 1, c2, 1).pvalue
        assert poisson_etest(c1, c2).p_value == pytest.approx(expected, abs=1e-5)
    # the tie (18, 9) is counted as at least as extreme, as statsmodels does
    exact = etest_poisson_2indep(3, 1, 9, 1, method="wald")[1]
    assert poisson_etest(3, 9).p_value == pytest.approx(exact, abs=1e-12)


def test_etest_keeps_the_observed_point_when_exposures_differ():
    # scipy 1.17 drops the observed cell here by rounding (0.018192); the exact sum is 0.018292
    n1, n2 = 2.9221124230864373, 1.2021235339544831
    ours = poisson_etest(5, 11, n1, n2).p_value
    assert ours == pytest.approx(etest_poisson_2indep(5, n1, 11, n2, method="wald")[1], abs=1e-12)
    assert ours > poisson_means_test(5, n1, 11, n2).pvalue + 5e-5


def test_etest_handles_large_counts():
    r = poisson_etest(5000, 5300, 1.0, 1.1)
    assert r.p_value == pytest.approx(0.0604756, abs=1e-6)


def test_etest_rejects_bad_input():
    with pytest.raises(ValueError, match="whole number"):
        poisson_etest(2.5, 3)
    with pytest.raises(ValueError, match="whole number"):
        poisson_etest(-1, 3)
    with pytest.raises(ValueError, match="exposures"):
        poisson_etest(1, 3, n1=0)


# --- period change ---------------------------------------------------------------------------


@pytest.fixture
def monthly() -> pd.DataFrame:
    rows = []
    for month in [f"2024-{m:02d}" for m in range(1, 13)]:
        rows += [(month, "Burglary", 10), (month, "Robbery", 2)]
    rows += [("2025-01", "Burglary", 30), ("2025-01", "Drugs", 4)]
    return pd.DataFrame(rows, columns=["period", "crime_type", "count"])


def test_period_change_by_type_with_exposure(monthly):
    months_2024 = [f"2024-{m:02d}" for m in range(1, 13)]
    out = period_change(monthly, months_2024, "2025-01")
    t = out.table.set_index("crime_type")
    assert t.loc["Burglary", ["before", "after", "change"]].tolist() == [120, 30, -90]
    assert t.loc["Burglary", "rate_ratio"] == pytest.approx(3.0)  # 10 a month -> 30
    assert t.loc["Robbery", "after"] == 0 and t.loc["Drugs", "before"] == 0
    assert np.isnan(t.loc["Drugs", "pct_change"])
    assert t.loc["Burglary", "p_value"] == pytest.approx(poisson_etest(120, 30, 12, 1).p_value)
    assert (out.exposure_before, out.exposure_after) == (12.0, 1.0)
    holm = multipletests(out.table["p_value"], method="holm")[1]
    assert out.table["p_adjusted"].tolist() == pytest.approx(holm.tolist())
    assert bool(t.loc["Burglary", "significant"]) is True
    assert "3 groups tested" in out.note and "Holm" in out.note


def test_period_change_without_adjustment_and_total(monthly):
    out = period_change(monthly, "2024-12", "2025-01", adjust=None, by=None)
    assert out.table[["before", "after"]].values.tolist() == [[12, 34]]
    assert "not adjusted" in out.note
    raw = period_change(monthly, "2024-12", "2025-01", adjust=None)
    assert raw.table["p_adjusted"].tolist() == raw.table["p_value"].tolist()


def test_period_change_event_rows_and_errors(monthly):
    events = pd.DataFrame({"period": ["a", "a", "b"], "crime_type": ["X", "X", "X"]})
    assert period_change(events, "a", "b").table[["before", "after"]].values.tolist() == [[2, 1]]
    with pytest.raises(ValueError, match="both sides"):
        period_change(monthly, "2024-01", ["2024-01", "2024-02"])
    with pytest.raises(ValueError, match="adjust"):
        period_change(monthly, "2024-01", "2024-02", adjust="sidak")


# --- seasonal baseline -----------------------------------------------------------------------


def seasonal_series(years: int, level: float, seed: int, start: str = "2000-01") -> pd.Series:
    rng = np.random.default_rng(seed)
    months = pd.period_range(start, periods=12 * years, freq="M")
    mean = level * (1 + 0.3 * np.sin(2 * np.pi * np.arange(len(months)) / 12))
    return pd.Series(rng.poisson(mean), index=months)


@pytest.mark.parametrize("method", ["same_month", "auto"])
def test_month_at_three_times_expected_flags_at_99(method):
    series = seasonal_series(6, 30, seed=11).astype(float)
    out = seasonal_baseline(series, method=method).table
    last = out.index[-1]
    series.iloc[-1] = 3 * out.loc[last, "expected"]
    flagged = seasonal_baseline(series, method=method).table.iloc[-1]
    assert bool(flagged["exceeds_99"]) and bool(flagged["exceeds_95"])
    assert flagged["expected"] == pytest.approx(out.loc[last, "expected"])  # own count unused
    assert flagged["p_upper"] < 0.01


def test_stable_poisson_flags_about_five_percent():
    series = seasonal_series(50, 40, seed=20240601)
    t = seasonal_baseline(series, method="same_month").table.dropna(subset=["expected"])
    assert len(t) == 12 * 48
    assert 0.035 <= t["exceeds_95"].mean() <= 0.065
    assert t["exceeds_99"].mean() <= 0.02


def test_stable_poisson_auto_prefers_same_month_and_stays_calibrated():
    t = seasonal_baseline(seasonal_series(20, 40, seed=3)).table.dropna(subset=["expected"])
    assert 0.02 <= t["exceeds_95"].mean() <= 0.08
    assert (t["method"] == "same_month").mean() > 0.5


def test_poisson_predictive_flags_too_often_on_a_mean_of_few_years():
    # documents why negbin is the default: Poisson ignores the error of the baseline itself
    series = seasonal_series(50, 40, seed=20240601)
    pois = seasonal_baseline(series, method="same_month", predictive="poisson").table
    nb = seasonal_baseline(series, method="same_month").table
    assert pois["exceeds_95"].mean() > nb["exceeds_95"].mean()
    both = pois["upper_95"].notna()
    assert both.sum() == 12 * 48
    assert (pois.loc[both, "upper_95"] <= nb.loc[both, "upper_95"]).all()


def test_trend_is_followed_by_stl():
    rng = np.random.default_rng(5)
    months = pd.period_range("2013-01", periods=120, freq="M")
    mean = 100 * np.exp(np.log(3) * np.arange(120) / 120)
    series = pd.Series(rng.poisson(mean), index=months)
    auto = seasonal_baseline(series).table
    assert (auto["method"].iloc[-24:] == "stl").all()
    assert auto["exceeds_95"].iloc[-24:].mean() < 0.2


def test_short_history_says_why_there_is_no_baseline():
    series = seasonal_series(2, 10, seed=1)
    t = seasonal_baseline(series).table
    assert t["expected"].isna().all()
    assert t["note"].iloc[-1] == (
        "needs the same month in at least 2 earlier years (has 1) "
        "or 48 unbroken earlier months for STL"
    )
    stl = seasonal_baseline(series, method="stl").table
    assert stl["note"].iloc[-1] == "needs 48 unbroken earlier months for STL"
    three = seasonal_baseline(seasonal_series(3, 10, seed=1), method="same_month").table
    assert three["expected"].notna().sum() == 12 and (three["n_years"].dropna() == 2).all()


def test_missing_months_are_missing_not_zero():
    series = seasonal_series(4, 10, seed=2)
    gappy = series.drop(pd.Period("2001-01", freq="M"))
    t = seasonal_baseline(gappy, method="same_month").table.set_index("month")
    assert "2001-01" not in t.index
    assert np.isnan(t.loc["2002-01", "expected"])  # only 2000-01 in the last 3 years
    assert t.loc["2002-01", "note"].endswith("(has 1)")
    assert t.loc["2003-01", "n_years"] == 2  # 2002-01 and 2000-01; 2001-01 is not a zero
    mean = (series[pd.Period("2002-01", "M")] + series[pd.Period("2000-01", "M")]) / 2
    assert t.loc["2003-01", "expected"] == pytest.approx(mean)


def test_expected_is_mean_of_same_months_of_last_three_years():
    months = pd.period_range("2020-01", periods=48, freq="M")
    values = np.arange(48, dtype=float)
    t = seasonal_baseline(pd.Series(values, index=months), method="same_month").table
    last = t.iloc[-1]  # 2023-12: mean of 2020-12, 2021-12, 2022-12 = (11 + 23 + 35) / 3
    assert last["expected"] == pytest.approx(23.0) and last["n_years"] == 3
    assert last["dispersion"] >= 1 + 1 / 3


def test_accepts_month_count_frame_and_rejects_bad_input():
    frame = pd.DataFrame({"month": ["2020-01", "2020-02"], "count": [1, 2]})
    assert seasonal_baseline(frame).table["month"].tolist() == ["2020-01", "2020-02"]
    with pytest.raises(ValueError, match="more than once"):
        seasonal_baseline(pd.DataFrame({"month": ["2020-01", "2020-01"], "count": [1, 2]}))
    with pytest.raises(ValueError, match=">= 0"):
        seasonal_baseline(pd.DataFrame({"month": ["2020-01"], "count": [-1]}))
    with pytest.raises(ValueError, match="min_years"):
        seasonal_baseline(frame, min_years=1)
    with pytest.raises(ValueError, match="method"):
        seasonal_baseline(frame, method="arima")


def test_baseline_to_dict_is_json():
    out = seasonal_baseline(seasonal_series(3, 10, seed=4))
    text = json.dumps(out.to_dict())
    assert '"exceeds_95"' in text and out.to_dict()["rows"][0]["expected"] is None


# --- WDD -------------------------------------------------------------------------------------


def test_wdd_paper_reference():
    # Wheeler & Ratcliffe (2018): -118, SE sqrt(1568) = 39.6, Z -2.98, 95% CI (-196, -40)
    r = wdd(308, 318, 207, 110, 150, 140, 178, 157)
    assert r.estimate == -118
    assert round(r.se, 1) == 39.6 and r.se == pytest.approx(1568**0.5)
    assert round(r.z, 2) == -2.98
    assert (round(r.ci_low), round(r.ci_high)) == (-196, -40)
    assert r.p_value == pytest.approx(0.00288, abs=1e-5)
    assert (r.local, r.displacement) == (-107, -11)


def test_wdd_harm_weighted_reference():
    # ptools test "Cumulative Harm": five crime types, weights 3, 2, 5, 7, 10
    r = wdd(
        [133, 388, 148, 86, 94],
        [91, 305, 97, 64, 67],
        [130, 327, 398, 144, 183],
        [74, 202, 190, 92, 96],
        weights=[3, 2, 5, 7, 10],
    )
    assert r.estimate == -1721
    assert r.se == pytest.approx(304.10360077, abs=1e-6)
    assert r.z == pytest.approx(-5.65925558, abs=1e-6)
    assert (r.ci_low, r.ci_high) == pytest.approx((-2317.03210507, -1124.96789493), abs=1e-5)
    assert r.weighted and r.n_types == 5


def test_wdd_simple_cases_and_errors():
    assert wdd(20, 20, 20, 10).estimate == -10
    assert wdd(20, 20, 20, 20, 20, 20, 20, 10).displacement == -10
    assert wdd(20, 20, 20, 10, 20, 20, 20, 10).estimate == -20
    with pytest.raises(ValueError, match="all four"):
        wdd(20, 20, 20, 10, disp_before=5)
    with pytest.raises(ValueError, match="one value per crime type"):
        wdd([1, 2], [1, 2, 3], 1, 1)
    with pytest.raises(ValueError, match="zero"):
        wdd(0, 0, 0, 0)
