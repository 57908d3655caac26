"""Queen contiguity between polygons: synthetic sets and the 94 Blackpool LSOAs."""

from __future__ import annotations

import json

import numpy as np
import pytest
import shapely
from shapely.geometry import box

from csphub.analysis.hotspots import polygon_queen
from csphub.analysis.projection import project_geometries


def _squares(n: int) -> tuple[list[str], list[shapely.Geometry]]:
    codes = [f"S{r}{c}" for r in range(n) for c in range(n)]
    return codes, [box(c, r, c + 1, r + 1) for r in range(n) for c in range(n)]


def test_queen_on_squares_matches_libpysal_when_vertices_are_shared():
    from libpysal.weights import Queen

    codes, polys = _squares(4)
    nb = polygon_queen(codes, polys)
    q = Queen.from_iterable(polys, ids=codes)
    for code in codes:
        assert set(nb.of(code)) == set(q.neighbors[code])
    assert nb.of("S00") == ("S01", "S10", "S11")  # corner contact counts (queen)


def test_wkb_and_wkt_input_give_the_same_neighbours():
    codes, polys = _squares(3)
    a = polygon_queen(codes, polys)
    b = polygon_queen(codes, [shapely.to_wkb(p) for p in polys])
    c = polygon_queen(codes, [shapely.to_wkt(p) for p in polys])
    d = polygon_queen(codes, [shapely.to_wkb(p, hex=True) for p in polys])
    for other in (b, c, d):
        assert np.array_equal(a.indices, other.indices)


def test_islands_are_reported_and_tolerance_links_near_polygons():
    polys = [box(0, 0, 1, 1), box(1, 0, 2, 1), box(2.05, 0, 3, 1)]
    nb = polygon_queen(["a", "b", "c"], polys)
    assert nb.islands == ("c",)
    nb = polygon_queen(["a", "b", "c"], polys, tolerance=0.1)
    assert nb.islands == ()
    assert nb.of("c") == ("b",)


def test_sliver_overlaps_still_make_neighbours():
    # generalised boundaries overlap by slivers and share no vertex: touches() fails
    polys = [box(0, 0, 1.000001, 1), box(1, 0, 2, 1)]
    assert polygon_queen(["a", "b"], polys).of("a") == ("b",)


def test_bad_input_is_refused():
    codes, polys = _squares(2)
    with pytest.raises(ValueError, match="unique"):
        polygon_queen(["a", "a", "b", "c"], polys)
    with pytest.raises(ValueError, match="empty"):
        polygon_queen(codes, [*polys[:3], shapely.Polygon()])
    with pytest.raises(ValueError, match="codes"):
        polygon_queen(codes[:3], polys)


def test_invalid_polygons_are_repaired_and_noted():
    bowtie = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1)])
    nb = polygon_queen(["x", "y"], [bowtie, box(1, 0, 2, 1)])
    assert nb.of("x") == ("y",)
    assert any("make_valid" in n for n in nb.notes)


@pytest.mark.shared
def test_blackpool_lsoas_are_all_connected(shared_data):
    path = shared_data / "boundaries" / "lsoa11_by_lad" / "E06000009.geojson"
    features = json.loads(path.read_text())["features"]
    codes = [f["properties"]["LSOA11CD"] for f in features]
    polys = [shapely.geometry.shape(f["geometry"]) for f in features]
    assert len(codes) == 94
    nb = polygon_queen(codes, polys)
    assert nb.islands == ()
    assert int(nb.cardinality.sum()) == 476
    # the same in British National Grid metres
    nb_m = polygon_queen(codes, list(project_geometries(polys)))
    assert np.array_equal(nb.indices, nb_m.indices)
