"""``csphub demo``'s products read the demo's partner extracts: the Strategic Assessment
scores road safety from its STATS19 files and measures violence from police and A&E
together, and the Serious Violence needs assessment profiles its A&E assaults. Expected
values are counted here from the generated CSVs with the csv module."""

from __future__ import annotations

import csv
import io
from collections import Counter

import pytest

AREA = "E06999001"


@pytest.fixture(scope="module")
def demo(demo_run):
    return demo_run.out


def _rows(path):
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def _product(demo, folder, table):
    return _rows(demo / "products" / folder / "data" / f"{table}.csv")


def _collisions(demo, year):
    rows = _rows(demo / "partner" / "stats19" / "collisions.csv")
    return [
        r
        for r in rows
        if r["collision_year"] == str(year) and r["local_authority_ons_district"] == AREA
    ]


def _assaults_2025(demo):
    rows = []
    for path in sorted((demo / "partner" / "istv").glob("ae-assaults-*.csv")):
        for r in _rows(path):
            # the incident's date, else the arrival's (docs/commands.md)
            day = r["incident_date"] or r["arrival_date"]
            if day.startswith("2025-") and r["incident_lsoa"]:
                rows.append(r)
    return rows


def test_assessment_scores_road_safety_from_the_collisions(demo):
    ranked = {r["Priority"]: r for r in _product(demo, "strategic-assessment", "priorities-ranked")}
    road = ranked["Road safety"]
    assert int(road["2024-01..2024-12"]) == len(_collisions(demo, 2024))
    assert int(road["2025-01..2025-12"]) == len(_collisions(demo, 2025))
    severity = {
        r["Measure"]: r for r in _product(demo, "strategic-assessment", "road-roads-severity")
    }
    now = _collisions(demo, 2025)
    fatal = sum(r["collision_severity"] == "1" for r in now)
    adjusted = fatal + sum(
        float(r["collision_adjusted_serious"]) for r in now if r["collision_severity"] != "1"
    )
    label = "January 2025 to December 2025"
    assert float(severity["Collisions: KSI (adjusted)"][label]) == round(adjusted, 1)


def test_assessment_measures_violence_from_police_and_ae(demo):
    ranked = {r["Priority"]: r for r in _product(demo, "strategic-assessment", "priorities-ranked")}
    assert ranked["Violence and serious violence"]["Confidence"] == "High"
    page = (demo / "products" / "strategic-assessment" / "index.html").read_text(encoding="utf-8")
    assert "read with A&amp;E assault attendances (ISTV, ISB1594)" in page
    weapons = {
        r["Weapon (means of assault)"]: int(r["Count"])
        for r in _product(demo, "strategic-assessment", "violence-ae-weapon")
    }
    counted = Counter(r["primary_means_of_assault"] or "Not recorded" for r in _assaults_2025(demo))
    assert sum(weapons.values()) == sum(counted.values())
    assert weapons["body part"] == counted["body part"]


def test_needs_assessment_profiles_the_ae_assaults(demo):
    ages = {
        r["Age band"]: int(r["Count"])
        for r in _product(demo, "serious-violence-needs-assessment", "who-age")
    }
    counted = Counter(r["age_band"] for r in _assaults_2025(demo))
    assert {k: v for k, v in ages.items() if k != "Not recorded"} == {
        k: v for k, v in counted.items() if k not in ("", "unknown")
    }
    used = {
        r["Authority"]: r["Data used here"]
        for r in _product(demo, "serious-violence-needs-assessment", "authorities")
    }
    assert used["Integrated care board (health)"] == "A&E assault attendances (ISTV / ISB1594)"
    assert used["Fire and rescue authority"] == "Fire incidents (deliberate fires)"


def test_assessment_sets_deliberate_fires_beside_asb(demo):
    rows = _rows(demo / "partner" / "fire" / "fire-incidents.csv")
    # motive 'deliberate' marks a deliberate fire (docs/formats/fire.md); in the area's LSOAs
    deliberate = [r for r in rows if r["motive"].lower() == "deliberate" and r["lsoa_code"]]
    by_year = Counter(r["incident_date"][:4] for r in deliberate)
    test = _product(demo, "strategic-assessment", "asb-fires-test")[0]
    assert int(test["2024-01..2024-12"]) == by_year["2024"]
    assert int(test["2025-01..2025-12"]) == by_year["2025"]
    types = _product(demo, "strategic-assessment", "asb-fires-types")
    now = Counter(r["incident_type"] for r in deliberate if r["incident_date"][:4] == "2025")
    assert {r["Incident type"]: int(r["Count"]) for r in types} == dict(now)
    lsoas = _product(demo, "strategic-assessment", "asb-fires-lsoas")
    busiest = Counter(r["lsoa_code"] for r in deliberate if r["incident_date"][:4] == "2025")
    assert int(lsoas[0]["Deliberate fires"]) == max(busiest.values())
