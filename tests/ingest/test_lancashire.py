"""The real Lancashire files: counts equal a plain count of the raw rows, twice over."""

from __future__ import annotations

import csv
import gzip
from collections import Counter

import pytest

from csphub.analysis.counts import counts
from csphub.ingest.load import ingest_sources
from csphub.ingest.sources import expand_paths

pytestmark = pytest.mark.shared


def raw_counts(folder) -> Counter[tuple[str, str]]:
    """A plain count of every data row of the raw CSVs, by month and crime type."""
    out: Counter[tuple[str, str]] = Counter()
    for path in sorted(folder.glob("*.csv.gz")):
        with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            out.update((row["Month"], row["Crime type"]) for row in reader)
    return out


def test_lancashire_counts_equal_the_raw_rows_and_are_stable(store, shared_data):
    folder = shared_data / "police_uk/lancashire/street"
    sources, errors = expand_paths([folder])
    first = ingest_sources(store, sources).to_dict()
    assert errors == [] and first["errors"] == []
    assert first["rows_loaded"] == 627_032
    assert first["rows_quarantined"] == 0

    expected = raw_counts(folder)
    got = {
        (r["month"], r["crime_type"]): r["count"]
        for r in counts(store, ["month", "crime_type"]).records()
    }
    assert got == dict(expected)

    reference = {}
    with open(
        shared_data / "reference_tables/lancashire_monthly_counts_by_crime_type_DERIVED.csv"
    ) as fh:
        for row in csv.DictReader(fh):
            if int(row["count"]):
                reference[(row["month"], row["crime_type"])] = int(row["count"])
    assert got == reference
    # The reference counts rows with no LSOA; one 2021-10 ASB row has coordinates
    # (in Northern Ireland) but no LSOA, so it is located yet belongs to no area.
    no_lsoa, no_coordinates = store.con.execute(
        "SELECT count(*) FILTER (WHERE lsoa_code IS NULL), "
        "count(*) FILTER (WHERE NOT has_location) FROM street"
    ).fetchone()
    assert no_lsoa - no_coordinates == 1
    with open(
        shared_data / "reference_tables/lancashire_monthly_counts_by_crime_type_DERIVED.csv"
    ) as fh:
        assert no_lsoa == sum(int(r["rows_without_location"]) for r in csv.DictReader(fh))

    again = ingest_sources(store, expand_paths([folder])[0]).to_dict()
    assert (again["files_unchanged"], again["rows_loaded"]) == (36, 0)
    regot = {
        (r["month"], r["crime_type"]): r["count"]
        for r in counts(store, ["month", "crime_type"]).records()
    }
    assert regot == got
