"""Event-level partner extracts: locations in either system, quarantine, replacement."""

from __future__ import annotations

import datetime as dt

import pytest

from csphub.ingest.load import ingest_sources
from csphub.ingest.quarantine import list_quarantine
from csphub.ingest.sources import expand_paths

HEADER = (
    "event_id,agency,crime_type,offence,occurred_date,occurred_time,easting,northing,"
    "longitude,latitude,lsoa_code,address_id,victim_id,offender_id"
)


def write(path, rows):
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def ingest(store, *paths):
    return ingest_sources(store, expand_paths(paths)[0])


def test_events_load_with_both_coordinate_systems(store, tmp_path):
    f = write(
        tmp_path / "police.csv",
        [
            # Blackpool Tower, given as British National Grid only
            "E1,Police,Burglary,Burglary - residential,2022-01-03,21:15,330630,436150,,,"
            "E01012680,ADDR-1,P-1,",
            # the same point given as longitude/latitude only
            "E2,Police,Burglary,Burglary - residential,2022-01-05,,,,-3.0553,53.8159,,"
            "ADDR-1,P-1,P-9",
            "E3,Police,Anti-social behaviour,,2022-02-01,08:00,,,,,,,,",
        ],
    )
    summary = ingest(store, f).to_dict()
    assert (summary["rows_loaded"], summary["rows_quarantined"]) == (3, 0)
    rows = store.con.execute(
        "SELECT event_id, occurred_at, longitude, latitude, easting, northing, has_location, "
        "victim_id, offender_id FROM events ORDER BY event_id"
    ).fetchall()
    e1, e2, e3 = rows
    assert e1[1] == dt.datetime(2022, 1, 3, 21, 15)
    assert e1[2] == pytest.approx(-3.0553, abs=2e-3) and e1[3] == pytest.approx(53.8159, abs=2e-3)
    assert e2[4] == pytest.approx(330630, abs=150) and e2[5] == pytest.approx(436150, abs=150)
    assert e2[1] == dt.datetime(2022, 1, 5)
    assert e1[6] and e2[6] and not e3[6]
    assert (e1[7], e1[8], e2[8]) == ("P-1", None, "P-9")
    months = store.con.execute(
        "SELECT strftime(month, '%Y-%m'), count(*) FROM events GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert months == [("2022-01", 2), ("2022-02", 1)]


def test_bad_event_rows_are_quarantined(store, tmp_path):
    f = write(
        tmp_path / "housing.csv",
        [
            "H1,Homes,Anti-social behaviour,Noise,2022-01-03,,,,,,,A1,P-1,P-2",
            "H1,Homes,Anti-social behaviour,Noise,2022-01-04,,,,,,,A1,P-1,P-2",
            "H3,Homes,Anti-social behaviour,Noise,2022-02-30,,,,,,,A1,P-1,P-2",
            "H4,Homes,Noise nuisance,Noise,2022-01-05,,,,,,,A1,P-1,P-2",
            "H5,Homes,Anti-social behaviour,Noise,2022-01-05,25:00,,,,,,A1,P-1,P-2",
            "H6,Homes,Anti-social behaviour,Noise,2022-01-05,,330630,,,,,A1,P-1,P-2",
            "H7,,Anti-social behaviour,Noise,2022-01-05,,,,,,,A1,P-1,P-2",
        ],
    )
    summary = ingest(store, f).to_dict()
    assert (summary["rows_loaded"], summary["rows_quarantined"]) == (1, 6)
    got = [(q["row"], q["field"], q["reason"]) for q in list_quarantine(store)]
    assert got == [
        (3, "event_id", "the same event_id appears earlier in the file"),
        (4, "occurred_date", "no such date"),
        (5, "crime_type", "not a data.police.uk crime type (map the agency's category to one)"),
        (6, "occurred_time", "not a time (HH:MM)"),
        (7, "northing", "empty while easting is given"),
        (8, "agency", "required but empty"),
    ]


def test_a_newer_extract_replaces_the_agency_months_it_covers(store, tmp_path):
    old = write(
        tmp_path / "old.csv",
        [
            "A,Homes,Anti-social behaviour,,2022-01-03,,,,,,,,,",
            "B,Homes,Anti-social behaviour,,2022-02-03,,,,,,,,,",
        ],
    )
    ingest(store, old)
    new = write(
        tmp_path / "new.csv",
        [
            "B,Homes,Anti-social behaviour,,2022-02-03,,,,,,,,,",
            "C,Homes,Anti-social behaviour,,2022-02-09,,,,,,,,,",
        ],
    )
    summary = ingest(store, new).to_dict()
    assert [(r["force"], r["month"]) for r in summary["replaced_months"]] == [("Homes", "2022-02")]
    ids = [r[0] for r in store.con.execute("SELECT event_id FROM events ORDER BY 1").fetchall()]
    assert ids == ["A", "B", "C"]
