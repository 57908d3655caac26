"""Boundary ingest from small synthetic GeoJSON files (no shared data needed)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
import shapely
from pyproj import Geod, Transformer

from csphub.ingest.geography import ingest_geography

CRS84 = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}


def square(lon: float, lat: float, size: float = 0.01) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def feature(props: dict | None, geometry: dict | None) -> dict:
    return {"type": "Feature", "properties": props, "geometry": geometry}


def write_geojson(path: Path, features: list[dict], crs: dict | None = CRS84) -> Path:
    doc: dict = {"type": "FeatureCollection", "features": features}
    if crs is not None:
        doc["crs"] = crs
    data = json.dumps(doc).encode()
    path.write_bytes(gzip.compress(data) if path.suffix == ".gz" else data)
    return path


def lsoa(code: str, lon: float, lat: float) -> dict:
    return feature({"LSOA11CD": code, "LSOA11NM": f"Test {code[-3:]}"}, square(lon, lat))


def rows(store, sql: str, params: list | None = None) -> list[tuple]:
    return store.con.execute(sql, params or []).fetchall()


def test_loads_polygons_with_area_and_centroid(store, tmp_path):
    path = write_geojson(
        tmp_path / "lsoa.geojson",
        [lsoa("E01000001", -3.05, 53.80), lsoa("E01000002", -3.04, 53.80)],
    )
    summary = ingest_geography(store, boundaries=[(path, "lsoa")])

    assert summary.ok, summary.errors
    [result] = summary.files
    assert (result.kind, result.status, result.rows_loaded) == ("boundaries-lsoa", "loaded", 2)
    assert result.columns == {"code": "LSOA11CD", "name": "LSOA11NM"}
    [(name, wkb, area, lon, lat)] = rows(
        store,
        "SELECT name, geometry, area_km2, centroid_lon, centroid_lat FROM boundary "
        "WHERE level = 'lsoa' AND code = 'E01000001'",
    )
    geodesic, _ = Geod(ellps="WGS84").geometry_area_perimeter(shapely.from_wkb(wkb))
    assert name == "Test 001"
    assert area == pytest.approx(abs(geodesic) / 1e6, rel=1e-5)  # about 0.73 km²
    assert (lon, lat) == (pytest.approx(-3.045, abs=1e-5), pytest.approx(53.805, abs=1e-4))
    assert rows(store, "SELECT kind, rows_loaded, status FROM source_file") == [
        ("boundaries-lsoa", 2, "current")
    ]


@pytest.mark.parametrize(
    ("level", "props", "expected"),
    [
        ("lsoa", {"lsoa11_code": "E01000001", "lsoa11_name": "A"}, "lsoa11_code"),
        ("lsoa", {"LSOA21CD": "E01000001", "LSOA21NM": "A"}, "LSOA21CD"),
        ("ward", {"WD13CD": "E05000001", "WD13CDO": "00AA", "WD13NM": "A"}, "WD13CD"),
        ("ward", {"ward22_code": "E05000001", "ward22_name": "A"}, "ward22_code"),
        ("msoa", {"MSOA11CD": "E02000001", "MSOA11NM": "A"}, "MSOA11CD"),
        ("msoa", {"msoa11_code": "W02000001"}, "msoa11_code"),
    ],
)
def test_detects_code_property_by_ons_naming(store, tmp_path, level, props, expected):
    path = write_geojson(tmp_path / "b.json", [feature(props, square(-3.0, 53.8))])
    summary = ingest_geography(store, boundaries=[(path, level)])
    assert summary.ok, summary.errors
    assert summary.files[0].columns["code"] == expected
    assert rows(store, "SELECT level, code FROM boundary") == [(level, props[expected])]


def test_bad_features_are_reported_and_the_rest_load(store, tmp_path):
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[-3.0, 53.8], [-2.99, 53.81], [-2.99, 53.8], [-3.0, 53.81], [-3.0, 53.8]]],
    }
    path = write_geojson(
        tmp_path / "mixed.geojson.gz",
        [
            lsoa("E01000001", -3.05, 53.80),
            feature({"LSOA11CD": "E01000002"}, None),
            feature({"LSOA11NM": "no code"}, square(-3.0, 53.7)),
            feature({"LSOA11CD": "X123"}, square(-3.0, 53.7)),
            feature({"LSOA11CD": "E01000005"}, {"type": "Point", "coordinates": [-3.0, 53.8]}),
            feature({"LSOA11CD": "E01000006"}, bowtie),
            lsoa("E01000001", -3.00, 53.70),
        ],
    )
    summary = ingest_geography(store, boundaries=[(path, "lsoa")])

    [result] = summary.files
    problems = {(p.feature, p.field): p for p in result.problems}
    assert sorted(problems) == [
        (1, "geometry"),
        (2, "LSOA11CD"),
        (3, "LSOA11CD"),
        (4, "geometry"),
        (5, "geometry"),
        (6, "LSOA11CD"),
    ]
    assert problems[1, "geometry"].reason == "no geometry"
    assert problems[2, "LSOA11CD"].reason == "no code"
    assert "not an LSOA code" in problems[3, "LSOA11CD"].reason
    assert "Point" in problems[4, "geometry"].reason
    assert (
        problems[5, "geometry"].repaired and "Self-intersection" in problems[5, "geometry"].reason
    )
    assert problems[6, "LSOA11CD"].repaired
    assert (
        "joined" in problems[6, "LSOA11CD"].reason and "feature 0" in problems[6, "LSOA11CD"].reason
    )
    assert str(problems[1, "geometry"]) == f"{path} feature 1 geometry: no geometry"
    assert result.rows_read == 7
    assert result.rows_loaded == 2
    assert result.rows_quarantined == 4
    codes = rows(store, "SELECT code, round(area_km2, 2) FROM boundary ORDER BY code")
    # two 0.01° squares joined; the bowtie repaired as its two triangles (half a square)
    assert codes == [("E01000001", 1.47), ("E01000006", 0.37)]
    [(repaired,)] = rows(store, "SELECT geometry FROM boundary WHERE code = 'E01000006'")
    assert shapely.from_wkb(repaired).is_valid
    quarantined = rows(store, "SELECT row_number, field, record FROM quarantine ORDER BY record")
    assert len(quarantined) == 4
    assert all(r[0] is None for r in quarantined)
    assert json.loads(quarantined[0][2])["feature"] == 1
    assert rows(store, "SELECT rows_quarantined FROM source_file") == [(4,)]


def test_same_file_again_is_unchanged(store, tmp_path):
    path = write_geojson(tmp_path / "lsoa.geojson", [lsoa("E01000001", -3.05, 53.80)])
    first = ingest_geography(store, boundaries=[(path, "lsoa")])
    again = ingest_geography(store, boundaries=[(path, "lsoa")])

    assert again.files[0].status == "unchanged"
    assert again.files[0].file_id == first.files[0].file_id
    assert rows(store, "SELECT count(*) FROM source_file") == [(1,)]
    assert rows(store, "SELECT count(*) FROM boundary") == [(1,)]


def test_later_file_replaces_by_code_and_supersedes_files_left_with_no_rows(store, tmp_path):
    a = write_geojson(tmp_path / "a.geojson", [lsoa("E01000001", -3.05, 53.80)])
    b = write_geojson(
        tmp_path / "b.geojson", [lsoa("E01000001", -3.00, 53.70), lsoa("E01000002", -3.0, 53.6)]
    )
    ingest_geography(store, boundaries=[(a, "lsoa")])
    second = ingest_geography(store, boundaries=[(b, "lsoa")])
    assert second.files[0].status == "replaced"
    assert rows(store, "SELECT name, status FROM source_file ORDER BY file_id") == [
        (str(a), "superseded"),
        (str(b), "current"),
    ]
    # a file that was superseded is loaded again when it comes back
    third = ingest_geography(store, boundaries=[(a, "lsoa")])
    assert third.files[0].status == "replaced"
    assert rows(store, "SELECT round(centroid_lat, 3) FROM boundary WHERE code = 'E01000001'") == [
        (53.805,)
    ]
    # b still holds E01000002, so it stays current; but it no longer holds all its rows
    fourth = ingest_geography(store, boundaries=[(b, "lsoa")])
    assert fourth.files[0].status == "replaced"


def test_british_national_grid_is_converted(store, tmp_path):
    bng = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}}
    ring = [
        [330000, 436000],
        [331000, 436000],
        [331000, 437000],
        [330000, 437000],
        [330000, 436000],
    ]
    path = write_geojson(
        tmp_path / "bng.geojson",
        [feature({"LSOA11CD": "E01000001"}, {"type": "Polygon", "coordinates": [ring]})],
        crs=bng,
    )
    summary = ingest_geography(store, boundaries=[(path, "lsoa")])
    assert summary.ok, summary.errors
    [(area, lon, lat)] = rows(store, "SELECT area_km2, centroid_lon, centroid_lat FROM boundary")
    assert area == pytest.approx(1.0, rel=2e-3)  # 1 km² of grid; the grid's scale is 0.9997
    centre = Transformer.from_crs("EPSG:27700", "OGC:CRS84", always_xy=True).transform(
        330500, 436500
    )
    assert (lon, lat) == (pytest.approx(centre[0], abs=1e-6), pytest.approx(centre[1], abs=1e-6))


@pytest.mark.parametrize(
    ("content", "level", "message"),
    [
        (b"not json at all", "lsoa", "is not JSON"),
        (b'{"type": "Topology", "objects": {}}', "lsoa", "is TopoJSON"),
        (b'{"type": "FeatureCollection", "features": []}', "lsoa", "has no features"),
        (b"[1, 2]", "lsoa", "is not a FeatureCollection"),
    ],
)
def test_unreadable_file_is_one_line_error(store, tmp_path, content, level, message):
    bad = tmp_path / "bad.geojson"
    bad.write_bytes(content)
    good = write_geojson(tmp_path / "good.geojson", [lsoa("E01000001", -3.05, 53.80)])
    summary = ingest_geography(store, boundaries=[(bad, level), (good, "lsoa")])

    [error] = summary.errors
    assert error.message.startswith(f"{bad}: {message}")
    assert "\n" not in error.message
    assert [f.status for f in summary.files] == ["loaded"]
    assert summary.to_dict()["ok"] is False


def test_wrong_level_projected_coordinates_and_unknown_level_are_errors(store, tmp_path):
    ward = write_geojson(
        tmp_path / "ward.geojson", [feature({"WD13CD": "E05000001"}, square(-3.0, 53.8))]
    )
    ring = [[330000, 436000], [331000, 436000], [331000, 437000], [330000, 436000]]
    projected = write_geojson(
        tmp_path / "projected.geojson",
        [feature({"LSOA11CD": "E01000001"}, {"type": "Polygon", "coordinates": [ring]})],
        crs=None,
    )
    summary = ingest_geography(
        store,
        boundaries=[
            (ward, "lsoa"),
            (projected, "lsoa"),
            (ward, "county"),
            (tmp_path / "x", "ward"),
        ],
    )
    messages = [e.message for e in summary.errors]
    assert messages == [
        f"{ward}: no LSOA code property found (e.g. LSOA11CD, lsoa11_code, LSOA21CD); "
        "its properties are WD13CD",
        f"{projected}: coordinates are not longitude/latitude (x from 330000 to 331000); "
        "expected WGS84 longitude/latitude (CRS84) or a crs member naming EPSG:27700",
        f"{ward}: unknown boundary level 'county'; expected lsoa, ward or msoa",
        f"{tmp_path / 'x'}: no such file",
    ]
    assert rows(store, "SELECT count(*) FROM source_file") == [(0,)]


def test_empty_geometries_are_problems_and_a_file_of_nothing_else_is_an_error(store, tmp_path):
    empty = {"type": "Polygon", "coordinates": []}
    mixed = write_geojson(
        tmp_path / "mixed.geojson",
        [feature({"LSOA11CD": "E01000001"}, empty), lsoa("E01000002", -3.0, 53.8)],
    )
    only_empty = write_geojson(
        tmp_path / "empty.geojson", [feature({"LSOA11CD": "E01000001"}, empty)]
    )
    summary = ingest_geography(store, boundaries=[(mixed, "lsoa"), (only_empty, "lsoa")])

    [result] = summary.files
    assert [(p.feature, p.reason) for p in result.problems] == [(0, "empty geometry")]
    assert [e.message for e in summary.errors] == [
        f"{only_empty}: none of its 1 rows could be loaded (first problem: feature 0 "
        "geometry: empty geometry); nothing was stored"
    ]
