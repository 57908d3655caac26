"""Lookups, population and deprivation from small synthetic CSV files (no shared data)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import duckdb
import pytest

from csphub.ingest.geography import ingest_geography
from csphub.ingest.geography import loading as loading_module
from csphub.store.areas import resolve_area


def write_csv(path: Path, text: str, *, encoding: str = "utf-8", crlf: bool = False) -> Path:
    data = text.strip("\n").replace("\n", "\r\n" if crlf else "\n").encode(encoding) + b"\n"
    path.write_bytes(gzip.compress(data) if path.suffix == ".gz" else data)
    return path


def rows(store, sql: str, params: list | None = None) -> list[tuple]:
    return store.con.execute(sql, params or []).fetchall()


WARDS = """
lsoa11_code,ward17_code
E01000001,E05000001
E01000002,E05000001
E01000003,E05000002
"""
LADS = """
lsoa11_name,lsoa11_code,ltla21_name,ltla21_code
Town 001A,E01000001,Town,E06000099
Town 001B,E01000002,Town,E06000099
Town 002A,E01000003,Town,E06000099
"""


def test_lookups_fill_their_own_columns_and_resolve_an_area(store, tmp_path):
    wards = write_csv(tmp_path / "wards.csv.gz", WARDS)
    lads = write_csv(tmp_path / "lads.csv", LADS)
    summary = ingest_geography(store, lookups=[wards, lads])

    assert summary.ok, summary.errors
    assert [(f.status, f.rows_loaded) for f in summary.files] == [("loaded", 3), ("loaded", 3)]
    area = resolve_area(store, "E06000099")
    assert area.lsoa_codes == ("E01000001", "E01000002", "E01000003")
    assert area.name == "Town"
    assert rows(store, "SELECT * FROM geo_lookup WHERE lsoa_code = 'E01000003'") == [
        ("E01000003", "Town 002A", "E05000002", None, None, None, "E06000099", "Town", None, None)
    ]
    assert resolve_area(store, "E05000001").lsoa_codes == ("E01000001", "E01000002")


def test_ons_style_lookup_headers(store, tmp_path):
    path = write_csv(
        tmp_path / "ons.csv",
        """
\ufeffLSOA11CD,LSOA11NM,MSOA11CD,MSOA11NM,WD13CD,WD13NM,WD13NMW,LAD13CD,LAD13NM
E01000001,Town 001A,E02000001,Town 001,E05000001,North,,E06000099,Town
""",
        crlf=True,
    )
    summary = ingest_geography(store, lookups=[path])
    assert summary.files[0].columns == {
        "key": "LSOA11CD",
        "lsoa_name": "LSOA11NM",
        "ward_code": "WD13CD",
        "ward_name": "WD13NM",
        "msoa_code": "MSOA11CD",
        "msoa_name": "MSOA11NM",
        "lad_code": "LAD13CD",
        "lad_name": "LAD13NM",
    }
    assert rows(store, "SELECT ward_name, msoa_code, lad_name FROM geo_lookup") == [
        ("North", "E02000001", "Town")
    ]


def test_a_later_lookup_overwrites_the_groups_it_has(store, tmp_path):
    wards = write_csv(tmp_path / "wards.csv", WARDS)
    lads = write_csv(tmp_path / "lads.csv", LADS)
    new_wards = write_csv(
        tmp_path / "wards24.csv",
        "lsoa11_code,ward24_code,ward24_name\nE01000001,E05000009,New\nE01000002,E05000009,New\n"
        "E01000003,E05000009,New",
    )
    ingest_geography(store, lookups=[wards, lads])
    again = ingest_geography(store, lookups=[wards, lads])
    assert [f.status for f in again.files] == ["unchanged", "unchanged"]

    third = ingest_geography(store, lookups=[new_wards])
    assert third.files[0].status == "replaced"
    assert rows(store, "SELECT DISTINCT ward_code, ward_name, lad_code FROM geo_lookup") == [
        ("E05000009", "New", "E06000099")
    ]
    statuses = rows(store, "SELECT name, status FROM source_file ORDER BY file_id")
    assert statuses == [
        (str(wards), "superseded"),
        (str(lads), "current"),
        (str(new_wards), "current"),
    ]
    # the first ward file comes back: it is loaded again, not "unchanged"
    fourth = ingest_geography(store, lookups=[wards])
    assert fourth.files[0].status == "replaced"
    assert rows(store, "SELECT ward_code, ward_name FROM geo_lookup ORDER BY lsoa_code")[0] == (
        "E05000001",
        None,
    )


LSOA11_TO_21 = """
lsoa11_name,lsoa11_code,change_code,lsoa21_name,lsoa21_code,ltla22_name,ltla22_code
Town 001A,E01000001,U,Town 001A,E01000001,Town,E06000099
Town 001B,E01000002,M,Town 001E,E01099001,Town,E06000099
Town 002A,E01000003,M,Town 001E,E01099001,Town,E06000099
Town 003A,E01000004,S,Town 003C,E01099002,Town,E06000099
Town 003A,E01000004,S,Town 003D,E01099003,Town,E06000099
"""
WARDS_BY_2021 = """
lsoa21_name,lsoa21_code,ward24_name,ward24_code,ltla24_name,ltla24_code
Town 001A,E01000001,North,E05000011,Town,E06000099
Town 001E,E01099001,South,E05000012,Town,E06000099
Town 003C,E01099002,East,E05000013,Town,E06000099
Town 003D,E01099003,West,E05000014,Town,E06000099
"""


def test_lookup_keyed_by_lsoa21_goes_through_the_2011_to_2021_lookup(store, tmp_path):
    by21 = write_csv(tmp_path / "lookup_lsoa21_ward24.csv", WARDS_BY_2021)
    l11_21 = write_csv(tmp_path / "lookup_lsoa11_lsoa21.csv", LSOA11_TO_21)
    # given in the "wrong" order: files keyed by LSOA 2011 are loaded first
    summary = ingest_geography(store, lookups=[by21, l11_21])

    assert [f.file for f in summary.files] == [str(l11_21), str(by21)]
    first, second = summary.files
    assert any("1 rows repeat an LSOA 2011 code split" in n for n in first.notes)
    assert first.problems == []
    assert second.rows_loaded == 4
    assert any("1 LSOA 2021 codes match no LSOA 2011" in n for n in second.notes)
    assert rows(
        store, "SELECT lsoa_code, lsoa21_code, lsoa21_change, ward_name FROM geo_lookup ORDER BY 1"
    ) == [
        ("E01000001", "E01000001", "U", "North"),
        ("E01000002", "E01099001", "M", "South"),
        ("E01000003", "E01099001", "M", "South"),
        ("E01000004", "E01099002", "S", "East"),
    ]


def test_lookup_keyed_by_lsoa21_without_the_2011_to_2021_lookup_uses_equal_codes(store, tmp_path):
    by21 = write_csv(tmp_path / "lookup_lsoa21_ward24.csv", WARDS_BY_2021)
    summary = ingest_geography(store, lookups=[by21])
    [result] = summary.files
    assert any("stored under the equal code" in n for n in result.notes)
    assert rows(store, "SELECT ward_name FROM geo_lookup WHERE lsoa_code = 'E01000001'") == [
        ("North",)
    ]


POPULATION = """
lsoa11_name,lsoa11_code,total_population,0,1
Town 001A,E01000001,1500,10,12
Town 001B,E01000002,-5,1,1
Town 002A,E01000003,abc,1,1
Town 002B,E01000004,,1,1
Town 003A,X0100005,1000,1,1
Town 003B,E01000006,1200,1,1,1
Town 003C,E01000007,2000,5,5
Town 003D,E01000001,9,1,1
"""


def test_population_bad_rows_are_quarantined_and_the_rest_load(store, tmp_path):
    path = write_csv(tmp_path / "population.csv", POPULATION)
    summary = ingest_geography(store, population=[path])

    [result] = summary.files
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (8, 2, 6)
    found = {(p.row, p.field): p.reason for p in result.problems}
    assert found == {
        (3, "total_population"): "'-5' is not a non-negative whole number",
        (4, "total_population"): "'abc' is not a non-negative whole number",
        (5, "total_population"): "empty",
        (6, "lsoa11_code"): "'X0100005' is not an LSOA code (E01 or W01 and six digits)",
        (7, "(row)"): "has 6 fields; the header has 5",
        (9, "lsoa11_code"): "repeats the code of row 2, which was loaded",
    }
    assert rows(store, "SELECT lsoa_code, lsoa_name, population FROM population ORDER BY 1") == [
        ("E01000001", "Town 001A", 1500),
        ("E01000007", "Town 003C", 2000),
    ]
    quarantine = rows(store, "SELECT file_name, row_number, field, value, record FROM quarantine")
    assert len(quarantine) == 6
    by_row = {q[1]: q for q in quarantine}
    assert by_row[3][:4] == (str(path), 3, "total_population", "-5")
    assert json.loads(by_row[3][4])["lsoa11_code"] == "E01000002"
    assert rows(store, "SELECT rows_read, rows_loaded, rows_quarantined FROM source_file") == [
        (8, 2, 6)
    ]
    json.dumps(summary.to_dict())


def test_population_with_ons_headers(store, tmp_path):
    path = write_csv(
        tmp_path / "sape.csv",
        'LSOA Code,LSOA Name,All Ages,0\nE01000001,Town 001A,"1,954",3\n'
        "W01000002,Ynys Môn 001A,1954.0,2",
        encoding="cp1252",
    )
    summary = ingest_geography(store, population=[path])
    assert summary.files[0].columns == {
        "lsoa_code": "LSOA Code",
        "population": "All Ages",
        "lsoa_name": "LSOA Name",
    }
    assert rows(store, "SELECT sum(population) FROM population") == [(3908,)]
    assert rows(store, "SELECT lsoa_name FROM population WHERE lsoa_code LIKE 'W%'") == [
        ("Ynys Môn 001A",)
    ]


def test_population_replaces_the_whole_table(store, tmp_path):
    first = write_csv(
        tmp_path / "p2019.csv", "lsoa11_code,total_population\nE01000001,10\nE01000002,20"
    )
    second = write_csv(
        tmp_path / "p2020.csv", "lsoa11_code,total_population\nE01000002,25\nE01000003,5"
    )
    ingest_geography(store, population=[first])
    summary = ingest_geography(store, population=[second])

    assert summary.files[0].status == "replaced"
    assert rows(store, "SELECT lsoa_code, population FROM population ORDER BY 1") == [
        ("E01000002", 25),
        ("E01000003", 5),
    ]
    assert rows(store, "SELECT name, status FROM source_file ORDER BY file_id") == [
        (str(first), "superseded"),
        (str(second), "current"),
    ]
    counts = rows(
        store, "SELECT (SELECT count(*) FROM population), (SELECT count(*) FROM source_file)"
    )
    again = ingest_geography(store, population=[second])
    assert again.files[0].status == "unchanged"
    assert (
        rows(store, "SELECT (SELECT count(*) FROM population), (SELECT count(*) FROM source_file)")
        == counts
    )


IMD = """
lsoa_code,IMD_decile,Income_decile,Housing_and_Access_decile,IMD_rank,Income_rank,Housing_and_Access_rank
E01000001,1,2,3,10,20,30
E01000002,11,2,3,10,20,30
E01000003,5,0,3,abc,20,30
"""


def test_imd_is_stored_long_and_a_bad_value_drops_only_its_domain(store, tmp_path):
    path = write_csv(tmp_path / "imd.csv.gz", IMD)
    summary = ingest_geography(store, imd=[path])

    [result] = summary.files
    assert {(p.row, p.field): p.reason for p in result.problems} == {
        (3, "IMD_decile"): "'11' is not a whole number from 1 to 10",
        (4, "Income_decile"): "'0' is not a whole number from 1 to 10",
        (4, "IMD_rank"): "'abc' is not a whole number >= 1",
    }
    assert rows(store, "SELECT lsoa_code, domain, rank, decile FROM deprivation ORDER BY 1, 2") == [
        ("E01000001", "housing_and_access", 30, 3),
        ("E01000001", "imd", 10, 1),
        ("E01000001", "income", 20, 2),
        ("E01000002", "housing_and_access", 30, 3),
        ("E01000002", "income", 20, 2),
        ("E01000003", "housing_and_access", 30, 3),
    ]
    assert result.rows_loaded == 6
    assert result.rows_quarantined == 2


def test_imd_with_official_file7_headers(store, tmp_path):
    header = (
        '"LSOA code (2011)","LSOA name (2011)",'
        '"Index of Multiple Deprivation (IMD) Score",'
        '"Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)",'
        '"Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)",'
        '"Barriers to Housing and Services Rank (where 1 is most deprived)",'
        '"Barriers to Housing and Services Decile (where 1 is most deprived 10% of LSOAs)",'
        '"Income Deprivation Affecting Children Index (IDACI) Rank (where 1 is most deprived)"'
    )
    path = write_csv(tmp_path / "file7.csv", f"{header}\nE01000001,Town 001A,50.1,2,1,300,1,7")
    summary = ingest_geography(store, imd=[path])
    assert summary.ok, summary.errors
    assert rows(store, "SELECT domain, rank, decile FROM deprivation ORDER BY 1") == [
        ("housing_and_access", 300, 1),
        ("idaci", 7, None),
        ("imd", 2, 1),
    ]


def test_unreadable_files_give_one_line_errors_and_the_others_load(store, tmp_path):
    good = write_csv(tmp_path / "good.csv", "lsoa11_code,total_population\nE01000001,10")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    binary = tmp_path / "binary.csv"
    binary.write_bytes(bytes(range(256)))
    no_code = write_csv(tmp_path / "nocode.csv", "area,total_population\nE01000001,10")
    bad_gzip = tmp_path / "broken.csv.gz"
    bad_gzip.write_bytes(gzip.compress(b"lsoa11_code,total\n")[:12])
    all_bad = write_csv(tmp_path / "allbad.csv", "lsoa11_code,total_population\nE01000001,-1")
    summary = ingest_geography(
        store,
        lookups=[tmp_path / "missing.csv"],
        population=[empty, binary, no_code, bad_gzip, all_bad, good],
        imd=[good],
    )

    messages = [e.message for e in summary.errors]
    assert messages == [
        f"{tmp_path / 'missing.csv'}: no such file",
        f"{empty}: is empty; expected a CSV file with a header row",
        f"{binary}: is not a text file; expected a CSV file",
        f"{no_code}: no LSOA 2011 code column found (e.g. lsoa11_code, LSOA11CD, "
        "LSOA code (2011)); its columns are area, total_population",
        messages[4],
        f"{all_bad}: none of its 1 rows could be loaded (first problem: row 2 total_population: "
        "'-1' is not a non-negative whole number); nothing was stored",
        f"{good}: no rank or decile columns found (e.g. IMD_decile, IMD_rank, or the IoD2019 "
        "File 7 headers); its columns are lsoa11_code, total_population",
    ]
    assert messages[4].startswith(f"{bad_gzip}: not a readable gzip file")
    assert all("\n" not in m for m in messages)
    assert [(f.file, f.status) for f in summary.files] == [(str(good), "loaded")]
    assert rows(store, "SELECT count(*) FROM quarantine") == [(0,)]


def test_a_failure_while_storing_keeps_what_was_there(store, tmp_path, monkeypatch):
    first = write_csv(tmp_path / "p1.csv", "lsoa11_code,total_population\nE01000001,10")
    second = write_csv(
        tmp_path / "p2.csv", "lsoa11_code,total_population\nE01000002,x\nE01000003,7"
    )
    ingest_geography(store, population=[first])

    def fail(*_args, **_kwargs):
        raise duckdb.IOException("disk full")

    monkeypatch.setattr(loading_module, "register_file", fail)
    summary = ingest_geography(store, population=[second])

    [error] = summary.errors
    assert error.message == f"{second}: could not be stored (disk full); nothing from it was kept"
    assert rows(store, "SELECT lsoa_code, population FROM population") == [("E01000001", 10)]
    assert rows(store, "SELECT count(*) FROM quarantine") == [(0,)]
    assert rows(store, "SELECT name, status FROM source_file") == [(str(first), "current")]
    # the table came back whole (with its primary key): the next load works
    monkeypatch.undo()
    retry = ingest_geography(store, population=[second])
    assert [f.status for f in retry.files] == ["replaced"]
    assert rows(store, "SELECT lsoa_code, population FROM population") == [("E01000003", 7)]
    with pytest.raises(duckdb.ConstraintException):
        store.con.execute("INSERT INTO population VALUES ('E01000003', NULL, 1, NULL)")
