"""Knox test: the Chicago reference table, band edges, p-values, seeds, a brute-force check."""

from __future__ import annotations

import doctest
import importlib
import json

import numpy as np
import pytest
from scipy.spatial.distance import pdist

from csphub.analysis.nearrepeat import close_pairs, knox, read_events_csv

CHICAGO_2016 = [[342, 97, 62], [1892, 1514, 1362], [4145, 3643, 3592], [5805, 5143, 4919]]


def test_docstring_examples_run():
    for name in ("knoxtest", "events", "alert"):
        module = importlib.import_module(f"csphub.analysis.nearrepeat.{name}")
        assert doctest.testmod(module).failed == 0


@pytest.mark.shared
def test_chicago_2016_observed_table_is_reproduced_exactly(shared_data):
    events = read_events_csv(
        shared_data / "events" / "chicago_burglary_2014_2017.csv.gz",
        date="date_single",
        date_format="%d/%m/%Y",
        date_from="2016-01-01",
        date_to="2016-12-31",
    )
    assert events.n == 11_701
    r = knox(
        events.x,
        events.y,
        events.day,
        [0.1, 200, 400, 600],
        [7, 14, 21],
        permutations=19,
        seed=123456,
    )
    assert r.observed.tolist() == CHICAGO_2016
    assert r.n_events == 11_701
    # strong same-location repeats in the first week (tobydavies notebook, median: 6.45)
    assert 5.5 < r.ratio[0, 0] < 7.5
    assert 1.3 < r.ratio[1, 0] < 1.5
    assert r.p_value[0, 0] == pytest.approx(1 / 20)


def test_band_edges_distance_on_a_limit_zero_distance_and_same_day():
    # bands: space [0, 0], (0, 100], (100, 200]; time [0, 0], (0, 7], (7, 14]
    # pairs: (0,1) d=0 t=0 | (0,2) and (1,2) d=100 and t=7, both exactly on a limit |
    # (2,3) d=0.001 t=1 | (0,3) and (1,3) d=100.001 t=8
    x = [0.0, 0.0, 100.0, 100.001]
    y = [0.0, 0.0, 0.0, 0.0]
    t = [0, 0, 7, 8]
    r = knox(x, y, t, [0, 100, 200], [0, 7, 14], permutations=0)
    assert r.observed.tolist() == [
        [1, 0, 0],  # d = 0 and t = 0: the first bands include 0
        [0, 3, 0],  # a limit belongs to the band it closes: d = 100 -> (0, 100], t = 7 -> (0, 7]
        [0, 0, 2],  # just over the limits: (100, 200] and (7, 14]
    ]
    assert np.isnan(r.expected).all() and np.isnan(r.p_value).all()


def test_pairs_beyond_the_last_limits_are_not_counted():
    x = [0.0, 50.0, 1000.0, 0.0]
    y = [0.0, 0.0, 0.0, 10.0]
    t = [0, 100, 0, 3]
    r = knox(x, y, t, [200], [7], permutations=0)
    # (0,1) too late, (0,2)/(1,2)/(2,3) too far, (0,3) counted, (1,3) too late
    assert r.observed.tolist() == [[1]]
    assert r.n_pairs_within_distance == 3


def test_manhattan_metric():
    x, y, t = [0.0, 60.0], [0.0, 60.0], [0, 1]  # euclidean 84.9, manhattan 120
    assert knox(x, y, t, [100, 200], [7], permutations=0).observed.tolist() == [[1], [0]]
    r = knox(x, y, t, [100, 200], [7], permutations=0, metric="manhattan")
    assert r.observed.tolist() == [[0], [1]]
    assert r.metric == "manhattan"


def test_dates_as_datetime64():
    dates = np.array(["2016-01-01", "2016-01-03", "2016-02-01"], dtype="datetime64[D]")
    r = knox([0, 10, 20], [0, 0, 0], dates, [50], [7, 60], permutations=0)
    assert r.observed.tolist() == [[1, 2]]


def test_p_values_in_range_and_reproducible_with_the_seed():
    rng = np.random.default_rng(0)
    x, y = rng.uniform(0, 2000, 400), rng.uniform(0, 2000, 400)
    t = rng.integers(0, 365, 400)
    a = knox(x, y, t, [100, 200, 400], [7, 14, 28], permutations=49, seed=5)
    b = knox(x, y, t, [100, 200, 400], [7, 14, 28], permutations=49, seed=5)
    c = knox(x, y, t, [100, 200, 400], [7, 14, 28], permutations=49, seed=6)
    assert ((a.p_value > 0) & (a.p_value <= 1)).all()
    assert a.p_value.min() >= 1 / 50
    np.testing.assert_array_equal(a.p_value, b.p_value)
    np.testing.assert_array_equal(a.expected, b.expected)
    assert not np.array_equal(a.expected, c.expected)
    # no space-time interaction was planted: ratios near 1
    assert np.all(np.abs(a.ratio[1:] - 1) < 0.5)


def test_planted_near_repeats_are_significant():
    rng = np.random.default_rng(1)
    bx, by = rng.uniform(0, 5000, 300), rng.uniform(0, 5000, 300)
    bt = rng.integers(0, 365, 300)
    # each seed event gets a follower within 50 m and 3 days
    fx = bx + rng.uniform(-35, 35, 300)
    fy = by + rng.uniform(-35, 35, 300)
    ft = bt + rng.integers(0, 4, 300)
    r = knox(
        np.r_[bx, fx], np.r_[by, fy], np.r_[bt, ft], [50, 500], [7, 30], permutations=99, seed=2
    )
    assert r.significant()[0, 0]
    assert r.ratio[0, 0] > 10
    assert r.p_value[0, 0] == pytest.approx(0.01)


def test_matches_a_brute_force_count():
    rng = np.random.default_rng(4)
    x, y = rng.uniform(0, 3000, 600), rng.uniform(0, 3000, 600)
    x[:50] = x[50:100]  # some exact same-location pairs
    y[:50] = y[50:100]
    t = rng.integers(0, 200, 600)
    space, time = [0.1, 150, 300, 450], [3, 10, 21]
    d = pdist(np.column_stack([x, y]))
    dt = pdist(t[:, None].astype(float), "cityblock")
    sb = np.searchsorted(space, d, side="left")
    tb = np.searchsorted(time, dt, side="left")
    ok = (sb < 4) & (tb < 3)
    expected = np.zeros((4, 3), int)
    np.add.at(expected, (sb[ok], tb[ok]), 1)
    assert knox(x, y, t, space, time, permutations=0).observed.tolist() == expected.tolist()


def test_close_pairs_include_the_limit_and_each_pair_once():
    i, j, d = close_pairs(np.array([0.0, 3.0, 6.0]), np.array([0.0, 4.0, 8.0]), 5.0)
    assert list(zip(i.tolist(), j.tolist(), strict=True)) == [(0, 1), (1, 2)]
    assert d.tolist() == [5.0, 5.0]


def test_records_and_dict():
    r = knox([0, 10, 500], [0, 0, 0], [0, 1, 2], [100, 1000], [7], permutations=9, seed=1)
    rows = r.to_records()
    assert len(rows) == 2
    assert rows[0]["distance_from_m"] == 0.0 and rows[0]["distance_to_m"] == 100.0
    assert rows[1]["distance_from_m"] == 100.0 and rows[1]["days_to"] == 7.0
    d = r.to_dict()
    json.dumps(d, allow_nan=False)
    assert d["observed"] == [[1], [2]] and d["seed"] == 1 and d["permutations"] == 9


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        knox([0.0], [0.0], [0], [100], [7])
    with pytest.raises(ValueError):
        knox([0.0, 1.0], [0.0, np.nan], [0, 1], [100], [7])
    with pytest.raises(ValueError):
        knox([0.0, 1.0], [0.0, 1.0], [0, 1], [200, 100], [7])
    with pytest.raises(ValueError):
        knox([0.0, 1.0], [0.0, 1.0], [0.5, 1.0], [100], [7])  # not whole days
    with pytest.raises(ValueError):
        knox([0.0, 1.0], [0.0, 1.0], [0, 1], [100], [7], metric="chebyshev")  # type: ignore[arg-type]


@pytest.mark.shared
def test_near_repeat_calculator_table_with_day_limits_one_lower(shared_data):
    # NRC labels "0 to 2" and "3 to 4" days but counts [0, 2) and [2, 4) days apart;
    # tobydavies' NRC-compatible 2016 table (100 m x 3, 2 d x 2) is reproduced with (1, 3].
    events = read_events_csv(
        shared_data / "events" / "chicago_burglary_2014_2017.csv.gz",
        date="date_single",
        date_format="%d/%m/%Y",
        date_from="2016-01-01",
        date_to="2016-12-31",
    )
    r = knox(events.x, events.y, events.day, [0.1, 100, 200, 300], [1, 3], permutations=0)
    assert r.observed.tolist() == [[202, 51], [189, 143], [290, 343], [456, 526]]
