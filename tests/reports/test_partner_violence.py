"""Violence from police and A&E together: the Strategic Assessment's violence chapter and
``csphub svd-needs`` on the demo borough with a generated A&E extract (``csphub ingest
istv``) covering both periods. Expectations are counted here from the generated rows and
from ``csphub query counts``, never from the code under test."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from collections import Counter

import pytest
from click.testing import CliRunner
from istv_fixture import write_istv

from csphub.cli.main import cli
from csphub.store import open_store
from csphub.store.areas import resolve_area

AREA = "E06999001"
PERIOD = "2025-01..2025-12"
LINK_TYPES = ("Violence and sexual offences", "Robbery")


@pytest.fixture(scope="module")
def violence(demo_run, tmp_path_factory):
    root = tmp_path_factory.mktemp("partner-violence")
    store = root / "store"
    shutil.copytree(demo_run.store, store)
    with open_store(store, read_only=True) as s:
        lsoas = sorted(resolve_area(s, AREA).lsoa_codes)
    extract = write_istv(root / "istv", lsoas, dt.date(2024, 1, 1), 731, 900)
    steps = [
        ["ingest", "istv", str(extract.path)],
        ["assess", "--area", AREA, "--period", PERIOD, "--out", str(root / "sa"), "--no-pdf"],
        ["svd-needs", "--area", AREA, "--period", PERIOD, "--out", str(root / "svd"), "--no-pdf"],
    ]
    for args in steps:
        result = CliRunner().invoke(cli, [*args, "--store", str(store)])
        assert result.exit_code == 0, result.output
    return root, extract, store


def _rows(folder, name):
    text = (folder / "data" / f"{name}.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _in_2025(rows):
    return [r for r in rows if r["incident_date"].endswith("/2025") and r["incident_lsoa"]]


def _police_cells(store):
    result = CliRunner().invoke(
        cli,
        ["query", "counts", "--by", "month,lsoa_code,crime_type", "--from", "2025-01",
         "--to", "2025-12", "--area", AREA, "--store", str(store)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    cells: Counter = Counter()
    for r in csv.DictReader(io.StringIO(result.stdout)):
        if r["crime_type"] in LINK_TYPES:
            cells[(r["lsoa_code"], r["month"])] += int(r["count"])
    return cells


def test_violence_confidence_counts_the_ae_data(violence):
    root, _, _ = violence
    ranked = {r["Priority"]: r for r in _rows(root / "sa", "priorities-ranked")}
    assert ranked["Violence and serious violence"]["Confidence"] == "High"
    html = (root / "sa" / "index.html").read_text(encoding="utf-8")
    assert "read with A&amp;E assault attendances (ISTV, ISB1594) for the same months" in html


def test_ae_profile_counts(violence):
    root, extract, _ = violence
    now = _in_2025(extract.rows)
    weapons = {
        r["Weapon (means of assault)"]: int(r["Count"])
        for r in _rows(root / "sa", "violence-ae-weapon")
    }
    expected = Counter(r["primary_means_of_assault"] for r in now)
    expected["Not recorded"] = expected.pop("unknown", 0)
    assert weapons == dict(expected)
    assailants = {
        r["Assailant"]: int(r["Count"]) for r in _rows(root / "sa", "violence-ae-assailant")
    }
    assert assailants == dict(Counter(r["assailant_type"] for r in now))
    html = (root / "sa" / "index.html").read_text(encoding="utf-8")
    unplaced = sum(1 for r in extract.rows if not r["incident_lsoa"])
    assert f"{unplaced:,} A&amp;E assaults of these dates have no LSOA" in html


def test_police_share_estimate_by_lsoa_and_month(violence):
    root, extract, store = violence
    cells = _police_cells(store)
    ae: Counter = Counter()
    for r in _in_2025(extract.rows):
        _, month, year = r["incident_date"].split("/")
        ae[(r["incident_lsoa"], f"{year}-{month}")] += 1
    at_most = sum(min(n, cells.get(key, 0)) for key, n in ae.items())
    share = {r["Measure"]: r["Value"] for r in _rows(root / "sa", "violence-ae-police-share")}
    assert int(share["Linkable (LSOA and date known)"]) == sum(ae.values())
    assert int(share["At most held by police (upper bound)"]) == at_most
    joint = {r["Measure"]: r["Value"] for r in _rows(root / "svd", "joint-police-share")}
    assert int(joint["At most held by police (upper bound)"]) == at_most


def test_needs_assessment_with_ae(violence):
    root, extract, _ = violence
    svd = root / "svd"
    now = _in_2025(extract.rows)
    ages = {r["Age band"]: int(r["Count"]) for r in _rows(svd, "who-age")}
    assert ages == dict(Counter(r["age_band"] for r in now))
    html = (svd / "index.html").read_text(encoding="utf-8")
    # Friday or Saturday from 18:00, or Saturday or Sunday before 06:00
    nte = 0
    for r in now:
        when = dt.datetime.strptime(f"{r['incident_date']} {r['incident_time']}", "%d/%m/%Y %H:%M")
        day, hour = when.isoweekday(), when.hour
        nte += (day in (5, 6) and hour >= 18) or (day in (6, 7) and hour < 6)
    assert f"Night-time economy: {nte:,} of {len(now):,} assaults" in html
    used = {r["Authority"]: r["Data used here"] for r in _rows(svd, "authorities")}
    assert used["Integrated care board (health)"] == "ae_assaults"
    assert "No A&amp;E assault data" not in html
