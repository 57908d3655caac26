"""Places against the store (``csphub.analysis.store_inputs.places``).

Every expectation is made with other code from the files the store was loaded from: LSOA
polygons read from the GeoJSON with shapely, wards from the lookup CSV, and street rows
from the police.uk CSVs counted with a haversine written here. Blackpool checks ``locate``
against police.uk's own LSOA of each map point; it skips without ../shared/data.
"""

from __future__ import annotations

import glob
import gzip
import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from click.testing import CliRunner

from csphub.analysis.projection import project_geometries
from csphub.analysis.store_inputs.places import (
    Located,
    MissingData,
    locate,
    records_near,
)
from csphub.cli.main import cli
from csphub.store import open_store

EARTH_RADIUS_M = 6_371_008.8  # IUGG mean radius
#: BNG metres (the code) and great-circle metres (here) differ by well under 0.5 % in
#: Great Britain (grid scale factor 0.9996..1.0007, sphere against ellipsoid about 0.3 %):
#: map points this close to the radius are left out of exact comparisons.
TOLERANCE = 0.006


def haversine_m(lon0: float, lat0: float, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    p0, p1 = np.radians(lat0), np.radians(lat)
    dp, dl = p1 - p0, np.radians(lon - lon0)
    a = np.sin(dp / 2) ** 2 + np.cos(p0) * np.cos(p1) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(a))


@pytest.fixture(scope="module")
def demo(demo_run):
    with open_store(demo_run.store, create=False, read_only=True) as store:
        yield store, demo_run.out


def _polygons(path: Path) -> dict[str, shapely.Geometry]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    return {f["properties"]["LSOA11CD"]: shapely.geometry.shape(f["geometry"]) for f in features}


def _street_csv(files: list[str]) -> pd.DataFrame:
    frame = pd.concat([pd.read_csv(p, dtype={"Month": str}) for p in files], ignore_index=True)
    return frame.dropna(subset=["Longitude", "Latitude"])


def _expected(street: pd.DataFrame, lon: float, lat: float, radius: float, months: int):
    """Rows by map point within the radius, and those too close to the radius to call."""
    last = street["Month"].max()
    y, m = int(last[:4]), int(last[5:])
    index = y * 12 + m - 1 - (months - 1)
    first = f"{index // 12:04d}-{index % 12 + 1:02d}"
    rows = street[(street["Month"] >= first) & (street["Month"] <= last)]
    d = haversine_m(lon, lat, rows["Longitude"].to_numpy(), rows["Latitude"].to_numpy())
    rows = rows.assign(d=d)
    sure = rows[rows["d"] <= radius * (1 - TOLERANCE)]
    edge = rows[(rows["d"] > radius * (1 - TOLERANCE)) & (rows["d"] <= radius * (1 + TOLERANCE))]
    return first, last, sure, edge


def _check_near(store, street: pd.DataFrame, lon: float, lat: float, radius: float) -> None:
    first, last, sure, edge = _expected(street, lon, lat, radius, 12)
    got = records_near(store, lon, lat, radius_m=radius, months=12, max_points=100_000)
    assert (got.first_month, got.last_month) == (first, last)
    assert len(sure) <= got.total <= len(sure) + len(edge)
    assert got.total == sum(n for _, n in got.by_type)
    assert got.point_count == len(got.points)
    by_point = {(p.longitude, p.latitude): p for p in got.points}
    expected_points = sure.groupby(["Longitude", "Latitude"]).size()
    edge_points = set(zip(edge["Longitude"], edge["Latitude"], strict=True))
    for (plon, plat), n in expected_points.items():
        assert by_point[(plon, plat)].count == n
    assert set(by_point) - set(expected_points.index) <= edge_points
    if edge.empty:
        assert dict(got.by_type) == sure.groupby("Crime type").size().to_dict()
    distances = [p.distance_m for p in got.points]
    assert distances == sorted(distances)
    for p in got.points:
        true = haversine_m(lon, lat, np.array([p.longitude]), np.array([p.latitude]))[0]
        assert p.distance_m == pytest.approx(true, rel=TOLERANCE, abs=0.5)


# The demo borough -------------------------------------------------------------------------


def test_each_lsoa_holds_its_own_representative_point(demo):
    store, out = demo
    polygons = _polygons(out / "geography" / "lsoa.geojson")
    lookup = pd.read_csv(out / "geography" / "lookup.csv", dtype=str).set_index("LSOA11CD")
    codes = sorted(polygons)
    points = [shapely.point_on_surface(polygons[c]).coords[0] for c in codes]
    found = locate(store, points)
    assert found == [
        Located(c, lookup.at[c, "LSOA11NM"], lookup.at[c, "WD13CD"], lookup.at[c, "WD13NM"])
        for c in codes
    ]


def test_random_points_match_a_plain_shapely_loop(demo):
    store, out = demo
    polygons = _polygons(out / "geography" / "lsoa.geojson")
    west, south, east, north = shapely.total_bounds(list(polygons.values()))
    rng = np.random.default_rng(20261206)
    pad = 0.02  # some points fall outside the borough
    xs = rng.uniform(west - pad, east + pad, 2_000)
    ys = rng.uniform(south - pad, north + pad, 2_000)
    found = locate(store, list(zip(xs, ys, strict=True)))
    for x, y, got in zip(xs, ys, found, strict=True):
        point = shapely.Point(x, y)
        holding = sorted(c for c, poly in polygons.items() if poly.covers(point))
        assert (got.lsoa_code if got else None) == (holding[0] if holding else None)
    assert any(f is None for f in found) and any(f is not None for f in found)


def test_a_point_on_a_shared_edge_goes_to_the_lower_code(demo):
    store, out = demo
    polygons = _polygons(out / "geography" / "lsoa.geojson")
    first = min(polygons)
    neighbour = next(
        c for c in sorted(polygons) if c != first and polygons[c].touches(polygons[first])
    )
    shared = polygons[first].boundary.intersection(polygons[neighbour].boundary)
    point = shapely.get_coordinates(shared)[0]
    [got] = locate(store, [tuple(point)])
    holding = sorted(c for c, poly in polygons.items() if poly.covers(shapely.Point(point)))
    assert got is not None and got.lsoa_code == holding[0]


def test_points_outside_or_not_numbers_give_none(demo):
    store, _ = demo
    assert locate(store, []) == []
    assert locate(store, [(0.0, 51.5), (float("nan"), 53.0), (-5.0, float("inf"))]) == [None] * 3


def test_records_near_equal_a_haversine_count_of_the_csv_files(demo):
    store, out = demo
    street = _street_csv(glob.glob(str(out / "police-uk" / "*" / "*-street.csv")))
    busiest = street.groupby(["Longitude", "Latitude"]).size().idxmax()
    rng = np.random.default_rng(7)
    someone = street.iloc[int(rng.integers(len(street)))]
    places = [busiest, (someone["Longitude"] + 0.0007, someone["Latitude"] - 0.0004)]
    for lon, lat in places:
        for radius in (100.0, 250.0, 600.0):
            _check_near(store, street, float(lon), float(lat), radius)


def test_records_near_names_months_missing_from_the_window(demo):
    store, out = demo
    loaded = sorted({Path(p).name[:7] for p in glob.glob(str(out / "police-uk" / "*"))})
    assert (loaded[0], loaded[-1]) == ("2023-01", "2025-12")  # 36 months, no gap
    got = records_near(store, -5.0, 53.0, months=40)
    assert (got.first_month, got.last_month) == ("2022-09", "2025-12")
    assert got.missing_months == ("2022-09", "2022-10", "2022-11", "2022-12")
    assert got.months == tuple(loaded)
    assert records_near(store, -5.0, 53.0, months=12).missing_months == ()


def test_far_from_any_record_is_zero_not_an_error(demo):
    store, _ = demo
    got = records_near(store, -1.5, 52.5)  # the Midlands: the demo force is elsewhere
    assert (got.total, got.by_type, got.points, got.point_count) == (0, (), (), 0)


def test_bad_input_and_an_empty_store_say_what_to_do(demo, store):
    with pytest.raises(MissingData, match="csphub ingest geography --boundaries") as exc:
        locate(store, [(-5.0, 53.0)])
    assert exc.value.what == "boundaries"
    with pytest.raises(MissingData, match="csphub ingest police-uk") as exc:
        records_near(store, -5.0, 53.0)
    assert exc.value.what == "street"
    demo_store, _ = demo
    with pytest.raises(ValueError, match="radius above 0"):
        records_near(demo_store, -5.0, 53.0, radius_m=0)
    with pytest.raises(ValueError, match="outside the British National Grid"):
        records_near(demo_store, 100.0, 0.0)


def test_the_index_follows_the_boundaries_loaded(demo_run, tmp_path):
    root = tmp_path / "store"
    shutil.copytree(demo_run.store, root)
    polygons = _polygons(demo_run.out / "geography" / "lsoa.geojson")
    code = min(polygons)
    point = shapely.point_on_surface(polygons[code]).coords[0]
    with open_store(root, create=False, read_only=True) as store:
        assert locate(store, [point])[0].lsoa_code == code
    with open_store(root) as store:
        store.con.execute("DELETE FROM boundary WHERE level = 'lsoa' AND code = ?", [code])
    with open_store(root, create=False, read_only=True) as store:
        assert locate(store, [point]) == [None]


# Blackpool, real data ---------------------------------------------------------------------

BLACKPOOL_STREET = "police_uk/lancashire/blackpool_street_2018-11_to_2022-10.csv.gz"
BLACKPOOL_LSOA = "boundaries/lsoa11_by_lad/E06000009.geojson"
WARD_LOOKUP = "reference_tables/lookup_lsoa11_ward17.csv.gz"


@pytest.fixture(scope="module")
def blackpool(tmp_path_factory, shared_data_session):
    data = shared_data_session
    store = str(tmp_path_factory.mktemp("blackpool-places") / "store")
    steps = [
        ["ingest", "police-uk", str(data / BLACKPOOL_STREET)],
        ["ingest", "geography", "--boundaries", str(data / BLACKPOOL_LSOA), "--level", "lsoa",
         "--lookup", str(data / WARD_LOOKUP)],
    ]  # fmt: skip
    for args in steps:
        result = CliRunner().invoke(cli, [*args, "--store", store])
        assert result.exit_code == 0, result.output
    with open_store(store, create=False, read_only=True) as s:
        yield s, data


@pytest.mark.shared
def test_blackpool_map_points_fall_in_police_uk_lsoa(blackpool):
    """police.uk gives each record the LSOA of its map point, on the full-resolution
    boundaries; the ones loaded here are ONS's generalised clipped (BGC, 20 m) ones, so a
    point may only disagree when it lies within 20 m of police.uk's LSOA."""
    store, data = blackpool
    street = pd.read_csv(data / BLACKPOOL_STREET, dtype=str)
    street = street.dropna(subset=["Longitude", "Latitude", "LSOA code"])
    points = street.drop_duplicates(["Longitude", "Latitude"])
    lon, lat = points["Longitude"].astype(float), points["Latitude"].astype(float)
    found = locate(store, list(zip(lon, lat, strict=True)))
    polygons = _polygons(data / BLACKPOOL_LSOA)
    theirs = points["LSOA code"].tolist()
    differ = [
        i for i, (f, t) in enumerate(zip(found, theirs, strict=True)) if not f or f.lsoa_code != t
    ]
    assert len(differ) < 0.05 * len(theirs)  # measured: 115 of 3,267 map points
    for i in differ:
        here = shapely.Point(lon.iloc[i], lat.iloc[i])
        point, polygon = project_geometries([here, polygons[theirs[i]]])
        assert point.distance(polygon) < 20, (theirs[i], here)
    wards = pd.read_csv(data / WARD_LOOKUP, dtype=str)
    ward_of = dict(zip(wards["lsoa11_code"], wards["ward17_code"], strict=True))
    assert all(f.ward_code == ward_of[f.lsoa_code] for f in found if f is not None)


@pytest.mark.shared
def test_blackpool_records_near_the_tower(blackpool):
    store, data = blackpool
    street = _street_csv([str(data / BLACKPOOL_STREET)])
    for radius in (150.0, 250.0, 500.0):
        _check_near(store, street, -3.0553, 53.8159, radius)  # Blackpool Tower
