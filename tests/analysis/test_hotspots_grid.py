"""Grid construction, counting points into cells, queen neighbours on the lattice."""

from __future__ import annotations

import numpy as np
import pytest

from csphub.analysis.hotspots import Grid, lattice_queen


def test_counts_sum_to_the_number_of_points():
    rng = np.random.default_rng(5)
    x = rng.uniform(331_000, 336_000, 5000)
    y = rng.uniform(431_000, 438_000, 5000)
    grid = Grid.around(x, y, 250)
    counts = grid.count(x, y)
    assert counts.total == 5000
    assert counts.n_outside == 0
    assert counts.counts.shape == grid.shape == (grid.ny, grid.nx)
    assert grid.x0 % 250 == 0 and grid.y0 % 250 == 0  # snapped origin: ids stable


def test_cell_edges_are_half_open_and_the_far_edge_of_the_points_is_inside():
    grid = Grid.around([0.0, 200.0], [0.0, 100.0], 100)
    assert (grid.nx, grid.ny) == (3, 2)  # x = 200 exactly needs a third column
    idx = grid.cell_index([0.0, 99.999, 100.0, 200.0, -0.001, np.nan], [0, 0, 0, 100, 0, 0])
    assert idx.tolist() == [0, 0, 1, 5, -1, -1]


def test_zero_cells_are_kept_and_points_outside_are_counted():
    grid = Grid(0.0, 0.0, 100.0, 4, 4)
    c = grid.count([50, 50, 150, 1000], [50, 60, 50, 1000])
    assert c.counts.size == 16
    assert (c.counts == 0).sum() == 14
    assert c.n_outside == 1
    assert c.total == 3


def test_weighted_counts():
    grid = Grid(0.0, 0.0, 10.0, 2, 1)
    c = grid.count([1, 2, 15], [1, 1, 1], weights=[0.5, 2.0, 3.0])
    assert c.counts.tolist() == [[2.5, 3.0]]


def test_cell_ids_and_centres():
    grid = Grid(330000.0, 430000.0, 200.0, 2, 2)
    assert grid.cell_ids().tolist() == [
        "E330000N430000",
        "E330200N430000",
        "E330000N430200",
        "E330200N430200",
    ]
    xc, yc = grid.centres()
    assert xc.tolist() == [330100, 330300, 330100, 330300]
    assert yc.tolist() == [430100, 430100, 430300, 430300]
    assert grid.to_dict()["bounds"] == [330000.0, 430000.0, 330400.0, 430400.0]


def test_bad_grids_are_refused():
    with pytest.raises(ValueError):
        Grid(0.0, 0.0, 0.0, 1, 1)
    with pytest.raises(ValueError):
        Grid.around([np.nan], [np.nan], 100)


def test_lattice_queen_matches_libpysal_lat2w():
    from libpysal.weights import lat2W

    grid = Grid(0.0, 0.0, 1.0, 7, 5)
    cells, nb = lattice_queen(grid)
    assert cells.tolist() == list(range(35))
    expected = lat2W(5, 7, rook=False).sparse.toarray()
    assert np.array_equal(nb.to_sparse().toarray(), expected)
    assert nb.islands == ()


def test_lattice_queen_on_active_cells_only():
    grid = Grid(0.0, 0.0, 1.0, 3, 3)
    active = np.ones(9, bool)
    active[[1, 3, 5, 7]] = False  # only corners and centre remain
    cells, nb = lattice_queen(grid, active)
    assert cells.tolist() == [0, 2, 4, 6, 8]
    assert nb.of("E1N1") == ("E0N0", "E2N0", "E0N2", "E2N2")
    assert nb.of("E0N0") == ("E1N1",)
    active[4] = False
    _, nb = lattice_queen(grid, active)
    assert set(nb.islands) == {"E0N0", "E2N0", "E0N2", "E2N2"}
