"""Fire incident exports written here, and the published fire tables as aggregates."""

from __future__ import annotations

import csv
import json

import pytest

from csphub.ingest.load import ingest_sources
from csphub.ingest.partner.formats import partner_format
from csphub.ingest.quarantine import list_quarantine
from csphub.ingest.sources import expand_paths

HEADER = (
    "incident_id,fire_service,incident_date,incident_time,incident_type,property_type,motive,"
    "latitude,longitude,easting,northing,lsoa_code"
)


def write(path, rows, end="\n"):
    path.write_text(end.join([HEADER, *rows]) + end, encoding="utf-8")
    return path


def ingest(store, *paths):
    return ingest_sources(store, expand_paths(paths)[0], fmt=partner_format("fire"))


def test_incidents_are_typed_with_category_and_motive(store, tmp_path):
    path = write(
        tmp_path / "fire.csv",
        [
            # Blackpool Tower, given as British National Grid only
            "F1,Lancashire FRS,06/12/2025,22:10,Secondary fire - refuse,Wheelie bin,Deliberate,"
            ",,330630,436150,E01012680",
            "F2,Lancashire FRS,2025-12-07,,dwelling fire,House,accidental,53.8159,-3.0553,,,",
            "F3,Lancashire FRS,2025-12-07,03:00,False alarm - malicious,,not known,,,,,",
        ],
    )
    summary = ingest(store, path).to_dict()
    assert (summary["rows_loaded"], summary["rows_quarantined"]) == (3, 0)
    assert summary["rows_without_location"] == 1
    rows = store.con.execute(
        "SELECT incident_id, hour, incident_type, category, deliberate, motive, latitude, "
        "longitude, easting, northing FROM fire_incidents ORDER BY incident_id"
    ).fetchall()
    f1, f2, f3 = rows
    assert f1[:6] == ("F1", 22, "Secondary fire - refuse", "secondary", True, "deliberate")
    assert f2[:6] == ("F2", None, "Primary fire - dwelling", "primary", False, "accidental")
    assert f3 == ("F3", 3, "False alarm - malicious", "false alarm", None, "unknown", *[None] * 4)
    # the pair not given is computed from the other (the same point both ways)
    assert f1[6] == pytest.approx(53.8159, abs=2e-3) and f1[7] == pytest.approx(-3.0553, abs=2e-3)
    assert f2[8] == pytest.approx(330630, abs=150) and f2[9] == pytest.approx(436150, abs=150)


def test_a_damaged_export_loads_its_good_rows_and_quarantines_the_rest(store, tmp_path):
    rows = [
        "F1,Lancashire FRS,06/12/2025,22:10,Secondary fire - refuse,,Deliberate,,,,,",
        "F2,Lancashire FRS,06/12/2025,22:10,bonfire,,Deliberate,,,,,",  # line 3: type
        "F3,Lancashire FRS,06/13/2025,22:10,Chimney fire,,accidental,,,,,",  # line 4: date
        "F4,Lancashire FRS,06/12/2025,22:10,Chimney fire,,arson,,,,,",  # line 5: motive
        "F5,Lancashire FRS,06/12/2025,22:10,Chimney fire,,accidental,95,,,,",  # line 6: lat
        "F6,Lancashire FRS,06/12/2025,22:10,Chimney fire,,accidental,,,,,,",  # line 7: extra
        "F1,Lancashire FRS,06/12/2025,22:10,Chimney fire,,accidental,,,,,",  # line 8: repeat
        "F8,Lancashire FRS,06/12/2025,22:10,Chim",  # line 9: truncated
    ]
    summary = ingest(store, write(tmp_path / "damaged.csv", rows)).to_dict()
    assert (summary["rows_loaded"], summary["rows_quarantined"]) == (1, 7)
    found = [(q["row"], q["field"]) for q in list_quarantine(store)]
    assert found == [
        (3, "incident_type"),
        (4, "incident_date"),
        (5, "motive"),
        (6, "latitude"),
        (7, "(row)"),
        (8, "incident_id"),
        (9, "(row)"),
    ]


@pytest.mark.shared
def test_published_tables_load_as_aggregates(store, shared_data):
    folder = shared_data / "fire"
    summary = ingest(store, folder).to_dict()
    assert summary["errors"] == []
    assert store.con.execute("SELECT count(*) FROM fire_incidents").fetchone()[0] == 0
    lad = folder / "dwelling_fires_per_person_lad21_2020-21.csv"
    with lad.open(encoding="utf-8", newline="") as f:
        raw = {r["lad_code"]: r["fire_count_per_pop"] for r in csv.DictReader(f)}
    got = store.con.execute(
        "SELECT area_code, value FROM fire_aggregates WHERE table_name = "
        "'dwelling_fires_per_person_lad21' AND measure = 'dwelling_fires_per_person'"
    ).fetchall()
    good = {k: float(v) for k, v in raw.items() if k.startswith("E")}
    assert dict(got) == good and len(good) == 308
    assert round(dict(got)["E06000009"], 6) == 0.001178  # SOURCES.md: highest in England
    # Blackpool's 19 MSOAs (from the boundary file) sum to 198.5 fires a year (SOURCES.md)
    msoas = json.loads(
        (shared_data / "boundaries/msoa11_by_lad/E06000009.geojson").read_text(encoding="utf-8")
    )
    codes = [f["properties"]["MSOA11CD"] for f in msoas["features"]]
    total = store.con.execute(
        "SELECT count(*), sum(value) FROM fire_aggregates WHERE measure = "
        "'dwelling_fires_three_year_average' AND list_contains(?, area_code)",
        [codes],
    ).fetchone()
    assert total[0] == 19 and total[1] == pytest.approx(198.5)
    # the published NA rows are quarantined, not loaded as areas
    reasons = {(q["file"], q["field"]) for q in list_quarantine(store)}
    assert ("dwelling_fires_per_person_lad21_2020-21.csv", "lad_code") in reasons
    assert ("dwelling_fires_msoa11_avg_2016-17_to_2018-19.csv", "MSOA11CD") in reasons
