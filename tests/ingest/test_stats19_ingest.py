"""STATS19 files written here: both header vintages, joins, damage and replacement."""

from __future__ import annotations

import pytest

from csphub.ingest.load import ingest_sources
from csphub.ingest.partner.formats import partner_format
from csphub.ingest.quarantine import list_quarantine
from csphub.ingest.sources import expand_paths

OLD = (
    "accident_index,accident_year,accident_reference,location_easting_osgr,"
    "location_northing_osgr,longitude,latitude,police_force,accident_severity,"
    "number_of_vehicles,number_of_casualties,date,day_of_week,time,"
    "local_authority_ons_district,road_type,speed_limit,light_conditions,weather_conditions,"
    "urban_or_rural_area,lsoa_of_accident_location,enhanced_severity_collision"
)
NEW = (
    "collision_index,collision_year,collision_ref_no,location_easting_osgr,"
    "location_northing_osgr,longitude,latitude,police_force,collision_severity,"
    "number_of_vehicles,number_of_casualties,date,day_of_week,time,"
    "local_authority_ons_district,road_type,speed_limit,light_conditions,weather_conditions,"
    "urban_or_rural_area,lsoa_of_collision_location,enhanced_collision_severity,"
    "collision_adjusted_serious,collision_adjusted_slight"
)
ROW = (
    "{i},{y},{r},330630,436150,-3.0553,53.8159,4,{sev},2,1,{d},1,{t},E06000009,6,30,1,1,1,"
    "E01012680,3"
)
BAD_CODE = "no such collision_severity code in the DfT code list (data guide 2024)"
CASUALTY = (
    "collision_index,collision_year,collision_ref_no,vehicle_reference,casualty_reference,"
    "casualty_class,sex_of_casualty,age_of_casualty,age_band_of_casualty,casualty_severity,"
    "casualty_type,casualty_adjusted_serious,casualty_adjusted_slight"
)
VEHICLE = (
    "accident_index,accident_year,accident_reference,vehicle_reference,vehicle_type,"
    "sex_of_driver,age_of_driver,age_band_of_driver,junction_location"
)


def write(path, header, rows, end="\n"):
    path.write_text(end.join([header, *rows]) + end, encoding="utf-8")
    return path


def ingest(store, *paths, replace=False):
    sources = expand_paths(paths)[0]
    return ingest_sources(store, sources, fmt=partner_format("stats19"), replace=replace)


def row(n, sev="3", d="01/01/2023", t="14:45", year="2023"):
    ref = f"04{n:07d}"
    return ROW.format(i=f"{year}{ref}", y=year, r=ref, sev=sev, d=d, t=t)


def test_both_vintages_of_names_load_to_the_same_fields(store, tmp_path):
    old = write(tmp_path / "old.csv", OLD, [row(1, "1", "31/12/2023", "23:59")])
    new = write(
        tmp_path / "new.csv",
        NEW,
        [
            "2022040000001,2022,040000001,,,,,4,2,1,1,07/03/2022,2,,E06000009,-1,99,-1,9,-1,,-1,"
            "0.75,0.25"
        ],
    )
    summary = ingest(store, old, new).to_dict()
    assert (summary["rows_loaded"], summary["rows_quarantined"]) == (2, 0)
    got = store.con.execute(
        "SELECT collision_index, year, date, time, hour, weekday, severity, adjusted_serious, "
        "adjusted_slight, road_type, speed_limit, light, weather, urban_rural, lsoa, latitude "
        "FROM collisions ORDER BY year"
    ).fetchall()
    new_row, old_row = got
    # 7 March 2022 was a Monday; unknown codes (-1, 99, 9) are kept as unknown, not refused
    assert new_row[:7] == ("2022040000001", 2022, new_row[2], None, None, 1, "serious")
    assert new_row[2].isoformat() == "2022-03-07"
    assert new_row[7:14] == (0.75, 0.25, "unknown", None, "unknown", "unknown", "unknown")
    assert new_row[14:] == (None, None)
    # 31 December 2023 was a Sunday
    assert old_row[3:9] == ("23:59", 23, 7, "fatal", None, None)
    assert old_row[9:14] == ("Single carriageway", 30, "Daylight", "Fine no high winds", "Urban")


def test_casualties_and_vehicles_join_on_the_collision_index(store, tmp_path):
    col = write(tmp_path / "collisions.csv", OLD, [row(1), row(2, "2")])
    cas = write(
        tmp_path / "casualties.csv",
        CASUALTY,
        [
            "2023040000001,2023,040000001,1,1,3,1,34,6,3,0,,",
            "2023040000002,2023,040000002,1,1,1,2,19,4,2,1,0.9,0.1",
            "2023040000002,2023,040000002,2,2,2,9,-1,-1,3,9,0.1,0.9",
        ],
    )
    veh = write(
        tmp_path / "vehicles.csv",
        VEHICLE,
        ["2023040000001,2023,040000001,1,9,1,50,8,1", "2023040000002,2023,040000002,1,1,2,19,4,0"],
    )
    summary = ingest(store, col, cas, veh).to_dict()
    assert summary["rows_loaded"] == 7 and summary["rows_quarantined"] == 0
    got = store.con.execute(
        "SELECT c.severity, k.casualty_class, k.road_user, k.sex, k.age, k.age_band, "
        "k.severity, k.adjusted_serious, k.police_force FROM casualties k "
        "JOIN collisions c USING (collision_index) ORDER BY k.collision_index, k.casualty_reference"
    ).fetchall()
    assert got == [
        ("slight", "Pedestrian", "Pedestrian", "Male", 34, "26 - 35", "slight", None, "Lancashire"),
        (
            "serious",
            "Driver or rider",
            "Cyclist",
            "Female",
            19,
            "16 - 20",
            "serious",
            0.9,
            "Lancashire",
        ),
        (
            "serious",
            "Passenger",
            "Car occupant",
            "unknown",
            None,
            "unknown",
            "slight",
            0.1,
            "Lancashire",
        ),
    ]
    vehicles = store.con.execute(
        "SELECT vehicle_type, driver_sex, driver_age_band FROM vehicles ORDER BY collision_index"
    ).fetchall()
    assert vehicles == [("Car", "Male", "46 - 55"), ("Pedal cycle", "Female", "16 - 20")]
    kinds = dict(store.con.execute("SELECT name, kind FROM source_file").fetchall())
    assert kinds == {
        "collisions.csv": "collisions",
        "casualties.csv": "casualties",
        "vehicles.csv": "vehicles",
    }


def test_a_damaged_file_loads_its_good_rows_and_quarantines_the_rest(store, tmp_path):
    good = [row(n) for n in range(1, 6)]
    damaged = [
        *good,
        row(6, sev="4"),  # line 7: no such severity code
        row(7, d="31/02/2023"),  # line 8: no such date
        row(8, d="2023/01/05"),  # line 9: not DD/MM/YYYY
        row(9, t="25:10"),  # line 10: not a time
        row(10) + ",extra",  # line 11: an extra column
        row(1),  # line 12: the same collision again
        row(11, year="2022"),  # line 13: the date is not in the collision's year
        row(12)[:40],  # line 14: truncated last line
    ]
    path = write(tmp_path / "damaged.csv", OLD, damaged, end="\r\n")
    summary = ingest(store, path).to_dict()
    assert (summary["rows_loaded"], summary["rows_quarantined"]) == (5, 8)
    found = [(q["row"], q["field"], q["reason"]) for q in list_quarantine(store)]
    assert found == [
        (7, "accident_severity", BAD_CODE),
        (8, "date", "no such date"),
        (9, "date", "not a date (DD/MM/YYYY)"),
        (10, "time", "not a time (HH:MM)"),
        (11, "(row)", "expected 22 fields, found 23"),
        (12, "accident_index", "the same collision index appears earlier in the file"),
        (13, "date", "the date is not in the collision's year"),
        (14, "(row)", "expected 22 fields, found 5"),  # cut inside the northing
    ]
    assert all(q["file"] == "damaged.csv" and q["record"] for q in list_quarantine(store))


def test_a_file_without_the_required_columns_is_refused_whole(store, tmp_path):
    path = write(tmp_path / "nope.csv", "accident_index,date", ["2023040000001,01/01/2023"])
    summary = ingest(store, path).to_dict()
    assert summary["files_failed"] == 1
    assert "police_force, severity" in summary["errors"][0]


def test_replacement_by_force_year_nothing_doubled(store, tmp_path):
    first = write(tmp_path / "lancs.csv", OLD, [row(n) for n in range(1, 11)])
    ingest(store, first)
    # the same name reloaded with a correction replaces the earlier load
    corrected = write(tmp_path / "lancs.csv", OLD, [row(n, "2") for n in range(1, 11)])
    summary = ingest(store, corrected).to_dict()
    assert summary["replaced_months"][0]["previous_rows"] == 10
    assert store.con.execute("SELECT count(*), min(severity) FROM collisions").fetchone() == (
        10,
        "serious",
    )
    # a newer file with far fewer rows of the same force-year is refused, unless --replace
    part = write(tmp_path / "part.csv", OLD, [row(n) for n in range(1, 3)])
    refused = ingest(store, part).to_dict()
    assert refused["files_refused"] == 1 and "--replace" in refused["errors"][0]
    assert store.con.execute("SELECT count(*) FROM collisions").fetchone()[0] == 10
    ingest(store, part, replace=True)
    assert store.con.execute("SELECT count(*) FROM collisions").fetchone()[0] == 2
    # another year is another key: both kept
    other = write(tmp_path / "y2022.csv", OLD, [row(1, d="01/01/2022", year="2022")])
    ingest(store, other)
    years = store.con.execute("SELECT year, count(*) FROM collisions GROUP BY 1 ORDER BY 1")
    assert years.fetchall() == [(2022, 1), (2023, 2)]


@pytest.mark.parametrize("end", ["\n", "\r\n"])
def test_unchanged_bytes_change_nothing(store, tmp_path, end):
    path = write(tmp_path / "a.csv", OLD, [row(1)], end=end)
    ingest(store, path)
    again = ingest(store, path).to_dict()
    assert again["files_unchanged"] == 1
    assert store.con.execute("SELECT count(*) FROM source_file").fetchone()[0] == 1


def test_a_reloaded_file_replaces_its_earlier_load_whole(store, tmp_path):
    # first load: 2022 and 2023; the corrected file of the same name holds 2023 only
    both = [row(1, d="01/01/2022", year="2022"), *[row(n) for n in range(2, 6)]]
    path = write(tmp_path / "lancs.csv", OLD, both)
    ingest(store, path)
    write(tmp_path / "lancs.csv", OLD, [row(n, "2") for n in range(2, 6)])
    summary = ingest(store, path).to_dict()
    assert sorted(
        (r["month"], r["previous_rows"], r["new_rows"]) for r in summary["replaced_months"]
    ) == [("2022-01", 1, 0), ("2023-01", 4, 4)]
    assert store.con.execute("SELECT year, count(*) FROM collisions GROUP BY 1").fetchall() == [
        (2023, 4)
    ]
    status = store.con.execute("SELECT status FROM source_file ORDER BY file_id").fetchall()
    assert status == [("superseded",), ("current",)]
    # a file of the same name from another folder is another source: both kept
    other = tmp_path / "other"
    other.mkdir()
    ingest(store, write(other / "lancs.csv", OLD, [row(9, d="01/01/2021", year="2021")]))
    years = store.con.execute("SELECT year, count(*) FROM collisions GROUP BY 1 ORDER BY 1")
    assert years.fetchall() == [(2021, 1), (2023, 4)]
