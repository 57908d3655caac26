"""The dispersion-aware change test against series whose dispersion is known: written out by
hand, or drawn from a negative binomial with a set variance-to-mean ratio."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from csphub.analysis.trends import change_test, period_change, poisson_etest

# Each year alternates 20 below and 20 above its mean (100, then 110): the Pearson statistic
# is 12 x 400/100 + 12 x 400/110 = 91.636 on 22 degrees of freedom, dispersion 4.165.
BEFORE = [80, 120] * 6
AFTER = [90, 130] * 6
PEARSON = 12 * 400 / 100 + 12 * 400 / 110
PHI = PEARSON / 22


def _hand_quasi_p() -> float:
    """Quasi-Poisson t test of log(1320 / 1200), standard error sqrt(phi (1/1200 + 1/1320))."""
    se = np.sqrt(PHI * (1 / 1200 + 1 / 1320))
    return float(2 * stats.t.sf(np.log(1320 / 1200) / se, 22))


def test_an_overdispersed_series_is_tested_with_quasi_poisson():
    result = change_test(BEFORE, AFTER)
    assert result.dispersion == pytest.approx(PHI, rel=1e-12)
    assert result.test == "quasi-Poisson"
    assert result.p_value == pytest.approx(_hand_quasi_p(), rel=1e-6)
    assert result.p_value == pytest.approx(0.2544, abs=5e-4)
    # the Poisson E-test of the same totals calls a 10% rise significant
    assert poisson_etest(1200, 1320, 12, 12).p_value < 0.05
    assert result.p_value > 0.05


def test_a_simulated_series_with_dispersion_six_is_found_overdispersed():
    rng = np.random.default_rng(20260101)
    mean, phi = 500.0, 6.0
    draws = rng.negative_binomial(mean / (phi - 1), 1 / phi, size=(120, 24))
    tests = [change_test(d[:12], d[12:]) for d in draws]
    # the Pearson dispersion is unbiased for phi: mean of 120 estimates within 10%
    assert np.mean([t.dispersion for t in tests]) == pytest.approx(phi, rel=0.1)
    assert all(t.test == "quasi-Poisson" for t in tests)
    # with no real change, about 5% of quasi-Poisson tests (not most E-tests) are significant
    false_flags = np.mean([t.p_value < 0.05 for t in tests])
    etest_flags = np.mean([poisson_etest(int(d[:12].sum()), int(d[12:].sum()), 12, 12).p_value
                           < 0.05 for d in draws])  # fmt: skip
    assert false_flags < 0.1
    assert etest_flags > 0.3


def test_a_poisson_like_series_keeps_the_etest():
    rng = np.random.default_rng(7)
    y = rng.poisson(200, size=24)
    result = change_test(y[:12], y[12:])
    assert result.test == "Poisson E-test"
    assert result.p_value == poisson_etest(int(y[:12].sum()), int(y[12:].sum()), 12, 12).p_value


def test_too_few_months_keeps_the_etest_and_says_why():
    result = change_test([10, 30], [20, 40])
    assert result.test == "Poisson E-test" and result.dispersion is None
    assert "too few months" in result.why


def test_period_change_auto_names_the_test_and_drops_the_noisy_rise():
    months_b = [f"2021-{m:02d}" for m in range(1, 13)]
    months_a = [f"2022-{m:02d}" for m in range(1, 13)]
    df = pd.DataFrame(
        {
            "month": months_b + months_a + months_b + months_a,
            "crime_type": ["Noisy"] * 24 + ["Steady"] * 24,
            "count": BEFORE + AFTER + [100] * 12 + [130] * 12,
        }
    )
    old = period_change(df, months_b, months_a, period_col="month").table
    new = period_change(df, months_b, months_a, period_col="month", test="auto").table
    assert old.set_index("crime_type")["significant"].to_dict() == {"Noisy": True, "Steady": True}
    assert new.set_index("crime_type")["test"].to_dict() == {
        "Noisy": "quasi-Poisson",
        "Steady": "Poisson E-test",
    }
    assert new.set_index("crime_type")["significant"].to_dict() == {
        "Noisy": False,
        "Steady": True,
    }
    noisy = new.set_index("crime_type").loc["Noisy"]
    assert noisy["p_value"] == pytest.approx(_hand_quasi_p(), rel=1e-6)


def test_wdd_variance_scales_with_the_dispersion_and_says_so():
    from csphub.analysis.trends import wdd

    # Wheeler and Ratcliffe's example: the eight counts sum to 1,568, so the Poisson
    # variance is 1,568 and with dispersion 4 it is 6,272 (se 79.20, z = -118 / 79.20)
    poisson = wdd(308, 318, 207, 110, 150, 140, 178, 157)
    assert "assumes Poisson" in poisson.note and poisson.p_value < 0.01
    scaled = wdd(308, 318, 207, 110, 150, 140, 178, 157, dispersion=4)
    assert scaled.se == pytest.approx(np.sqrt(4 * 1568))
    assert scaled.p_value == pytest.approx(2 * stats.norm.sf(118 / np.sqrt(6272)))
    assert scaled.p_value > 0.05 and "4 times" in scaled.note
    with pytest.raises(ValueError, match="at least 1"):
        wdd(1, 2, 3, 4, dispersion=0.5)


def test_one_month_against_one_month_uses_the_dispersion_learnt_elsewhere():
    from csphub.analysis.trends import known_dispersion_test

    # log(130/100) = 0.26236 over sqrt(4 (1/100 + 1/130)) = 0.26602: z = 0.98625, p = 0.3240
    result = known_dispersion_test(100, 130, 4.0, "earlier forecasts")
    assert result.test == "quasi-Poisson"
    assert result.p_value == pytest.approx(0.3240, abs=1e-4)
    assert poisson_etest(100, 130).p_value < 0.05  # the E-test alone calls it significant
    unknown = known_dispersion_test(100, 130, None, "too little history")
    assert unknown.test == "Poisson E-test" and unknown.p_value == poisson_etest(100, 130).p_value
