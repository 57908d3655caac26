"""Determinism, file layout, headers and line ends of the demo files."""

from __future__ import annotations

import hashlib
import re

import pytest

from csphub.demo import generate_demo
from csphub.demo.params import current_crime_types
from csphub.demo.timing import month_window

from .helpers import SEED

STREET_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context"
)
OUTCOMES_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Outcome type"
)
EVENTS_HEADER = (
    "event_id,agency,crime_type,offence,occurred_date,occurred_time,easting,northing,longitude,"
    "latitude,lsoa_code,address_id,victim_id,offender_id"
)


def _digests(files) -> dict[str, str]:
    return {
        str(p.relative_to(files.root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in files.paths
    }


def test_same_seed_writes_identical_bytes_and_another_seed_differs(demo, tmp_path):
    again = generate_demo(tmp_path / "again", seed=SEED)
    other = generate_demo(tmp_path / "other", seed=SEED + 1)
    first = _digests(demo)
    assert _digests(again) == first
    different = _digests(other)
    assert different.keys() == first.keys()
    changed = [name for name in first if different[name] != first[name]]
    assert "partner/police-events.csv" in changed
    assert "geography/lsoa.geojson" in changed
    assert len(changed) >= len(first) - 2  # essentially every file changes


def test_every_listed_file_exists_and_nothing_else_was_written(demo):
    written = {p for p in demo.root.rglob("*") if p.is_file()}
    assert written == set(demo.paths)
    assert len(demo.street_files) == len(demo.outcome_files) == 36
    assert demo.street_files[0].name == "2023-01-demoshire-street.csv"
    assert demo.street_files[-1].parent.name == "2025-12"
    assert demo.outcome_files[-1].name == "2025-12-demoshire-outcomes.csv"


@pytest.mark.parametrize("kind", ["street", "outcomes"])
def test_policeuk_files_have_the_exact_header_and_crlf_line_ends(demo, kind):
    header = STREET_HEADER if kind == "street" else OUTCOMES_HEADER
    files = demo.street_files if kind == "street" else demo.outcome_files
    for path in files:
        data = path.read_bytes()
        assert data.startswith(header.encode() + b"\r\n"), path.name
        assert data.endswith(b"\r\n")
        assert data.count(b"\n") == data.count(b"\r\n"), f"bare LF in {path.name}"


def test_partner_and_geography_csvs_have_exact_headers_and_lf_line_ends(demo):
    expected = {
        demo.police_events: EVENTS_HEADER,
        demo.housing_asb: EVENTS_HEADER,
        demo.lookup: "LSOA11CD,LSOA11NM,MSOA11CD,MSOA11NM,WD13CD,WD13NM,LAD13CD,LAD13NM",
        demo.population_csv: "lsoa11_name,lsoa11_code,total_population,"
        + ",".join(str(a) for a in range(90))
        + ",90+",
        demo.imd: "lsoa_code,IMD_decile,Income_decile,Employment_decile,Education_decile,"
        "Health_decile,Crime_decile,Housing_and_Access_decile,Environment_decile,IMD_rank,"
        "Income_rank,Employment_rank,Education_rank,Health_rank,Crime_rank,"
        "Housing_and_Access_rank,Environment_rank",
    }
    for path, header in expected.items():
        data = path.read_bytes()
        assert data.split(b"\n", 1)[0].decode() == header, path.name
        assert b"\r" not in data, path.name


def test_street_rows_look_like_data_police_uk(street, demo):
    assert len(street) == demo.street_rows
    assert set(street["Reported by"]) == set(street["Falls within"]) == {"Demoshire Constabulary"}
    assert set(street["Crime type"]) == set(current_crime_types())
    asb = street["Crime type"] == "Anti-social behaviour"
    assert (street.loc[asb, "Crime ID"] == "").all()
    assert (street.loc[asb, "Last outcome category"] == "").all()
    assert street.loc[~asb, "Crime ID"].str.fullmatch(r"[0-9a-f]{64}").all()
    assert street.loc[~asb, "Crime ID"].is_unique
    assert (street.loc[~asb, "Last outcome category"] != "").all()
    assert (street["Context"] == "").all()
    located = street["Longitude"] != ""
    assert street.loc[located, "Longitude"].str.fullmatch(r"-?\d+\.\d{6}").all()
    assert street.loc[located, "Location"].str.startswith("On or near ").all()
    assert street.loc[located, "LSOA name"].str.fullmatch(r"Brackwater \d{3}[A-Z]").all()
    gone = street.loc[~located]
    assert (gone[["Latitude", "LSOA code", "LSOA name"]] == "").all().all()
    assert (gone["Location"] == "No Location").all()


def test_about_three_percent_of_street_rows_have_no_location(street):
    share = (street["LSOA code"] == "").mean()
    assert 0.02 < share < 0.045


def test_month_column_matches_the_file(demo):
    for path in demo.street_files[:3]:
        months = {line.split(b",")[1] for line in path.read_bytes().splitlines()[1:]}
        assert months == {path.parent.name.encode()}


def test_month_window_and_bad_arguments():
    assert month_window("2024-02", 3).astype(str).tolist() == ["2023-12", "2024-01", "2024-02"]
    with pytest.raises(ValueError, match="end_month"):
        month_window("2024-13", 3)
    with pytest.raises(ValueError, match="months"):
        month_window("2024-01", 0)


def test_police_events_use_the_documented_formats(police):
    assert set(police["agency"]) == {"Demoshire Constabulary"}
    assert police["event_id"].is_unique
    assert police["occurred_date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    assert police["occurred_time"].str.fullmatch(r"([01]\d|2[0-3]):[0-5]\d").all()
    assert police["easting"].str.fullmatch(r"\d+\.\d").all()
    assert police["lsoa_code"].str.fullmatch(r"E01999\d{3}").all()
    ids = re.compile(r"^(|P-\d{6})$")
    assert police["victim_id"].str.match(ids).all()
    assert police["offender_id"].str.match(ids).all()
    assert police["address_id"].str.match(r"^(|ADDR-\d{6})$").all()
