"""Getis-Ord Gi* through esda: known values, planted hotspots, islands, p-value conventions.

Every test that runs esda is in this module. With numba installed esda's first call in a
process JIT-compiles for about 14 s, so the module is marked slow then; without numba esda
runs pure Python and the module takes a couple of seconds.
"""

from __future__ import annotations

import doctest
import importlib
import importlib.util
import json
import subprocess
import sys

import numpy as np
import pytest
import shapely
from scipy.spatial import cKDTree
from shapely.geometry import box

from csphub.analysis.hotspots import (
    Grid,
    Neighbours,
    gistar,
    gistar_grid,
    gistar_polygons,
    lattice_queen,
    polygon_queen,
)

pytestmark = [pytest.mark.slow] if importlib.util.find_spec("numba") else []

GISTAR_MODULES = ("getisord", "gistar_units")


def _planted_lattice(n: int = 9) -> tuple[np.ndarray, Neighbours]:
    counts = np.ones((n, n))
    c = n // 2
    counts[c - 1 : c + 2, c - 1 : c + 2] = 10
    _, nb = lattice_queen(Grid(0.0, 0.0, 100.0, n, n))
    return counts.ravel(), nb


@pytest.mark.parametrize("name", GISTAR_MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(f"csphub.analysis.hotspots.{name}")
    result = doctest.testmod(module)
    assert result.failed == 0 and result.attempted > 0


def test_csphub_import_does_not_import_esda():
    code = (
        "import sys, csphub.analysis.hotspots, csphub.analysis.nearrepeat, "
        "csphub.analysis.projection; "
        "print(any(m.split('.')[0] in ('esda', 'libpysal', 'numba') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_z_reproduces_the_esda_docstring_example():
    # esda G_Local docstring: DistanceBand(threshold=15), transform='B', star=True
    points = np.array([(10, 10), (20, 10), (40, 10), (15, 20), (30, 20), (30, 30)], float)
    y = [2, 3, 3.2, 5, 8, 7]
    pairs = cKDTree(points).query_pairs(15, output_type="ndarray")
    nb = Neighbours.from_pairs([str(i) for i in range(6)], pairs[:, 0], pairs[:, 1], "band 15")
    r = gistar(y, nb, permutations=0)
    expected = [-1.39727626, -0.28917762, 0.65064964, -0.28917762, 1.23452088, 2.02424331]
    np.testing.assert_allclose(r.z, expected, rtol=0, atol=1e-8)


def test_z_matches_the_textbook_formula():
    rng = np.random.default_rng(11)
    counts = rng.poisson(3, 64).astype(float)
    _, nb = lattice_queen(Grid(0.0, 0.0, 1.0, 8, 8))
    w = nb.to_sparse().toarray() + np.eye(64)
    n, xbar = 64, counts.mean()
    s = np.sqrt((counts**2).mean() - xbar**2)
    wsum = w.sum(axis=1)
    z = (w @ counts - xbar * wsum) / (s * np.sqrt((n * (w**2).sum(axis=1) - wsum**2) / (n - 1)))
    np.testing.assert_allclose(gistar(counts, nb, permutations=0).z, z, atol=1e-10)


def test_planted_cluster_on_a_lattice_comes_out_hot():
    counts, nb = _planted_lattice()
    r = gistar(counts, nb, permutations=999, seed=42)
    hot = r.hotspot.reshape(9, 9)
    assert hot[4, 4] == "hot"
    assert set(np.flatnonzero(r.hotspot == "hot")) <= set(
        np.flatnonzero(counts.reshape(9, 9).ravel() == 10)
    )
    assert r.n_cold == 0
    assert r.z.reshape(9, 9)[4, 4] == pytest.approx(8.94427191, abs=1e-6)


def test_zero_neighbourhoods_are_not_cold_spots():
    # esda's own p_sim counts ties on the upper side only: a cell whose neighbourhood
    # holds the minimum value would get p = 1/(N+1). Counted both ways, it does not.
    counts = np.zeros((15, 15))
    counts[6:9, 6:9] = 5
    _, nb = lattice_queen(Grid(0.0, 0.0, 100.0, 15, 15))
    r = gistar(counts.ravel(), nb, permutations=999, seed=3, adjust="none")
    corner = int(np.ravel_multi_index((0, 0), (15, 15)))
    assert r.p_sim[corner] > 0.5
    assert r.n_cold == 0
    assert r.hotspot[int(np.ravel_multi_index((7, 7), (15, 15)))] == "hot"


def test_p_values_are_in_range_and_reproducible_with_the_seed():
    counts, nb = _planted_lattice()
    a = gistar(counts, nb, permutations=199, seed=9)
    b = gistar(counts, nb, permutations=199, seed=9)
    for p in (a.p_sim, a.p_norm, a.p_adjusted):
        assert ((p > 0) & (p <= 1)).all()
    assert a.p_sim.min() >= 2 / 200  # two-sided floor
    np.testing.assert_array_equal(a.p_sim, b.p_sim)
    assert a.seed == 9


def test_seed_is_recorded_when_drawn_and_global_rng_is_left_alone():
    counts, nb = _planted_lattice()
    np.random.seed(123)
    before = np.random.random()
    np.random.seed(123)
    r = gistar(counts, nb, permutations=99)
    assert np.random.random() == before
    again = gistar(counts, nb, permutations=99, seed=r.seed)
    np.testing.assert_array_equal(r.p_sim, again.p_sim)


def test_directed_alternative_halves_the_two_sided_p():
    counts, nb = _planted_lattice()
    two = gistar(counts, nb, permutations=99, seed=1)
    one = gistar(counts, nb, permutations=99, seed=1, alternative="directed")
    np.testing.assert_allclose(np.minimum(1, 2 * one.p_sim), two.p_sim)


def test_holm_is_stricter_than_fdr_and_resolution_is_noted():
    counts, nb = _planted_lattice()
    fdr = gistar(counts, nb, permutations=999, seed=4)
    holm = gistar(counts, nb, permutations=999, seed=4, adjust="holm")
    assert (holm.p_adjusted >= fdr.p_adjusted - 1e-12).all()
    assert holm.n_hot == 0  # 81 x 0.002 > 0.05: permutations cannot reach Holm here
    assert any(n.startswith("resolution") for n in holm.notes)
    analytic = gistar(counts, nb, permutations=0, adjust="holm")
    assert analytic.p_source == "normal"
    assert analytic.hotspot.reshape(9, 9)[4, 4] == "hot"


def test_islands_are_reported_and_not_tested():
    polys = [box(c, r, c + 1, r + 1) for r in range(4) for c in range(4)] + [box(10, 10, 11, 11)]
    codes = [f"A{i:02d}" for i in range(17)]
    counts = {"A16": 50, "A05": 3, "A06": 3}
    r = gistar_polygons(codes, polys, counts, permutations=99, seed=2)
    assert r.islands == ("A16",)
    i = codes.index("A16")
    assert np.isnan(r.z[i]) and np.isnan(r.p_sim[i]) and np.isnan(r.p_adjusted[i])
    assert r.hotspot[i] == "none"
    assert r.n_neighbours[i] == 0
    assert any("islands" in n for n in r.notes)
    assert r.count[i] == 50  # still part of the global mean


def test_constant_counts_are_not_sent_to_esda():
    _, nb = lattice_queen(Grid(0.0, 0.0, 1.0, 4, 4))
    r = gistar(np.zeros(16), nb, permutations=99, seed=1)
    assert np.isnan(r.z).all()
    assert (r.hotspot == "none").all()
    assert r.notes


def test_bad_options_are_refused():
    counts, nb = _planted_lattice()
    with pytest.raises(ValueError):
        gistar(counts[:-1], nb)
    with pytest.raises(ValueError):
        gistar(-counts, nb)
    with pytest.raises(ValueError):
        gistar(counts, nb, adjust="bonferroni")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        gistar(counts, nb, alpha=0)


def test_grid_includes_empty_cells_and_respects_the_study_area():
    rng = np.random.default_rng(8)
    x = np.r_[rng.uniform(0, 3000, 400), rng.normal(1500, 80, 300)]
    y = np.r_[rng.uniform(0, 3000, 400), rng.normal(1500, 80, 300)]
    r = gistar_grid(x, y, 150, permutations=0)
    assert r.unit_id.size == r.grid.n_cells
    assert r.count.sum() == 700
    assert (r.count == 0).any()
    centre = r.grid.cell_index([1500.0], [1500.0])[0]
    assert r.hotspot[centre] == "hot"
    study = shapely.Point(1500, 1500).buffer(1000)
    inner = gistar_grid(x, y, 150, within=study, permutations=0)
    assert inner.unit_id.size < inner.grid.n_cells
    assert all(study.contains(shapely.Point(a, b)) for a, b in zip(inner.x, inner.y, strict=True))
    assert any("outside" in n for n in inner.notes)


def test_records_and_dict_are_json_ready():
    counts, nb = _planted_lattice(5)
    r = gistar(counts, nb, permutations=0)
    records = r.to_records()
    assert set(records[0]) == {
        "unit_id",
        "count",
        "n_neighbours",
        "z",
        "p_norm",
        "p_sim",
        "p_adjusted",
        "hotspot",
    }
    assert records[0]["p_sim"] is None  # no permutations: NaN -> None
    json.dumps(r.to_dict(), allow_nan=False)
    assert r.to_frame().shape == (25, 8)
    with pytest.raises(ValueError):
        r.z[0] = 1.0  # frozen arrays


def test_synthetic_polygons_planted_hotspot():
    rng = np.random.default_rng(21)
    n = 12
    codes = [f"P{r:02d}{c:02d}" for r in range(n) for c in range(n)]
    # jittered tessellation: squares with sliver overlaps, like generalised boundaries
    polys = [box(c - 0.001, r - 0.001, c + 1.0005, r + 1.0005) for r in range(n) for c in range(n)]
    counts = rng.poisson(2, n * n).astype(float)
    grid_counts = counts.reshape(n, n)
    grid_counts[5:8, 5:8] += 15
    r = gistar_polygons(codes, polys, grid_counts.ravel(), permutations=9999, seed=5)
    hot = {u for u, h in zip(r.unit_id, r.hotspot, strict=True) if h == "hot"}
    assert "P0606" in hot
    assert hot <= {f"P{a:02d}{b:02d}" for a in range(4, 9) for b in range(4, 9)}


@pytest.mark.shared
def test_blackpool_lsoas_planted_hotspot(shared_data):
    path = shared_data / "boundaries" / "lsoa11_by_lad" / "E06000009.geojson"
    features = json.loads(path.read_text())["features"]
    codes = [f["properties"]["LSOA11CD"] for f in features]
    polys = [shapely.geometry.shape(f["geometry"]) for f in features]
    nb = polygon_queen(codes, polys)
    centre = "E01012712"  # 9 neighbours
    cluster = {centre, *nb.of(centre)}
    rng = np.random.default_rng(2)
    counts = {c: float(rng.poisson(20)) for c in codes}
    for c in cluster:
        counts[c] += 60
    r = gistar_polygons(codes, polys, counts, permutations=9999, seed=12)
    assert r.islands == ()
    hot = {u for u, h in zip(r.unit_id, r.hotspot, strict=True) if h == "hot"}
    assert centre in hot
    assert hot <= cluster | {n for c in cluster for n in nb.of(c)}
    assert r.n_cold == 0
