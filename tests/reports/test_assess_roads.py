"""The Strategic Assessment scores road safety from STATS19 collisions covering both periods
(the demo borough with a generated collision and casualty file pair, ingested with
``csphub ingest stats19``): counts, adjusted KSI, road users and the score, each expected
from the generated rows counted here with plain Python."""

from __future__ import annotations

import csv
import io
import shutil

import pytest
from click.testing import CliRunner
from stats19_fixture import ROAD_USERS, write_stats19

from csphub.cli.main import cli
from csphub.store import open_store
from csphub.store.areas import resolve_area

AREA = "E06999001"
PERIOD, PREVIOUS = "2025-01..2025-12", "2024-01..2024-12"
LABEL = "January 2025 to December 2025"


@pytest.fixture(scope="module")
def roads(demo_run, tmp_path_factory):
    root = tmp_path_factory.mktemp("assess-roads")
    store = root / "store"
    shutil.copytree(demo_run.store, store)
    with open_store(store, read_only=True) as s:
        lsoas = sorted(resolve_area(s, AREA).lsoa_codes)
    files = write_stats19(root / "stats19", lsoas, AREA, {2024: 130, 2025: 150})
    steps = [
        ["ingest", "stats19", str(files.collision_file), str(files.casualty_file)],
        ["assess", "--area", AREA, "--period", PERIOD, "--out", str(root / "sa"), "--no-pdf"],
    ]
    for args in steps:
        result = CliRunner().invoke(cli, [*args, "--store", str(store)])
        assert result.exit_code == 0, result.output
    return root, files


def _rows(root, name):
    text = (root / "sa" / "data" / f"{name}.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _year(rows, year):
    return [r for r in rows if r["collision_year"] == str(year)]


def test_road_safety_is_scored_from_collisions(roads):
    root, files = roads
    ranked = {r["Priority"]: r for r in _rows(root, "priorities-ranked")}
    road = ranked["Road safety"]
    assert int(road[PREVIOUS]) == len(_year(files.collisions, 2024)) == 130
    assert int(road[PERIOD]) == len(_year(files.collisions, 2025)) == 150
    # at least 100 collisions in each period and adjusted severity on every non-fatal row:
    # the only reason left is that collisions carry no harm weight
    assert road["Confidence"] == "Medium"
    html = (root / "sa" / "index.html").read_text(encoding="utf-8")
    assert "confidence medium (no harm weight, impact from volume)" in html
    assert "Road safety" not in {r["Priority"] for r in _rows(root, "priorities-not-measured")}


def test_ksi_uses_the_adjusted_severity_and_says_so(roads):
    root, files = roads
    now = _year(files.collisions, 2025)
    fatal = sum(1 for r in now if r["collision_severity"] == "1")
    adjusted = fatal + sum(
        float(r["collision_adjusted_severity_serious"])
        for r in now
        if r["collision_severity"] != "1"
    )
    severity = {r["Measure"]: r for r in _rows(root, "road-roads-severity")}
    assert float(severity["Collisions: KSI (adjusted)"][LABEL]) == round(adjusted, 1)
    assert int(severity["Collisions: fatal"][LABEL]) == fatal
    recorded = sum(1 for r in now if r["collision_severity"] in "12")
    assert int(severity["Collisions: KSI (recorded)"][LABEL]) == recorded
    casualties = [c for c in files.casualties if c["collision_year"] == "2025"]
    assert int(severity["Casualties"][LABEL]) == len(casualties)
    html = (root / "sa" / "index.html").read_text(encoding="utf-8")
    assert "KSI adjusted (DfT severity adjustment)" in html


def test_casualties_by_road_user(roads):
    root, files = roads
    casualties = [c for c in files.casualties if c["collision_year"] == "2025"]
    expected = {}
    for c in casualties:
        user = ROAD_USERS[c["casualty_type"]]
        ksi = (
            1.0 if c["casualty_severity"] == "1" else float(c["casualty_adjusted_severity_serious"])
        )
        n, k = expected.get(user, (0, 0.0))
        expected[user] = (n + 1, k + ksi)
    table = {r["Road user"]: r for r in _rows(root, "road-roads-road-users")}
    assert {u: int(r["Casualties"]) for u, r in table.items()} == {
        u: n for u, (n, _) in expected.items()
    }
    for user, (_, ksi) in expected.items():
        assert float(table[user]["KSI"]) == round(ksi, 1)
