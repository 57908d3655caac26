"""The command line: summaries, exit codes, CSV/JSON output, errors without tracebacks."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from csphub.cli.main import cli
from csphub.store import open_store
from policeuk_files import month_rows, street_row, write_street


@pytest.fixture
def run(tmp_path):
    runner = CliRunner()
    store = tmp_path / "store"

    def invoke(*args: str):
        return runner.invoke(cli, [*args, "--store", str(store)], catch_exceptions=False)

    invoke.store = store  # type: ignore[attr-defined]
    return invoke


def test_ingest_json_summary_and_counts(run, tmp_path):
    f = write_street(tmp_path / "2022-01-testshire-street.csv", month_rows("2022-01", 8))
    result = run("ingest", "police-uk", str(f), "--format", "json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    for key in ("files", "rows_loaded", "rows_quarantined", "replaced_months"):
        assert key in summary
    assert (summary["files"], summary["rows_loaded"], summary["rows_quarantined"]) == (1, 8, 0)

    out = run("query", "counts", "--by", "month,crime_type")
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert rows[0].keys() == {"month", "crime_type", "count"}
    assert sum(int(r["count"]) for r in rows) == 8

    out = run(
        "query", "counts", "--by", "crime_type", "--where", "crime_type=Drugs", "--format", "json"
    )
    assert json.loads(out.stdout) == [{"crime_type": "Drugs", "count": 2}]


def test_strict_makes_quarantine_an_error_and_query_lists_it(run, tmp_path):
    rows = [street_row(), street_row(month="22-01")]
    f = write_street(tmp_path / "2022-01-testshire-street.csv", rows)
    relaxed = run("ingest", "police-uk", str(f))
    assert relaxed.exit_code == 0
    assert "quarantined" in relaxed.stderr
    f2 = write_street(tmp_path / "b" / "2022-02-testshire-street.csv", [street_row(lat="x")])
    strict = run("ingest", "police-uk", str(f2), "--strict")
    assert strict.exit_code == 2
    listed = json.loads(run("query", "quarantine", "--format", "json").stdout)
    assert [(q["file"], q["row"], q["field"]) for q in listed] == [
        ("2022-01-testshire-street.csv", 3, "Month"),
        ("2022-02-testshire-street.csv", 2, "Latitude"),
    ]
    as_csv = run("query", "quarantine").stdout.splitlines()
    assert as_csv[0] == "file,row,field,value,reason,record"


def test_bad_files_and_bad_options_give_one_line_errors(run, tmp_path):
    good = write_street(tmp_path / "2022-01-testshire-street.csv", month_rows("2022-01", 3))
    junk = tmp_path / "junk.csv"
    junk.write_text("a,b\n1,2\n")
    result = run("ingest", "police-uk", str(good), str(junk))
    assert result.exit_code == 1
    assert "junk.csv: not a" in result.stderr
    assert "Traceback" not in result.output
    assert "loaded" in result.stderr and "3 rows" in result.stderr

    bad_by = run("query", "counts", "--by", "colour")
    assert bad_by.exit_code == 1 and "choose from month" in bad_by.stderr
    bad_month = run("query", "counts", "--by", "month", "--from", "2022")
    assert bad_month.exit_code == 1 and "YYYY-MM" in bad_month.stderr
    no_lookup = run("query", "counts", "--by", "month", "--area", "E06000009")
    assert no_lookup.exit_code == 1 and "no geography lookup is loaded" in no_lookup.stderr


def test_query_on_a_missing_store_says_what_to_do(tmp_path):
    result = CliRunner().invoke(
        cli, ["query", "counts", "--by", "month", "--store", str(tmp_path / "nothing")]
    )
    assert result.exit_code == 1
    assert "no evidence store" in result.stderr and "csphub demo" in result.stderr


def test_counts_by_area_with_rates(run, tmp_path):
    rows = [
        street_row(lsoa="E01000001", crime_id="a"),
        street_row(lsoa="E01000001", crime_id="b"),
        street_row(lsoa="E01000002", crime_id="c"),
        street_row(lsoa="E01000003", crime_id="d"),  # outside the area
        street_row(lon="", lat="", lsoa="", crime_id="e"),  # no location
    ]
    f = write_street(tmp_path / "2022-01-testshire-street.csv", rows)
    assert run("ingest", "police-uk", str(f)).exit_code == 0
    with open_store(run.store) as store:
        store.con.execute(
            "INSERT INTO geo_lookup (lsoa_code, ward_code, lad_code, lad_name) VALUES "
            "('E01000001', 'E05000001', 'E06000099', 'Testtown'), "
            "('E01000002', 'E05000002', 'E06000099', 'Testtown'), "
            "('E01000003', 'E05000003', 'E06000098', 'Elsewhere')"
        )
        store.con.execute(
            "INSERT INTO population (lsoa_code, population) VALUES "
            "('E01000001', 1000), ('E01000002', 3000), ('E01000003', 2000)"
        )
    out = json.loads(
        run(
            "query", "counts", "--by", "lsoa_code", "--area", "E06000099", "--format", "json"
        ).stdout
    )
    assert out == [
        {"lsoa_code": "E01000001", "count": 2, "rate_per_1000": 2.0},
        {"lsoa_code": "E01000002", "count": 1, "rate_per_1000": 0.333},
    ]
    whole = json.loads(
        run("query", "counts", "--by", "month", "--area", "E06000099", "--format", "json").stdout
    )
    assert whole == [{"month": "2022-01", "count": 3, "rate_per_1000": 0.75}]
    wards = json.loads(run("query", "counts", "--by", "ward_code", "--format", "json").stdout)
    assert wards[0] == {"ward_code": "E05000001", "count": 2, "rate_per_1000": 2.0}
    assert wards[-1]["ward_code"] is None and wards[-1]["count"] == 1  # the unlocated row
    everything = json.loads(run("query", "counts", "--by", "force", "--format", "json").stdout)
    assert everything[0]["count"] == 5 and everything[0]["rate_per_1000"] is None
