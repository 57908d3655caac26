"""police.uk ingest: nothing lost, idempotent, replacement, lineage, quarantine."""

from __future__ import annotations

import gzip
import hashlib
import json

import pyarrow as pa
import pytest

from csphub.analysis.counts import counts
from csphub.ingest.kinds import kinds
from csphub.ingest.load import ingest_sources
from csphub.ingest.parse import _parse_careful, _parse_fast
from csphub.ingest.quarantine import list_quarantine
from csphub.ingest.sources import expand_paths
from policeuk_files import (
    FORCE,
    STREET_HEADER,
    month_rows,
    street_row,
    write_street,
    write_zip,
)


def ingest(store, *paths):
    sources, errors = expand_paths(paths)
    summary = ingest_sources(store, sources)
    return summary, errors


def total(store) -> int:
    return store.con.execute("SELECT count(*) FROM street").fetchone()[0]


def test_every_row_kept_and_no_location_flagged(store, tmp_path):
    f = write_street(
        tmp_path / "2022-01-testshire-street.csv", month_rows("2022-01", 40, no_location_every=5)
    )
    summary, _ = ingest(store, f)
    assert summary.to_dict()["rows_loaded"] == 40
    assert total(store) == 40
    flagged = store.con.execute(
        "SELECT count(*) FROM street WHERE NOT has_location AND longitude IS NULL "
        "AND lsoa_code IS NULL"
    ).fetchone()[0]
    assert flagged == 8
    assert summary.to_dict()["rows_without_location"] == 8
    asb = store.con.execute(
        "SELECT count(*) FROM street "
        "WHERE crime_type = 'Anti-social behaviour' AND crime_id IS NULL"
    ).fetchone()[0]
    assert asb == 10


def test_lf_crlf_gz_zip_and_folders_all_load(store, tmp_path):
    write_street(
        tmp_path / "in" / "2022-01-testshire-street.csv", month_rows("2022-01", 5), eol="\n"
    )
    write_street(
        tmp_path / "in" / "deep" / "2022-02-testshire-street.csv.gz",
        month_rows("2022-02", 6),
        gz=True,
    )
    crlf = (STREET_HEADER + "\r\n" + "\r\n".join(month_rows("2022-03", 7)) + "\r\n").encode()
    write_zip(tmp_path / "in" / "2022-03.zip", {"2022-03/2022-03-testshire-street.csv": crlf})
    (tmp_path / "in" / "notes.txt").write_text("not data")
    summary, errors = ingest(store, tmp_path / "in")
    assert errors == []
    assert summary.to_dict()["files_loaded"] == 3
    by_month = counts(store, ["month"]).records()
    assert [(r["month"], r["count"]) for r in by_month] == [
        ("2022-01", 5),
        ("2022-02", 6),
        ("2022-03", 7),
    ]
    names = {r[0] for r in store.con.execute("SELECT name FROM source_file").fetchall()}
    assert "2022-03.zip!2022-03/2022-03-testshire-street.csv" in names


def test_ingesting_the_same_file_twice_changes_nothing(store, tmp_path):
    f = write_street(tmp_path / "2022-01-testshire-street.csv", month_rows("2022-01", 12))
    ingest(store, f)
    before = counts(store, ["month", "crime_type"]).rows
    summary, _ = ingest(store, f)
    d = summary.to_dict()
    assert (d["files_unchanged"], d["rows_loaded"], d["replaced_months"]) == (1, 0, [])
    assert counts(store, ["month", "crime_type"]).rows == before
    assert store.con.execute("SELECT count(*) FROM source_file").fetchone()[0] == 1


def test_a_newer_download_replaces_its_force_month_and_says_so(store, tmp_path):
    old = write_street(tmp_path / "old" / "2022-01-testshire-street.csv", month_rows("2022-01", 10))
    other = write_street(
        tmp_path / "old" / "2022-02-testshire-street.csv", month_rows("2022-02", 4)
    )
    ingest(store, old, other)
    rows = month_rows("2022-01", 11)
    rows[0] = rows[0].replace("Under investigation", "Offender given a caution")
    new = write_street(tmp_path / "new" / "2022-01-testshire-street.csv", rows)
    summary, _ = ingest(store, new)
    replaced = summary.to_dict()["replaced_months"]
    assert replaced == [
        {
            "kind": "street",
            "force": FORCE,
            "month": "2022-01",
            "previous_file": "2022-01-testshire-street.csv",
            "previous_rows": 10,
            "new_file": "2022-01-testshire-street.csv",
            "new_rows": 11,
        }
    ]
    assert [(r["month"], r["count"]) for r in counts(store, ["month"]).records()] == [
        ("2022-01", 11),
        ("2022-02", 4),
    ]
    statuses = dict(store.con.execute("SELECT file_id, status FROM source_file").fetchall())
    assert sorted(statuses.values()) == ["current", "current", "superseded"]
    # the superseded Parquet part is gone from disk; the lineage row stays
    parts = store.con.execute("SELECT path, status FROM part").fetchall()
    for path, status in parts:
        assert store.part_path(path).exists() == (status == "current")


def test_lineage_names_file_sha_and_row(store, tmp_path):
    f = write_street(tmp_path / "2022-01-testshire-street.csv", month_rows("2022-01", 3))
    ingest(store, f)
    sha = hashlib.sha256(f.read_bytes()).hexdigest()
    rows = store.con.execute(
        "SELECT f.name, f.sha256, s.row_number, s.crime_id FROM street s "
        "JOIN source_file f USING (file_id) ORDER BY s.row_number"
    ).fetchall()
    assert rows == [
        ("2022-01-testshire-street.csv", sha, 2, "id2022-010"),
        ("2022-01-testshire-street.csv", sha, 3, None),  # ASB: no Crime ID
        ("2022-01-testshire-street.csv", sha, 4, "id2022-012"),
    ]


BROKEN_ROWS = [
    street_row("2022-01", "Burglary", crime_id="good1"),  # line 2
    street_row("2022-01", "Burglary", crime_id="fields") + ",extra",  # line 3: 13 fields
    street_row("2022-13", "Burglary", crime_id="month"),  # line 4: bad month
    street_row("2022-01", "Burglary", crime_id="coord", lon="-3.0x"),  # line 5
    street_row("2022-01", "Burgling", crime_id="type"),  # line 6: unknown type
    street_row("2022-01", "Drugs", crime_id="half", lat=""),  # line 7: lon without lat
    street_row("2022-01", "Drugs", crime_id="lsoa", lsoa="XYZ"),  # line 8
    street_row("2022-01", "Robbery", crime_id="good2"),  # line 9
    street_row("2022-01", "Robbery", crime_id="lat", lat="95.1"),  # line 10
]


def test_broken_rows_are_quarantined_with_reason_and_the_rest_loads(store, tmp_path):
    f = write_street(tmp_path / "2022-01-testshire-street.csv", BROKEN_ROWS)
    summary, _ = ingest(store, f)
    d = summary.to_dict()
    assert (d["rows_read"], d["rows_loaded"], d["rows_quarantined"]) == (9, 2, 7)
    loaded = [r[0] for r in store.con.execute("SELECT crime_id FROM street ORDER BY 1").fetchall()]
    assert loaded == ["good1", "good2"]
    got = [(q["row"], q["field"], q["reason"]) for q in list_quarantine(store)]
    assert got == [
        (3, "(row)", "expected 12 fields, found 13"),
        (4, "Month", "not a month (YYYY-MM)"),
        (5, "Longitude", "not a number"),
        (6, "Crime type", "unknown crime type"),
        (7, "Latitude", "empty while Longitude is given"),
        (8, "LSOA code", "not an LSOA code (a letter and 8 digits, e.g. E01012662)"),
        (10, "Latitude", "outside -90 to 90 degrees"),
    ]
    first = list_quarantine(store)[1]
    assert first["file"] == "2022-01-testshire-street.csv"
    assert first["value"] == "2022-13"
    assert json.loads(first["record"])["Crime ID"] == "month"  # the whole row is kept


def test_invalid_utf8_and_blank_lines_take_the_careful_path(store, tmp_path):
    good = month_rows("2022-01", 3)
    data = (STREET_HEADER + "\n" + good[0] + "\n\n" + good[1] + "\n").encode()
    data += street_row(crime_id="bad\xff").encode("latin-1") + b"\n" + good[2].encode() + b"\n"
    f = tmp_path / "2022-01-testshire-street.csv"
    f.write_bytes(data)
    summary, _ = ingest(store, f)
    assert summary.to_dict()["rows_loaded"] == 3
    lines = [r[0] for r in store.con.execute("SELECT row_number FROM street ORDER BY 1").fetchall()]
    assert lines == [2, 4, 6]  # the blank line 3 holds no data; line 5 is quarantined
    (q,) = list_quarantine(store)
    assert (q["row"], q["field"], q["reason"]) == (5, "Crime ID", "not valid UTF-8 text")


def test_fast_and_careful_parsers_agree(shared_data):
    data = gzip.decompress(
        (shared_data / "police_uk/lancashire/street/2022-10-lancashire-street.csv.gz").read_bytes()
    )
    kind = kinds()["street"]
    fast, careful = _parse_fast(data, kind), _parse_careful(data, kind)
    assert fast is not None and fast.fast
    assert careful.problems == []

    def plain(t: pa.Table) -> pa.Table:
        return pa.table(
            {n: c.cast(pa.string()) for n, c in zip(t.column_names, t.columns, strict=True)}
        )

    assert plain(fast.table).equals(plain(careful.table))
    assert fast.row_numbers.equals(careful.row_numbers)


def test_unreadable_files_get_one_line_errors_and_the_rest_load(store, tmp_path):
    good = write_street(tmp_path / "2022-01-testshire-street.csv", month_rows("2022-01", 4))
    bad_gz = tmp_path / "2022-02-testshire-street.csv.gz"
    bad_gz.write_bytes(b"this is not gzip")
    wrong = tmp_path / "lookup.csv"
    wrong.write_text("lsoa11_code,ward17_code\nE01000001,E05000001\n")
    empty = tmp_path / "2022-03-testshire-street.csv"
    empty.write_bytes(b"")
    bad_zip = tmp_path / "2022-04.zip"
    bad_zip.write_bytes(b"PK not really")
    summary, errors = ingest(store, good, bad_gz, wrong, empty, bad_zip, tmp_path / "missing.csv")
    messages = errors + summary.errors
    assert len(messages) == 5
    assert all("\n" not in m for m in messages)
    joined = " | ".join(messages)
    assert "2022-02-testshire-street.csv.gz: cannot read" in joined
    assert "lookup.csv: not a data.police.uk" in joined
    assert "2022-03-testshire-street.csv: the file is empty" in joined
    assert "2022-04.zip: not a readable zip archive" in joined
    assert "missing.csv: no such file or folder" in joined
    assert total(store) == 4


@pytest.mark.shared
def test_thames_valley_outcomes_and_stop_and_search_load(store, shared_data):
    summary, errors = ingest(store, shared_data / "police_uk/other_forces/thames_valley_2022-01")
    assert errors == [] and summary.errors == []
    con = store.con
    assert con.execute("SELECT count(*) FROM street").fetchone()[0] == 15691
    assert con.execute("SELECT count(*) FROM outcomes").fetchone()[0] == 15107
    assert con.execute("SELECT count(*), min(force) FROM stop_search").fetchone() == (
        84,
        "Thames Valley Police",
    )
    assert summary.to_dict()["rows_quarantined"] == 0


def test_a_store_write_failure_is_reported_and_leaves_nothing_half_loaded(store, tmp_path):
    f = write_street(tmp_path / "2022-01-testshire-street.csv", month_rows("2022-01", 4))
    g = write_street(tmp_path / "2022-02-testshire-street.csv", month_rows("2022-02", 5))
    # the first file's part path is taken by a folder, so writing it fails
    (store.root / "parts/street/f000001-p0000.parquet").mkdir(parents=True)
    summary, _ = ingest(store, f, g)
    (message,) = summary.errors
    assert message.startswith("2022-01-testshire-street.csv: could not write to the store")
    assert [(r["month"], r["count"]) for r in counts(store, ["month"]).records()] == [
        ("2022-02", 5)
    ]
    names = [r[0] for r in store.con.execute("SELECT name FROM source_file").fetchall()]
    assert names == ["2022-02-testshire-street.csv"]
