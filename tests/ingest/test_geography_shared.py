"""Geography ingest of the real public files in ../shared/data (skipped when absent)."""

from __future__ import annotations

import time

import pytest

from csphub.ingest.geography import ingest_geography
from csphub.store.areas import resolve_area

pytestmark = pytest.mark.shared

BLACKPOOL = "E06000009"


def rows(store, sql: str, params: list | None = None) -> list[tuple]:
    return store.con.execute(sql, params or []).fetchall()


def test_blackpool_boundaries(store, shared_data):
    b = shared_data / "boundaries"
    summary = ingest_geography(
        store,
        boundaries=[
            (b / "lsoa11_by_lad" / f"{BLACKPOOL}.geojson", "lsoa"),
            (b / "wards13_by_lad" / f"{BLACKPOOL}.geojson", "ward"),
            (b / "msoa11_by_lad" / f"{BLACKPOOL}.geojson", "msoa"),
        ],
    )
    assert summary.ok, summary.errors
    assert [(f.kind, f.rows_loaded) for f in summary.files] == [
        ("boundaries-lsoa", 94),
        ("boundaries-ward", 21),
        ("boundaries-msoa", 19),
    ]
    areas = dict(rows(store, "SELECT level, sum(area_km2) FROM boundary GROUP BY level"))
    # Blackpool is about 35 km² (ONS: 34.9 km² within the clipped coastline); the three
    # levels tile the same authority, so their totals agree closely.
    for level in ("lsoa", "ward", "msoa"):
        assert areas[level] == pytest.approx(34.9, abs=0.3)
    [(lon, lat)] = rows(
        store, "SELECT avg(centroid_lon), avg(centroid_lat) FROM boundary WHERE level = 'lsoa'"
    )
    assert -3.07 < lon < -3.0 and 53.77 < lat < 53.88


def test_blackpool_lookups_population_and_imd(store, shared_data):
    ref = shared_data / "reference_tables"
    summary = ingest_geography(
        store,
        lookups=[ref / "lookup_lsoa11_ward17.csv.gz", ref / "lookup_lsoa11_ltla21.csv.gz"],
        population=[
            shared_data / "population" / "lsoa11_population_mid2019_single_year_of_age.csv.gz"
        ],
        imd=[shared_data / "deprivation" / "imd2019_england_lsoa11_ranks_deciles.csv.gz"],
    )
    assert summary.ok, summary.errors
    assert all(not f.problems for f in summary.files)

    area = resolve_area(store, BLACKPOOL)
    assert len(area.lsoa_codes) == 94
    assert area.name == "Blackpool"
    codes = list(area.lsoa_codes)
    [(wards, with_ward)] = rows(
        store,
        "SELECT count(DISTINCT ward_code), count(ward_code) FROM geo_lookup "
        "WHERE list_contains(?, lsoa_code)",
        [codes],
    )
    assert (wards, with_ward) == (21, 94)
    [(people,)] = rows(
        store, "SELECT sum(population) FROM population WHERE list_contains(?, lsoa_code)", [codes]
    )
    assert people == 139_446
    [(decile_1,)] = rows(
        store,
        "SELECT count(*) FROM deprivation WHERE domain = 'imd' AND decile = 1 "
        "AND list_contains(?, lsoa_code)",
        [codes],
    )
    assert decile_1 == 39
    # 8 of the 10 most deprived LSOAs in England are in Blackpool
    [(top10,)] = rows(
        store,
        "SELECT count(*) FROM deprivation WHERE domain = 'imd' AND rank <= 10 "
        "AND list_contains(?, lsoa_code)",
        [codes],
    )
    assert top10 == 8


def test_second_ingest_of_the_same_files_is_unchanged(store, shared_data):
    ref = shared_data / "reference_tables"
    files = {
        "boundaries": [(shared_data / "boundaries/lsoa11_by_lad" / f"{BLACKPOOL}.geojson", "lsoa")],
        "lookups": [ref / "lookup_lsoa11_ward17.csv.gz", ref / "lookup_lsoa11_ltla21.csv.gz"],
        "population": [
            shared_data / "population" / "lsoa11_population_mid2019_single_year_of_age.csv.gz"
        ],
        "imd": [shared_data / "deprivation" / "imd2019_england_lsoa11_ranks_deciles.csv.gz"],
    }
    tables = ("boundary", "geo_lookup", "population", "deprivation", "source_file", "quarantine")

    def counts() -> list[int]:
        return [rows(store, f"SELECT count(*) FROM {t}")[0][0] for t in tables]

    first = ingest_geography(store, **files)
    before = counts()
    again = ingest_geography(store, **files)

    assert [f.status for f in first.files] == ["loaded"] * 5
    assert [f.status for f in again.files] == ["unchanged"] * 5
    assert counts() == before


def test_lsoa21_keyed_lookup_through_the_2011_to_2021_lookup(store, shared_data):
    ref = shared_data / "reference_tables"
    summary = ingest_geography(
        store,
        lookups=[
            ref / "lookup_lsoa21_ward24_ltla24.csv.gz",
            ref / "lookup_lsoa11_lsoa21_ltla22.csv.gz",
        ],
    )
    assert summary.ok, summary.errors
    assert [f.rows_loaded for f in summary.files] == [34_753, 34_753]
    area = resolve_area(store, BLACKPOOL)
    assert len(area.lsoa_codes) == 94  # all 94 are unchanged in 2021
    [(wards,)] = rows(
        store,
        "SELECT count(DISTINCT ward_code) FROM geo_lookup WHERE list_contains(?, lsoa_code)",
        [list(area.lsoa_codes)],
    )
    assert wards == 21  # Blackpool's 2023 wards (21 again, redrawn)


def test_england_and_wales_lsoa_boundaries_load_in_seconds(store, shared_data):
    path = shared_data / "boundaries" / "england_wales" / "boundaries_lsoa11.geojson.gz"
    started = time.perf_counter()
    summary = ingest_geography(store, boundaries=[(path, "lsoa")])
    seconds = time.perf_counter() - started

    [result] = summary.files
    assert result.rows_loaded == 34_753
    # one self-intersecting polygon (North East Derbyshire 008C) is repaired and loaded
    assert [(p.feature, p.repaired) for p in result.problems] == [(19280, True)]
    [(total,)] = rows(store, "SELECT sum(area_km2) FROM boundary")
    assert total == pytest.approx(151_300, rel=0.01)  # England and Wales: about 151,000 km²
    assert seconds < 15  # about 3 s on a 2-core machine
