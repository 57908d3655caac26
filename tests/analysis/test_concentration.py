"""Concentration: Gini, generalized Gini, Lorenz curve, top shares, repeat places."""

from __future__ import annotations

import doctest
import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from csphub.analysis import concentration as module
from csphub.analysis.concentration import (
    concentration,
    generalized_gini,
    gini,
    lorenz_curve,
    places_for_share,
    repeat_locations,
    top_shares,
)

SPARSE = [5, 2, 1] + [0] * 7
DENSE = [10, 8, 2] + [0] * 7


def test_docstring_examples_run():
    assert doctest.testmod(module).failed == 0


def test_bernasco_steenbeek_reference_values():
    # lorenzgini test vectors (Bernasco & Steenbeek 2017)
    assert round(gini(DENSE), 2) == 0.78
    assert round(generalized_gini(DENSE), 2) == 0.78
    assert round(gini(SPARSE), 2) == 0.80
    assert round(generalized_gini(SPARSE), 2) == 0.75
    assert round(gini([10] + [0] * 9), 2) == 0.90


def test_exact_values_and_corrections():
    assert gini(DENSE) == pytest.approx(0.78)
    assert generalized_gini(SPARSE) == pytest.approx(1.25 * (0.8 - 1) + 1)
    assert gini([10] + [0] * 9, correction=True) == pytest.approx(1.0)
    # m = min(N, n) = 8 for the sparse vector
    assert generalized_gini(SPARSE, correction=True) == pytest.approx(0.75 * 8 / 7)


def test_most_even_sparse_spread_scores_zero():
    counts = [1] * 4 + [0] * 6  # 4 events, one in each of 4 places: as even as 4 events can be
    assert gini(counts) == pytest.approx(0.6)
    assert generalized_gini(counts) == pytest.approx(0.0)


def test_gini_properties_on_random_counts():
    rng = np.random.default_rng(42)
    for _ in range(200):
        n = int(rng.integers(2, 60))
        x = rng.negative_binomial(1, rng.uniform(0.05, 0.9), n)
        if x.sum() == 0:
            continue
        g, gg = gini(x), generalized_gini(x)
        assert 0 <= g <= 1 and -1e-12 <= gg <= 1 + 1e-12
        assert gg <= g + 1e-12 or x.sum() >= n
        assert gini(rng.permutation(x)) == pytest.approx(g)
        assert gini(3 * x) == pytest.approx(g)
    assert gini([4, 4, 4]) == 0


def test_n_units_pads_zeros():
    assert gini([5, 2, 1], n_units=10) == pytest.approx(gini(SPARSE))
    with pytest.raises(ValueError, match="fewer"):
        gini(SPARSE, n_units=3)
    with pytest.raises(ValueError, match="one event"):
        gini([0, 0])
    with pytest.raises(ValueError, match=">= 0"):
        gini([1, -1])


def test_generalized_gini_needs_event_count_for_harm():
    harm = [10.5, 2.25, 0, 0]
    with pytest.raises(ValueError, match="n_events"):
        generalized_gini(harm)
    assert generalized_gini(harm, n_events=2) == pytest.approx(2 * (gini(harm) - 1) + 1)


def test_lorenz_curve_points():
    curve = lorenz_curve(DENSE)
    assert len(curve.place_share) == 11
    assert (curve.place_share[0], curve.crime_share[0]) == (0.0, 0.0)
    assert curve.crime_share[-1] == pytest.approx(1.0)
    assert list(curve.crime_share) == sorted(curve.crime_share)
    area = np.trapezoid(curve.crime_share, curve.place_share)
    assert 1 - 2 * area == pytest.approx(gini(DENSE))
    down = lorenz_curve(DENSE, descending=True)
    assert down.crime_share[1] == pytest.approx(0.5)
    assert curve.to_records()[-1] == {"place_share": 1.0, "crime_share": 1.0}


def test_top_shares_partial_places_and_ties():
    shares = top_shares(DENSE)
    assert shares == pytest.approx({0.01: 0.05, 0.05: 0.25, 0.10: 0.5})
    # 200 places, tied counts at the 1% boundary: 2 places of 5 out of the three 5s
    counts = [5, 5, 5] + [1] * 197
    assert top_shares(counts, (0.01,))[0.01] == pytest.approx(10 / 212)
    assert top_shares(list(reversed(counts)), (0.01,)) == top_shares(counts, (0.01,))
    with pytest.raises(ValueError, match="between 0 and 1"):
        top_shares(DENSE, (1.5,))


def test_places_for_share():
    assert places_for_share(DENSE, 0.5) == pytest.approx(0.1)
    assert places_for_share(DENSE, 0.7) == pytest.approx(0.15)
    assert places_for_share(DENSE, 1.0) == pytest.approx(0.3)
    assert places_for_share([1] * 10, 0.5) == pytest.approx(0.5)


def test_concentration_summary():
    c = concentration(SPARSE)
    assert (c.n_units, c.n_events, c.n_units_with_events) == (10, 8.0, 3)
    assert round(c.gini, 2) == 0.80 and round(c.generalized_gini, 2) == 0.75
    d = c.to_dict()
    assert d["top_10pct"] == pytest.approx(0.625) and d["top_1pct"] == pytest.approx(0.0625)
    assert json.dumps(d)
    assert concentration([1.5, 0.5, 0]).generalized_gini is None


@pytest.fixture
def events() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "event_id": ["e1", "e2", "e3", "e3", "e4", "e5", "e6", "e7", "e8", "e9"],
            "address_id": ["A", "A", "B", "B", "C", "", None, "  ", "A", "D"],
            "month": ["m1"] * 8 + ["m2", "m2"],
        }
    )


def test_repeat_locations_over_all_rows(events):
    out = repeat_locations(events, event_col="event_id")
    s = out.summary.iloc[0]
    # known places: A x3 (e1, e2, e8), B x1 (e3 twice), C x1, D x1
    assert (s["events"], s["places"], s["repeat_places"]) == (6, 4, 1)
    assert s["events_at_repeat_places"] == 3
    assert s["repeat_event_share"] == pytest.approx(0.5)
    assert s["repeat_place_share"] == pytest.approx(0.25)
    assert s["unknown_place"] == 3  # "", None and blanks are never a place
    dist = out.distribution.set_index("events_per_place")
    assert dist.loc[1, "places"] == 3 and dist.loc[3, "events"] == 3


def test_repeat_locations_by_period_and_row_counting(events):
    out = repeat_locations(events, period_col="month").summary.set_index("month")
    assert out.loc["m1", "events"] == 5  # without event_col the duplicated e3 row counts twice
    assert out.loc["m1", "repeat_places"] == 2  # A (e1, e2) and B (two rows)
    assert out.loc["m2", "repeat_places"] == 0 and out.loc["m2", "places"] == 2
    assert json.dumps(repeat_locations(pa.Table.from_pandas(events)).to_dict())
