"""Issue 12, point 1: a force or agency spelled differently never splits, doubles or
overwrites a force-month. Expectations are independent counts (csv module) or by hand."""

from __future__ import annotations

import pytest

from csphub.ingest.load import ingest_sources
from csphub.ingest.sources import expand_paths
from csv_oracle import good_rows, real_street
from policeuk_files import FORCE, month_rows, street_row, write_street

EVENTS_HEADER = (
    "event_id,agency,crime_type,offence,occurred_date,occurred_time,easting,northing,"
    "longitude,latitude,lsoa_code,address_id,victim_id,offender_id"
)


def ingest(store, *paths, **kwargs):
    return ingest_sources(store, expand_paths(paths)[0], **kwargs).to_dict()


def street_forces(store) -> list[tuple[str, int]]:
    return store.con.execute(
        "SELECT reported_by, count(*) FROM street GROUP BY 1 ORDER BY 1"
    ).fetchall()


@pytest.mark.shared
def test_one_capitalised_reported_by_in_the_real_file_neither_doubles_nor_splits(
    store, shared_data, tmp_path
):
    data = real_street(shared_data, "2022-10")
    lines = data.split(b"\r\n")
    assert lines[500].count(b",Lancashire Constabulary,") == 1
    lines[500] = lines[500].replace(b",Lancashire Constabulary,", b",LANCASHIRE CONSTABULARY,", 1)
    f = tmp_path / "2022-10-lancashire-street.csv"
    f.write_bytes(b"\r\n".join(lines))
    expected = len(good_rows(f.read_bytes(), 12))
    assert expected == 15_833  # SOURCES.md: 2022-10 has 15,833 rows
    d = ingest(store, f)
    assert (d["rows_loaded"], d["rows_quarantined"]) == (expected, 0)
    assert street_forces(store) == [("Lancashire Constabulary", expected)]
    assert any("'LANCASHIRE CONSTABULARY' in 1 row" in n for n in d["notes"])


@pytest.mark.parametrize(
    "odd", ["TESTSHIRE POLICE", "Testshire Police ", " Testshire  Police", "Testshire\x07Police"]
)
def test_an_odd_spelling_of_the_force_in_one_row_is_the_same_force(store, tmp_path, odd):
    rows = month_rows("2022-01", 30)
    rows.insert(0, street_row("2022-01", "Drugs", crime_id="odd", force=odd))
    f = write_street(tmp_path / "2022-01-testshire-street.csv", rows)
    d = ingest(store, f)
    assert (d["rows_loaded"], d["rows_quarantined"]) == (31, 0)
    assert street_forces(store) == [(FORCE, 31)]
    parts = store.con.execute("SELECT count(*), sum(rows) FROM part").fetchone()
    assert parts == (1, 31)


def test_a_one_row_spelling_met_first_does_not_define_the_force(store, tmp_path):
    # the fuzzed case: a 1-row part written second overwrote the large one
    rows = [street_row("2022-01", "Drugs", crime_id="first", force="testshire police")]
    rows += month_rows("2022-01", 3000)
    f = write_street(tmp_path / "2022-01-testshire-street.csv", rows)
    d = ingest(store, f)
    assert d["rows_loaded"] == 3001
    assert street_forces(store) == [(FORCE, 3001)]


def test_the_same_force_spelled_differently_in_two_files_is_one_force(store, tmp_path):
    a = write_street(tmp_path / "2022-01-testshire-street.csv", month_rows("2022-01", 10))
    b_rows = [r.replace(FORCE, FORCE.upper()) for r in month_rows("2022-02", 12)]
    b = write_street(tmp_path / "2022-02-testshire-street.csv", b_rows)
    ingest(store, a)
    ingest(store, b)
    assert street_forces(store) == [(FORCE, 22)]


def test_an_agency_with_a_trailing_space_in_a_partner_extract_is_one_agency(store, tmp_path):
    rows = [
        f"E{i},Brackwater Homes,Anti-social behaviour,Noise,2022-01-{1 + i % 28:02d},,,,,,,,,"
        for i in range(2801)
    ]
    rows[1400] = rows[1400].replace("Brackwater Homes", "Brackwater Homes ")
    f = tmp_path / "housing.csv"
    f.write_text("\n".join([EVENTS_HEADER, *rows]) + "\n", encoding="utf-8")
    d = ingest(store, f)
    assert (d["rows_loaded"], d["rows_quarantined"]) == (2801, 0)
    got = store.con.execute("SELECT agency, count(*) FROM events GROUP BY 1").fetchall()
    assert got == [("Brackwater Homes", 2801)]


def test_part_paths_are_catalog_ids_not_data(store, tmp_path):
    rows = month_rows("2022-01", 5) + month_rows("2022-02", 5)
    f = write_street(tmp_path / "testshire-extract.csv", rows)
    ingest(store, f)
    paths = [r[0] for r in store.con.execute("SELECT path FROM part ORDER BY path").fetchall()]
    assert paths == ["parts/street/f000001-p0000.parquet", "parts/street/f000001-p0001.parquet"]
