"""Benjamini-Hochberg and Holm adjustments against statsmodels."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from csphub.analysis.hotspots import adjust_pvalues


@pytest.mark.parametrize("method", ["fdr_bh", "holm"])
def test_matches_statsmodels(method):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from statsmodels.stats.multitest import multipletests
    rng = np.random.default_rng(7)
    p = rng.uniform(0, 0.3, 300) ** 2
    np.testing.assert_allclose(adjust_pvalues(p, method), multipletests(p, method=method)[1])


def test_nan_is_left_out_of_the_family():
    p = np.array([0.01, np.nan, 0.02])
    out = adjust_pvalues(p, "fdr_bh")
    assert np.isnan(out[1])
    np.testing.assert_allclose(out[[0, 2]], [0.02, 0.02])  # m = 2, not 3
    assert np.isnan(adjust_pvalues([np.nan, np.nan])).all()
    np.testing.assert_array_equal(adjust_pvalues([0.3, 0.01], "none"), [0.3, 0.01])


def test_unknown_method():
    with pytest.raises(ValueError):
        adjust_pvalues([0.1], "bonferroni")  # type: ignore[arg-type]
