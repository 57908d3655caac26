"""Violence from police and A&E together: the Strategic Assessment's violence chapter and
the Serious Violence needs assessment that ``csphub demo`` writes from its monthly A&E
(ISTV) extracts. Expectations are counted here from the generated CSVs with the csv module
and from ``csphub query counts``, never from the code under test."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter

import pytest
from click.testing import CliRunner

from csphub.cli.main import cli

AREA = "E06999001"
LINK_TYPES = ("Violence and sexual offences", "Robbery")


@pytest.fixture(scope="module")
def demo(demo_run):
    return demo_run.out


def _csv(path):
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def _rows(demo, product, name):
    return _csv(demo / "products" / product / "data" / f"{name}.csv")


def _page(demo, product):
    return (demo / "products" / product / "index.html").read_text(encoding="utf-8")


def _extract(demo):
    rows = []
    for path in sorted((demo / "partner" / "istv").glob("ae-assaults-*.csv")):
        rows += _csv(path)
    return rows


def _day(row):
    # the incident's date, else the arrival's (docs/commands.md)
    return row["incident_date"] or row["arrival_date"]


def _in_2025(demo):
    return [r for r in _extract(demo) if _day(r).startswith("2025-") and r["incident_lsoa"]]


def _police_cells(demo):
    result = CliRunner().invoke(
        cli,
        ["query", "counts", "--by", "month,lsoa_code,crime_type", "--from", "2025-01",
         "--to", "2025-12", "--area", AREA, "--store", str(demo / "store")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    cells: Counter = Counter()
    for r in csv.DictReader(io.StringIO(result.stdout)):
        if r["crime_type"] in LINK_TYPES:
            cells[(r["lsoa_code"], r["month"])] += int(r["count"])
    return cells


def test_violence_confidence_counts_the_ae_data(demo):
    ranked = {r["Priority"]: r for r in _rows(demo, "strategic-assessment", "priorities-ranked")}
    assert ranked["Violence and serious violence"]["Confidence"] == "High"
    page = _page(demo, "strategic-assessment")
    assert "read with A&amp;E assault attendances (ISTV, ISB1594) for the same months" in page


def test_ae_profile_counts(demo):
    now = _in_2025(demo)
    table = _rows(demo, "strategic-assessment", "violence-ae-weapon")
    weapons = {r["Weapon (means of assault)"]: int(r["Count"]) for r in table}
    expected = Counter(r["primary_means_of_assault"] for r in now)
    expected["Not recorded"] = expected.pop("unknown", 0) + expected.pop("", 0)
    assert weapons == {k: v for k, v in expected.items() if v}
    table = _rows(demo, "strategic-assessment", "violence-ae-assailant")
    assailants = {r["Assailant"]: int(r["Count"]) for r in table}
    expected = Counter(r["assailant_type"] for r in now)
    expected["Not recorded"] = expected.pop("unknown", 0) + expected.pop("", 0)
    assert assailants == {k: v for k, v in expected.items() if v}
    unplaced = sum(1 for r in _extract(demo) if not r["incident_lsoa"] and _day(r)[:7] >= "2023-01")
    assert f"{unplaced:,} A&amp;E assaults of these dates have no LSOA" in _page(
        demo, "strategic-assessment"
    )


def test_police_share_estimate_by_lsoa_and_month(demo):
    cells = _police_cells(demo)
    ae: Counter = Counter()
    for r in _in_2025(demo):
        ae[(r["incident_lsoa"], _day(r)[:7])] += 1
    at_most = sum(min(n, cells.get(key, 0)) for key, n in ae.items())
    table = _rows(demo, "strategic-assessment", "violence-ae-police-share")
    share = {r["Measure"]: r["Value"] for r in table}
    assert int(share["Linkable (LSOA and date known)"]) == sum(ae.values())
    assert int(share["At most held by police (upper bound)"]) == at_most
    table = _rows(demo, "serious-violence-needs-assessment", "joint-police-share")
    joint = {r["Measure"]: r["Value"] for r in table}
    assert int(joint["At most held by police (upper bound)"]) == at_most


def test_needs_assessment_with_ae(demo):
    now = _in_2025(demo)
    table = _rows(demo, "serious-violence-needs-assessment", "who-age")
    ages = {r["Age band"]: int(r["Count"]) for r in table}
    expected = Counter(r["age_band"] for r in now)
    expected["Not recorded"] = expected.pop("unknown", 0) + expected.pop("", 0)
    assert ages == {k: v for k, v in expected.items() if v}
    # Friday or Saturday from 18:00, or Saturday or Sunday before 06:00, of the incident
    # where its time is given, else of the arrival (docs/formats/istv.md)
    nte = 0
    for r in now:
        if r["incident_date"] and r["incident_time"]:
            when = dt.datetime.fromisoformat(f"{r['incident_date']} {r['incident_time']}")
        else:
            when = dt.datetime.fromisoformat(f"{r['arrival_date']} {r['arrival_time']}")
        day, hour = when.isoweekday(), when.hour
        nte += (day in (5, 6) and hour >= 18) or (day in (6, 7) and hour < 6)
    page = _page(demo, "serious-violence-needs-assessment")
    assert f"Night-time economy: {nte:,} of {len(now):,} assaults" in page
    table = _rows(demo, "serious-violence-needs-assessment", "authorities")
    used = {r["Authority"]: r["Data used here"] for r in table}
    assert used["Integrated care board (health)"] == "A&E assault attendances (ISTV / ISB1594)"
    assert "No A&amp;E assault data" not in page


def test_the_needs_assessments_joint_chart_leaves_months_it_did_not_read_as_gaps(demo):
    """2024 and 2025 are compared; 2023's extracts exist but were not read for the
    assessment, so its months are gaps in the A&E line, never zeros."""
    counted = Counter(
        _day(r)[:7]
        for r in _extract(demo)
        if r["incident_lsoa"] and _day(r)[:4] in ("2024", "2025")
    )
    rows = {r["Month"]: r for r in _rows(demo, "serious-violence-needs-assessment", "volume-joint")}
    assert any(m.startswith("2023-") for m in rows), "the chart's window starts before 2024"
    for month, row in rows.items():
        if month < "2024-01":
            assert row["A&E assaults"] == "", f"{month}: not read, so a gap"
        else:
            assert int(row["A&E assaults"]) == counted[month], month
