"""Quartic KDE: the kernel integrates to 1, the surface keeps every event."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from scipy import integrate

from csphub.analysis.hotspots import Grid, kde_quartic, kernel_weights, quartic_kernel


@pytest.mark.parametrize("h", [50.0, 300.0, 1000.0])
def test_continuous_kernel_integrates_to_one(h):
    radial, _ = integrate.quad(lambda r: 2 * math.pi * r * float(quartic_kernel(r, h)), 0, h)
    assert radial == pytest.approx(1.0, abs=1e-10)
    disc, _ = integrate.dblquad(
        lambda y, x: float(quartic_kernel(math.hypot(x, y), h)),
        -h,
        h,
        lambda x: -math.sqrt(max(h * h - x * x, 0.0)),
        lambda x: math.sqrt(max(h * h - x * x, 0.0)),
    )
    assert disc == pytest.approx(1.0, abs=1e-8)
    assert float(quartic_kernel(h * 1.0001, h)) == 0.0  # nothing outside the radius


@pytest.mark.parametrize(("cell", "h", "tol"), [(100, 300, 0.01), (50, 300, 1e-3), (10, 200, 1e-4)])
def test_discrete_kernel_sums_to_one(cell, h, tol):
    w, raw = kernel_weights(cell, h)
    assert w.sum() == pytest.approx(1.0, abs=1e-12)
    assert raw == pytest.approx(1.0, abs=tol)  # before rescaling: a fine kernel is nearly 1
    assert np.allclose(w, w.T) and np.allclose(w, w[::-1, ::-1])
    assert (w >= 0).all()


def test_kernel_below_cell_size_keeps_the_mass_in_the_cell():
    w, _ = kernel_weights(100.0, 10.0)
    assert w.sum() == 1.0 and w[1, 1] == 1.0


def test_mass_equals_the_number_of_points_on_the_default_grid():
    rng = np.random.default_rng(3)
    x = rng.normal(335_000, 800, 2000)
    y = rng.normal(435_000, 800, 2000)
    r = kde_quartic(x, y, bandwidth=300, cell_size=50)
    assert r.mass == pytest.approx(2000, rel=1e-9)
    assert r.n_outside == 0
    assert (r.density >= 0).all()
    # the grid reaches at least the bandwidth beyond every point
    x0, y0, x1, y1 = r.grid.bounds
    assert x0 <= x.min() - 300 and x1 >= x.max() + 300
    assert y0 <= y.min() - 300 and y1 >= y.max() + 300


def test_density_of_one_point_peaks_at_three_over_pi_h_squared():
    r = kde_quartic([1005.0], [1005.0], bandwidth=500, cell_size=10)
    peak = 3 / (math.pi * 0.5**2)  # per km²
    # rescaled discrete kernel: within 0.1 % of the continuous peak
    assert float(r.density.max()) == pytest.approx(peak, rel=1e-3)
    assert r.density.ravel().argmax() == r.grid.cell_index([1005.0], [1005.0])[0]


def test_a_tight_grid_loses_mass_at_the_edges():
    grid = Grid(0.0, 0.0, 50.0, 20, 20)
    r = kde_quartic([10.0, 500.0], [10.0, 500.0], bandwidth=300, grid=grid)
    assert 1.0 < r.mass < 2.0  # the corner point spills outside, the central one does not


def test_weights_and_records():
    r = kde_quartic([0.0, 0.0], [0.0, 0.0], bandwidth=100, cell_size=25, weights=[2.0, 3.0])
    assert r.mass == pytest.approx(5.0)
    rows = r.to_records(nonzero=True)
    assert set(rows[0]) == {"cell_id", "x", "y", "density_per_km2"}
    assert sum(row["density_per_km2"] for row in rows) * r.grid.cell_area_km2 == pytest.approx(5)
    d = r.to_dict()
    json.dumps(d, allow_nan=False)
    assert d["grid"]["cell_size"] == 25.0 and d["bandwidth_m"] == 100.0
    assert len(d["density_per_km2"]) == r.grid.ny


def test_cell_size_or_grid_is_required():
    with pytest.raises(ValueError):
        kde_quartic([0.0], [0.0], bandwidth=100)
    with pytest.raises(ValueError):
        quartic_kernel(1.0, 0.0)
