"""The real Lancashire 2023 STATS19 collision file (../shared/data/road_safety).

Expectations come from the raw rows read here with the csv module, from the published
figures in SOURCES.md (Blackpool 279 collisions: 4 fatal, 86 serious, 189 slight, 362
casualties), and from the LSOA lists of the ONS boundary files: never from csphub code.
"""

from __future__ import annotations

import csv
import json
from collections import Counter

import pytest

from csphub.ingest.load import ingest_sources
from csphub.ingest.partner.formats import partner_format
from csphub.ingest.sources import expand_paths

pytestmark = pytest.mark.shared

FILE = "road_safety/stats19_collisions_2023_lancashire_DERIVED.csv"
SEVERITY = {"1": "fatal", "2": "serious", "3": "slight"}


@pytest.fixture
def loaded(store, shared_data):
    summary = ingest_sources(
        store, expand_paths([shared_data / FILE])[0], fmt=partner_format("stats19")
    )
    return store, summary.to_dict()


def test_the_whole_file_loads(loaded):
    store, summary = loaded
    assert (summary["rows_loaded"], summary["rows_quarantined"]) == (2762, 0)
    assert (
        store.con.execute("SELECT count(DISTINCT collision_index) FROM collisions").fetchone()[0]
        == 2762
    )


def test_blackpool_has_the_published_counts(loaded):
    store, _ = loaded
    rows = store.con.execute(
        "SELECT severity, count(*), sum(casualties) FROM collisions "
        "WHERE district = 'E06000009' GROUP BY severity"
    ).fetchall()
    by = {s: (n, c) for s, n, c in rows}
    assert {s: n for s, (n, _) in by.items()} == {"fatal": 4, "serious": 86, "slight": 189}
    assert sum(c for _, c in by.values()) == 362


def test_counts_by_district_and_severity_equal_the_raw_rows(loaded, shared_data):
    store, _ = loaded
    with (shared_data / FILE).open(encoding="utf-8", newline="") as f:
        raw = list(csv.DictReader(f))
    expected = Counter(
        (r["local_authority_ons_district"], SEVERITY[r["accident_severity"]]) for r in raw
    )
    casualties = Counter()
    for r in raw:
        casualties[r["local_authority_ons_district"]] += int(r["number_of_casualties"])
    got = store.con.execute(
        "SELECT district, severity, count(*) FROM collisions GROUP BY ALL"
    ).fetchall()
    assert Counter({(d, s): n for d, s, n in got}) == expected
    got_cas = store.con.execute(
        "SELECT district, sum(casualties) FROM collisions GROUP BY ALL"
    ).fetchall()
    assert dict(got_cas) == dict(casualties)


def test_every_collision_lsoa_lies_in_its_district(loaded, shared_data):
    store, _ = loaded
    lad_of = {}
    for path in sorted((shared_data / "boundaries/lsoa11_by_lad").glob("*.geojson")):
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
        for feature in features:
            lad_of[feature["properties"]["LSOA11CD"]] = path.stem
    rows = store.con.execute("SELECT collision_index, lsoa, district FROM collisions").fetchall()
    outside = [(i, lsoa, d) for i, lsoa, d in rows if lad_of.get(lsoa) != d]
    assert len(rows) == 2762 and outside == []


def test_times_and_weekdays_follow_the_raw_dates(loaded, shared_data):
    store, _ = loaded
    with (shared_data / FILE).open(encoding="utf-8", newline="") as f:
        first = next(csv.DictReader(f))
    row = store.con.execute(
        "SELECT date, time, hour, weekday, police_force FROM collisions WHERE collision_index = ?",
        [first["accident_index"]],
    ).fetchone()
    day, month, year = first["date"].split("/")
    assert row[0].isoformat() == f"{year}-{month}-{day}"
    assert row[1] == first["time"] and row[2] == int(first["time"][:2])
    # DfT day_of_week: 1 = Sunday ... 7 = Saturday; csphub weekday: ISO, 1 = Monday
    assert row[3] == (int(first["day_of_week"]) + 5) % 7 + 1
    assert row[4] == "Lancashire"


def test_the_packaged_code_list_is_what_dfts_list_gives(shared_data):
    from csphub.ingest.partner.stats19_codes_build import TARGET, build

    built = build(shared_data / "road_safety/stats19_schema_code_list.csv")
    assert TARGET.read_text(encoding="utf-8") == built
    with (shared_data / "road_safety/stats19_schema_code_list.csv").open(encoding="utf-8") as f:
        raw = {(r["variable"], r["code"]): r["label"] for r in csv.DictReader(f)}
    assert raw[("police_force", "4")] == "Lancashire"
    assert "police_force,4,Lancashire,0" in built.splitlines()
