"""Store inputs (``csphub.analysis.store_inputs``) on a demo store built with the demo
generator and the ingest functions, checked against SQL on the store and the raw files."""

from __future__ import annotations

import doctest
import importlib

import numpy as np
import pandas as pd
import pytest
import shapely

from csphub.analysis import store_inputs as si
from csphub.analysis.harm import harm_totals, load_weights
from csphub.analysis.projection import lonlat_to_bng
from csphub.demo import generate_demo
from csphub.ingest.geography import ingest_geography
from csphub.ingest.load import ingest_sources
from csphub.ingest.sources import expand_paths
from csphub.store import open_store
from csphub.store.areas import Area, resolve_area

YEAR = si.Period("2025-01", "2025-12")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return generate_demo(tmp_path_factory.mktemp("from_store") / "demo", seed=2026)


@pytest.fixture(scope="module")
def store(files):
    with open_store(files.root / "store") as s:
        geo = ingest_geography(
            s,
            boundaries=[(files.lsoa_geojson, "lsoa")],
            lookups=[files.lookup],
            population=[files.population_csv],
        )
        assert geo.ok
        sources, errors = expand_paths([files.root / "police-uk", files.police_events])
        assert not errors
        ingest_sources(s, sources)
        yield s


@pytest.fixture(scope="module")
def area(store) -> Area:
    return resolve_area(store, "E06999001")


def _one(store, sql: str, params=()):
    return store.con.execute(sql, list(params)).fetchone()[0]


def test_docstring_examples_run():
    module = importlib.import_module("csphub.analysis.store_inputs.periods")
    assert doctest.testmod(module).failed == 0


# --------------------------------------------------------------------------- periods


def test_periods_and_filters_are_checked_with_the_option_named():
    assert si.parse_period("2024-11..2025-02", "--before").months == (
        "2024-11",
        "2024-12",
        "2025-01",
        "2025-02",
    )
    for bad in ("2025", "2025-13", "2025-03..2025-01", "2025-01..2025"):
        with pytest.raises(si.InputError, match="--after"):
            si.parse_period(bad, "--after")
    assert si.parse_where(["crime_type=Drugs", "crime_type=Robbery"], si.STREET_FILTERS) == {
        "crime_type": ["Drugs", "Robbery"]
    }
    with pytest.raises(si.InputError, match="FIELD=VALUE"):
        si.parse_where(["crime_type"], si.STREET_FILTERS)
    with pytest.raises(si.InputError, match="choose a field"):
        si.parse_where(["colour=red"], si.EVENT_FILTERS)
    assert si.parse_numbers("0.1,200,400", "--space-bands") == [0.1, 200.0, 400.0]
    with pytest.raises(si.InputError, match="increasing"):
        si.parse_numbers("14,7", "--time-bands")


def test_months_not_loaded_are_an_error_naming_them(store, tmp_path):
    assert si.loaded_months(store) == si.month_range("2023-01", "2025-12")
    si.require_months(store, YEAR.months)
    with pytest.raises(si.InputError) as err:
        si.require_months(store, ["2022-11", "2022-12", "2025-12", "2026-02"])
    assert "2022-11..2022-12, 2026-02" in str(err.value)
    assert "2023-01..2025-12" in str(err.value) and "csphub ingest police-uk" in str(err.value)
    assert si.months_up_to(store, "2023-03") == ["2023-01", "2023-02", "2023-03"]
    with open_store(tmp_path / "empty") as empty, pytest.raises(si.InputError) as none:
        si.months_up_to(empty, None)
    assert "no police.uk street data in the store" in str(none.value)


# --------------------------------------------------------------------------- street


def test_street_counts_equal_sql_and_monthly_counts_fill_loaded_months(store, area):
    frame = si.street_counts(store, ["crime_type"], YEAR, area, None)
    assert frame.columns.tolist() == ["crime_type", "count"]
    total = _one(
        store,
        "SELECT count(*) FROM street WHERE lsoa_code IS NOT NULL AND month >= '2025-01-01' "
        "AND month <= '2025-12-01'",
    )
    assert frame["count"].sum() == total
    one_lsoa = Area("E01999001", "one", ("E01999001",))
    robbery = si.monthly_counts(store, YEAR.months, one_lsoa, {"crime_type": ["Robbery"]})
    assert robbery.index.tolist() == list(YEAR.months)  # months without a robbery are 0
    assert robbery.sum() == _one(
        store,
        "SELECT count(*) FROM street WHERE lsoa_code = 'E01999001' AND crime_type = 'Robbery' "
        "AND month >= '2025-01-01' AND month <= '2025-12-01'",
    )


def test_harm_from_store_counts_equals_counts_times_weights(store, area):
    weights = load_weights("css")
    frame = si.street_counts(store, ["crime_type"], YEAR, area, None)
    population = si.area_population(store, area, [])
    result = harm_totals(frame, weights, population.value)
    by_hand = sum(n * (weights.weight(t) or 0.0) for t, n in zip(*frame.values.T, strict=True))
    assert result.table.loc[0, "harm"] == pytest.approx(by_hand)
    assert population.value == _one(store, "SELECT sum(population) FROM population")


def test_population_by_lsoa_and_ward(store, area):
    by_lsoa = si.area_population(store, area, ["lsoa_code"])
    assert len(by_lsoa.value) == 90 and by_lsoa.missing == ()
    by_ward = si.area_population(store, area, ["ward_code"])
    assert len(by_ward.value) == 20
    assert by_ward.value["population"].sum() == by_lsoa.value["population"].sum()


def test_snap_points_and_projected_points_keep_every_located_row(store, area):
    points = si.snap_point_counts(store, YEAR, area, None)
    located = _one(
        store,
        "SELECT count(*) FROM street WHERE has_location AND lsoa_code IS NOT NULL "
        "AND month >= '2025-01-01' AND month <= '2025-12-01'",
    )
    assert points.total == located == points.repeated_ids().size
    every = si.snap_point_counts(store, YEAR, area, None, all_points=True)
    assert every.total == located and len(every.table) >= len(points.table)
    assert (every.table["count"] == 0).any()  # snap points with no row this year are units
    x, y = si.located_points_bng(store, YEAR, area, None)
    assert x.size == located
    outline = si.area_outline_bng(store, area)
    assert shapely.contains_xy(outline, x, y).mean() > 0.99
    unlocated = _one(
        store,
        "SELECT count(*) FROM street WHERE NOT has_location AND month >= '2025-01-01' "
        "AND month <= '2025-12-01'",
    )
    assert si.rows_without_location(store, YEAR, None) == unlocated > 0


def test_area_grid_keeps_every_cell_that_overlaps_the_area(store, area):
    outline = si.area_outline_bng(store, area)
    grid, within = si.area_grid(outline, 500.0)
    assert grid.x0 % 500 == 0 and grid.y0 % 500 == 0
    assert shapely.difference(outline, within).area < 1.0


def test_concentration_units_cover_the_area_busiest_first(store, area):
    lsoas = si.concentration_units(store, "lsoa", YEAR, area, {"crime_type": ["Robbery"]})
    assert set(lsoas.unit_id) == set(area.lsoa_codes)
    assert lsoas["count"].is_monotonic_decreasing
    assert lsoas["cumulative_share"].iloc[-1] == pytest.approx(1.0)
    with pytest.raises(si.InputError, match="lsoa or location"):
        si.concentration_units(store, "ward", YEAR, area, None)


def test_area_type_counts_fill_zero_for_types_absent_in_a_period(store):
    a = Area("a", "a", ("E01999001",))
    b = Area("b", "b", ("E01999002",))
    periods = {"before": si.Period("2024-01", "2024-01"), "after": si.Period("2025-01", "2025-01")}
    table = si.area_type_counts(store, {"treated": a, "control": b}, periods, None)
    assert len(table) == 2 * 2 * table["crime_type"].nunique()
    assert (table["count"] == 0).any()
    got = table.query("area == 'treated' and period == 'before'")["count"].sum()
    assert got == _one(
        store,
        "SELECT count(*) FROM street WHERE lsoa_code = 'E01999001' AND month = '2024-01-01'",
    )


# --------------------------------------------------------------------------- geography


def test_lsoa_boundaries_missing_are_an_error_saying_what_to_load(store, area, tmp_path):
    codes, wkb = si.lsoa_boundaries(store, area)
    assert codes == sorted(area.lsoa_codes) and len(wkb) == 90
    partial = Area("x", "x", (*area.lsoa_codes[:3], "E01000001"))
    with pytest.raises(si.InputError, match="1 of the 4 LSOAs of x have no boundary"):
        si.lsoa_boundaries(store, partial)
    with open_store(tmp_path / "bare") as bare:
        with pytest.raises(si.InputError, match="csphub ingest geography --boundaries"):
            si.lsoa_boundaries(bare, area)
        assert si.area_outline_bng(bare, area) is None


# --------------------------------------------------------------------------- events


def test_events_frame_filters_and_knox_events_are_distinct_and_located(store):
    frame = si.events_frame(
        store,
        agency="Demoshire Constabulary",
        where={"crime_type": ["Burglary"]},
        date_from=pd.Timestamp("2025-03-01").date(),
        date_to=pd.Timestamp("2025-03-31").date(),
    )
    assert set(frame["crime_type"]) == {"Burglary"}
    assert frame["occurred_at"].min() >= pd.Timestamp("2025-03-01")
    assert frame["occurred_at"].max() < pd.Timestamp("2025-04-01")
    events = si.knox_events(frame).events
    assert events.n == frame["event_id"].nunique()
    assert np.allclose(events.x, frame["easting"])
    with pytest.raises(si.InputError, match="agencies: Demoshire Constabulary"):
        si.events_frame(store, agency="Nobody")


def test_further_rows_of_one_event_are_merged_and_events_without_location_counted():
    frame = pd.DataFrame(
        {
            "agency": ["A", "A", "A", "A"],
            "event_id": ["e1", "e1", "e2", None],
            "occurred_at": pd.to_datetime(["2025-01-01", "2025-01-01", "2025-01-02", "2025-01-03"]),
            "easting": [1.0, 1.0, None, 5.0],
            "northing": [1.0, 1.0, 2.0, 5.0],
            "longitude": [0.0] * 4,
            "latitude": [0.0] * 4,
        }
    )
    out = si.knox_events(frame)
    assert out.events.n == 2 and out.rows["event_id"].tolist()[0] == "e1"
    assert out.events.issues == (
        "1 further row(s) of the same event (one per party) merged",
        "1 event(s) without a location or date left out",
    )


def test_vol_events_keep_two_agencies_references_apart():
    frame = pd.DataFrame({"agency": ["A", "B", "B", "B"], "event_id": ["1", "1", None, " "]})
    out = si.vol_events(frame)["event_id"]
    assert out.tolist()[:2] == ["A:1", "B:1"]
    assert pd.isna(out.iloc[2]) and out.iloc[3] == " "  # unknown stays unknown
    single = frame.iloc[:1]
    assert si.vol_events(single)["event_id"].tolist() == ["1"]


def test_projection_of_snap_points_matches_the_library(store, area):
    points = si.snap_point_counts(store, YEAR, area, {"crime_type": ["Robbery"]}).table
    x, y = si.located_points_bng(store, YEAR, area, {"crime_type": ["Robbery"]})
    px, py = lonlat_to_bng(points["longitude"], points["latitude"])
    assert np.allclose(np.repeat(px, points["count"]), x)
    assert np.allclose(np.repeat(py, points["count"]), y)
