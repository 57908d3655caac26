"""Issue 12, done-when: real all-forces and North West files, the Blackpool extract and
the demo's partner extracts load exactly: the store's count of each file equals an
independent count of its data rows with the csv module."""

from __future__ import annotations

import csv
import gzip
import io

import pytest

from csphub.ingest.load import ingest_sources
from csphub.ingest.sources import expand_paths
from csphub.store import open_store


def csv_rows(path) -> int:
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        data = gzip.decompress(data)
    return sum(1 for _ in csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def per_file(store, view: str) -> dict[str, int]:
    return dict(
        store.con.execute(
            f"SELECT f.name, count(*) FROM {view} s JOIN source_file f USING (file_id) GROUP BY 1"
        ).fetchall()
    )


@pytest.mark.shared
@pytest.mark.parametrize("folder", ["all_forces_2019-01", "north_west"])
def test_every_force_file_loads_exactly(store, shared_data, folder):
    path = shared_data / "police_uk/other_forces" / folder
    files = sorted(path.glob("*-street.csv.gz"))
    expected = {f.name: csv_rows(f) for f in files}
    d = ingest_sources(store, expand_paths([path])[0]).to_dict()
    assert (d["errors"], d["rows_quarantined"], d["replaced_months"]) == ([], 0, [])
    assert per_file(store, "street") == expected
    forces = store.con.execute("SELECT count(DISTINCT reported_by) FROM street").fetchone()[0]
    assert forces == len({f.name.split("-", 2)[2].rsplit("-street", 1)[0] for f in files})


@pytest.mark.shared
def test_the_blackpool_extract_on_its_own_loads_exactly(store, shared_data):
    path = shared_data / "police_uk/lancashire/blackpool_street_2018-11_to_2022-10.csv.gz"
    d = ingest_sources(store, expand_paths([path])[0]).to_dict()
    assert (d["errors"], d["rows_quarantined"]) == ([], 0)
    assert store.con.execute("SELECT count(*) FROM street").fetchone()[0] == csv_rows(path)


def test_the_demo_partner_extracts_load_exactly(demo_run):
    partner = demo_run.out / "partner"
    files = [partner / "police-events.csv", partner / "housing-asb.csv"]
    expected = {f.name: csv_rows(f) for f in files}
    with open_store(demo_run.store, create=False, read_only=True) as store:
        assert per_file(store, "events") == expected
