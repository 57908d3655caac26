"""Issue 12, point 3: a file replaces only the force-months it is for, and never far
more than it brings. Expected counts are independent (csv module) or written by hand."""

from __future__ import annotations

import gzip

import pytest

from csphub.analysis.counts import counts
from csphub.ingest.load import ingest_sources
from csphub.ingest.quarantine import list_quarantine
from csphub.ingest.sources import expand_paths
from csv_oracle import good_rows, real_street
from policeuk_files import FORCE, month_rows, street_row, write_street


def ingest(store, *paths, **kwargs):
    return ingest_sources(store, expand_paths(paths)[0], **kwargs).to_dict()


def by_month(store) -> dict[str, int]:
    return {r["month"]: r["count"] for r in counts(store, ["month"]).records()}


@pytest.mark.shared
def test_rows_dated_another_month_are_quarantined_not_a_replacement(store, shared_data, tmp_path):
    folder = tmp_path / "held"
    folder.mkdir()
    for month in ("2022-08", "2022-09", "2022-10"):
        (folder / f"{month}-lancashire-street.csv").write_bytes(real_street(shared_data, month))
    ingest(store, folder)
    before = by_month(store)
    assert before == {"2022-08": 17_686, "2022-09": 15_538, "2022-10": 15_833}  # SOURCES.md
    lines = real_street(shared_data, "2022-10").split(b"\r\n")
    lines[10] = lines[10].replace(b",2022-10,", b",2022-09,", 1)
    lines[20] = lines[20].replace(b",2022-10,", b",2022-08,", 1)
    lines[30] = lines[30].replace(b"Under investigation", b"Court result unavailable", 1)
    new = tmp_path / "new" / "2022-10-lancashire-street.csv"
    new.parent.mkdir()
    new.write_bytes(b"\r\n".join(lines))
    d = ingest(store, new)
    assert (d["rows_loaded"], d["rows_quarantined"]) == (15_831, 2)
    assert [(r["month"], r["previous_rows"], r["new_rows"]) for r in d["replaced_months"]] == [
        ("2022-10", 15_833, 15_831)
    ]
    assert by_month(store) == {"2022-08": 17_686, "2022-09": 15_538, "2022-10": 15_831}
    got = [(q["row"], q["field"], q["reason"]) for q in list_quarantine(store)]
    assert got == [
        (11, "Month", "month differs from the file (2022-10)"),
        (21, "Month", "month differs from the file (2022-10)"),
    ]
    on_disk = store.con.execute("SELECT path FROM part WHERE status = 'current'").fetchall()
    assert all(store.part_path(p).exists() for (p,) in on_disk) and len(on_disk) == 3


def test_a_row_of_another_force_in_a_force_file_is_quarantined(store, tmp_path):
    other = write_street(
        tmp_path / "2022-01-otherton-street.csv",
        [
            street_row("2022-01", "Drugs", crime_id=f"o{i}", force="Otherton Police")
            for i in range(9)
        ],
    )
    ingest(store, other)
    rows = month_rows("2022-01", 20)
    rows.append(street_row("2022-01", "Drugs", crime_id="stray", force="Otherton Police"))
    f = write_street(tmp_path / "2022-01-testshire-street.csv", rows)
    d = ingest(store, f)
    assert (d["rows_loaded"], d["rows_quarantined"], d["replaced_months"]) == (20, 1, [])
    forces = dict(
        store.con.execute("SELECT reported_by, count(*) FROM street GROUP BY 1").fetchall()
    )
    assert forces == {FORCE: 20, "Otherton Police": 9}
    (q,) = list_quarantine(store)
    assert (q["row"], q["reason"]) == (22, f"force differs from the file ({FORCE})")


def test_a_force_file_with_far_fewer_rows_is_refused_unless_replace(store, tmp_path):
    full = write_street(
        tmp_path / "full" / "2022-01-testshire-street.csv", month_rows("2022-01", 100)
    )
    ingest(store, full)
    part = write_street(
        tmp_path / "part" / "2022-01-testshire-street.csv", month_rows("2022-01", 30)
    )
    d = ingest(store, part)
    assert (d["files_loaded"], d["files_refused"], d["files_failed"]) == (0, 1, 1)
    (error,) = d["errors"]
    assert error.startswith("2022-01-testshire-street.csv: refused: it would replace")
    assert "100 rows" in error and "30 rows" in error and "--replace" in error
    assert by_month(store) == {"2022-01": 100}
    assert len(list((store.root / "parts/street").glob("f*.parquet"))) == 1
    d = ingest(store, part, replace=True)
    assert d["files_loaded"] == 1 and by_month(store) == {"2022-01": 30}


def test_an_extract_is_its_own_source_and_never_supersedes_the_force_file(store, tmp_path):
    jan = write_street(tmp_path / "2022-01-testshire-street.csv", month_rows("2022-01", 40))
    feb = write_street(tmp_path / "2022-02-testshire-street.csv", month_rows("2022-02", 50))
    ingest(store, jan, feb)
    extract = write_street(
        tmp_path / "district_extract.csv",
        month_rows("2022-01", 6) + month_rows("2022-02", 7) + month_rows("2022-03", 8),
    )
    d = ingest(store, extract)
    assert (d["rows_loaded"], d["replaced_months"], d["errors"]) == (21, [], [])
    assert d["by_file"][0]["own_source"] is True
    # force files stay; the extract shows only where no force file covers the month
    assert by_month(store) == {"2022-01": 40, "2022-02": 50, "2022-03": 8}
    current = store.con.execute("SELECT count(*) FROM part WHERE status = 'current'").fetchone()
    assert current == (5,)


@pytest.mark.shared
@pytest.mark.slow
def test_the_blackpool_extract_after_lancashire_changes_no_count(store, shared_data):
    street = shared_data / "police_uk/lancashire/street"
    ingest(store, street)
    before = counts(store, ["month", "lsoa_code"]).rows
    extract = shared_data / "police_uk/lancashire/blackpool_street_2018-11_to_2022-10.csv.gz"
    d = ingest(store, extract)
    rows = good_rows(gzip.decompress(extract.read_bytes()), 12)
    assert (d["rows_loaded"], d["replaced_months"], d["errors"]) == (len(rows), [], [])
    assert len(rows) == 97_629  # SOURCES.md §1b
    assert counts(store, ["month", "lsoa_code"]).rows == before
    total = store.con.execute("SELECT count(*) FROM street").fetchone()[0]
    preston = store.con.execute(
        "SELECT count(*) FROM street WHERE lsoa_name LIKE 'Preston %'"
    ).fetchone()[0]
    assert total == 627_032 and preston > 0


def test_a_folder_run_says_what_it_skipped_and_why(tmp_path):
    from click.testing import CliRunner

    from csphub.cli.main import cli

    folder = tmp_path / "downloads"
    write_street(folder / "2022-01-testshire-street.csv", month_rows("2022-01", 5))
    write_street(folder / "blackpool_street_extract.csv", month_rows("2022-01", 2))
    (folder / "readme.txt").write_text("notes")
    result = CliRunner().invoke(
        cli, ["ingest", "police-uk", str(folder), "--store", str(tmp_path / "store")]
    )
    assert result.exit_code == 0, result.output
    out = result.stderr if hasattr(result, "stderr") else result.output
    assert "loaded     2022-01-testshire-street.csv: 5 rows" in out
    assert "skipped    downloads/blackpool_street_extract.csv: in a folder" in out
    assert "give the file itself to load it" in out
    assert "skipped    downloads/readme.txt: not a .csv, .csv.gz or .zip file" in out


def test_the_command_exits_1_on_a_refusal_and_replace_lets_it_through(tmp_path):
    from click.testing import CliRunner

    from csphub.cli.main import cli

    store = str(tmp_path / "store")
    full = write_street(tmp_path / "a" / "2022-01-testshire-street.csv", month_rows("2022-01", 60))
    part = write_street(tmp_path / "b" / "2022-01-testshire-street.csv", month_rows("2022-01", 6))
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", "police-uk", str(full), "--store", store]).exit_code == 0
    refused = runner.invoke(cli, ["ingest", "police-uk", str(part), "--store", store])
    assert refused.exit_code == 1
    assert "refused    2022-01-testshire-street.csv: refused: it would replace" in refused.output
    replaced = runner.invoke(cli, ["ingest", "police-uk", str(part), "--store", store, "--replace"])
    assert replaced.exit_code == 0, replaced.output
    assert "replaced     Testshire Police 2022-01 street: 60 rows" in replaced.output
