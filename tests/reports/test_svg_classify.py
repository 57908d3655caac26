"""Choropleth classes against values worked by hand (and mapclassify's conventions)."""

from __future__ import annotations

import numpy as np
import pytest

from csphub.reports.svg import classify, equal_breaks, quantile_breaks


def test_quantile_breaks_are_percentiles_with_linear_interpolation():
    assert quantile_breaks(np.arange(1, 11), 5).tolist() == [2.8, 4.6, 6.4, 8.2, 10.0]
    assert quantile_breaks(np.array([0, 0, 0, 0, 1, 9]), 4).tolist() == [0.0, 0.75, 9.0]


def test_equal_breaks_split_the_range_evenly():
    assert equal_breaks(np.array([0.0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]), 5).tolist() == [
        20.0,
        40.0,
        60.0,
        80.0,
        100.0,
    ]
    assert equal_breaks(np.array([4.0, 4.0]), 5).tolist() == [4.0]


def test_quantile_classes_counts_and_labels():
    c = classify(list(range(1, 11)), scheme="quantile", classes=5)
    assert c.index == (0, 0, 1, 1, 2, 2, 3, 3, 4, 4)
    assert c.counts == (2, 2, 2, 2, 2)
    assert c.labels == (
        "1.0 to 2.8",
        "over 2.8 to 4.6",
        "over 4.6 to 6.4",
        "over 6.4 to 8.2",
        "over 8.2 to 10.0",
    )


def test_equal_classes_are_closed_on_the_right():
    c = classify([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100], scheme="equal", classes=5)
    assert c.index == (0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4)  # 20 is in "0 to 20"
    assert c.counts == (3, 2, 2, 2, 2)
    assert c.labels[0] == "0 to 20" and c.labels[1] == "over 20 to 40"


def test_fixed_breaks_make_an_open_top_class():
    c = classify([0, 5, 10, 11, 50, 51, 1000], scheme="fixed", breaks=[10, 50])
    assert c.index == (0, 0, 0, 1, 1, 2, 2)
    assert c.counts == (3, 2, 2)
    assert c.labels == ("10 or less", "over 10 to 50", "over 50")
    assert c.upper_bounds[-1] == float("inf")


def test_no_data_is_counted_apart():
    c = classify([1.0, None, float("nan"), 3.0, np.nan], scheme="equal", classes=2)
    assert c.index == (0, None, None, 1, None)
    assert c.no_data == 3 and c.counts == (1, 1)


def test_ties_give_fewer_quantile_classes():
    c = classify([0, 0, 0, 0, 0, 0, 1, 2], scheme="quantile", classes=4)
    assert c.k == 3  # the 25th and 50th percentiles are both 0
    assert sum(c.counts) == 8 and c.counts[0] == 6


def test_a_value_sits_in_the_class_its_legend_label_names():
    values = [0.74, 1.83, 2.96, 4.01, 6.43, 6.47, 8.0, 9.99]
    c = classify(values, scheme="quantile", classes=4)
    for v, i in zip(values, c.index, strict=True):
        top = c.upper_bounds[i]
        bottom = c.lower if i == 0 else c.upper_bounds[i - 1]
        assert (bottom <= v if i == 0 else bottom < v) and v <= top


def test_bad_parameters_are_refused():
    with pytest.raises(ValueError, match="needs breaks"):
        classify([1, 2], scheme="fixed")
    with pytest.raises(ValueError, match="ascending"):
        classify([1, 2], scheme="fixed", breaks=[5, 2])
    with pytest.raises(ValueError, match="make 3 classes"):
        classify([1, 2], scheme="fixed", breaks=[1, 2], classes=5)
    with pytest.raises(ValueError, match="only for"):
        classify([1, 2], scheme="quantile", breaks=[1])
    with pytest.raises(ValueError, match="1 to 7"):
        classify([1, 2], classes=9)
    with pytest.raises(ValueError, match="unknown scheme"):
        classify([1, 2], scheme="jenks")  # type: ignore[arg-type]
