"""The Strategic Assessment scores road safety from STATS19 collisions covering both periods:
the demo borough's STATS19 files (DfT's 2024 layout, loaded by ``csphub demo``) read here
with the csv module give the expected counts, adjusted KSI, casualties and road users."""

from __future__ import annotations

import csv
import io

import pytest

AREA = "E06999001"
PERIOD, PREVIOUS = "2025-01..2025-12", "2024-01..2024-12"
LABEL = "January 2025 to December 2025"
#: casualty_type codes of DfT's Road Safety Open Dataset Data Guide 2024 the demo uses
ROAD_USERS = {
    "0": "Pedestrian",
    "1": "Cyclist",
    "3": "Motorcycle 125cc and under rider or passenger",
    "5": "Motorcycle over 500cc rider or passenger",
    "8": "Taxi/Private hire car occupant",
    "9": "Car occupant",
    "11": "Bus or coach occupant (17 or more pass seats)",
    "19": "Van / Goods vehicle (3.5 tonnes mgw or under) occupant",
    "22": "Mobility scooter rider",
}


@pytest.fixture(scope="module")
def demo(demo_run):
    return demo_run.out


def _csv(path):
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def _rows(demo, name):
    return _csv(demo / "products" / "strategic-assessment" / "data" / f"{name}.csv")


def _collisions(demo, year):
    rows = _csv(demo / "partner" / "stats19" / "collisions.csv")
    return [r for r in rows if r["collision_year"] == str(year) and r["lsoa_of_collision_location"]]


def _casualties_2025(demo):
    keep = {r["collision_index"] for r in _collisions(demo, 2025)}
    rows = _csv(demo / "partner" / "stats19" / "casualties.csv")
    return [r for r in rows if r["collision_index"] in keep]


def test_road_safety_is_scored_from_collisions(demo):
    ranked = {r["Priority"]: r for r in _rows(demo, "priorities-ranked")}
    road = ranked["Road safety"]
    assert int(road[PREVIOUS]) == len(_collisions(demo, 2024))
    assert int(road[PERIOD]) == len(_collisions(demo, 2025))
    # adjusted severity on every non-fatal row, at least 100 collisions in each period: the
    # only reason left is that collisions carry no harm weight
    assert road["Confidence"] == "Medium"
    page = (demo / "products" / "strategic-assessment" / "index.html").read_text(encoding="utf-8")
    assert "confidence medium (no harm weight, impact from volume)" in page
    assert "KSI adjusted (DfT severity adjustment)" in page


def test_ksi_and_casualties_by_severity(demo):
    now = _collisions(demo, 2025)
    fatal = sum(1 for r in now if r["collision_severity"] == "1")
    adjusted = fatal + sum(
        float(r["collision_adjusted_serious"]) for r in now if r["collision_severity"] != "1"
    )
    severity = {r["Measure"]: r for r in _rows(demo, "road-roads-severity")}
    assert float(severity["Collisions: KSI (adjusted)"][LABEL]) == round(adjusted, 1)
    assert int(severity["Collisions: fatal"][LABEL]) == fatal
    recorded = sum(1 for r in now if r["collision_severity"] in ("1", "2"))
    assert int(severity["Collisions: KSI (recorded)"][LABEL]) == recorded
    assert int(severity["Casualties"][LABEL]) == len(_casualties_2025(demo))


def test_casualties_by_road_user(demo):
    expected: dict[str, tuple[int, float]] = {}
    for c in _casualties_2025(demo):
        user = ROAD_USERS[c["casualty_type"]]
        ksi = 1.0 if c["casualty_severity"] == "1" else float(c["casualty_adjusted_serious"])
        n, k = expected.get(user, (0, 0.0))
        expected[user] = (n + 1, k + ksi)
    table = {r["Road user"]: r for r in _rows(demo, "road-roads-road-users")}
    assert {u: int(r["Casualties"]) for u, r in table.items()} == {
        u: n for u, (n, _) in expected.items()
    }
    for user, (_, ksi) in expected.items():
        assert float(table[user]["KSI"]) == round(ksi, 1)
