"""PAI, PEI and RRI on small hand-computed cases."""

from __future__ import annotations

import math

import numpy as np
import pytest

from csphub.analysis.hotspots import hit_rate_curve, hit_rates


def test_ptools_vector():
    # apwheele/ptools tests/testthat/test-pai.R: obs 6, 3, 0; pred 3, 2, 1; equal areas
    rows = hit_rate_curve([3, 2, 1], [6, 3, 0])
    assert [r.pai for r in rows] == [2.0, 1.5, 1.0]
    assert [r.pei for r in rows] == [1.0, 1.0, 1.0]
    assert [r.n for r in rows] == [6, 9, 9]


def test_hand_case_equal_cells():
    # 4 cells, map flags cell 0; later counts 2,1,1,4 (N=8); earlier 4,2,2,0 (N=8)
    h = hit_rates([True, False, False, False], [2, 1, 1, 4], counts_before=[4, 2, 2, 0])
    assert (h.n, h.N, h.a, h.A) == (2, 8, 1, 4)
    assert h.hit_rate == 0.25
    assert h.pai == 1.0  # (2/8) / (1/4)
    assert h.pei == 0.5  # best single cell holds 4: PAI* = (4/8)/(1/4) = 2
    assert h.rri == 0.5  # (2/4) / (8/8)


def test_rri_growth_relative_to_the_area():
    # hotspots 10 -> 15 while the area 100 -> 120: RRI = 1.5 / 1.2
    h = hit_rates([True, False], [15, 105], counts_before=[10, 90])
    assert h.rri == pytest.approx(1.25)
    assert math.isnan(hit_rates([False, True], [1, 1], counts_before=[5, 0]).rri)  # n1 = 0
    assert math.isnan(hit_rates([True, False], [1, 1]).rri)  # no earlier counts


def test_unequal_areas_pai_and_fractional_best():
    # areas 1, 2, 7 (A=10); later counts 3, 4, 3 (N=10); map flags unit 1 (a=2)
    h = hit_rates([False, True, False], [3, 4, 3], area=[1, 2, 7])
    assert h.pai == pytest.approx((4 / 10) / (2 / 10))
    # best area 2: unit 0 (density 3) whole, then half of unit 1 (density 2) -> 3 + 2 = 5
    assert h.pei == pytest.approx(2.0 / 2.5)
    assert 0 < h.pei <= 1


def test_coverage_curve_picks_the_smallest_top_k_reaching_each_share():
    score = np.arange(100, 0, -1)  # unit 0 ranked first
    counts = np.r_[np.full(10, 5), np.zeros(90)]
    rows = hit_rate_curve(score, counts, coverages=[0.01, 0.05, 0.1, 0.5])
    assert [r.n_units for r in rows] == [1, 5, 10, 50]
    assert [r.coverage for r in rows] == [0.01, 0.05, 0.1, 0.5]
    assert rows[2].hit_rate == 1.0 and rows[2].pai == pytest.approx(10.0)
    assert rows[3].pei == pytest.approx(1.0)
    assert set(rows[0].to_dict()) >= {"pai", "pei", "rri", "hit_rate", "coverage"}


def test_mismatched_input_is_refused():
    with pytest.raises(ValueError):
        hit_rates([True], [1, 2])
    with pytest.raises(ValueError):
        hit_rates([True, False], [1, 2], area=[1, 0])
    with pytest.raises(ValueError):
        hit_rate_curve([1, 2], [1, 2], counts_before=[1])
